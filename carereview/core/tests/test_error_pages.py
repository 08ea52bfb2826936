"""Error pages and typed URLs (issue 12, item 6).

Every id in a URL is typed by its converter, so text where an id belongs is not found (404) on
every route, never a 500; an id too large for any database is not found either. The 400, 403,
404 and 500 pages are GOV.UK pages, in the portal's frame under /portal/, and never show the
exception's own message.
"""

import re
from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carereview.core.policy import allows
from carereview.core.testing import make_child, make_review_objects
from carereview.portal.testing import make_portal_user

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def full_patterns(patterns=None, prefix="", namespace=""):
    """(route name, the whole path pattern as written, the pattern) for every named route."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from full_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern), p


def _fill(template: str, values: dict[str, str]) -> str:
    return "/" + PARAM.sub(lambda m: values[m.group("name")], template)


def _valid(pattern: URLPattern) -> dict[str, str]:
    """A value each converter accepts (the route may still find nothing there)."""
    samples = {"recipient": "1", "kind": None, "item": None, "token": "t0ken", "position": "1"}
    out = {}
    for name, converter in pattern.pattern.converters.items():
        sample = samples.get(name, "1")
        if sample is None:  # a fixed set of words: the first the converter allows
            sample = converter.choices[0]
        out[name] = sample
    return out


def _is_govuk(response, frame: str) -> bool:
    body = response.content.decode()
    return 'class="govuk-template"' in body and frame in body


STAFF_FRAME = "Independent reviewing service"
PORTAL_FRAME = "Your IRO and your reviews"


@pytest.mark.django_db
def test_text_where_an_id_belongs_is_not_found_on_every_route(client):
    checked = 0
    for route, template, pattern in full_patterns():
        for name, converter in pattern.pattern.converters.items():
            if name == "token":
                continue  # any text is a (wrong) token: the page says the link does not work
            values = _valid(pattern) | {name: "abc"}
            if converter.regex and re.fullmatch(converter.regex, "abc"):
                values[name] = "abc%20x"
            response = client.get(_fill(template, values))
            assert response.status_code == 404, (route, name, response.status_code)
            frame = PORTAL_FRAME if template.startswith("portal/") else STAFF_FRAME
            assert _is_govuk(response, frame), (route, name)
            checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_an_id_too_large_for_the_database_is_not_found(client, service):
    """A permitted user, every route with a number in its URL: 404, never a 500."""
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    _, portal_user = make_portal_user(child, by=service.iro)
    users = [*service.by_role().values(), portal_user]
    checked = 0
    for route, template, pattern in full_patterns():
        ints = [n for n, c in pattern.pattern.converters.items() if c.regex == "[0-9]+"]
        user = next((u for u in users if allows(u, route)), None)
        if not ints or user is None:
            continue
        client.force_login(user)
        for name in ints:
            response = client.get(_fill(template, _valid(pattern) | {name: "9" * 20}))
            assert response.status_code == 404, (route, name, response.status_code)
            checked += 1
    assert checked > 40


@pytest.mark.django_db
def test_a_document_for_a_recipient_written_as_text_is_not_found(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    review = make_review_objects(child, service.iro).review
    client.force_login(service.iro)
    for kind, recipient in [
        ("invitation", "abc"),
        ("invitation", "child"),
        ("exclusion-letter", "person-1"),
        ("record", "person-x"),
        ("nothing", "1"),
    ]:
        url = f"/reviews/{review.pk}/documents/{kind}/{recipient}.pdf"
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert _is_govuk(response, STAFF_FRAME)


@pytest.mark.django_db
def test_the_refusal_page_says_what_to_do_and_keeps_internals_to_the_log(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    review = make_review_objects(child, service.iro).review
    client.force_login(service.business_support)
    response = client.get(reverse("reviews:record", kwargs={"review_id": review.pk}))
    assert response.status_code == 403
    body = response.content.decode()
    assert _is_govuk(response, STAFF_FRAME)
    assert "You cannot see this page" in body and f'href="{reverse("home")}"' in body
    assert "does not give you access" not in body  # the exception's own words stay in the log


@pytest.mark.django_db
def test_the_portal_error_pages_use_the_portal_frame(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    other = make_child(iro=service.iro, social_worker=service.social_worker)
    _, portal_user = make_portal_user(child, by=service.iro)
    client.force_login(portal_user)
    response = client.get(reverse("portal:child", kwargs={"child_id": other.pk}))
    assert response.status_code == 404
    assert _is_govuk(response, PORTAL_FRAME)
    assert f'href="{reverse("portal:home")}"' in response.content.decode()
    assert other.last_name not in response.content.decode()
    # A staff page, to a portal user: refused, in the portal's frame only under /portal/.
    response = client.get(reverse("caseload:mine"))
    assert response.status_code == 403 and _is_govuk(response, STAFF_FRAME)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [400, 500])
@pytest.mark.parametrize(("path", "frame"), [("/", STAFF_FRAME), ("/portal/", PORTAL_FRAME)])
def test_the_configured_400_and_500_pages(rf, status, path, frame):
    # The 500 handler takes the request alone; the 400 handler the exception too.
    handler: Callable[..., HttpResponse] = get_resolver().resolve_error_handler(status)
    request = rf.get(path)
    response = handler(request) if status == 500 else handler(request, Exception("internal"))
    assert response.status_code == status
    response.content.decode()
    assert _is_govuk(response, frame)
    assert "internal" not in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_security_token_gets_the_refusal_page(service):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(service.administrator)
    response = client.post(reverse("core:bank-holidays"), {"name": "x"})
    assert response.status_code == 403
    assert _is_govuk(response, STAFF_FRAME)
    assert "CSRF" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [403, 404])
def test_an_error_page_on_the_other_side_leads_to_the_readers_own_home(client, service, status):
    """A member of staff who opens a portal page (a link a parent forwarded, a typed address), or
    a parent who opens a staff page, is told which side they are on, and the way back goes to
    their own home: never back to the portal page that refused them, a loop."""
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    review = make_review_objects(child, service.iro).review
    _, portal_user = make_portal_user(child, by=service.iro)
    staff_path = {
        403: reverse("reviews:record", kwargs={"review_id": review.pk}),
        404: "/no-such-page/",
    }[status]
    portal_path = {403: reverse("portal:home"), 404: "/portal/no-such-page/"}[status]
    cases = [
        # (who, where, frame, where the way back goes, what it says of them)
        (service.iro, portal_path, PORTAL_FRAME, reverse("home"), "signed in as staff"),
        (service.business_support, portal_path, PORTAL_FRAME, reverse("home"), "as staff"),
        (portal_user, staff_path, STAFF_FRAME, reverse("portal:home"), "for staff"),
    ]
    for user, path, frame, home, said in cases:
        client.force_login(user)
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == status, (user.role, path)
        assert _is_govuk(response, frame)
        way_back = re.findall(r'href="([^"]*)">Go to your', body)
        assert way_back == [home], (user.role, path, way_back)
        assert said in body, (user.role, path)
    # On their own side nothing changes: the way back is their own home.
    client.force_login(service.iro)
    body = client.get("/no-such-page/").content.decode()
    assert re.findall(r'href="([^"]*)">Go to your home page', body) == [reverse("home")]


@pytest.mark.django_db
def test_a_refusal_written_for_staff_says_why_and_a_portal_reader_gets_the_general_words(
    rf, service
):
    """core.errors.Refusal: its message is for the member of staff refused (a letter waiting for
    the IRO's check), shown on the 403 page; a plain PermissionDenied's stays in the log, and a
    child, parent or carer never reads a refusal's reason."""
    from django.core.exceptions import PermissionDenied

    from carereview.core.errors import Refusal, permission_denied

    child = make_child(iro=service.iro, social_worker=service.social_worker)
    _, portal_user = make_portal_user(child, by=service.iro)
    why = "This is waiting for the IRO to check it"
    for user, path, shown in (
        (service.business_support, "/reviews/1/", True),
        (portal_user, "/portal/", False),
        (portal_user, "/reviews/1/", False),
    ):
        request = rf.get(path)
        request.user = user
        body = permission_denied(request, Refusal(why)).content.decode()
        assert (why in body) is shown, (user.role, path)
        assert (
            "internal words"
            not in permission_denied(request, PermissionDenied("internal words")).content.decode()
        )

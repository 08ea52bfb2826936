"""Every URL route, as every role, against the declared policy (issue 2, item 8).

A route with no rule in `core.policy.ROUTES` fails here, so no page can be added without one.
"""

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from carereview.accounts.models import STAFF_ROLES, User
from carereview.breakglass.models import BreakGlassGrant
from carereview.children.models import Child
from carereview.core.models import BankHoliday
from carereview.core.policy import PUBLIC, ROUTES, allows
from carereview.core.testing import ReviewObjects, make_child, make_review_objects
from carereview.disputes import services as disputes
from carereview.disputes.models import Dispute
from carereview.documents import services as document_services
from carereview.followup.testing import FollowupObjects, make_followup_objects
from carereview.portal.testing import PortalObjects, make_portal_objects
from carereview.records import services as retention
from carereview.records.models import RetentionProposal


class RouteObjects(ReviewObjects):
    """make_review_objects' records and one of each other kind that a route names."""

    portal: PortalObjects
    followup: FollowupObjects
    dispute: Dispute
    grant: BreakGlassGrant
    proposal: RetentionProposal


def route_objects(child: Child, by: User) -> RouteObjects:
    """make_review_objects(child, by), to be given the other records."""
    base = make_review_objects(child, by)
    return RouteObjects(
        base.review, base.meeting, base.consultation, base.invitation, base.exclusion
    )


def walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def all_routes() -> dict[str, URLPattern]:
    return dict(walk(get_resolver().url_patterns))


def test_every_route_has_a_rule_and_every_rule_a_route():
    routes = set(all_routes())
    assert routes - set(ROUTES) == set(), "routes with no access rule in core.policy.ROUTES"
    assert set(ROUTES) - routes == set(), "rules for routes that do not exist"


def test_every_staff_role_has_a_user_in_the_walk(service):
    assert set(service.by_role()) == set(STAFF_ROLES)


POST_ONLY = {"sign-out"}


OBJECT_KWARGS = {
    "pk",
    "review_id",
    "meeting_id",
    "consultation_id",
    "exclusion_id",
    "access_id",
    "visit_id",
    "representation_id",
    "advocacy_id",
    "decision_id",
    "check_id",
    "event_id",
    "dispute_id",
    "step_id",
    "grant_id",
}


def _kwargs(route: str, pattern: URLPattern, child, service, objects=None) -> dict:
    names = set(pattern.pattern.converters)
    if not names:
        return {}
    if route == "caseload:iro":
        return {"user_id": service.iro.pk}
    if route.startswith("core:bank-holiday"):
        holiday = BankHoliday.objects.order_by("date").first()
        assert holiday is not None
        return {"holiday_id": holiday.pk}
    values = {"pk": child.pk, "child_id": child.pk, "position": 1}
    if objects is not None:
        values |= {
            "review_id": objects.review.pk,
            "meeting_id": objects.meeting.pk,
            "consultation_id": objects.consultation.pk,
            "exclusion_id": objects.exclusion.pk,
            "item": "care_plan",
            "kind": "decisions" if route == "reviews:send" else "invitation",
            "recipient": str(objects.invitation.pk),
        }
        portal = getattr(objects, "portal", None)
        if portal is not None:
            values |= {
                "access_id": portal.access.pk,
                "visit_id": portal.visit.pk,
                "representation_id": portal.representation.pk,
                "advocacy_id": portal.advocacy.pk,
                "token": portal.token,
            }
        followup = getattr(objects, "followup", None)
        if followup is not None:
            values |= {
                "decision_id": followup.decision.pk,
                "check_id": followup.midway.pk,
                "event_id": followup.event.pk,
            }
        grant = getattr(objects, "grant", None)
        if grant is not None:
            values["grant_id"] = grant.pk
        proposal = getattr(objects, "proposal", None)
        if proposal is not None:
            values["proposal_id"] = proposal.pk
        dispute = getattr(objects, "dispute", None)
        if dispute is not None:
            values |= {"dispute_id": dispute.pk, "step_id": dispute.steps.order_by("-id")[0].pk}
    missing = names - set(values)
    assert not missing, f"{route}: teach this test which object {missing} names"
    return {name: values[name] for name in names}


def _request(client, route, url):
    return client.post(url) if route in POST_ONLY else client.get(url)


@pytest.fixture
def in_scope_child(service):
    return make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=date.today() - timedelta(days=60),
    )


@pytest.fixture
def objects(service, in_scope_child):
    objects = route_objects(in_scope_child, service.iro)
    # The invitations go (by letter): business support then has a letter to print (issue 12).
    document_services.send_invitations(objects.review, by=service.iro)
    objects.portal = make_portal_objects(in_scope_child, service)
    # The child let their social worker read their form (issue 5), so the walk reaches it.
    objects.consultation.share_with_social_worker = True
    objects.consultation.returned_on = objects.consultation.sent_on
    objects.consultation.save()
    # Between reviews (issue 6): a held review with a decision the service manager owns (the
    # only way that role reaches one), its midway check, an event; and a dispute escalated to
    # the service manager, so each role the policy allows reaches the dispute pages.
    objects.followup = make_followup_objects(
        in_scope_child, reporter=service.social_worker, owner=service.service_manager
    )
    objects.dispute = disputes.raise_dispute(
        in_scope_child, by=service.iro, summary="Drift", message="m", themes=["drift"]
    )
    disputes.escalate(
        objects.dispute,
        by=service.iro,
        message="m",
        to_stage="service_manager",
        skip_reason="Urgent",
    )
    # Break-glass (issue 7): a grant an IRO manager opened, waiting for review.
    objects.grant = BreakGlassGrant.objects.create(
        user=service.iro_manager,
        child=in_scope_child,
        reason="A welfare concern raised out of hours by the police",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    # Retention (issue 7): a proposal waiting for a second administrator (a child born in 1940
    # is past its date).
    make_child(dob=date(1940, 1, 1))
    objects.proposal = retention.propose(service.administrator.username)
    return objects


# The URL keywords that name a child, or something of one child's (issue 12, item 3).
CHILD_DATA_KWARGS = OBJECT_KWARGS | {"child_id"}


def test_every_url_keyword_is_declared():
    """A route whose URL carries an id nobody declared in core.access cannot be added: each id
    either leads to a child (and the read is logged) or is declared as naming no child data."""
    from carereview.core.access import child_kwargs, known_kwargs

    undeclared = {
        f"{route}: {name}"
        for route, pattern in all_routes().items()
        for name in pattern.pattern.converters
        if name not in known_kwargs()
    }
    assert undeclared == set()
    assert CHILD_DATA_KWARGS - {"grant_id"} <= set(child_kwargs())


def test_an_undeclared_url_keyword_fails_loudly(rf, service):
    from carereview.core.access import UndeclaredUrlKeyword, resolve

    request = rf.get("/")
    request.user = service.iro
    with pytest.raises(UndeclaredUrlKeyword):
        resolve(request, "new:route", {"placement_id": 1}, "case")


def _last_event() -> int:
    from carereview.core.models import AccessEvent

    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _events_since(last: int) -> list[tuple[int, int]]:
    from carereview.core.models import AccessEvent

    return list(AccessEvent.objects.filter(pk__gt=last).values_list("user_id", "child_id"))


@pytest.mark.django_db
def test_route_by_role(client, service, in_scope_child, objects):
    """Each staff role gets the page (2xx) where the policy allows it and 403 where not; a page
    that carries a child's data writes exactly one access event for that child when it is
    shown, and none when refused (issue 12, item 3)."""
    routes = all_routes()
    failures = []
    for role, user in service.by_role().items():
        for route, pattern in routes.items():
            client.force_login(user)  # again each time: sign-out ends the session
            url = reverse(route, kwargs=_kwargs(route, pattern, in_scope_child, service, objects))
            last = _last_event()
            response = _request(client, route, url)
            written = _events_since(last)
            allowed = allows(user, route)
            ok = (response.status_code < 400) if allowed else response.status_code == 403
            if route == "sign-in" and response.status_code == 302:
                ok = True  # a signed-in user is sent on from the sign-in page
            if not ok:
                failures.append(f"{role} {route} {url}: {response.status_code}, allowed={allowed}")
            elif set(pattern.pattern.converters) & CHILD_DATA_KWARGS:
                shown = 200 <= response.status_code < 300  # a redirect shows nothing
                expected = [(user.pk, in_scope_child.pk)] if allowed and shown else []
                if written != expected:
                    failures.append(f"{role} {route}: access events {written}, not {expected}")
        client.logout()
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_except_on_public_pages(
    client, service, in_scope_child, objects
):
    for route, pattern in all_routes().items():
        url = reverse(route, kwargs=_kwargs(route, pattern, in_scope_child, service, objects))
        response = _request(client, route, url)
        if route == "portal:sign-in-code":
            # The second step of signing in, with no first step: back to the first.
            assert response["Location"] == reverse("portal:sign-in"), route
        elif ROUTES[route] == PUBLIC:
            assert response.status_code == 200, route
        else:
            assert response.status_code == 302, route
            sign_in = reverse("portal:sign-in" if route.startswith("portal:") else "sign-in")
            assert response["Location"].startswith(sign_in + "?"), route


@pytest.mark.django_db
def test_a_child_out_of_scope_is_not_found_for_every_role(client, service):
    """Allowed the kind of page, but not this child's: 404, never the record."""
    stranger = make_child(iro=service.iro2, social_worker=service.other_social_worker)
    theirs = route_objects(stranger, service.iro2)
    theirs.portal = make_portal_objects(stranger, service)
    theirs.followup = make_followup_objects(
        stranger, reporter=service.other_social_worker, owner_description="The foster carer"
    )
    theirs.dispute = disputes.raise_dispute(
        stranger, by=service.iro2, summary="Drift", message="m", themes=["drift"]
    )
    routes = {
        r: p
        for r, p in all_routes().items()
        if set(p.pattern.converters) & OBJECT_KWARGS
        and not r.startswith("core:")
        # Break-glass grants are reviewed by someone other than the grantee, whoever the child
        # (they show the child's identifier only): breakglass/tests cover who sees them.
        and not r.startswith("breakglass:")
    }
    assert len(routes) > 10, "expected child and review routes"
    for role, user in service.by_role().items():
        if role in {"iro_manager", "business_support", "complaints_manager"}:
            # iro2 is in the IRO manager's team; business support schedules for all; the
            # complaints manager sees every child with a representation.
            continue
        for route, pattern in routes.items():
            if not allows(user, route):
                continue
            client.force_login(user)
            url = reverse(route, kwargs=_kwargs(route, pattern, stranger, service, theirs))
            response = _request(client, route, url)
            assert response.status_code == 404, (role, route, response.status_code)
            assert stranger.last_name.encode() not in response.content
        client.logout()


@pytest.mark.django_db
def test_business_support_reaches_scheduling_but_no_case_pages(client, service, objects):
    client.force_login(service.business_support)
    child = objects.review.child
    assert client.get(reverse("reviews:book", kwargs={"pk": child.pk})).status_code == 200
    for route, kwargs in [
        ("children:detail", {"pk": child.pk}),
        ("reviews:record", {"review_id": objects.review.pk}),
        ("reviews:child-letter", {"review_id": objects.review.pk}),
    ]:
        assert client.get(reverse(route, kwargs=kwargs)).status_code == 403, route
    # Their own view of the review (issue 12, item 21): the arrangements, no case content.
    response = client.get(reverse("reviews:detail", kwargs={"review_id": objects.review.pk}))
    assert response.status_code == 200
    assert b"Review arrangements" in response.content
    assert b"choices" not in response.content.lower() and b"Consultation" not in response.content


@pytest.mark.django_db
def test_portal_roles_reach_no_staff_page(client, service, in_scope_child, objects):
    from carereview.core.testing import make_user

    for role in ("child", "parent", "carer"):
        user = make_user(f"portal.{role}", role)
        for route, pattern in all_routes().items():
            if ROUTES[route] == PUBLIC or route.startswith("portal:"):
                continue
            if route == "home":
                continue  # sent on to the portal: test_a_portal_user_at_home_goes_to_the_portal
            client.force_login(user)
            url = reverse(route, kwargs=_kwargs(route, pattern, in_scope_child, service, objects))
            assert _request(client, route, url).status_code == 403, (role, route)
        client.logout()


@pytest.mark.django_db
def test_a_portal_user_at_home_goes_to_the_portal(client, service):
    from carereview.core.testing import make_user

    client.force_login(make_user("portal.someone", "parent"))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


@pytest.mark.django_db
def test_portal_pages_log_each_read_of_the_child(client, service, in_scope_child, objects):
    """The portal's pages carry the child's id too: each writes exactly one access event for the
    person who read it; another child's id is not found and writes none (issue 12, item 3)."""
    portal_user = objects.portal.user
    stranger = make_child(iro=service.iro2, social_worker=service.other_social_worker)
    failures, shown = [], 0
    for route, pattern in all_routes().items():
        names = set(pattern.pattern.converters)
        if not route.startswith("portal:") or "child_id" not in names:
            continue
        kwargs = _kwargs(route, pattern, in_scope_child, service, objects)
        client.force_login(portal_user)
        last = _last_event()
        response = _request(client, route, reverse(route, kwargs=kwargs))
        written = _events_since(last)
        if 200 <= response.status_code < 300:
            shown += 1
            if written != [(portal_user.pk, in_scope_child.pk)]:
                failures.append(f"{route}: {response.status_code}, events {written}")
        elif response.status_code not in {302, 404} or written:
            # Sent on (a form not started) or nothing to show yet (no photo, no review held):
            # nothing read, nothing logged.
            failures.append(f"{route}: {response.status_code}, events {written}")
        last = _last_event()
        elsewhere = reverse(route, kwargs=kwargs | {"child_id": stranger.pk})
        response = _request(client, route, elsewhere)
        if response.status_code != 404 or _events_since(last):
            failures.append(f"{route} (another child): {response.status_code}")
    assert failures == [], "\n".join(failures)
    assert shown >= 8

"""The dispute pages: who reaches what, the journey through forms, hostile input, flat queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carereview.core.models import AccessEvent
from carereview.core.testing import make_child
from carereview.disputes import services
from carereview.disputes.models import Dispute, DisputeStep

from .conftest import DAY, HOSTILE

pytestmark = pytest.mark.django_db


def raise_one(service, child, **extra):
    args = {"summary": "Life-story work", "message": "Please start it", "themes": ["drift"]}
    return services.raise_dispute(child, by=service.iro, **(args | extra))


def page(client, user, url, **data):
    client.force_login(user)
    response = client.post(url, data) if data else client.get(url)
    return response, response.content.decode()


# --- raising ---------------------------------------------------------------------------------


def test_the_raise_form_names_who_each_stage_goes_to(client, service, child, drifting):
    response, html = page(client, service.iro, reverse("disputes:raise", args=[child.pk]))
    assert response.status_code == 200
    assert "Informal: the social worker – Sam Testington" in html
    assert "Stage 1: team manager – Tara Dapplegrove" in html
    assert "Stage 4: director of children&#x27;s services – Dara Elmsworth" in html
    assert "Start life-story work with Robin (due 15 Jan 2026; not started, overdue)" in html
    assert AccessEvent.objects.filter(child=child, user=service.iro).exists()


def test_raising_through_the_form(client, service, child, drifting):
    url = reverse("disputes:raise", args=[child.pk])
    response, _ = page(
        client,
        service.iro,
        url,
        summary="Life-story work has drifted",
        themes=["drift", "permanence"],
        decision=str(drifting.pk),
        message="It was due in January",
        start_stage="informal",
        skip_reason="",
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disputes:detail", args=[dispute.pk])
    assert dispute.decision == drifting and dispute.themes == ["drift", "permanence"]
    html = client.get(response["Location"]).content.decode()
    assert "Sent to Sam Testington (Informal: the social worker)" in html
    assert "16 February 2026" in html


def test_raising_higher_without_a_reason_is_an_error_on_the_page(client, service, child):
    url = reverse("disputes:raise", args=[child.pk])
    data = {"summary": "s", "themes": ["drift"], "message": "m", "start_stage": "director"}
    response, html = page(client, service.iro, url, **data)
    assert response.status_code == 200
    assert "Say why the earlier stages are skipped" in html and "There is a problem" in html
    assert not Dispute.objects.exists()


def test_a_missing_manager_is_shown_and_refused_on_the_page(client, service, child):
    service.head_of_service.line_manager = None
    service.head_of_service.save()
    url = reverse("disputes:raise", args=[child.pk])
    _, html = page(client, service.iro, url)
    assert "nobody can be found to address it to" in html
    assert "no line manager is recorded for Hal Fairholm" in html
    data = {"summary": "s", "themes": ["drift"], "message": "m", "start_stage": "director"}
    response, html = page(client, service.iro, url, **data, skip_reason="Urgent")
    assert response.status_code == 200 and "Hal Fairholm" in html
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"summary": "x" * 100_000}, "200 characters or fewer"),
        ({"message": "x" * 100_000}, "5000 characters or fewer"),
        ({"skip_reason": "x" * 100_000}, "5000 characters or fewer"),
        ({"start_stage": "the_mayor"}, "Choose a stage from the list"),
        ({"start_stage": HOSTILE}, "Choose a stage from the list"),
        ({"themes": ["world_peace"]}, "Choose themes from the list"),
        ({"themes": []}, "Choose at least one theme"),
        ({"decision": "999999"}, "Choose one of the child&#x27;s decisions"),
        ({"decision": "abc"}, "Choose one of the child&#x27;s decisions"),
        ({"decision": "99999999999999999999999"}, "Choose one of the child&#x27;s decisions"),
        ({"summary": "a\x00b"}, "Null characters are not allowed"),
    ],
)
def test_hostile_input_to_raise_is_a_validation_error(client, service, child, data, message):
    good = {"summary": "s", "themes": ["drift"], "message": "m", "start_stage": "informal"}
    response, html = page(
        client, service.iro, reverse("disputes:raise", args=[child.pk]), **(good | data)
    )
    assert response.status_code == 200
    assert message in html
    assert not Dispute.objects.exists()


def test_another_childs_decision_cannot_be_chosen(client, service, child):
    other = make_child(iro=service.iro, social_worker=service.social_worker, reviews=[DAY])
    theirs = other.reviews.get().decisions.create(text="x", due_on=DAY)
    data = {"summary": "s", "themes": ["drift"], "message": "m", "start_stage": "informal"}
    response, html = page(
        client,
        service.iro,
        reverse("disputes:raise", args=[child.pk]),
        **data,
        decision=str(theirs.pk),
    )
    assert response.status_code == 200 and "Choose one of the child&#x27;s decisions" in html


def test_script_is_shown_as_text(client, service, child):
    dispute = raise_one(service, child, summary=HOSTILE, message=HOSTILE)
    _, html = page(client, service.iro, reverse("disputes:detail", args=[dispute.pk]))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_only_the_childs_iro_may_raise(client, service, child):
    url = reverse("disputes:raise", args=[child.pk])
    assert page(client, service.iro2, url)[0].status_code == 404
    for someone in (service.social_worker, service.team_manager, service.iro_manager):
        assert page(client, someone, url)[0].status_code == 403
    assert page(client, service.iro, reverse("disputes:raise", args=[999999]))[0].status_code == 404


# --- who sees what ---------------------------------------------------------------------------


def test_the_case_and_the_addressees_see_the_dispute_and_nobody_else(client, service, child):
    dispute = raise_one(service, child)
    url = reverse("disputes:detail", args=[dispute.pk])
    for someone in (service.iro, service.iro_manager, service.social_worker, service.team_manager):
        assert page(client, someone, url)[0].status_code == 200, someone
    for someone in (
        service.iro2,
        service.other_social_worker,
        service.other_team_manager,
        service.service_manager,
    ):
        assert page(client, someone, url)[0].status_code == 404, someone
    for someone in (service.business_support, service.administrator, service.complaints_manager):
        assert page(client, someone, url)[0].status_code == 403, someone
    # Addressed at stage 2, the service manager sees it.
    services.escalate(
        dispute, by=service.iro, message="m", to_stage="service_manager", skip_reason="Urgent"
    )
    assert page(client, service.service_manager, url)[0].status_code == 200
    assert page(client, service.head_of_service, url)[0].status_code == 404


def test_bad_ids_are_not_found(client, service, child):
    client.force_login(service.iro)
    for path in ("/disputes/999999/", "/disputes/99999999999999999999999/", "/disputes/abc/"):
        assert client.get(path).status_code == 404, path
    client.force_login(service.social_worker)
    for path in (
        "/disputes/steps/999999/respond/",
        "/disputes/steps/99999999999999999999/respond/",
    ):
        assert client.get(path).status_code == 404, path


def test_reading_a_dispute_is_in_the_access_log(client, service, child):
    dispute = raise_one(service, child)
    url = reverse("disputes:detail", args=[dispute.pk])
    page(client, service.team_manager, url)
    event = AccessEvent.objects.get(user=service.team_manager)
    assert (event.child, event.path) == (child, url)


def test_the_timeline_shows_each_step_and_the_actions_for_each_person(
    client, service, child, drifting, on_day
):
    dispute = raise_one(service, child, decision=drifting)
    on_day(date(2026, 2, 17))  # informal was due on 16 February
    url = reverse("disputes:detail", args=[dispute.pk])
    informal = dispute.steps.get()
    respond = reverse("disputes:respond", args=[informal.pk])
    _, html = page(client, service.social_worker, url)
    assert "Informal: the social worker" in html and "Response overdue" in html
    assert respond in html and reverse("disputes:escalate", args=[dispute.pk]) not in html
    _, html = page(client, service.iro, url)
    assert respond not in html
    for action in ("escalate", "resolve", "cafcass"):
        assert reverse(f"disputes:{action}", args=[dispute.pk]) in html
    _, html = page(client, service.iro_manager, url)
    assert "What you can do" not in html
    assert "Start life-story work with Robin" in html and "Overdue" in html


# --- responding ------------------------------------------------------------------------------


def test_the_addressee_responds_and_nobody_else(client, service, child):
    dispute = raise_one(service, child)
    step = dispute.steps.get()
    url = reverse("disputes:respond", args=[step.pk])
    # Someone else who sees the case is sent back to the dispute, and nothing is recorded.
    response, _ = page(client, service.team_manager, url, response="I will answer")
    assert response.status_code == 302
    assert response["Location"] == reverse("disputes:detail", args=[dispute.pk])
    html = client.get(response["Location"]).content.decode()
    assert "addressed to Sam Testington: only they can respond" in html
    # A social worker of another team does not see it at all; an IRO may not respond.
    assert page(client, service.other_social_worker, url)[0].status_code == 404
    assert page(client, service.iro, url)[0].status_code == 403
    step.refresh_from_db()
    assert step.responded_on is None
    response, html = page(client, service.social_worker, url)
    assert response.status_code == 200 and "Please start it" in html
    response, _ = page(client, service.social_worker, url, response="Booked for Monday")
    assert response.status_code == 302
    step = DisputeStep.objects.get(pk=step.pk)  # read again (mypy keeps responded_on as None)
    assert (step.response, step.responded_by, step.responded_on) == (
        "Booked for Monday",
        service.social_worker,
        DAY,
    )
    # Once.
    response, _ = page(client, service.social_worker, url, response="Again")
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.response == "Booked for Monday"


def test_a_response_must_be_reasonable(client, service, child):
    step = raise_one(service, child).steps.get()
    url = reverse("disputes:respond", args=[step.pk])
    for text, error in (("", "Enter your response"), ("x" * 100_000, "5000 characters")):
        response, html = page(client, service.social_worker, url, response=text)
        assert response.status_code == 200 and error in html
    step.refresh_from_db()
    assert step.responded_on is None


def test_my_list_puts_waiting_stages_first(client, service, child, on_day):
    answered = raise_one(service, child, summary="Answered one")
    services.respond(answered.steps.get(), by=service.social_worker, response="Done")
    waiting = raise_one(service, child, summary="Waiting one")
    on_day(date(2026, 2, 20))
    _, html = page(client, service.social_worker, reverse("disputes:mine"))
    assert html.index("Waiting one") < html.index("Answered one")
    assert "Overdue" in html
    assert reverse("disputes:respond", args=[waiting.steps.get().pk]) in html
    assert reverse("disputes:respond", args=[answered.steps.get().pk]) not in html
    _, html = page(client, service.other_social_worker, reverse("disputes:mine"))
    assert "Nothing is waiting for your response" in html and "Waiting one" not in html


# --- the IRO's actions -----------------------------------------------------------------------


def test_escalate_resolve_and_refer_through_the_pages(client, service, child, on_day):
    dispute = raise_one(service, child)
    escalate = reverse("disputes:escalate", args=[dispute.pk])
    response, html = page(client, service.iro, escalate)
    assert response.status_code == 200
    assert "Stage 1: team manager – Tara Dapplegrove" in html
    assert "Informal: the social worker –" not in html
    response, html = page(client, service.iro, escalate, to_stage="head_of_service", message="m")
    assert response.status_code == 200 and "Say why the stages in between are skipped" in html
    response, html = page(client, service.iro, escalate, to_stage="informal", message="m")
    assert "Choose a stage from the list" in html
    response, _ = page(client, service.iro, escalate, to_stage="team_manager", message="m")
    assert response.status_code == 302
    assert DisputeStep.objects.filter(stage="team_manager", addressee=service.team_manager)
    cafcass = reverse("disputes:cafcass", args=[dispute.pk])
    response, html = page(client, service.iro, cafcass, referred_on="not a date")
    assert "The date of the referral must be a real date" in html
    response, html = page(
        client,
        service.iro,
        cafcass,
        referred_on_day="29",
        referred_on_month="2",
        referred_on_year="2025",
    )
    assert "The date of the referral must be a real date" in html
    response, html = page(client, service.iro, cafcass, referred_on="2030-01-01")
    assert "cannot be in the future" in html
    response, _ = page(client, service.iro, cafcass, referred_on=DAY.isoformat(), note="n")
    assert response.status_code == 302
    resolve = reverse("disputes:resolve", args=[dispute.pk])
    response, html = page(client, service.iro, resolve, resolution="")
    assert "Enter how was it resolved?" in html or "Enter how" in html
    response, _ = page(client, service.iro, resolve, resolution="Agreed")
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "resolved" and dispute.cafcass_referred_on == DAY
    # Resolved: the pages send the IRO back with the reason.
    response, _ = page(client, service.iro, escalate)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "so it cannot be escalated" in html
    assert page(client, service.iro, resolve)[0].status_code == 302


def test_at_the_top_there_is_no_escalate(client, service, child):
    dispute = raise_one(service, child, start_stage="director", skip_reason="Emergency")
    _, html = page(client, service.iro, reverse("disputes:detail", args=[dispute.pk]))
    assert reverse("disputes:escalate", args=[dispute.pk]) not in html
    response, _ = page(client, service.iro, reverse("disputes:escalate", args=[dispute.pk]))
    assert response.status_code == 302


# --- the child's page list (the include) -----------------------------------------------------


def test_the_childs_disputes_include(rf, service, child):
    from django.template.loader import render_to_string

    from carereview.disputes.selectors import child_disputes

    raise_one(service, child, summary="About contact")

    def render(user):
        request = rf.get("/")
        request.user = user
        disputes = child_disputes(user, child, DAY)
        context = {"child": child, "disputes": disputes}
        return render_to_string("disputes/_child_disputes.html", context, request=request)

    html = render(service.iro)
    assert "Raise a concern (dispute resolution)" in html and "About contact" in html
    assert "Informal: the social worker: Sam Testington" in html
    html = render(service.team_manager)
    assert "About contact" in html and "Raise a concern" not in html
    assert "No disputes have been raised" in render(service.other_team_manager)


# --- flat query counts -----------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_disputes(service, n):
    for i in range(n):
        other = make_child(iro=service.iro, social_worker=service.social_worker)
        d = raise_one(service, other, summary=f"Another {i}")
        services.escalate(d, by=service.iro, message="m")


def test_the_lists_take_the_same_number_of_queries_for_one_dispute_or_many(client, service, child):
    one = raise_one(service, child)
    services.escalate(one, by=service.iro, message="m")
    urls = {
        service.team_manager: reverse("disputes:mine"),
        service.iro_manager: reverse("disputes:overview"),
        service.iro: reverse("disputes:detail", args=[one.pk]),
    }
    before = {}
    for user, url in urls.items():
        client.force_login(user)
        before[url] = _count(client, url)
    _more_disputes(service, 4)
    services.escalate(one, by=service.iro, message="m")  # one more step on the detail page
    for user, url in urls.items():
        client.force_login(user)
        assert _count(client, url) == before[url], url


def test_the_childs_disputes_take_the_same_number_of_queries_however_many(service, child):
    from carereview.disputes.selectors import child_disputes

    raise_one(service, child)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            disputes = child_disputes(service.iro, child, DAY)
            [(c.addressee.get_full_name(), c.stage_label) for d in disputes if (c := d.current)]
        return len(queries)

    one = count()
    for i in range(3):
        d = raise_one(service, child, summary=f"Another {i}")
        services.escalate(d, by=service.iro, message="m")
    assert count() == one

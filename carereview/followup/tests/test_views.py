"""Issue 6, items 1-3: the pages, for the right roles, in scope, with hostile input."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from carereview.core.models import AccessEvent
from carereview.core.policy import ROUTES, allows
from carereview.core.testing import make_child
from carereview.followup import services
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.followup.testing import make_followup_objects
from carereview.reviews.models import Decision, EarlierReviewRequirement

TODAY = date.today()
ROUTES_HERE = [r for r in ROUTES if r.startswith("followup:")]


def url_for(route, child, objects):
    kwargs = {
        "followup:decision": {"decision_id": objects.decision.pk},
        "followup:child-decisions": {"pk": child.pk},
        "followup:midway": {"check_id": objects.midway.pk},
        "followup:event-new": {"pk": child.pk},
        "followup:event": {"event_id": objects.event.pk},
    }.get(route, {})
    return reverse(route, kwargs=kwargs)


@pytest.fixture
def child(service):
    return make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=TODAY - timedelta(days=60),
    )


@pytest.fixture
def objects(service, child):
    # A senior manager owns the decision, so every role allowed the page reaches it: the owner
    # through the decision, the others through the child.
    return make_followup_objects(
        child, reporter=service.social_worker, owner=service.service_manager
    )


@pytest.mark.django_db
def test_each_page_for_each_role(client, service, child, objects):
    assert len(ROUTES_HERE) == 7
    failures = []
    for role, user in service.by_role().items():
        client.force_login(user)
        for route in ROUTES_HERE:
            status = client.get(url_for(route, child, objects)).status_code
            expected = 200 if allows(user, route) else 403
            if status != expected:
                failures.append(f"{role} {route}: {status}, expected {expected}")
    assert failures == []


@pytest.mark.django_db
def test_a_child_out_of_scope_is_not_found(client, service):
    stranger = make_child(
        iro=service.iro2, social_worker=service.other_social_worker, last_name="Farawayson"
    )
    theirs = make_followup_objects(
        stranger, reporter=service.other_social_worker, owner_description="The foster carer"
    )
    for user in (service.iro, service.social_worker, service.team_manager, service.service_manager):
        client.force_login(user)
        for route in ROUTES_HERE:
            if not allows(user, route) or route in {"followup:work", "followup:my-decisions"}:
                continue
            page = client.get(url_for(route, stranger, theirs))
            assert page.status_code == 404, (user.role, route)
            assert b"Farawayson" not in page.content
            assert client.post(url_for(route, stranger, theirs)).status_code == 404
    # Nor do the lists show them.
    client.force_login(service.iro)
    html = client.get(reverse("followup:work")).content.decode()
    assert "Farawayson" not in html


# --- decisions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_decisions_are_grouped_and_the_empty_state_says_what_happens(client, service, child):
    client.force_login(service.social_worker)
    html = client.get(reverse("followup:my-decisions")).content.decode()
    assert "No decisions are yours to do" in html
    objects = make_followup_objects(child, reporter=service.social_worker, owner=None)
    review = objects.review

    def make(text, due, **extra):
        return Decision.objects.create(
            review=review, text=text, owner=service.social_worker, due_on=due, **extra
        )

    make("Overdue one", TODAY - timedelta(days=3))
    make("Soon one", TODAY + timedelta(days=3))
    make("Later one", TODAY + timedelta(days=90))
    make("Done one", TODAY - timedelta(days=9), status="done", done_on=TODAY - timedelta(days=2))
    make("Done long ago", TODAY - timedelta(days=99), status="done", done_on=TODAY - timedelta(60))
    page = client.get(reverse("followup:my-decisions"))
    g = page.context["g"]
    assert [d.text for d in g.overdue] == ["Overdue one"]
    assert [d.text for d in g.due_soon] == ["Soon one"]
    assert [d.text for d in g.later] == ["Later one"]
    assert [d.text for d in g.done_recently] == ["Done one"]
    assert "Done long ago" not in page.content.decode()
    # The IRO also sees their children's decisions owned outside the system.
    client.force_login(service.iro)
    outside = client.get(reverse("followup:my-decisions")).context["g"].outside
    assert [d.pk for d in outside] == [objects.decision.pk]


@pytest.mark.django_db
def test_the_owner_updates_a_decision_on_its_page(client, service, child):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    url = reverse("followup:decision", kwargs={"decision_id": objects.decision.pk})
    client.force_login(service.social_worker)
    page = client.get(url)
    html = page.content.decode()
    assert "Arrange a visit to the new school" in html and child.full_name in html
    assert "Save the update" in html
    assert AccessEvent.objects.filter(user=service.social_worker, child=child).exists()
    response = client.post(url, {"status": "in_progress", "note": "Phoned the school"})
    assert response.status_code == 302 and response["Location"] == reverse("followup:my-decisions")
    response = client.post(url, {"status": "done", "note": "Visited", "done_on": TODAY.isoformat()})
    assert response.status_code == 302
    objects.decision.refresh_from_db()
    assert objects.decision.status == "done"
    html = client.get(url).content.decode()
    assert "Phoned the school" in html and "Visited" in html


@pytest.mark.django_db
def test_someone_who_may_read_but_not_update_gets_no_form_and_a_403_on_post(client, service, child):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    url = reverse("followup:decision", kwargs={"decision_id": objects.decision.pk})
    client.force_login(service.team_manager)
    assert "Save the update" not in client.get(url).content.decode()
    assert client.post(url, {"status": "done", "note": "x"}).status_code == 403
    assert not objects.decision.updates.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"status": "done", "note": "x" * 100_000}, "5000 characters or fewer"),
        (
            {
                "status": "done",
                "note": "Done",
                "done_on_day": "30",
                "done_on_month": "2",
                "done_on_year": "2026",
            },
            "The date it was done must be a real date",
        ),  # fmt: skip
        (
            {
                "status": "done",
                "note": "Done",
                "done_on_day": "3",
                "done_on_month": "",
                "done_on_year": "2026",
            },
            "The date it was done must include a month",
        ),  # fmt: skip
        (
            {
                "status": "done",
                "note": "Done",
                "done_on_day": "yesterday",
                "done_on_month": "",
                "done_on_year": "",
            },
            "The date it was done must include a month and year",
        ),  # fmt: skip
        (
            {"status": "done", "note": "Done", "done_on": "yesterday"},
            "The date it was done must be a real date",
        ),
        ({"status": "done", "note": "", "done_on": ""}, "Enter a note saying what was done"),
        ({"status": "done", "note": "Done", "done_on": ""}, "Enter the date it was done"),
        ({"status": "<script>", "note": "Done"}, "Choose how the decision stands"),
        (
            {"status": "done", "note": "x", "done_on": (TODAY + timedelta(1)).isoformat()},
            "cannot be in the future",
        ),
    ],
)
def test_hostile_input_on_a_decision_gets_a_message_not_an_error(
    client, service, child, form, message
):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    url = reverse("followup:decision", kwargs={"decision_id": objects.decision.pk})
    client.force_login(service.social_worker)
    page = client.post(url, form)
    assert page.status_code == 200
    html = page.content.decode()
    assert message in html and "There is a problem" in html
    assert "<script>" not in html
    assert not objects.decision.updates.exists()


@pytest.mark.django_db
def test_a_note_with_markup_is_shown_as_text(client, service, child):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    url = reverse("followup:decision", kwargs={"decision_id": objects.decision.pk})
    client.force_login(service.social_worker)
    client.post(url, {"status": "in_progress", "note": "<script>alert(1)</script>"})
    html = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.django_db
def test_the_childs_decisions_are_counted_done_late_and_not_started(client, service, child):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    review = objects.review
    Decision.objects.filter(pk=objects.decision.pk).update(due_on=TODAY - timedelta(days=1))
    Decision.objects.create(
        review=review,
        text="Done on time",
        owner_description="Carer",
        due_on=TODAY - timedelta(days=5),
        status="done",
        done_on=TODAY - timedelta(days=6),
    )
    Decision.objects.create(
        review=review,
        text="Done late",
        owner_description="Carer",
        due_on=TODAY - timedelta(days=5),
        status="done",
        done_on=TODAY - timedelta(days=1),
    )
    Decision.objects.create(
        review=review, text="Going", owner_description="Carer", due_on=TODAY, status="in_progress"
    )
    Decision.objects.create(
        review=review, text="Waiting", owner_description="Carer", due_on=TODAY + timedelta(9)
    )
    client.force_login(service.iro)
    page = client.get(reverse("followup:child-decisions", kwargs={"pk": child.pk}))
    data = page.context["data"]
    assert (data.done, data.done_late, data.late, data.in_progress, data.not_started) == (
        2,
        1,
        1,
        1,
        1,
    )
    html = page.content.decode()
    assert "1 overdue" in html and "Done late" in html
    empty = make_child(iro=service.iro)
    html = client.get(reverse("followup:child-decisions", kwargs={"pk": empty.pk})).content
    assert b"No decisions are recorded" in html


# --- overdue decisions flagged where the child appears ---------------------------------------


def overdue_for(child, n=2):
    review = child.reviews.filter(held_on__isnull=False).first()
    for i in range(n):
        Decision.objects.create(
            review=review, text=f"Late {i}", owner_description="Carer", due_on=TODAY - timedelta(1)
        )


@pytest.mark.django_db
def test_overdue_decisions_are_flagged_on_the_caseloads_child_and_review_pages(client, service):
    late = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=TODAY - timedelta(days=200),
        reviews=[TODAY - timedelta(days=30)],
        last_name="Latewood",
    )
    overdue_for(late)
    fine = make_child(iro=service.iro, social_worker=service.social_worker, last_name="Finewood")
    flag = reverse("followup:child-decisions", kwargs={"pk": late.pk})
    late_review = late.reviews.first()
    assert late_review is not None
    cases = [
        (service.iro, reverse("caseload:mine")),
        (service.iro_manager, reverse("caseload:iro", kwargs={"user_id": service.iro.pk})),
        (service.social_worker, reverse("caseload:social-worker")),
        (service.team_manager, reverse("caseload:social-worker")),
        (service.iro, reverse("children:detail", kwargs={"pk": late.pk})),
        (service.social_worker, reverse("children:detail", kwargs={"pk": late.pk})),
        (
            service.iro,
            reverse("reviews:detail", kwargs={"review_id": late_review.pk}),
        ),
    ]
    for user, url in cases:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "2 decisions overdue" in html and flag in html, (user.role, url)
    client.force_login(service.iro)
    html = client.get(reverse("children:detail", kwargs={"pk": fine.pk})).content.decode()
    assert "overdue</strong>" not in html
    # The managers' list: a column per IRO.
    client.force_login(service.iro_manager)
    page = client.get(reverse("caseload:managers"))
    assert dict((r.person, n) for r, n in page.context["table"])[service.iro] == 2
    assert "2 decisions overdue" in page.content.decode()
    # Business support's booking list shows no case content.
    client.force_login(service.business_support)
    assert "decisions overdue" not in client.get(reverse("caseload:scheduling")).content.decode()


@pytest.mark.django_db
def test_the_caseload_costs_the_same_queries_for_one_child_or_many(
    client, service, django_assert_max_num_queries
):
    def child_with_late_decisions(i):
        c = make_child(
            iro=service.iro,
            social_worker=service.social_worker,
            start=TODAY - timedelta(days=200),
            reviews=[TODAY - timedelta(days=30)],
            last_name=f"Countwood{i}",
        )
        overdue_for(c, n=i + 1)

    child_with_late_decisions(0)
    client.force_login(service.iro)
    url = reverse("caseload:mine")
    client.get(url)  # warm caches (bank holidays, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(1, 6):
        child_with_late_decisions(i)
    with django_assert_max_num_queries(len(one)):
        page = client.get(url)
    counts = sorted(r.child.overdue_decisions for r in page.context["v"].rows)
    assert counts == [1, 2, 3, 4, 5, 6]


# --- the work page, the midway check, events -------------------------------------------------


@pytest.mark.django_db
def test_the_work_page_lists_checks_events_and_decisions_with_counts(client, service, child):
    client.force_login(service.iro)
    html = client.get(reverse("followup:work")).content.decode()
    assert "No midway checks are due" in html
    assert "No significant events are waiting" in html
    assert "No decisions are overdue" in html
    objects = make_followup_objects(
        child,
        reporter=service.social_worker,
        owner=service.social_worker,
        decision_due=TODAY - timedelta(days=2),
    )
    MidwayCheck.objects.filter(pk=objects.midway.pk).update(due_on=TODAY - timedelta(days=1))
    page = client.get(reverse("followup:work"))
    w = page.context["w"]
    assert [c.pk for c in w.midway] == [objects.midway.pk] and w.midway_overdue == 1
    assert [e.pk for e in w.events] == [objects.event.pk]
    assert [d.pk for d in w.decisions] == [objects.decision.pk]
    assert w.counts.due == 1 and w.counts.done == 0
    html = page.content.decode()
    for target in (
        reverse("followup:midway", kwargs={"check_id": objects.midway.pk}),
        reverse("followup:event", kwargs={"event_id": objects.event.pk}),
        reverse("followup:decision", kwargs={"decision_id": objects.decision.pk}),
    ):
        assert target in html


@pytest.mark.django_db
def test_a_check_due_later_is_not_on_the_work_page_yet(client, service, child):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    MidwayCheck.objects.filter(pk=objects.midway.pk).update(due_on=TODAY + timedelta(days=40))
    client.force_login(service.iro)
    assert client.get(reverse("followup:work")).context["w"].midway == []


@pytest.mark.django_db
def test_the_iro_records_the_midway_check_with_an_earlier_review(client, service, child):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    url = reverse("followup:midway", kwargs={"check_id": objects.midway.pk})
    client.force_login(service.iro)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Arrange a visit to the new school" in html
    # Done on: today by default, in the day, month and year boxes.
    for part, value in (("day", TODAY.day), ("month", TODAY.month), ("year", TODAY.year)):
        assert f'name="done_on_{part}" value="{value}"' in html
    required = TODAY + timedelta(days=7)
    bad = client.post(url, {"outcome": "earlier_review", "progress_note": "Drift", "done_on": ""})
    assert bad.status_code == 200
    assert b"Enter the date of the check" in bad.content
    assert b"Enter the date the earlier review is needed by" in bad.content
    response = client.post(
        url,
        {
            "outcome": "earlier_review",
            "progress_note": "Drift on the school move",
            "done_on": TODAY.isoformat(),
            "required_by": required.isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("followup:work")
    objects.midway.refresh_from_db()
    requirement = objects.midway.earlier_review
    assert requirement is not None and requirement.required_by == required
    child.refresh_from_db()
    assert child.next_review_due == required
    html = client.get(url).content.decode()
    assert "Recorded" in html and "Drift on the school move" in html
    assert "Record the midway check</button>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        {"outcome": "on_track", "progress_note": "x" * 100_000, "done_on": TODAY.isoformat()},
        {"outcome": "on_track", "progress_note": "<script>x</script>", "done_on": "31/02/2026"},
        {"outcome": "<script>", "progress_note": "", "done_on": ""},
        {
            "outcome": "earlier_review",
            "progress_note": "x",
            "done_on": TODAY.isoformat(),
            "required_by": "2026-13-01",
        },
    ],
)
def test_hostile_input_on_the_midway_check(client, service, child, form):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    client.force_login(service.iro)
    page = client.post(reverse("followup:midway", kwargs={"check_id": objects.midway.pk}), form)
    assert page.status_code == 200 and b"There is a problem" in page.content
    assert b"<script>" not in page.content
    objects.midway.refresh_from_db()
    assert objects.midway.done_on is None


@pytest.mark.django_db
def test_a_social_worker_tells_the_iro_and_it_lands_unseen(client, service, child):
    client.force_login(service.social_worker)
    url = reverse("followup:event-new", kwargs={"pk": child.pk})
    page = client.get(url)
    html = page.content.decode()
    for _, label in SignificantEvent.Kind.choices:
        assert label in html
    response = client.post(
        url,
        {"kind": "school_exclusion", "occurred_on": TODAY.isoformat(), "details": "Two days"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("children:detail", kwargs={"pk": child.pk})
    event = SignificantEvent.objects.get()
    assert (event.reported_by, event.source, event.seen_at) == (
        service.social_worker,
        "social_worker",
        None,
    )
    client.force_login(service.iro)
    work = client.get(reverse("followup:work"))
    assert [e.pk for e in work.context["w"].events] == [event.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {
                "kind": "s47",
                "occurred_on_day": "30",
                "occurred_on_month": "feb",
                "occurred_on_year": "2026",
                "details": "x",
            },
            "The date it happened must be a real date",
        ),  # fmt: skip
        (
            {"kind": "s47", "occurred_on": (TODAY + timedelta(1)).isoformat(), "details": "x"},
            "cannot be in the future",
        ),
        ({"kind": "s47", "occurred_on": TODAY.isoformat(), "details": "x" * 100_000}, "5000"),
        ({"kind": "<script>", "occurred_on": "", "details": ""}, "Choose what happened"),
        ({"kind": "s47", "occurred_on": "1900-01-01", "details": "x"}, "before the child was born"),
    ],
)
def test_hostile_input_on_an_event(client, service, child, form, message):
    client.force_login(service.social_worker)
    page = client.post(reverse("followup:event-new", kwargs={"pk": child.pk}), form)
    assert page.status_code == 200
    assert message in page.content.decode() and b"<script>" not in page.content
    assert not SignificantEvent.objects.exists()


@pytest.mark.django_db
def test_the_iro_reads_an_event_and_requires_an_earlier_review(client, service, child):
    objects = make_followup_objects(child, reporter=service.social_worker, owner=None)
    event = objects.event
    url = reverse("followup:event", kwargs={"event_id": event.pk})
    client.force_login(service.iro)
    assert b"Excluded for two days." in client.get(url).content
    bad = client.post(url, {"note": "Noted", "earlier_review": "on", "required_by": ""})
    assert b"Enter the date the earlier review is needed by" in bad.content
    required = TODAY + timedelta(days=9)
    response = client.post(
        url, {"note": "Noted", "earlier_review": "on", "required_by": required.isoformat()}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.seen_by == service.iro and event.iro_note == "Noted"
    requirement = event.earlier_review
    assert requirement is not None
    assert requirement.reason == EarlierReviewRequirement.Reason.IRO_REQUEST
    assert client.get(reverse("followup:work")).context["w"].events == []
    # Once required, the page no longer offers it; the note can still change.
    html = client.get(url).content.decode()
    assert "An earlier review is needed" not in html.split("<form")[1]
    assert client.post(url, {"note": "Updated"}).status_code == 302
    event.refresh_from_db()
    assert event.iro_note == "Updated"


@pytest.mark.django_db
def test_an_event_the_iro_reports_goes_straight_to_its_page(client, service, child):
    client.force_login(service.iro)
    response = client.post(
        reverse("followup:event-new", kwargs={"pk": child.pk}),
        {"kind": "plan_change", "occurred_on": TODAY.isoformat(), "details": "Return home"},
    )
    event = SignificantEvent.objects.get()
    assert response["Location"] == reverse("followup:event", kwargs={"event_id": event.pk})
    assert event.seen_by == service.iro


@pytest.mark.django_db
def test_services_and_pages_agree_on_the_decision_owner(service, child):
    objects = make_followup_objects(child, reporter=service.iro, owner=service.social_worker)
    assert services.can_update_decision(service.social_worker, objects.decision)
    assert services.can_update_decision(service.iro, objects.decision)
    assert not services.can_update_decision(service.team_manager, objects.decision)

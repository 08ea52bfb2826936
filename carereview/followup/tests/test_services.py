"""Issue 6, items 1-3: decisions tracked, the midway check, significant events (services)."""

from datetime import date, time, timedelta
from typing import Any

import pytest

from carereview.allocation.services import allocate_social_worker
from carereview.children.models import Episode
from carereview.children.services import refresh_summary
from carereview.core.calendar import today
from carereview.core.models import AuditEvent
from carereview.core.testing import make_child
from carereview.engine.midway import midway_check_due
from carereview.followup import services
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.followup.selectors import midway_counts
from carereview.followup.services import FollowupRefused
from carereview.reviews import services as review_services
from carereview.reviews.models import Decision, DecisionUpdate, EarlierReviewRequirement, Review

TODAY = date.today()


def held_child(service, *, held_ago=30, start_ago=200, **kwargs):
    """A child in care since `start_ago` days with a review held `held_ago` days ago."""
    return make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=TODAY - timedelta(days=start_ago),
        reviews=[TODAY - timedelta(days=held_ago)],
        **kwargs,
    )


def a_decision(child, *, owner=None, owner_description="", due_on=None, text="Book a dentist"):
    review = child.reviews.filter(held_on__isnull=False).order_by("-held_on").first()
    return Decision.objects.create(
        review=review,
        text=text,
        owner=owner,
        owner_description=owner_description,
        due_on=due_on or TODAY + timedelta(days=10),
    )


# --- decisions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_records_progress_then_done_and_the_history_keeps_both(service):
    child = held_child(service)
    d = a_decision(child, owner=service.social_worker)
    services.update_decision(d, by=service.social_worker, status="in_progress", note="Phoned")
    services.update_decision(
        d, by=service.social_worker, status="done", note="Seen on Monday", done_on=TODAY
    )
    d.refresh_from_db()
    assert (d.status, d.done_on, d.progress_note) == ("done", TODAY, "Seen on Monday")
    assert d.progress_updated_by == service.social_worker and d.progress_updated_at
    assert list(d.updates.values_list("status", "note")) == [
        ("in_progress", "Phoned"),
        ("done", "Seen on Monday"),
    ]
    # The audit trail says what changed, never what was written.
    event = AuditEvent.objects.filter(operation="decision.update").first()
    assert event is not None
    assert event.snapshot["status"] == "done" and event.snapshot["note_length"] == 14
    assert "Seen on Monday" not in str(event.snapshot)
    # Reopened: the date done goes.
    services.update_decision(
        d, by=service.social_worker, status="in_progress", note="Not after all"
    )
    d.refresh_from_db()
    assert (d.status, d.done_on) == ("in_progress", None)


@pytest.mark.django_db
def test_only_the_owner_the_childs_iro_or_an_iro_manager_may_update(service):
    child = held_child(service)
    d = a_decision(child, owner=service.social_worker)
    for stranger in (
        service.team_manager,
        service.social_worker2,
        service.iro2,
        service.service_manager,
        service.business_support,
    ):
        with pytest.raises(FollowupRefused, match="Only the person responsible"):
            services.update_decision(d, by=stranger, status="in_progress", note="x")
    services.update_decision(d, by=service.iro, status="in_progress", note="Chased")
    services.update_decision(d, by=service.iro_manager, status="in_progress", note="Again")
    # A decision for someone outside the system: the IRO records it.
    carer = a_decision(child, owner_description="The foster carer")
    assert services.can_update_decision(service.iro, carer)
    assert not services.can_update_decision(service.social_worker, carer)
    assert DecisionUpdate.objects.count() == 2


@pytest.mark.django_db
def test_a_senior_manager_who_owns_a_decision_may_update_it(service):
    child = held_child(service)
    d = a_decision(child, owner=service.service_manager, text="Agree the funding")
    services.update_decision(d, by=service.service_manager, status="in_progress", note="Panel")
    assert d.updates.get().by == service.service_manager


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "note", "done_on", "message"),
    [
        ("done", "", TODAY, "Enter a note saying what was done"),
        ("done", "Done", None, "Enter the date it was done"),
        ("done", "Done", TODAY + timedelta(days=1), "cannot be in the future"),
        ("done", "Done", TODAY - timedelta(days=90), "cannot be before the review"),
        ("done", "x" * 5001, TODAY, "5000 characters or fewer"),
        ("finished", "Done", TODAY, "Choose how the decision stands"),
        ("not_started", "", None, "Nothing has changed"),
    ],
)
def test_done_needs_a_note_and_a_real_date(service, status, note, done_on, message):
    d = a_decision(held_child(service), owner=service.social_worker)
    with pytest.raises(FollowupRefused, match=message):
        services.update_decision(
            d, by=service.social_worker, status=status, note=note, done_on=done_on
        )
    assert not d.updates.exists()


def record(decisions, **changes):
    data = {
        "held_on": TODAY,
        "participation_code": "PN1",
        "wishes_and_feelings": "I want to stay.",
        "parents_views": "",
        "matters": {"placement": "Going well."},
        "decisions": decisions,
        "attendance": {},
    }
    return review_services.RecordInput(**(data | changes))


@pytest.mark.django_db
def test_saving_the_record_again_keeps_each_decisions_progress(service):
    child = make_child(
        iro=service.iro, social_worker=service.social_worker, start=TODAY - timedelta(200)
    )
    review = review_services.book_meeting(
        child, by=service.iro, on=TODAY, at=time(10), venue="School"
    ).review
    due = TODAY + timedelta(days=30)
    first = [
        {"text": "Dentist", "owner": service.social_worker, "due_on": due},
        {"text": "School visit", "owner_description": "The foster carer", "due_on": due},
        {"text": "Contact plan", "owner": service.social_worker, "due_on": due},
    ]
    review_services.save_record(review, by=service.iro, version=0, data=record(first))
    dentist, school, contact = review.decisions.order_by("id")
    services.update_decision(
        dentist, by=service.social_worker, status="done", note="Seen", done_on=TODAY
    )
    services.update_decision(school, by=service.iro, status="in_progress", note="Booked")

    # Saved again: the same texts (one reworded in its place), one removed, one added.
    again = [
        {"text": "Dentist", "owner": service.social_worker, "due_on": due},
        {"text": "Visit the new school", "owner_description": "The foster carer", "due_on": due},
        {"text": "Life story work", "owner": service.social_worker, "due_on": due},
    ]
    review_services.save_record(review, by=service.iro, version=1, data=record(again))
    after = {d.text: d for d in review.decisions.all()}
    assert set(after) == {"Dentist", "Visit the new school", "Life story work"}
    assert after["Dentist"].pk == dentist.pk and after["Dentist"].status == "done"
    assert after["Dentist"].updates.count() == 1
    # Matched by place: the reworded decision keeps its id and progress.
    assert after["Visit the new school"].pk == school.pk
    assert after["Visit the new school"].status == "in_progress"
    # "Contact plan" was third and "Life story work" is third: matched by place too.
    assert after["Life story work"].pk == contact.pk

    # Reordered rows still match by text; a removed row goes.
    review_services.save_record(
        review,
        by=service.iro,
        version=2,
        data=record([again[1], again[0]]),
    )
    left = {d.text: d.pk for d in review.decisions.all()}
    assert left == {"Visit the new school": school.pk, "Dentist": dentist.pk}
    assert Decision.objects.get(pk=dentist.pk).status == "done"


@pytest.mark.django_db
def test_a_row_carrying_its_id_matches_that_decision(service):
    child = make_child(iro=service.iro, start=TODAY - timedelta(200))
    review = review_services.book_meeting(
        child, by=service.iro, on=TODAY, at=time(10), venue="School"
    ).review
    due = TODAY + timedelta(days=30)
    rows = [
        {"text": "A", "owner_description": "Carer", "due_on": due},
        {"text": "B", "owner_description": "Carer", "due_on": due},
    ]
    review_services.save_record(review, by=service.iro, version=0, data=record(rows))
    a, b = review.decisions.order_by("id")
    swapped = [
        {"id": b.pk, "text": "B, reworded", "owner_description": "Carer", "due_on": due},
        {"id": a.pk, "text": "A, reworded", "owner_description": "Carer", "due_on": due},
    ]
    review_services.save_record(review, by=service.iro, version=1, data=record(swapped))
    assert dict(review.decisions.values_list("pk", "text")) == {
        a.pk: "A, reworded",
        b.pk: "B, reworded",
    }


# --- the midway check ------------------------------------------------------------------------


@pytest.mark.django_db
def test_refresh_summary_makes_one_midway_check_at_the_midpoint(service):
    child = held_child(service, held_ago=30)
    held = TODAY - timedelta(days=30)
    check = MidwayCheck.objects.get(child=child)
    assert check.after_review.held_on == held
    assert check.due_on == midway_check_due(held, child.next_review_due, 0.5)
    # Idempotent.
    refresh_summary(child)
    refresh_summary(child)
    assert MidwayCheck.objects.filter(child=child).count() == 1
    assert AuditEvent.objects.filter(operation="midway.create").count() == 1


@pytest.mark.django_db
def test_the_midway_fraction_is_a_setting(service, settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "MIDWAY_FRACTION": 0.25}
    child = held_child(service, held_ago=10)
    check = MidwayCheck.objects.get(child=child)
    held = TODAY - timedelta(days=10)
    assert check.due_on == midway_check_due(held, child.next_review_due, 0.25)


@pytest.mark.django_db
def test_no_midway_check_without_a_held_review_or_out_of_care(service):
    make_child(iro=service.iro, start=TODAY - timedelta(days=40))
    left = held_child(service)
    Episode.objects.filter(child=left).update(dec=TODAY - timedelta(days=5), rec="E11")
    MidwayCheck.objects.all().delete()
    refresh_summary(left)
    assert not MidwayCheck.objects.exists()


@pytest.mark.django_db
def test_an_earlier_review_moves_a_check_not_done_but_never_one_done(service):
    child = held_child(service, held_ago=10)
    check = MidwayCheck.objects.get(child=child)
    before = check.due_on
    review_services.require_earlier_review(
        child, by=service.iro, reason="iro_request", required_by=TODAY + timedelta(days=30)
    )
    check.refresh_from_db()
    assert check.due_on < before
    services.record_midway_check(
        check, by=service.iro, outcome="on_track", progress_note="Fine", done_on=TODAY
    )
    moved = check.due_on
    review_services.require_earlier_review(
        child, by=service.iro, reason="iro_request", required_by=TODAY + timedelta(days=20)
    )
    check.refresh_from_db()
    assert check.due_on == moved


@pytest.mark.django_db
def test_a_new_review_replaces_a_check_not_yet_due_and_keeps_a_missed_one(service):
    child = held_child(service, held_ago=150, start_ago=400)
    missed = MidwayCheck.objects.get(child=child)
    assert missed.due_on < TODAY  # fell due and was not done
    Review.objects.create(child=child, held_on=TODAY - timedelta(days=5), participation_code="PN1")
    refresh_summary(child)
    checks = list(MidwayCheck.objects.filter(child=child).order_by("due_on"))
    assert [c.pk for c in checks][0] == missed.pk and len(checks) == 2
    # A review held again before the newest check fell due: that check goes.
    newest = checks[1]
    Review.objects.create(child=child, held_on=TODAY - timedelta(days=1), participation_code="PN1")
    refresh_summary(child)
    assert not MidwayCheck.objects.filter(pk=newest.pk).exists()
    assert MidwayCheck.objects.filter(child=child).count() == 2


@pytest.mark.django_db
def test_recording_the_check_and_an_earlier_review(service):
    child = held_child(service, held_ago=30)
    check = MidwayCheck.objects.get(child=child)
    due = child.next_review_due
    required = TODAY + timedelta(days=14)
    services.record_midway_check(
        check,
        by=service.iro,
        outcome="earlier_review",
        progress_note="The school move is not happening",
        done_on=TODAY,
        required_by=required,
    )
    check.refresh_from_db()
    child.refresh_from_db()
    assert (check.outcome, check.done_on, check.done_by) == ("earlier_review", TODAY, service.iro)
    requirement = check.earlier_review
    assert requirement is not None
    assert (requirement.reason, requirement.required_by) == ("iro_request", required)
    assert child.next_review_due == required < due
    with pytest.raises(FollowupRefused, match="already recorded"):
        services.record_midway_check(
            check, by=service.iro, outcome="on_track", progress_note="x", done_on=TODAY
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"progress_note": "  "}, "Enter the progress on the decisions"),
        ({"progress_note": "x" * 5001}, "5000 characters or fewer"),
        ({"outcome": "great"}, "Choose the outcome"),
        ({"done_on": TODAY + timedelta(days=1)}, "cannot be in the future"),
        ({"done_on": TODAY - timedelta(days=60)}, "cannot be before the review"),
        ({"outcome": "earlier_review"}, "Enter the date the earlier review is needed by"),
        (
            {"outcome": "earlier_review", "required_by": TODAY - timedelta(days=1)},
            "cannot be in the past",
        ),
        (
            {"outcome": "earlier_review", "required_by": TODAY + timedelta(days=400)},
            "choose an earlier date",
        ),
        ({"by": "iro2"}, "Only the child's IRO"),
    ],
)
def test_the_midway_check_is_refused_with_reasons(service, changes, message):
    child = held_child(service, held_ago=30)
    check = MidwayCheck.objects.get(child=child)
    args: dict[str, Any] = {
        "outcome": "on_track",
        "progress_note": "Fine",
        "done_on": TODAY,
        "by": "iro",
    }
    args |= changes
    args["by"] = getattr(service, args["by"])
    with pytest.raises(FollowupRefused, match=message):
        services.record_midway_check(check, **args)
    check.refresh_from_db()
    assert check.done_on is None and not EarlierReviewRequirement.objects.exists()


@pytest.mark.django_db
def test_midway_counts_due_done_and_on_time_in_the_period(service):
    def check_for(held_ago, done_after_due=None):
        child = held_child(service, held_ago=held_ago, start_ago=400)
        check = MidwayCheck.objects.get(child=child)
        if done_after_due is not None:
            MidwayCheck.objects.filter(pk=check.pk).update(
                done_on=check.due_on + timedelta(days=done_after_due), outcome="on_track"
            )
        return MidwayCheck.objects.get(pk=check.pk)

    on_time = check_for(120, done_after_due=0)
    late = check_for(121, done_after_due=3)
    missed = check_for(122)
    dues = [c.due_on for c in (on_time, late, missed)]
    start, end = min(dues), max(dues)
    counts = midway_counts(service.iro, start, end)
    assert (counts.due, counts.done, counts.done_on_time, counts.not_done) == (3, 2, 1, 1)
    # A period that holds only one of them; and a queryset instead of a user.
    only = midway_counts(MidwayCheck.objects.filter(pk=late.pk), start, end)
    assert (only.due, only.done, only.done_on_time) == (1, 1, 0)
    assert midway_counts(service.iro2, start, end).due == 0
    assert midway_counts(service.iro, end + timedelta(1), end + timedelta(9)).due == 0


# --- significant events ----------------------------------------------------------------------


def new_episode(child, decom, rne="P", place="U5"):
    previous = child.episodes.order_by("-decom").first()
    previous.dec, previous.rec = decom, "X1"
    previous.save()
    return Episode.objects.create(
        child=child, decom=decom, rne=rne, ls="C2", cin="N1", place=place, place_provider="PR1"
    )


@pytest.mark.django_db
def test_a_placement_change_since_the_last_review_tells_the_iro_once(service):
    child = held_child(service, held_ago=30, start_ago=400)
    before = new_episode(child, TODAY - timedelta(days=40))  # before the review: history
    legal = new_episode(child, TODAY - timedelta(days=20), rne="L")  # legal status only
    moved = new_episode(child, TODAY - timedelta(days=10), rne="T")
    refresh_summary(child)
    refresh_summary(child)
    events = list(SignificantEvent.objects.filter(child=child))
    assert [(e.kind, e.source, e.episode_id, e.occurred_on) for e in events] == [
        ("placement_change", "episode", moved.pk, moved.decom)
    ]
    assert events[0].seen_at is None and events[0].reported_by is None
    assert "Change of placement, same carer" in events[0].details
    assert not SignificantEvent.objects.filter(episode__in=[before, legal]).exists()


@pytest.mark.django_db
def test_years_of_history_do_not_flood_the_iro(service):
    # No review held: only placement changes in the last 60 days count.
    child = make_child(
        iro=service.iro, social_worker=service.social_worker, start=TODAY - timedelta(days=5 * 365)
    )
    for years_ago in range(4, 0, -1):
        new_episode(child, TODAY - timedelta(days=365 * years_ago), rne="P")
    recent = new_episode(child, TODAY - timedelta(days=59), rne="B")
    refresh_summary(child)
    assert list(SignificantEvent.objects.values_list("episode_id", flat=True)) == [recent.pk]
    # A new period of care is not a change of placement; nor is a future episode.
    new_episode(child, TODAY - timedelta(days=3), rne="S")
    new_episode(child, TODAY + timedelta(days=3), rne="P")
    refresh_summary(child)
    assert SignificantEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_change_of_social_worker_is_an_event_but_the_first_one_is_not(service):
    child = make_child(iro=service.iro, start=TODAY - timedelta(days=100))
    allocate_social_worker(child, service.social_worker2, by=service.team_manager)
    assert not SignificantEvent.objects.exists()
    allocate_social_worker(child, service.social_worker, by=service.team_manager, reason="Leave")
    event = SignificantEvent.objects.get()
    assert (event.kind, event.source, event.occurred_on) == ("sw_change", "allocation", TODAY)
    assert event.reported_by == service.team_manager and event.seen_at is None


@pytest.mark.django_db
def test_a_complaint_through_the_portal_is_an_event_a_comment_is_not(service):
    from carereview.portal.testing import make_portal_user
    from carereview.representations.services import make_representation

    child = make_child(iro=service.iro, social_worker=service.social_worker)
    access, _ = make_portal_user(child, by=service.iro)
    make_representation(access, "comment", "Thank you")
    assert not SignificantEvent.objects.exists()
    complaint = make_representation(access, "complaint", "My phone was taken away")
    event = SignificantEvent.objects.get()
    assert (event.kind, event.source, event.child) == ("complaint", "representation", child)
    assert complaint.reference in event.details
    assert "phone" not in event.details  # what it says stays with the complaints manager


@pytest.mark.django_db
def test_a_social_worker_reports_an_event_and_the_iro_requires_an_earlier_review(service):
    child = held_child(service)
    event = services.report_event(
        child,
        by=service.social_worker,
        kind="plan_change",
        occurred_on=TODAY,
        details="<script>alert(1)</script> The plan is to move to kinship care",
    )
    assert event.source == "social_worker" and event.seen_at is None
    required = TODAY + timedelta(days=10)
    services.mark_event_seen(
        event, by=service.iro, note="Spoke to the SW", earlier_review=True, required_by=required
    )
    event.refresh_from_db()
    child.refresh_from_db()
    assert event.seen_by == service.iro and event.seen_at and event.iro_note == "Spoke to the SW"
    assert event.earlier_review.reason == EarlierReviewRequirement.Reason.PLAN_CHANGE
    assert child.next_review_due == required
    with pytest.raises(FollowupRefused, match="already recorded"):
        services.mark_event_seen(event, by=service.iro, earlier_review=True, required_by=required)
    # Another kind: the IRO's request.
    other = services.report_event(
        child, by=service.team_manager, kind="s47", occurred_on=TODAY, details="Strategy meeting"
    )
    services.mark_event_seen(
        other, by=service.iro, earlier_review=True, required_by=TODAY + timedelta(days=5)
    )
    other.refresh_from_db()
    assert other.earlier_review.reason == EarlierReviewRequirement.Reason.IRO_REQUEST


@pytest.mark.django_db
def test_an_event_the_iro_reports_is_seen_already(service):
    child = held_child(service)
    event = services.report_event(
        child, by=service.iro, kind="s47", occurred_on=TODAY, details="Told by the police"
    )
    assert event.seen_by == service.iro


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "birthday"}, "Choose what happened"),
        ({"occurred_on": None}, "Enter the date it happened"),
        ({"occurred_on": TODAY + timedelta(days=1)}, "cannot be in the future"),
        ({"occurred_on": date(2000, 1, 1)}, "before the child was born"),
        ({"details": " "}, "Enter what happened"),
        ({"details": "x" * 100_000}, "5000 characters or fewer"),
    ],
)
def test_a_report_is_refused_with_reasons(service, changes, message):
    child = held_child(service)
    args = {"kind": "s47", "occurred_on": TODAY, "details": "Strategy meeting"} | changes
    with pytest.raises(FollowupRefused, match=message):
        services.report_event(child, by=service.social_worker, **args)
    assert not SignificantEvent.objects.exists()


@pytest.mark.django_db
def test_only_the_childs_iro_marks_an_event_seen(service):
    child = held_child(service)
    event = services.report_event(
        child, by=service.social_worker, kind="s47", occurred_on=today(), details="x"
    )
    with pytest.raises(FollowupRefused, match="Only the child's IRO"):
        services.mark_event_seen(event, by=service.iro2)


@pytest.mark.django_db
def test_no_earlier_review_is_asked_for_when_the_next_is_already_overdue(service):
    child = held_child(service, held_ago=150, start_ago=400)
    assert child.next_review_due < TODAY
    check = MidwayCheck.objects.get(child=child)
    with pytest.raises(FollowupRefused, match="already overdue"):
        services.record_midway_check(
            check,
            by=service.iro,
            outcome="earlier_review",
            progress_note="Drift",
            done_on=TODAY,
            required_by=TODAY + timedelta(days=3),
        )
    # A late check with another outcome is fine, and counts as done late.
    services.record_midway_check(
        check, by=service.iro, outcome="concerns", progress_note="Drift", done_on=TODAY
    )
    counts = midway_counts(service.iro, check.due_on, check.due_on)
    assert (counts.due, counts.done, counts.done_on_time) == (1, 1, 0)

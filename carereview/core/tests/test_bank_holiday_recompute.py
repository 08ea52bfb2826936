"""Issue 12 item 10: a bank-holiday change reaches every stored date worked out in working days,
in the request for a small authority, by the background worker above a threshold (the page says
so until it is done). One test per kind of stored date."""

import io
from datetime import date

import msgspec.structs
import pytest
from django.core.management import call_command
from django.urls import reverse

from carereview.children.models import Episode
from carereview.core.authority import authority
from carereview.core.calendar import working_calendar
from carereview.core.models import BankHoliday
from carereview.core.testing import make_child
from carereview.disputes.models import Dispute, DisputeStep
from carereview.representations.models import Representation

MONDAY = date(2025, 11, 3)
#: A Monday with no bank holiday near it; proclaimed one, it moves everything counted over it.
PROCLAIMED = date(2025, 11, 17)


def proclaim(client, service):
    client.force_login(service.administrator)
    return client.post(
        reverse("core:bank-holidays"),
        {"date": PROCLAIMED.isoformat(), "name": "Proclaimed holiday"},
        follow=True,
    )


def withdraw(client, service):
    client.force_login(service.administrator)
    holiday = BankHoliday.objects.get(date=PROCLAIMED)
    return client.post(
        reverse("core:bank-holiday-delete", kwargs={"holiday_id": holiday.pk}), follow=True
    )


def left_care_child(service):
    """In care from Monday 3 Nov 2025 (first review due 1 Dec, 20 working days), reviewed a day
    late on 2 Dec, left care on 20 Dec 2025."""
    child = make_child(iro=service.iro, start=MONDAY, reviews=[date(2025, 12, 2)])
    Episode.objects.filter(child=child).update(dec=date(2025, 12, 20), rec="E13")
    from carereview.children.services import refresh_summary

    refresh_summary(child)
    child.refresh_from_db()
    assert not child.in_care
    return child


@pytest.mark.django_db
def test_the_timeliness_of_reviews_of_children_who_left_care_is_recomputed(client, service):
    child = left_care_child(service)
    review = child.reviews.get()
    assert (review.due_on, review.on_time) == (date(2025, 12, 1), False)
    proclaim(client, service)
    review.refresh_from_db()
    assert (review.due_on, review.on_time) == (date(2025, 12, 2), True)
    withdraw(client, service)
    review.refresh_from_db()
    assert (review.due_on, review.on_time) == (date(2025, 12, 1), False)


def a_dispute(child, service, *, responded: bool) -> DisputeStep:
    dispute = Dispute.objects.create(
        child=child, raised_by=service.iro, raised_on=MONDAY, summary="Drift in permanence"
    )
    return DisputeStep.objects.create(
        dispute=dispute,
        stage="informal",
        addressee=service.social_worker,
        opened_on=MONDAY,
        opened_by=service.iro,
        message="Please confirm the plan.",
        respond_by=working_calendar().add_working_days(MONDAY, 10),
        responded_on=date(2025, 11, 18) if responded else None,
        response="Confirmed." if responded else "",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("responded", [False, True])
def test_dispute_response_dates_are_recomputed(client, service, responded):
    child = make_child(iro=service.iro, social_worker=service.social_worker, start=MONDAY)
    step = a_dispute(child, service, responded=responded)
    assert step.respond_by == date(2025, 11, 17)  # 10 working days
    proclaim(client, service)
    step.refresh_from_db()
    assert step.respond_by == date(2025, 11, 18)


@pytest.mark.django_db
def test_dispute_response_dates_follow_each_stages_setting(client, service, settings):
    ladder = [msgspec.structs.asdict(stage) for stage in authority().dispute_ladder]
    ladder[0]["working_days"] = 5
    settings.CAREREVIEW = {**settings.CAREREVIEW, "DISPUTE_LADDER": ladder}
    child = make_child(iro=service.iro, social_worker=service.social_worker, start=MONDAY)
    step = a_dispute(child, service, responded=False)
    proclaim(client, service)
    step.refresh_from_db()
    assert step.respond_by == date(2025, 11, 10)  # 5 working days, none over the holiday


@pytest.mark.django_db
def test_representation_stage_dates_are_recomputed(client, service):
    child = make_child(iro=service.iro, start=MONDAY)
    calendar = working_calendar()
    made = Representation.objects.create(
        child=child,
        made_by=Representation.MadeBy.CHILD,
        made_by_name="Robin",
        kind=Representation.Kind.COMPLAINT,
        about="My family time was cancelled.",
        received_on=MONDAY,
        response_due_on=calendar.add_working_days(MONDAY, 10),
        extended_to=calendar.add_working_days(MONDAY, 20),
        extension_reason="Waiting for the carer's account.",
    )
    assert (made.response_due_on, made.extended_to) == (date(2025, 11, 17), date(2025, 12, 1))
    proclaim(client, service)
    made.refresh_from_db()
    assert (made.response_due_on, made.extended_to) == (date(2025, 11, 18), date(2025, 12, 2))


@pytest.mark.django_db
def test_a_child_in_care_next_review_and_its_practical_deadline(client, service):
    child = make_child(iro=service.iro, start=MONDAY, as_at=date(2025, 11, 4))
    assert child.next_review_due == date(2025, 12, 1)
    proclaim(client, service)
    child.refresh_from_db()
    assert child.next_review_due == date(2025, 12, 2)


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from carereview.notifications import worker as worker_module

    monkeypatch.setattr(worker_module, "close_old_connections", lambda: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.mark.django_db
def test_a_large_authority_recomputes_in_the_background_and_the_page_says_so(
    client, service, settings, keep_the_test_connection, django_capture_on_commit_callbacks
):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "RECOMPUTE_IN_REQUEST_MAX_RECORDS": 0}
    child = left_care_child(service)
    review = child.reviews.get()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        page = proclaim(client, service).content.decode()
    assert len(queued) == 1  # the task, enqueued once the change is committed
    assert "being worked out again" in page
    review.refresh_from_db()
    assert review.on_time is False  # not yet: the worker does it
    assert "being worked out again" in client.get(reverse("core:bank-holidays")).content.decode()
    call_command("worker", "--once", stdout=io.StringIO())
    review.refresh_from_db()
    assert (review.due_on, review.on_time) == (date(2025, 12, 2), True)
    assert (
        "being worked out again" not in client.get(reverse("core:bank-holidays")).content.decode()
    )


@pytest.mark.django_db
def test_kept_report_figures_are_added_up_again(client, service):
    from django.utils import timezone

    from carereview.reports.models import Snapshot

    Snapshot.objects.create(key="timeliness:2026", computed_at=timezone.now(), figures={"n": 1})
    proclaim(client, service)
    assert not Snapshot.objects.exists()


def test_every_app_that_stores_working_day_dates_registers_them():
    from carereview.core.calendar import registered_stored_dates

    assert {s.label for s in registered_stored_dates()} >= {
        "review schedules",
        "dispute response dates",
        "representation stage dates",
        "kept report figures",
    }


@pytest.mark.django_db
def test_iro_appointment_targets_and_the_iro_service_notice_are_recomputed(client, service):
    """Two more stored working-day dates (rules.md §4): the IRO appointed within 5 working days
    (its target and whether it was met) and the IRO service told within 2 (its deadline)."""
    from carereview.allocation.models import IROAllocation, IROServiceNotice
    from carereview.children.services import refresh_summary

    child = make_child(iro=service.iro, start=MONDAY, as_at=date(2025, 11, 4))
    # Appointed on Tuesday 11 Nov: a day after the 5 working days (Monday 10 Nov).
    IROAllocation.objects.filter(child=child).update(started_on=date(2025, 11, 11))
    refresh_summary(child)
    allocation = IROAllocation.objects.get(child=child)
    notice = IROServiceNotice.objects.get(child=child)
    assert (allocation.appoint_by, allocation.appointed_in_time) == (date(2025, 11, 10), False)
    assert notice.told_by == date(2025, 11, 5)

    client.force_login(service.administrator)
    client.post(
        reverse("core:bank-holidays"),
        {"date": "2025-11-05", "name": "Proclaimed holiday"},
        follow=True,
    )
    allocation.refresh_from_db()
    notice.refresh_from_db()
    assert (allocation.appoint_by, allocation.appointed_in_time) == (date(2025, 11, 11), True)
    assert notice.told_by == date(2025, 11, 6)


#: Every stored date worked out in working days (rules.md §1), with the registered recompute that
#: works it out again after a bank-holiday change (each has its own test above).
WORKED_OUT_IN_WORKING_DAYS = {
    "children.Child.next_review_due": "review schedules",
    "reviews.Review.due_on": "review schedules",
    "followup.MidwayCheck.due_on": "review schedules",
    "allocation.IROAllocation.appoint_by": "review schedules",
    "allocation.IROServiceNotice.told_by": "review schedules",
    "disputes.DisputeStep.respond_by": "dispute response dates",
    "representations.Representation.response_due_on": "representation stage dates",
    "representations.Representation.extended_to": "representation stage dates",
}
#: Every other stored date: a day something happened or was chosen by a person, not counted.
NOT_COUNTED = {
    "core.BankHoliday.date",
    "children.Child.date_of_birth",
    "children.Child.date_of_death",
    "children.Child.looked_after_since",
    "children.Episode.decom",
    "children.Episode.dec",
    "allocation.IROAllocation.started_on",
    "allocation.IROAllocation.ended_on",
    "allocation.SocialWorkerAllocation.started_on",
    "allocation.SocialWorkerAllocation.ended_on",
    "allocation.IROServiceNotice.looked_after_from",
    "allocation.IROServiceNotice.told_on",
    "reviews.Review.held_on",
    # What booking warned against, as it was shown then (never read to decide anything).
    "reviews.Review.due_when_booked",
    "reviews.Review.choices_cutoff",  # the IRO's own date; the default is worked out when shown
    "reviews.Review.decisions_sent_on",
    "reviews.Review.record_sent_on",
    "reviews.Review.care_plan_explained_on",
    "reviews.Review.care_plan_copied_on",
    "reviews.EarlierReviewRequirement.required_by",
    "reviews.Meeting.on",
    "reviews.Meeting.change_new_on",
    "reviews.ChecklistEntry.done_on",
    "reviews.Consultation.sent_on",
    "reviews.Consultation.returned_on",
    "reviews.Invitation.sent_on",
    "reviews.Exclusion.decided_on",
    "reviews.Exclusion.separate_meeting_offered_on",
    "reviews.Decision.due_on",  # the IRO's date for the decision
    "reviews.Decision.done_on",
    "reviews.Dispatch.sent_on",
    "reviews.PostedLetter.posted_on",
    "portal.VisitRequest.visit_on",
    "representations.Representation.happened_on",
    "representations.Representation.received_on",
    "representations.Representation.responded_on",
    "representations.AdvocacyRequest.requested_on",
    "representations.AdvocacyRequest.referred_on",
    "representations.AdvocacyRequest.closed_on",
    "followup.MidwayCheck.done_on",
    "followup.SignificantEvent.occurred_on",
    "disputes.Dispute.raised_on",
    "disputes.Dispute.resolved_on",
    "disputes.Dispute.cafcass_referred_on",
    "disputes.DisputeStep.opened_on",
    "disputes.DisputeStep.responded_on",
    "disputes.DisputeStep.closed_on",
    "notifications.ScheduledRun.last_run_on",
    "records.RetentionProposal.as_at",
    "records.ProposedChild.retention_until",
}


def test_every_stored_date_is_either_recomputed_or_not_counted_in_working_days():
    """A new stored date must be placed in one of the two lists above: one worked out in working
    days names the registered recompute that keeps it right after a bank-holiday change."""
    from django.apps import apps
    from django.db import models

    from carereview.core.calendar import registered_stored_dates

    stored = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("carereview")
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    }
    assert stored - set(WORKED_OUT_IN_WORKING_DAYS) - NOT_COUNTED == set(), "place these"
    assert set(WORKED_OUT_IN_WORKING_DAYS) & NOT_COUNTED == set()
    registered = {s.label for s in registered_stored_dates()}
    assert set(WORKED_OUT_IN_WORKING_DAYS.values()) <= registered

"""Each reminder fires once, on the right working day, with a frozen London clock.

The dates sit around Christmas and New Year 2026-27, when bank holidays (Fri 25 Dec, Mon 28 Dec
(Boxing Day's substitute), Fri 1 Jan) and weekends move working-day deadlines:

* a review due Fri 22 Jan 2027: 20 working days before is Tue 22 Dec 2026 (Fri 25 Dec without
  the bank holidays);
* due Thu 24 Dec 2026: the first working day after is Tue 29 Dec;
* a meeting on Wed 6 Jan 2027: papers due 3 working days before, Thu 31 Dec; late from Mon 4 Jan;
* held Mon 21 Dec 2026: decisions due (5 working days) Wed 30 Dec, late Thu 31 Dec; record due
  (20 working days) Thu 21 Jan, late Fri 22 Jan;
* a decision due Tue 5 Jan 2027: 5 working days before is Thu 24 Dec; overdue Wed 6 Jan;
* a dispute response due Mon 4 Jan 2027: 2 working days before is Wed 30 Dec; overdue Tue 5 Jan.
"""

from datetime import date, time

import pytest

from carereview.children.models import Child
from carereview.core.testing import make_child
from carereview.disputes.models import Dispute, DisputeStep
from carereview.followup import reminders
from carereview.notifications.models import Message
from carereview.reviews import services as review_services
from carereview.reviews.models import ChecklistEntry, Decision, Review

from .helpers import at_london

pytestmark = pytest.mark.django_db


def run_on(*days: date, prefix: str) -> list[int]:
    """Run the reminders on each day in turn; after each, how many messages with `prefix`."""
    counts = []
    for d in days:
        with at_london(d.year, d.month, d.day):
            reminders.run()
        counts.append(Message.objects.filter(key__startswith=prefix).count())
    return counts


def sent_to(prefix: str) -> list[str]:
    return sorted(Message.objects.filter(key__startswith=prefix).values_list("to", flat=True))


@pytest.fixture
def child(staff):
    child = make_child(iro=staff.iro, social_worker=staff.social_worker)
    # The IRO service's notice of the child coming into care (issue 12) is not a reminder.
    Message.objects.filter(key__startswith="iro-told:").delete()
    return child


def _due(child: Child, due: date) -> None:
    Child.objects.filter(pk=child.pk).update(next_review_due=due)


def _held(child: Child, held: date, *, decisions_sent=None, record_sent=None) -> Review:
    return Review.objects.create(
        child=child,
        held_on=held,
        chaired_by=child.current_iro,
        participation_code="PN1",
        decisions_sent_on=decisions_sent,
        record_sent_on=record_sent,
    )


# --- reviews ----------------------------------------------------------------------------------


def test_review_coming_due_not_booked(staff, child):
    _due(child, date(2027, 1, 22))
    booked = make_child(iro=staff.iro, social_worker=staff.social_worker)
    _due(booked, date(2027, 1, 22))
    review_services.book_meeting(booked, by=staff.iro, on=date(2027, 1, 20), at=time(10))

    days = date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23)
    assert run_on(*days, prefix="unbooked:") == [0, 1, 1]

    message = Message.objects.get(key__startswith="unbooked:")
    assert message.key == f"unbooked:{child.pk}:2027-01-22"
    assert message.user == staff.iro and message.to == "ian.iro@northmoor.example.org"
    assert message.subject == "Review not booked: Robin, due 22 January 2027"
    assert "due by Friday 22 January 2027, and no meeting is booked" in message.body
    assert f"http://127.0.0.1:8000/reviews/children/{child.pk}/book/" in message.body
    assert child.last_name not in message.body  # first name and identifier only
    assert child.la_child_id in message.body


def test_review_overdue_not_booked(child):
    _due(child, date(2026, 12, 24))
    # Thu 24 Dec: due today, not overdue. Mon 28 Dec: a bank holiday. Tue 29 Dec: the day.
    days = date(2026, 12, 24), date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30)
    assert run_on(*days, prefix="unbooked-overdue:") == [0, 0, 1, 1]
    assert sent_to("unbooked-overdue:") == ["ian.iro@northmoor.example.org"]


def test_papers_late(staff, child):
    meeting = review_services.book_meeting(child, by=staff.iro, on=date(2027, 1, 6), at=time(10))
    ChecklistEntry.objects.create(
        review=meeting.review,
        item=ChecklistEntry.Item.CARE_PLAN,
        done_on=date(2026, 12, 30),
        recorded_by=staff.iro,
    )
    all_in = make_child(iro=staff.iro, social_worker=staff.social_worker)
    other = review_services.book_meeting(all_in, by=staff.iro, on=date(2027, 1, 6), at=time(10))
    for item in (
        ChecklistEntry.Item.CARE_PLAN,
        ChecklistEntry.Item.EDUCATION_PLAN,
        ChecklistEntry.Item.HEALTH_PLAN,
    ):
        ChecklistEntry.objects.create(
            review=other.review, item=item, done_on=date(2026, 12, 31), recorded_by=staff.iro
        )

    # Due Thu 31 Dec; Fri 1 Jan is a bank holiday; late on Mon 4 Jan.
    days = date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 4), date(2027, 1, 5)
    assert run_on(*days, prefix="papers-late:") == [0, 0, 2, 2]
    assert sent_to("papers-late:") == [
        "ian.iro@northmoor.example.org",
        "sam.worker@northmoor.example.org",
    ]
    message = Message.objects.filter(key__startswith="papers-late:").first()
    assert message is not None
    assert "the personal education plan, the health plan" in message.body
    assert "care plan," not in message.body
    assert "by Thursday 31 December 2026" in message.body
    assert f"/reviews/{meeting.review.pk}/" in message.body


def test_decisions_late(child):
    late = _held(child, date(2026, 12, 21))
    _held(child, date(2026, 12, 22), decisions_sent=date(2026, 12, 23))
    days = date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 4)
    assert run_on(*days, prefix="decisions-late:") == [0, 1, 1]
    assert Message.objects.get(key__startswith="decisions-late:").key == (
        f"decisions-late:{late.pk}"
    )
    assert sent_to("decisions-late:") == ["ian.iro@northmoor.example.org"]


def test_record_late(child):
    late = _held(child, date(2026, 12, 21), decisions_sent=date(2026, 12, 22))
    _held(
        child, date(2026, 12, 22), decisions_sent=date(2026, 12, 22), record_sent=date(2027, 1, 8)
    )
    days = date(2027, 1, 21), date(2027, 1, 22), date(2027, 1, 25)
    assert run_on(*days, prefix="record-late:") == [0, 1, 1]
    message = Message.objects.get(key__startswith="record-late:")
    assert message.key == f"record-late:{late.pk}"
    assert f"/reviews/{late.pk}/record/" in message.body


# --- decisions --------------------------------------------------------------------------------


def _decision(staff, child, due: date, **extra) -> Decision:
    review = _held(
        child, date(2026, 12, 14), decisions_sent=date(2026, 12, 15), record_sent=date(2026, 12, 15)
    )
    return Decision.objects.create(
        review=review, text="Arrange family time", owner=staff.social_worker, due_on=due, **extra
    )


def test_decision_due_soon(staff, child):
    decision = _decision(staff, child, date(2027, 1, 5))
    days = date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 29)
    assert run_on(*days, prefix="decision-due:") == [0, 1, 1]
    message = Message.objects.get(key__startswith="decision-due:")
    assert message.user == staff.social_worker
    assert "by Tuesday 5 January 2027" in message.body
    assert f"/between-reviews/decisions/{decision.pk}/" in message.body
    assert "Arrange family time" not in message.body  # no case content in a message


def test_decision_overdue(staff, child):
    _decision(staff, child, date(2027, 1, 5))
    _decision(staff, child, date(2027, 1, 5), status=Decision.Status.DONE)
    days = date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 7)
    assert run_on(*days, prefix="decision-overdue:") == [0, 1, 1]
    assert sent_to("decision-overdue:") == ["sam.worker@northmoor.example.org"]


def test_decision_overdue_after_a_weekend(staff, child):
    _decision(staff, child, date(2027, 1, 9))  # a Saturday
    days = date(2027, 1, 8), date(2027, 1, 11), date(2027, 1, 12)
    assert run_on(*days, prefix="decision-overdue:") == [0, 1, 1]


def test_a_decision_owned_by_someone_outside_the_system_reminds_no_one(staff, child):
    decision = _decision(staff, child, date(2027, 1, 5))
    Decision.objects.filter(pk=decision.pk).update(owner=None, owner_description="A foster carer")
    assert run_on(date(2026, 12, 24), date(2027, 1, 6), prefix="decision-") == [0, 0]


# --- disputes ---------------------------------------------------------------------------------


def _step(staff, child, respond_by: date, **extra) -> DisputeStep:
    dispute = Dispute.objects.create(
        child=child,
        raised_by=staff.iro,
        raised_on=date(2026, 12, 14),
        summary="Permanence plan drifting",
        themes=["drift"],
    )
    return DisputeStep.objects.create(
        dispute=dispute,
        stage="team_manager",
        addressee=staff.team_manager,
        opened_on=date(2026, 12, 14),
        opened_by=staff.iro,
        message="The plan has not moved since the review.",
        respond_by=respond_by,
        **extra,
    )


def test_dispute_response_due(staff, child):
    step = _step(staff, child, date(2027, 1, 4))
    _step(staff, child, date(2027, 1, 4), responded_on=date(2026, 12, 29))
    days = date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)
    assert run_on(*days, prefix="dispute-due:") == [0, 1, 1]
    message = Message.objects.get(key__startswith="dispute-due:")
    assert message.user == staff.team_manager
    assert "due by Monday 4 January 2027" in message.body
    assert f"/disputes/steps/{step.pk}/respond/" in message.body


def test_dispute_response_overdue(staff, child):
    step = _step(staff, child, date(2027, 1, 4))
    _step(staff, child, date(2027, 1, 4), responded_on=date(2027, 1, 4))
    _step(staff, child, date(2027, 1, 4), closed_on=date(2027, 1, 4), outcome="escalated")
    days = date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 6)
    assert run_on(*days, prefix="dispute-overdue:") == [0, 2, 2]
    assert sent_to("dispute-overdue:") == [
        "ian.iro@northmoor.example.org",
        "tara.manager@northmoor.example.org",
    ]
    to_iro = Message.objects.get(key__startswith="dispute-overdue:", user=staff.iro)
    assert f"/disputes/{step.dispute_id}/" in to_iro.body


# --- the rules for every reminder -------------------------------------------------------------


def test_a_missed_day_is_caught_up_on_the_next_run_but_not_for_ever(staff, child):
    _decision(staff, child, date(2027, 1, 5))  # overdue from Wed 6 Jan
    # The worker was down on the 6th and 7th: the reminder goes on Friday 8th.
    assert run_on(date(2027, 1, 8), prefix="decision-overdue:") == [1]
    old = make_child(iro=staff.iro, social_worker=staff.social_worker)
    _decision(staff, old, date(2026, 11, 2))  # overdue from 3 Nov: 10 working days ran out
    assert run_on(date(2027, 1, 11), prefix="decision-overdue:") == [1]


def test_nothing_is_sent_on_a_weekend_or_a_bank_holiday(staff, child):
    _decision(staff, child, date(2027, 1, 5))
    with at_london(2027, 1, 9):  # Saturday
        assert reminders.run() == 0
    with at_london(2026, 12, 28):  # Boxing Day's substitute
        assert reminders.run() == 0
    assert not Message.objects.exists()


def test_running_twice_a_day_makes_each_reminder_once(staff, child):
    _due(child, date(2026, 12, 24))
    _decision(staff, child, date(2027, 1, 5))
    with at_london(2026, 12, 29):
        first = reminders.run()
        assert reminders.run() == 0
    assert first == Message.objects.count() == 2  # the unbooked review and the decision

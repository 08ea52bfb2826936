"""Reminders (issue 6 item 5): what the worker tells people each working day.

`run(as_at)` runs every reminder below, on working days only (rules.md §1). Each reminder has its
day, worked out with the same deadline rules the pages use (engine.timescales through
`ReviewPresenter`, `Decision.is_overdue`): it is sent on that day or, if the worker missed the day,
on the next run while it still matters (up to `CATCH_UP_WORKING_DAYS` late). Each message's key
names the thing and its date, so a reminder is made once however often `run` is called; when the
date moves (a meeting rebooked, a due date changed) it is a new reminder.

Messages name the child by first name and the authority's child identifier only, and carry no
case content (not a decision's text, nor a dispute's concern): they pass through mail and text
providers and sit on phones. The link leads to the page with the detail, behind the sign-in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from carereview.accounts.models import User
from carereview.children.models import Child
from carereview.core.authority import authority
from carereview.core.calendar import due_words, today, working_calendar
from carereview.disputes.models import DisputeStep
from carereview.engine.calendar import WorkingCalendar
from carereview.notifications.outbox import notify
from carereview.reviews.models import ChecklistEntry, Decision, Meeting, Review
from carereview.reviews.presenters import PAPERS, ReviewPresenter

log = logging.getLogger(__name__)

PAPER_NAMES: dict[str, str] = {
    ChecklistEntry.Item.CARE_PLAN: "the care plan",
    ChecklistEntry.Item.EDUCATION_PLAN: "the personal education plan",
    ChecklistEntry.Item.HEALTH_PLAN: "the health plan",
}


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _due(d: date) -> str:
    """A due date with the practical deadline beside it when it is not a working day."""
    return due_words(d, "l j F Y")


def _child(child: Child) -> str:
    return f"{child.first_name} ({child.la_child_id})"


def link(route: str, **kwargs) -> str:
    base = settings.NOTIFICATIONS["SITE_URL"].rstrip("/")
    return base + reverse(route, kwargs=kwargs)


@dataclass(frozen=True)
class Run:
    """One day's run: the date and the working calendar."""

    as_at: date
    calendar: WorkingCalendar

    def working_days_before(self, d: date, n: int) -> date:
        return self.calendar.subtract_working_days(d, n)

    def first_working_day_after(self, d: date) -> date:
        return self.calendar.add_working_days(d, 1)

    def reached(self, day: date) -> bool:
        """The reminder's day has come, and was missed by no more than the catch-up allowance."""
        catch_up = settings.NOTIFICATIONS["CATCH_UP_WORKING_DAYS"]
        return day <= self.as_at <= self.calendar.add_working_days(day, catch_up)

    def window(self, working_days: int) -> timedelta:
        """Calendar days surely covering `working_days` plus the catch-up (a cheap pre-filter;
        each reminder then checks its day exactly)."""
        catch_up = settings.NOTIFICATIONS["CATCH_UP_WORKING_DAYS"]
        return timedelta(days=2 * (working_days + catch_up) + 21)


def _send(key: str, user, subject: str, *paragraphs: str) -> int:
    if user is None or not user.is_active:
        return 0
    return 1 if notify(key, user=user, subject=subject, body="\n\n".join(paragraphs)) else 0


# --- reviews: booking -------------------------------------------------------------------------


def _unbooked_children(run: Run, earliest: date, latest: date):
    booked = Meeting.objects.filter(
        review__child=OuterRef("pk"),
        review__held_on__isnull=True,
        status=Meeting.Status.SCHEDULED,
    )
    return (
        Child.objects.filter(
            in_care=True,
            current_iro__isnull=False,
            next_review_due__gte=earliest,
            next_review_due__lte=latest,
        )
        .exclude(Exists(booked))
        .select_related("current_iro")
    )


def review_coming_due_not_booked(run: Run) -> int:
    """The IRO, REMIND_UNBOOKED_WORKING_DAYS working days before a review is due with no meeting
    booked."""
    n = authority().remind_unbooked_working_days
    made = 0
    for child in _unbooked_children(run, run.as_at, run.as_at + run.window(n)):
        due = child.next_review_due
        if not run.reached(run.working_days_before(due, n)):
            continue
        made += _send(
            f"unbooked:{child.pk}:{due}",
            child.current_iro,
            f"Review not booked: {child.first_name}, due {due_words(due)}",
            f"{_child(child)}'s next review is due by {_due(due)}, and no meeting is booked.",
            f"Book the review: {link('reviews:book', pk=child.pk)}",
        )
    return made


def review_overdue_not_booked(run: Run) -> int:
    """The IRO, once, on the first working day after a review's due date passed with no meeting
    booked."""
    made = 0
    for child in _unbooked_children(run, run.as_at - run.window(1), run.as_at):
        due = child.next_review_due
        if due >= run.as_at or not run.reached(run.first_working_day_after(due)):
            continue
        made += _send(
            f"unbooked-overdue:{child.pk}:{due}",
            child.current_iro,
            f"Review overdue and not booked: {child.first_name}",
            f"{_child(child)}'s review was due by {_due(due)}. It is overdue and no meeting is "
            "booked.",
            f"Book the review: {link('reviews:book', pk=child.pk)}",
        )
    return made


# --- reviews: before and after the meeting ----------------------------------------------------


def papers_late(run: Run) -> int:
    """The social worker and the IRO, on the first working day after the care plan, personal
    education plan or health plan was due with the IRO (PAPERS_WORKING_DAYS before the meeting)
    and is not ticked as received."""
    latest = run.as_at + run.window(authority().papers_working_days)
    upcoming = Meeting.objects.filter(
        review=OuterRef("pk"),
        status=Meeting.Status.SCHEDULED,
        on__gte=run.as_at,
        on__lte=latest,
    )
    reviews = (
        Review.objects.filter(held_on__isnull=True, child__in_care=True)
        .filter(Exists(upcoming))
        .select_related("child", "child__current_iro", "child__current_social_worker")
        .prefetch_related("meetings", "checklist")
    )
    made = 0
    for review in reviews:
        presenter = ReviewPresenter(review, run.as_at, run.calendar)
        meeting = presenter.meeting_date
        missing = [
            (row, row.deadline)
            for row in presenter.checklist
            if row.item in PAPERS and row.deadline and row.deadline.late and not row.deadline.done
        ]
        if not missing or meeting is None or run.as_at > meeting:
            continue
        papers_due = missing[0][1].due
        if not run.reached(run.first_working_day_after(papers_due)):
            continue
        child = review.child
        what = ", ".join(PAPER_NAMES.get(row.item, row.label) for row, _ in missing)
        for user in _distinct(child.current_social_worker, child.current_iro):
            made += _send(
                f"papers-late:{review.pk}:{meeting}:{user.pk}",
                user,
                f"Papers late for {child.first_name}'s review on {meeting:%-d %B}",
                f"{_child(child)}'s review meeting is on {_day(meeting)}. These were due with the "
                f"IRO by {_due(papers_due)} and are not marked as received: {what}.",
                f"The review: {link('reviews:detail', review_id=review.pk)}",
            )
    return made


def _held_reviews(run: Run, not_sent: str, working_days: int):
    return Review.objects.filter(
        held_on__isnull=False,
        held_on__gte=run.as_at - run.window(working_days),
        **{f"{not_sent}__isnull": True},
    ).select_related("child", "child__current_iro", "chaired_by")


def decisions_late(run: Run) -> int:
    """The IRO, on the first working day after the decisions were due to the child and attendees
    (DECISIONS_WITHIN_WORKING_DAYS of the review) and are not sent."""
    made = 0
    for review in _held_reviews(
        run, "decisions_sent_on", authority().decisions_within_working_days
    ):
        deadline = ReviewPresenter(review, run.as_at, run.calendar).decisions_deadline
        if not deadline or deadline.done or not deadline.late:
            continue
        if not run.reached(run.first_working_day_after(deadline.due)):
            continue
        child = review.child
        made += _send(
            f"decisions-late:{review.pk}",
            review.chaired_by or child.current_iro,
            f"Decisions not sent: {child.first_name}'s review",
            f"The decisions of {_child(child)}'s review on {_day(review.held_on)} were due to "
            f"the child and everyone who came by {_due(deadline.due)}, and are not sent.",
            f"Send them: {link('reviews:detail', review_id=review.pk)}",
        )
    return made


def record_late(run: Run) -> int:
    """The IRO, on the first working day after the full record was due (RECORD_WITHIN_WORKING_DAYS
    of the review) and is not sent."""
    made = 0
    for review in _held_reviews(run, "record_sent_on", authority().record_within_working_days):
        deadline = ReviewPresenter(review, run.as_at, run.calendar).record_deadline
        if not deadline or deadline.done or not deadline.late:
            continue
        if not run.reached(run.first_working_day_after(deadline.due)):
            continue
        child = review.child
        made += _send(
            f"record-late:{review.pk}",
            review.chaired_by or child.current_iro,
            f"Record not sent: {child.first_name}'s review",
            f"The record of {_child(child)}'s review on {_day(review.held_on)} was due by "
            f"{_due(deadline.due)}, and is not sent.",
            f"Finish and send it: {link('reviews:record', review_id=review.pk)}",
        )
    return made


# --- decisions, between reviews ---------------------------------------------------------------


def _open_decisions(run: Run, earliest: date, latest: date):
    return (
        Decision.objects.filter(owner__isnull=False, due_on__gte=earliest, due_on__lte=latest)
        .exclude(status=Decision.Status.DONE)
        .select_related("owner", "review__child")
    )


def decision_due_soon(run: Run) -> int:
    """A decision's owner, REMIND_DECISION_WORKING_DAYS working days before it is due, if it is
    not done."""
    n = authority().remind_decision_working_days
    made = 0
    for decision in _open_decisions(run, run.as_at, run.as_at + run.window(n)):
        if not run.reached(run.working_days_before(decision.due_on, n)):
            continue
        child = decision.review.child
        made += _send(
            f"decision-due:{decision.pk}:{decision.due_on}",
            decision.owner,
            f"Due {due_words(decision.due_on, 'j F')}: a decision from {child.first_name}'s review",
            f"A decision of {_child(child)}'s review on {_held(decision)} is yours to carry "
            f"out by {_due(decision.due_on)}, and is not marked done yet.",
            f"Update its progress: {link('followup:decision', decision_id=decision.pk)}",
        )
    return made


def decision_overdue(run: Run) -> int:
    """A decision's owner, on the first working day after it was due, if it is not done."""
    made = 0
    for decision in _open_decisions(run, run.as_at - run.window(1), run.as_at):
        if not decision.is_overdue(run.as_at):
            continue
        if not run.reached(run.first_working_day_after(decision.due_on)):
            continue
        child = decision.review.child
        made += _send(
            f"decision-overdue:{decision.pk}:{decision.due_on}",
            decision.owner,
            f"Overdue: a decision from {child.first_name}'s review",
            f"A decision of {_child(child)}'s review on {_held(decision)} was yours to carry "
            f"out by {_due(decision.due_on)}, and is not marked done.",
            f"Update its progress, or mark it done: "
            f"{link('followup:decision', decision_id=decision.pk)}",
        )
    return made


# --- dispute resolution -----------------------------------------------------------------------


def _waiting_steps(run: Run, earliest: date, latest: date):
    # Waiting for a response, as the dispute pages say: not answered and not closed.
    return DisputeStep.objects.filter(
        responded_on__isnull=True,
        closed_on__isnull=True,
        respond_by__gte=earliest,
        respond_by__lte=latest,
    ).select_related("addressee", "dispute__child__current_iro")


def dispute_response_due(run: Run) -> int:
    """The addressee of a dispute step, REMIND_DISPUTE_WORKING_DAYS working days before their
    response is due, if they have not responded."""
    n = authority().remind_dispute_working_days
    made = 0
    for step in _waiting_steps(run, run.as_at, run.as_at + run.window(n)):
        if not run.reached(run.working_days_before(step.respond_by, n)):
            continue
        child = step.dispute.child
        made += _send(
            f"dispute-due:{step.pk}:{step.respond_by}",
            step.addressee,
            f"Response due {due_words(step.respond_by, 'j F')}: the IRO's concern about "
            f"{child.first_name}",
            f"The independent reviewing officer has raised a concern about {_child(child)}'s "
            f"care plan with you. Your response is due by {_due(step.respond_by)}.",
            f"Respond: {link('disputes:respond', step_id=step.pk)}",
        )
    return made


def dispute_response_overdue(run: Run) -> int:
    """The addressee and the child's IRO, on the first working day after a dispute response was
    due, if there is none."""
    made = 0
    for step in _waiting_steps(run, run.as_at - run.window(1), run.as_at - timedelta(days=1)):
        if not run.reached(run.first_working_day_after(step.respond_by)):
            continue
        child = step.dispute.child
        made += _send(
            f"dispute-overdue:{step.pk}:{step.respond_by}:{step.addressee_id}",
            step.addressee,
            f"Response overdue: the IRO's concern about {child.first_name}",
            f"Your response to the independent reviewing officer's concern about "
            f"{_child(child)} was due by {_due(step.respond_by)}. The IRO may now escalate it.",
            f"Respond: {link('disputes:respond', step_id=step.pk)}",
        )
        iro = child.current_iro
        if iro is not None and iro.pk != step.addressee_id:
            made += _send(
                f"dispute-overdue:{step.pk}:{step.respond_by}:{iro.pk}",
                iro,
                f"No response: your concern about {child.first_name}",
                f"{step.addressee} has not responded to your concern about {_child(child)}; "
                f"the response was due by {_due(step.respond_by)}. You may escalate it.",
                f"The dispute: {link('disputes:detail', dispute_id=step.dispute_id)}",
            )
    return made


def _distinct(*users: User | None) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _held(decision: Decision) -> str:
    held = decision.review.held_on
    return f"{held.day} {held:%B %Y}" if held else "(not yet held)"


REMINDERS: tuple[Callable[[Run], int], ...] = (
    review_coming_due_not_booked,
    review_overdue_not_booked,
    papers_late,
    decisions_late,
    record_late,
    decision_due_soon,
    decision_overdue,
    dispute_response_due,
    dispute_response_overdue,
)


def run(as_at: date | None = None) -> int:
    """Make the day's reminders (on working days only); the number of messages made."""
    as_at = as_at or today()
    calendar = working_calendar()
    if not calendar.is_working_day(as_at):
        log.info("Reminders: %s is not a working day; none sent.", as_at)
        return 0
    this = Run(as_at, calendar)
    made = 0
    for reminder in REMINDERS:
        count = reminder(this)
        if count:
            log.info("Reminders: %s made %s", reminder.__name__, count)
        made += count
    return made

"""What the review pages show: stages, deadlines and what is late (display logic, no writes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils import formats

from carereview.core.authority import authority
from carereview.engine.calendar import WorkingCalendar
from carereview.engine.timescales import (
    Deadline,
    decisions_due,
    iro_handbook_papers_by,
    iro_handbook_social_worker_contact_by,
    record_due,
)
from carereview.reviews.models import ChecklistEntry, Meeting, Review
from carereview.reviews.services import observe_instead, possible_invitees

PAPERS = (
    ChecklistEntry.Item.CARE_PLAN,
    ChecklistEntry.Item.EDUCATION_PLAN,
    ChecklistEntry.Item.HEALTH_PLAN,
)
STAGES = ("Booked", "Consulted", "Papers in", "Held", "Decisions sent", "Record sent")


@dataclass
class Stage:
    label: str
    late: list[str] = field(default_factory=list)


@dataclass
class ChecklistRow:
    """One task of the IRO's checklist, as the GOV.UK task list shows it (issue 13)."""

    item: str
    label: str
    entry: ChecklistEntry | None
    deadline: Deadline | None

    @property
    def status(self) -> str:
        """Completed (late, if after its deadline); Late if its deadline has passed; else
        Incomplete."""
        if self.entry:
            return "Completed late" if self.deadline and self.deadline.late else "Completed"
        return "Late" if self.deadline and self.deadline.late else "Incomplete"

    @property
    def hint(self) -> list[str]:
        """Lines: when it was done and by whom, the outcome and note; when it is due."""
        parts = []
        if self.entry:
            e = self.entry
            parts.append(f"{formats.date_format(e.done_on, 'j M Y')} by {e.recorded_by}")
            if e.outcome != ChecklistEntry.Outcome.DONE:
                parts.append(e.get_outcome_display())
            if e.note:
                parts.append(e.note)
        if self.deadline:
            parts.append(f"Due by {formats.date_format(self.deadline.due, 'j M Y')}")
        return parts


class ReviewPresenter:
    def __init__(self, review: Review, today: date, calendar: WorkingCalendar):
        self.review = review
        self.today = today
        self.calendar = calendar

    @cached_property
    def meetings(self) -> list[Meeting]:
        return list(self.review.meetings.all())

    @cached_property
    def next_meeting(self) -> Meeting | None:
        booked = [m for m in self.meetings if m.status == Meeting.Status.SCHEDULED]
        return min(booked, key=lambda m: (m.on, m.at)) if booked else None

    @cached_property
    def meeting_date(self) -> date | None:
        if self.review.held_on:
            return self.review.held_on
        return self.next_meeting.on if self.next_meeting else None

    @cached_property
    def entries(self) -> dict[str, ChecklistEntry]:
        return {e.item: e for e in self.review.checklist.all()}

    @cached_property
    def observe(self) -> bool:
        return observe_instead(self.review.child, self.meeting_date or self.today)

    @cached_property
    def checklist(self) -> list[ChecklistRow]:
        cfg = authority()
        rows = []
        for item, label in ChecklistEntry.Item.choices:
            if item == ChecklistEntry.Item.CHILD_SEEN and self.observe:
                label = "Observed the child where they live (under 4 or profound disability)"
            deadline = None
            entry = self.entries.get(item)
            if self.meeting_date and item == ChecklistEntry.Item.SOCIAL_WORKER_CONTACT:
                due = iro_handbook_social_worker_contact_by(
                    self.meeting_date, self.calendar, cfg.social_worker_contact_working_days
                )
                deadline = Deadline(due, entry.done_on if entry else None, self.today)
            elif self.meeting_date and item in PAPERS:
                due = iro_handbook_papers_by(
                    self.meeting_date, self.calendar, cfg.papers_working_days
                )
                deadline = Deadline(due, entry.done_on if entry else None, self.today)
            rows.append(ChecklistRow(item, label, entry, deadline))
        return rows

    @cached_property
    def consultations(self):
        return list(self.review.consultations.select_related("form", "person"))

    @cached_property
    def invitations(self):
        return list(self.review.invitations.select_related("person", "staff"))

    @cached_property
    def exclusions(self):
        return list(self.review.exclusions.select_related("person"))

    @cached_property
    def invitees(self):
        return possible_invitees(self.review)

    @cached_property
    def decisions_deadline(self) -> Deadline | None:
        if not self.review.held_on:
            return None
        due = decisions_due(
            self.review.held_on, self.calendar, authority().decisions_within_working_days
        )
        return Deadline(due, self.review.decisions_sent_on, self.today)

    @cached_property
    def record_deadline(self) -> Deadline | None:
        if not self.review.held_on:
            return None
        due = record_due(self.review.held_on, self.calendar, authority().record_within_working_days)
        return Deadline(due, self.review.record_sent_on, self.today)

    @cached_property
    def stage(self) -> Stage:
        """How far the review has got, and what is late (issue 4 item 6)."""
        r = self.review
        late = []
        if not r.held_on:  # preparation deadlines matter only until the review is held
            late = [
                row.label
                for row in self.checklist
                if row.deadline and row.deadline.late and not row.deadline.done
            ]
        for name, deadline in (
            ("Decisions", self.decisions_deadline),
            ("Record", self.record_deadline),
        ):
            if deadline and deadline.late and not deadline.done:
                late.append(f"{name} not sent")
        if r.record_sent_on:
            label = "Record sent"
        elif r.decisions_sent_on:
            label = "Decisions sent"
        elif r.held_on:
            label = "Held"
        elif all(p in self.entries for p in PAPERS):
            label = "Papers in"
        elif self.consultations and all(c.returned_on for c in self.consultations):
            label = "Consulted"
        elif self.next_meeting:
            label = "Booked"
        else:
            label = "Not booked"
        return Stage(label, late)


def latest_review_stages(
    user, children, today: date, calendar: WorkingCalendar, purpose: str = "case"
) -> dict:
    """The stage each child's next review has reached, for the caseload.

    The latest review counts until its record is sent; then the next one is "Not booked" yet.
    Three queries for the whole page, however many rows.
    """
    ids = [c.pk for c in children]
    reviews = (
        Review.objects.visible_to(user, purpose)
        .filter(child_id__in=ids)
        .order_by("child_id", "-id")
        .select_related("child")
        .prefetch_related("meetings", "checklist", "consultations")
    )
    stages: dict[int, Stage] = {}
    for review in reviews:
        if review.child_id in stages:
            continue
        if review.record_sent_on:
            stages[review.child_id] = Stage("Not booked")
        else:
            stages[review.child_id] = ReviewPresenter(review, today, calendar).stage
    return stages

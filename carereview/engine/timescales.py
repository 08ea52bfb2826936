"""The timescales around each review (rules.md §4), as plain functions of dates.

Each is a named rule citing its source; the settings that rules.md marks "(ours)" are passed in.
A deadline is the last day on which the thing is still on time.
"""

from dataclasses import dataclass
from datetime import date

from .calendar import WorkingCalendar, add_months

#: IRO Handbook: the social worker and IRO are in contact at least 15 working days before.
SOCIAL_WORKER_CONTACT_WORKING_DAYS = 15
#: IRO Handbook: care plan, personal education plan and health plan with the IRO 3 working days
#: before the review.
PAPERS_WORKING_DAYS = 3


def iro_handbook_social_worker_contact_by(
    meeting: date, calendar: WorkingCalendar, working_days: int = SOCIAL_WORKER_CONTACT_WORKING_DAYS
) -> date:
    """The last day the social worker and IRO may first be in contact before the review."""
    return calendar.subtract_working_days(meeting, working_days)


def iro_handbook_papers_by(
    meeting: date, calendar: WorkingCalendar, working_days: int = PAPERS_WORKING_DAYS
) -> date:
    """The last day the care plan, PEP and health plan may reach the IRO."""
    return calendar.subtract_working_days(meeting, working_days)


def decisions_due(held: date, calendar: WorkingCalendar, working_days: int) -> date:
    """Decisions to the child and attendees within N working days of the review (ours: 5)."""
    return calendar.add_working_days(held, working_days)


def record_due(held: date, calendar: WorkingCalendar, working_days: int) -> date:
    """The full record within N working days of the review (ours: 20)."""
    return calendar.add_working_days(held, working_days)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline and how a task stands against it on a given day."""

    due: date
    done_on: date | None
    today: date

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def late(self) -> bool:
        """Done after the deadline, or not done and the deadline has passed."""
        if self.done_on is not None:
            return self.done_on > self.due
        return self.today > self.due

    @property
    def status(self) -> str:
        if self.done_on is not None:
            return "done late" if self.late else "done"
        return "late" if self.late else "to do"


def fourth_birthday(dob: date) -> date:
    """29 February birthdays fall on 28 February in common years (add_months clips)."""
    return add_months(dob, 48)


def ssda903_participation_code_allowed(code: str, dob: date, review: date) -> bool:
    """DfE rules 440 and 441: PN0 only before the 4th birthday, PN1-PN7 only from it.

    On the 4th birthday itself both pass (ssda903.md). Any other code is not allowed.
    """
    four = fourth_birthday(dob)
    if code == "PN0":
        return review <= four
    if code in {"PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"}:
        return review >= four
    return False


def iro_appointed_by(looked_after: date, calendar: WorkingCalendar, working_days: int) -> date:
    """s25A; IRO Handbook (rules.md §4 "IRO appointed"): an IRO is appointed within N working
    days (5) of the child becoming looked after. The last day the appointment is on time."""
    return calendar.add_working_days(looked_after, working_days)


def iro_appointed_in_time(
    appointed: date, looked_after: date, calendar: WorkingCalendar, working_days: int
) -> bool:
    """Whether an IRO appointed on `appointed` was within the N working days (on the last day
    counts as on time; an appointment before the child became looked after is on time)."""
    return appointed <= iro_appointed_by(looked_after, calendar, working_days)


def iro_service_told_by(looked_after: date, calendar: WorkingCalendar, working_days: int) -> date:
    """Local procedures (rules.md §4 "IRO told", ours, default 2): the IRO service is told of a
    new looked-after child within N working days of the child becoming looked after."""
    return calendar.add_working_days(looked_after, working_days)


def first_iro_appointments[K](
    periods: list[tuple[date, date | None]],
    allocations: list[tuple[K, date, date | None]],
    calendar: WorkingCalendar,
    working_days: int,
) -> dict[K, tuple[date, bool]]:
    """For each period of care (start, end or None), the IRO allocation (key, started, ended or
    None) that was the child's IRO on coming into care: the earliest one still running at or
    after the period's start and begun by its end. Returns key -> (appoint by, in time). A later
    change of IRO in the same period is not an appointment on coming into care and is left out;
    an IRO kept from before the period (a child returning to their IRO) is in time."""
    result: dict[K, tuple[date, bool]] = {}
    for start, end in periods:
        running = [
            (started, key)
            for key, started, ended in allocations
            if (ended is None or ended > start) and (end is None or started <= end)
        ]
        if not running:
            continue
        started, key = min(running, key=lambda a: a[0])
        by = iro_appointed_by(start, calendar, working_days)
        result[key] = (by, started <= by)
    return result

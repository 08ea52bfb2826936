"""One child's review schedule (spec/rules.md §3).

``compute_schedule`` takes a child's episodes and the dates reviews were held and gives each
review that counts with its due date, the next review due and the data errors. The rules it
applies are named below (which reviews count, reg 33(3) earlier reviews, overdue) and in
``regimes`` (the timetables and the switching between them).
"""

import datetime
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from .calendar import WorkingCalendar, default_calendar
from .periods import (
    SHORT_BREAK_WINDOW_MONTHS,
    Episode,
    Period,
    episodes_known_at,
    period_at,
    period_open_at,
    periods_of_care,
)
from .regimes import (
    ADOPTION_ENDED_RESUMES,
    STANDARD_RESUMED,
    Regime,
    Timetable,
    regime_starts,
    standard_resumed,
)


@dataclass(frozen=True, slots=True)
class EarlierReview:
    """A review required earlier than the timetable says (CPPCR reg 33(3); reg 32(2)).

    Reg 33(3): the IRO's request; a social worker's visit (reg 30) finding the child's welfare not
    safeguarded; the end of remand, custody or accommodation. Reg 32(2): a significant change to
    the care plan, considered at a review before it takes effect.

    With ``requested_on`` the requirement applies to the first review held after that day (a
    request made on the day of a review is for the next one); without it, it applies to the next
    review not yet held.
    """

    required_by: date
    reason: str
    requested_on: date | None = None


@dataclass(frozen=True, slots=True)
class CountedReview:
    """A review that counts: held on ``date``, due on ``due``, ``sequence`` in its regime."""

    date: date
    due: datetime.date  # (``date`` here is the field above)
    on_time: bool
    regime: Regime
    sequence: int


@dataclass(frozen=True, slots=True)
class DataError:
    """A review that does not count and does not move the clock (rules.md §3)."""

    kind: Literal["outside_period", "same_day", "unreadable"]
    review_date: date | None
    message: str


@dataclass(frozen=True, slots=True)
class ChildSchedule:
    """A child's counted reviews, next review due (only while a period is open) and data errors.

    ``next_due_practical`` is the last working day on or before ``next_due`` (rules.md §1).
    """

    reviews: tuple[CountedReview, ...]
    next_due: date | None
    next_regime: Regime | None
    next_sequence: int | None
    overdue: bool
    errors: tuple[DataError, ...]
    next_due_practical: date | None


@dataclass(frozen=True, slots=True)
class _NextReview:
    due: date
    regime: Regime
    sequence: int


def reviews_that_count(
    periods: Sequence[Period], review_dates: Iterable[date | None], as_at: date
) -> tuple[list[date], list[DataError]]:
    """rules.md §3 "Which reviews count": a review counts for the period of care its date falls
    in (``period_at``). A date that cannot be read, a second review on the same day, and a review
    outside every period are data errors. A review after ``as_at`` had not been held then and is
    left out.

    Returns the counted dates in order and the errors in input order.
    """
    counted: list[date] = []
    errors: list[DataError] = []
    seen: set[date] = set()
    for held in review_dates:
        if held is None:
            errors.append(DataError("unreadable", None, "review date cannot be read"))
        elif held > as_at:
            continue
        elif held in seen:
            errors.append(DataError("same_day", held, f"second review on {held:%d/%m/%Y}"))
        else:
            seen.add(held)
            if period_at(periods, held) is None:
                message = f"review on {held:%d/%m/%Y} is outside every period of care"
                errors.append(DataError("outside_period", held, message))
            else:
                counted.append(held)
    return sorted(counted), errors


def regime_runs(
    period: Period, held: Sequence[date], adoption_ended_resumes: bool = ADOPTION_ENDED_RESUMES
) -> list[tuple[date, Timetable, list[date]]]:
    """Each regime of a period with its start, timetable and the reviews held in it.

    A review belongs to the last regime started on or before its date, so a review held on
    the day a regime starts belongs to the new regime (rules.md §3). A resumed standard regime
    takes its timetable from ``standard_resumed``.
    """
    starts = regime_starts(period)
    ends = [later.start for later in starts[1:]] + [None]
    runs = []
    for regime, until in zip(starts, ends, strict=True):
        timetable = regime.timetable
        if timetable is STANDARD_RESUMED:
            timetable = standard_resumed(
                any(d < regime.start for d in held), adoption_ended_resumes
            )
        in_regime = [d for d in held if regime.start <= d and (until is None or d < until)]
        runs.append((regime.start, timetable, in_regime))
    return runs


def period_reviews(
    period: Period,
    held: Sequence[date],
    calendar: WorkingCalendar,
    adoption_ended_resumes: bool = ADOPTION_ENDED_RESUMES,
) -> tuple[list[CountedReview], _NextReview]:
    """The reviews held in one period with their due dates, and the review due next.

    Every review resets the clock: each due date runs from the regime's start or from the
    previous review held (``Timetable.due``). On time means held on or before the due date
    (rules.md §3).
    """
    runs = regime_runs(period, held, adoption_ended_resumes)
    reviews: list[CountedReview] = []
    previous: date | None = None
    for start, timetable, in_regime in runs:
        for sequence, d in enumerate(in_regime, start=1):
            due = timetable.due(sequence, start, previous, calendar)
            reviews.append(CountedReview(d, due, d <= due, timetable.regime, sequence))
            previous = d
    start, timetable, in_regime = runs[-1]
    sequence = len(in_regime) + 1
    due = timetable.due(sequence, start, previous, calendar)
    return reviews, _NextReview(due, timetable.regime, sequence)


def reg33_3_required_by(due: date, requirements: Iterable[EarlierReview]) -> date:
    """CPPCR reg 33(3) and reg 32(2): where an earlier review is required, the review is due on
    the earlier of its timetable due date and the required-by date."""
    return min([due, *(r.required_by for r in requirements)])


def earlier_reviews_by_slot(
    period: Period,
    periods: Sequence[Period],
    held: Sequence[date],
    earlier: Iterable[EarlierReview],
    is_current: bool,
) -> dict[int, list[EarlierReview]]:
    """Which review of ``period`` each earlier-review requirement applies to, by index into
    ``held`` (``len(held)`` is the review not yet held).

    A requirement requested on a day in the period applies to the first review held after that
    day; one with no request date applies to the next review of the current period.
    """
    slots: dict[int, list[EarlierReview]] = {}
    for requirement in earlier:
        if requirement.requested_on is None:
            slot = len(held) if is_current else None
        elif period_at(periods, requirement.requested_on) is period:
            slot = bisect_right(held, requirement.requested_on)
        else:
            slot = None
        if slot is not None and (slot < len(held) or is_current):
            slots.setdefault(slot, []).append(requirement)
    return slots


def apply_earlier_reviews(
    reviews: list[CountedReview],
    next_review: _NextReview,
    slots: dict[int, list[EarlierReview]],
) -> tuple[list[CountedReview], _NextReview]:
    """``reg33_3_required_by`` applied to the reviews (and the next review, slot
    ``len(reviews)``) that earlier-review requirements apply to."""
    reviews = list(reviews)
    for slot, requirements in slots.items():
        if slot < len(reviews):
            review = reviews[slot]
            due = reg33_3_required_by(review.due, requirements)
            reviews[slot] = replace(review, due=due, on_time=review.date <= due)
        else:
            next_review = replace(
                next_review, due=reg33_3_required_by(next_review.due, requirements)
            )
    return reviews, next_review


def is_overdue(next_due: date, as_at: date) -> bool:
    """rules.md §3: a review not yet held whose due date is before the as-at date is overdue; it
    stays the next review due until it is held."""
    return next_due < as_at


def compute_schedule(
    episodes: Iterable[Episode],
    review_dates: Iterable[date | None],
    as_at: date,
    calendar: WorkingCalendar | None = None,
    earlier: Iterable[EarlierReview] = (),
    *,
    short_break_window_months: int = SHORT_BREAK_WINDOW_MONTHS,
    adoption_ended_resumes: bool = ADOPTION_ENDED_RESUMES,
) -> ChildSchedule:
    """A child's review schedule as it stood on ``as_at`` (rules.md §2-3).

    Episodes starting and reviews held after ``as_at`` are left out; an episode ending after it
    was still open. A child has a next due date only while a period of care is open at ``as_at``
    (``period_open_at``: one ending on ``as_at`` is closed).
    """
    calendar = calendar or default_calendar()
    earlier = tuple(earlier)
    periods = periods_of_care(
        episodes_known_at(episodes, as_at), short_break_window_months=short_break_window_months
    )
    counted, errors = reviews_that_count(periods, review_dates, as_at)
    current = period_open_at(periods, as_at)
    reviews: list[CountedReview] = []
    next_review: _NextReview | None = None
    for period in periods:
        held = [d for d in counted if period_at(periods, d) is period]
        slots = earlier_reviews_by_slot(period, periods, held, earlier, period is current)
        period_counted, period_next = apply_earlier_reviews(
            *period_reviews(period, held, calendar, adoption_ended_resumes), slots
        )
        reviews.extend(period_counted)
        if period is current:
            next_review = period_next
    if next_review is None:
        return ChildSchedule(tuple(reviews), None, None, None, False, tuple(errors), None)
    return ChildSchedule(
        reviews=tuple(reviews),
        next_due=next_review.due,
        next_regime=next_review.regime,
        next_sequence=next_review.sequence,
        overdue=is_overdue(next_review.due, as_at),
        errors=tuple(errors),
        next_due_practical=calendar.last_working_day_on_or_before(next_review.due),
    )

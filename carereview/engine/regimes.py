"""The review timetables and when each applies (spec/rules.md §3).

Each statutory timetable is one named ``Timetable``; each switching rule is one named predicate;
``regime_starts`` applies the predicates to a period's episodes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Literal

from .calendar import WorkingCalendar, add_months
from .periods import SHORT_BREAK_LEGAL_STATUSES, Episode, Period

Regime = Literal["standard", "short_breaks", "adoption"]

#: PLACE codes of a child placed for adoption (ssda903.md).
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})


@dataclass(frozen=True, slots=True)
class Interval:
    """A statutory interval: ``count`` working days, days or calendar months."""

    unit: Literal["working_days", "days", "months"]
    count: int

    def after(self, d: date, calendar: WorkingCalendar) -> date:
        """The last day of the interval counted from ``d`` (rules.md §1)."""
        match self.unit:
            case "working_days":
                return calendar.add_working_days(d, self.count)
            case "days":
                return d + timedelta(days=self.count)
            case "months":
                return add_months(d, self.count)


@dataclass(frozen=True, slots=True)
class Timetable:
    """When each review of a regime is due.

    The first review is due ``first`` after the regime starts (or, where
    ``first_from_previous_review``, after the previous review held in the period); the second
    ``second`` after the first was held; each later one ``later`` after the previous was held.
    """

    regime: Regime
    first: Interval
    second: Interval
    later: Interval
    first_from_previous_review: bool = False

    def interval(self, sequence: int) -> Interval:
        """The interval before the review with this 1-based sequence number."""
        return self.first if sequence == 1 else self.second if sequence == 2 else self.later

    def due(
        self,
        sequence: int,
        regime_start: date,
        previous_held: date | None,
        calendar: WorkingCalendar,
    ) -> date:
        """The due date of review ``sequence``: every review resets the clock (rules.md §3)."""
        from_start = sequence == 1 and not self.first_from_previous_review
        anchor = regime_start if from_start else previous_held
        if anchor is None:
            raise ValueError(f"review {sequence} of {self.regime} needs the previous review held")
        return self.interval(sequence).after(anchor, calendar)


REG33_STANDARD = Timetable(
    "standard", Interval("working_days", 20), Interval("months", 3), Interval("months", 6)
)
"""CPPCR reg 33(1): first review within 20 working days of becoming looked after; second within
3 months of the first; each later one within 6 months of the previous."""

REG48_SHORT_BREAKS = Timetable(
    "short_breaks", Interval("months", 3), Interval("months", 6), Interval("months", 6)
)
"""CPPCR reg 48: a child on an agreed series of short breaks (LS V3/V4): first review within
3 months of the start; each later one within 6 months of the previous."""

AAR36_ADOPTION = Timetable(
    "adoption", Interval("days", 28), Interval("months", 3), Interval("months", 6)
)
"""AAR reg 36: a child placed for adoption: first review within 28 days of the placement; second
within 3 months of the first; each later one within 6 months of the previous."""

STANDARD_RESUMED = Timetable(
    "standard",
    Interval("months", 6),
    Interval("months", 6),
    Interval("months", 6),
    first_from_previous_review=True,
)
"""rules.md §3 **(ours)**: when a placement for adoption ends and the child stays looked after,
the standard regime resumes: the next review is due 6 months after the previous review held in
the period, and every 6 months after that."""


#: rules.md §3 **(ours)**: the standard regime after an adoption placement resumes from the
#: previous review held (True), rather than starting afresh; the app passes the authority's
#: setting (`CAREREVIEW["ADOPTION_ENDED_RESUMES_FROM_LAST_REVIEW"]`).
ADOPTION_ENDED_RESUMES = True


def standard_resumed(
    review_held_in_period: bool, resumes_from_last_review: bool = ADOPTION_ENDED_RESUMES
) -> Timetable:
    """rules.md §3 **(ours)**: the standard regime resuming after an adoption placement counts
    from the previous review held in the period; where none has been held yet, or where the
    authority chose otherwise (`resumes_from_last_review` False), it starts afresh (20 working
    days after the change, then 3 months, then 6)."""
    return (
        STANDARD_RESUMED if review_held_in_period and resumes_from_last_review else REG33_STANDARD
    )


def reg48_applies(first: Episode) -> bool:
    """CPPCR reg 48: the period's first episode has LS V3 or V4 (short breaks)."""
    return first.ls in SHORT_BREAK_LEGAL_STATUSES


def reg48_ends(episode: Episode) -> bool:
    """rules.md §3: in a short-breaks period, the first episode whose LS is not V3/V4 starts the
    standard regime (CPPCR reg 33) afresh on its DECOM."""
    return episode.ls not in SHORT_BREAK_LEGAL_STATUSES


def aar36_placed_for_adoption(previous: Episode | None, episode: Episode) -> bool:
    """AAR reg 36: an episode with PLACE A3-A6 whose previous episode in the period (if any) was
    not A3-A6 starts the adoption regime afresh on its DECOM."""
    return episode.place in PLACED_FOR_ADOPTION and (
        previous is None or previous.place not in PLACED_FOR_ADOPTION
    )


def adoption_placement_ends(previous: Episode, episode: Episode) -> bool:
    """rules.md §3 **(ours)**: an episode not placed for adoption after one that was ends the
    adoption regime; the standard regime resumes (``standard_resumed``)."""
    return previous.place in PLACED_FOR_ADOPTION and episode.place not in PLACED_FOR_ADOPTION


@dataclass(frozen=True, slots=True)
class RegimeStart:
    """A regime starting (or resuming) on a date within a period of care."""

    start: date
    timetable: Timetable


def opening_timetable(first: Episode) -> Timetable:
    """The regime a period of care opens with: adoption (AAR reg 36) where the first episode is
    placed for adoption, else short breaks (CPPCR reg 48) where it has LS V3/V4, else standard
    (CPPCR reg 33)."""
    if aar36_placed_for_adoption(None, first):
        return AAR36_ADOPTION
    if reg48_applies(first):
        return REG48_SHORT_BREAKS
    return REG33_STANDARD


def regime_change(previous: Episode, episode: Episode, current: Timetable) -> Timetable | None:
    """The regime ``episode`` starts, or None where the current one continues (rules.md §3)."""
    if aar36_placed_for_adoption(previous, episode):
        return AAR36_ADOPTION
    if adoption_placement_ends(previous, episode):
        return STANDARD_RESUMED
    if current.regime == "short_breaks" and reg48_ends(episode):
        return REG33_STANDARD
    return None


def regime_starts(period: Period) -> tuple[RegimeStart, ...]:
    """Every regime start in a period of care, in order; the first is on the period's start.

    A review held on the day a regime starts belongs to the new regime (rules.md §3).
    """
    current = opening_timetable(period.episodes[0])
    starts = [RegimeStart(period.start, current)]
    for previous, episode in pairwise(period.episodes):
        change = regime_change(previous, episode, current)
        if change is not None:
            current = change
            starts.append(RegimeStart(episode.decom, change))
    return tuple(starts)

"""Review schedules for a whole return at once (spec/rules.md §2-3, vectorised).

``compute_schedules_bulk`` gives, for column arrays of episodes and reviews of many children,
exactly what ``schedule.compute_schedule`` gives child by child (earlier reviews aside), in time
proportional to the rows: no loop over children or days.

1. Episodes known at the as-at date are sorted by (child, DECOM). Periods of care start where
   neither joining rule of ``periods`` holds for an episode and the one before it (group-wise
   shifts); each period's end comes from its last episode.
2. Regime starts (``regimes``) are found the same way: placed for adoption, adoption ending,
   and the first non-short-break episode of a short-breaks period.
3. Reviews are sorted by (child, date) and classified (unreadable, after as-at, same day,
   outside every period); a ``searchsorted`` of each review's (child, date) key into the period
   starts and the regime starts finds its period and regime (a later start wins ties).
4. Each counted review's sequence is its rank within its regime; its due date applies the
   regime's ``Timetable`` interval to the regime start or the previous review held in the
   period, one numpy call per (timetable, interval).
5. Each child's next review is computed the same way from its last regime start, where its last
   period is open at the as-at date.
"""

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
from numpy.typing import ArrayLike

from .calendar import WorkingCalendar, add_months_array, default_calendar
from .periods import SHORT_BREAK_LEGAL_STATUSES, SHORT_BREAK_STAYS, SHORT_BREAK_WINDOW_MONTHS
from .regimes import (
    AAR36_ADOPTION,
    ADOPTION_ENDED_RESUMES,
    PLACED_FOR_ADOPTION,
    REG33_STANDARD,
    REG48_SHORT_BREAKS,
    STANDARD_RESUMED,
    Interval,
    Regime,
)

#: Regime codes of the output arrays (-1: none).
REGIMES: Final[tuple[Regime, ...]] = ("standard", "short_breaks", "adoption")

#: Review status codes of ``BulkSchedules.review_status``.
COUNTED: Final = 0
OUTSIDE_PERIOD: Final = 1
SAME_DAY: Final = 2
UNREADABLE: Final = 3
AFTER_AS_AT: Final = 4

# Timetable codes: a regime start's timetable is TIMETABLES[code].
_STANDARD, _SHORT_BREAKS, _ADOPTION, _RESUMED = range(4)
TIMETABLES: Final = (REG33_STANDARD, REG48_SHORT_BREAKS, AAR36_ADOPTION, STANDARD_RESUMED)
_REGIME_OF_TIMETABLE = np.array([REGIMES.index(t.regime) for t in TIMETABLES], dtype=np.int8)

_NAT = np.datetime64("NaT", "D")


@dataclass(frozen=True, slots=True)
class EpisodeColumns:
    """SSDA903 episodes as columns: child index, DECOM (``datetime64[D]``) and DEC (NaT while
    open), and the RNE, LS, PLACE and REC codes (strings; REC blank while open)."""

    child: np.ndarray
    decom: np.ndarray
    dec: np.ndarray
    rne: np.ndarray
    ls: np.ndarray
    place: np.ndarray
    rec: np.ndarray


@dataclass(frozen=True, slots=True)
class ReviewColumns:
    """Reviews held as columns: child index and date (``datetime64[D]``, NaT if unreadable)."""

    child: np.ndarray
    date: np.ndarray


@dataclass(frozen=True, slots=True)
class BulkSchedules:
    """Per review row (input order): status (``COUNTED`` ...), due date, on time, regime code
    and sequence (NaT, False, -1, 0 where not counted). Per child: next due date and its
    practical deadline, overdue, regime code and sequence (NaT, False, -1, 0 where no period
    of care is open at the as-at date)."""

    review_status: np.ndarray
    review_due: np.ndarray
    review_on_time: np.ndarray
    review_regime: np.ndarray
    review_sequence: np.ndarray
    next_due: np.ndarray
    next_due_practical: np.ndarray
    overdue: np.ndarray
    next_regime: np.ndarray
    next_sequence: np.ndarray

    @property
    def review_counted(self) -> np.ndarray:
        """True for each review that counts (rules.md §3)."""
        return self.review_status == COUNTED


@dataclass(frozen=True, slots=True)
class _Keys:
    """Sortable int64 keys of (child, day): ``child * span + (day - base)``."""

    base: np.datetime64
    span: int

    def of(self, child: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The key of each (child, day)."""
        return child * self.span + (day - self.base).astype(np.int64)

    def child(self, key: np.ndarray) -> np.ndarray:
        """The child of each key."""
        return key // self.span

    def day(self, key: np.ndarray) -> np.ndarray:
        """The day of each key."""
        return self.base + (key % self.span).astype("timedelta64[D]")


@dataclass(frozen=True, slots=True)
class _Episodes:
    """Episodes known at the as-at date, sorted by (child, DECOM), with their rule flags."""

    child: np.ndarray
    key: np.ndarray
    decom: np.ndarray
    dec: np.ndarray
    stay: np.ndarray  # LS V3
    short_break: np.ndarray  # LS V3 or V4
    adoption: np.ndarray  # PLACE A3-A6
    x1: np.ndarray  # REC X1
    rne_s: np.ndarray  # RNE S


@dataclass(frozen=True, slots=True)
class _Starts:
    """Period or regime starts, sorted by key: the row of each, its child, day and key."""

    row: np.ndarray
    child: np.ndarray
    day: np.ndarray
    key: np.ndarray

    def last_at_or_before(self, key: np.ndarray) -> np.ndarray:
        """The index of the last start with a key <= each key (-1 where none); a later start
        wins ties."""
        return np.searchsorted(self.key, key, side="right") - 1


@dataclass(frozen=True, slots=True)
class _Counted:
    """Reviews that count, sorted by (child, date): input row, child, date, key and period."""

    row: np.ndarray
    child: np.ndarray
    day: np.ndarray
    key: np.ndarray
    period: np.ndarray


@dataclass(frozen=True, slots=True)
class _Regimes:
    """Regime starts with their period and resolved timetable code."""

    starts: _Starts
    period: np.ndarray
    timetable: np.ndarray


def _at(values: np.ndarray, index: np.ndarray, missing: ArrayLike) -> np.ndarray:
    """``values[index]``, or ``missing`` where the index is -1 (nothing found)."""
    if values.size == 0:
        return np.full(index.shape, missing, dtype=values.dtype)
    return np.where(index >= 0, values[np.maximum(index, 0)], missing)


def _starts_at(ep: _Episodes, flags: np.ndarray) -> _Starts:
    """The episodes flagged as starts, as ``_Starts``."""
    rows = np.flatnonzero(flags)
    return _Starts(rows, ep.child[rows], ep.decom[rows], ep.key[rows])


def _scatter(size: int, rows: np.ndarray, values: np.ndarray, fill: object) -> np.ndarray:
    """An array of ``size`` elements holding ``values`` at ``rows`` and ``fill`` elsewhere."""
    out = np.full(size, fill, dtype=values.dtype)
    out[rows] = values
    return out


def _stable_sort(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``order = np.argsort(key, kind="stable")`` and ``key[order]`` for non-negative keys,
    faster: each key is packed with its position into one int64 and the values sorted (falling
    back where they would not fit)."""
    n = key.size
    if n == 0 or int(key.max()) >= np.iinfo(np.int64).max // n - 1:
        order = np.argsort(key, kind="stable")
        return order, key[order]
    packed = np.sort(key * n + np.arange(n))
    return packed % n, packed // n


def _codes_in(column: np.ndarray, codes: frozenset[str] | str) -> np.ndarray:
    """True where a code column holds one of ``codes``."""
    column = np.asarray(column)
    if column.dtype.kind != "U":
        column = column.astype(str)
    found = np.zeros(column.shape, dtype=bool)
    for code in sorted({codes} if isinstance(codes, str) else codes):
        found |= column == code
    return found


def _keys(episodes: EpisodeColumns, reviews: ReviewColumns, as_at: np.datetime64) -> _Keys:
    """Key scheme covering every DECOM and review date up to ``as_at``."""
    days = np.concatenate(
        [np.asarray(episodes.decom, "datetime64[D]"), np.asarray(reviews.date, "datetime64[D]")]
    )
    days = days[~np.isnat(days) & (days <= as_at)]
    base = days.min() if days.size else as_at
    return _Keys(base, int((as_at - base).astype(np.int64)) + 1)


def _known_episodes(columns: EpisodeColumns, as_at: np.datetime64, keys: _Keys) -> _Episodes:
    """``periods.episodes_known_at``, sorted by (child, DECOM), stable for equal DECOMs."""
    decom = np.asarray(columns.decom, "datetime64[D]")
    dec = np.asarray(columns.dec, "datetime64[D]")
    child = np.asarray(columns.child, np.int64)
    known = np.flatnonzero(decom <= as_at)
    order, key = _stable_sort(keys.of(child[known], decom[known]))
    rows = known[order]
    dec = dec[rows]
    still_open = np.isnat(dec) | (dec > as_at)
    return _Episodes(
        child=keys.child(key),
        key=key,
        decom=keys.day(key),
        dec=np.where(still_open, _NAT, dec),
        stay=_codes_in(columns.ls, SHORT_BREAK_STAYS)[rows],
        short_break=_codes_in(columns.ls, SHORT_BREAK_LEGAL_STATUSES)[rows],
        adoption=_codes_in(columns.place, PLACED_FOR_ADOPTION)[rows],
        x1=_codes_in(columns.rec, "X1")[rows] & ~still_open,
        rne_s=_codes_in(columns.rne, "S")[rows],
    )


def _period_starts(ep: _Episodes, window_months: int) -> np.ndarray:
    """True where an episode starts a period of care: the child's first episode, or one that
    neither ``continues_by_x1`` nor ``continues_short_break_series`` the episode before."""
    prev_dec = ep.dec[:-1]
    by_x1 = ep.x1[:-1] & (prev_dec == ep.decom[1:]) & ~ep.rne_s[1:]
    series = (
        ep.stay[:-1]
        & ep.stay[1:]
        & ~np.isnat(prev_dec)
        & (ep.decom[1:] <= add_months_array(prev_dec, window_months))
    )
    starts = np.ones(ep.child.size, dtype=bool)
    starts[1:] = (ep.child[1:] != ep.child[:-1]) | ~(by_x1 | series)
    return starts


def _period_ends(ep: _Episodes, first_rows: np.ndarray, window_months: int) -> np.ndarray:
    """``periods.period_end`` of each period, from its last episode."""
    last = np.append(first_rows[1:] - 1, ep.child.size - 1) if first_rows.size else first_rows
    last_dec = ep.dec[last]
    series = ep.stay[last] & ~np.isnat(last_dec)
    return np.where(series, add_months_array(last_dec, window_months), last_dec)


def _regime_starts(ep: _Episodes, period_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``regimes.regime_starts`` for every episode: whether it starts a regime and the code of
    the timetable it starts."""
    prev_adoption = np.zeros_like(ep.adoption)
    prev_adoption[1:] = ep.adoption[:-1]
    prev_adoption &= ~period_start
    adoption_starts = ep.adoption & ~prev_adoption
    adoption_ends = ~ep.adoption & prev_adoption
    # The short-breaks regime lasts while every episode of the period so far is a short break
    # not placed for adoption; the first other episode ends it.
    leaves_short_breaks = (~ep.short_break | ep.adoption).astype(np.int64)
    before = np.cumsum(leaves_short_breaks) - leaves_short_breaks
    period_index = np.cumsum(period_start) - 1
    left_before = before - before[np.flatnonzero(period_start)][period_index]
    reg48_ends = ~period_start & (left_before == 0) & ~ep.short_break & ~ep.adoption
    starts = period_start | adoption_starts | adoption_ends | reg48_ends
    code = np.full(ep.child.size, _STANDARD, dtype=np.int8)
    code[period_start & ep.short_break] = _SHORT_BREAKS
    code[adoption_ends] = _RESUMED
    code[adoption_starts] = _ADOPTION
    return starts, code


def _after(interval: Interval, days: np.ndarray, calendar: WorkingCalendar) -> np.ndarray:
    """``Interval.after`` for each element."""
    match interval.unit:
        case "working_days":
            return calendar.add_working_days_array(days, interval.count)
        case "days":
            return days + np.timedelta64(interval.count, "D")
        case "months":
            return add_months_array(days, interval.count)


def _due(
    timetable: np.ndarray,
    sequence: np.ndarray,
    regime_start: np.ndarray,
    previous_held: np.ndarray,
    calendar: WorkingCalendar,
) -> np.ndarray:
    """``Timetable.due`` for each element, one numpy call per (timetable, interval): the
    elements are grouped by (timetable, interval) with one stable sort."""
    step = np.minimum(sequence, 3) - 1
    combined = (timetable.astype(np.int64) * 3 + step).astype(np.int16)
    order = np.argsort(combined, kind="stable")
    ends = np.cumsum(np.bincount(combined, minlength=len(TIMETABLES) * 3)).tolist()
    due = np.full(sequence.shape, _NAT)
    for code, table in enumerate(TIMETABLES):
        for index, interval in enumerate((table.first, table.second, table.later)):
            group = code * 3 + index
            lanes = order[(ends[group - 1] if group else 0) : ends[group]]
            if lanes.size:
                from_start = index == 0 and not table.first_from_previous_review
                anchor = (regime_start if from_start else previous_held)[lanes]
                due[lanes] = _after(interval, anchor, calendar)
    return due


def _classify_reviews(
    columns: ReviewColumns,
    as_at: np.datetime64,
    keys: _Keys,
    periods: _Starts,
    period_end: np.ndarray,
) -> tuple[np.ndarray, _Counted]:
    """``schedule.reviews_that_count`` for every review: the status of each row and the
    reviews that count. The first of several reviews on one day (in input order) is the one
    checked against the periods; the others are same-day errors."""
    day = np.asarray(columns.date, "datetime64[D]")
    child = np.asarray(columns.child, np.int64)
    status = np.full(day.size, COUNTED, dtype=np.int8)
    unreadable = np.isnat(day)
    after = ~unreadable & (day > as_at)
    status[unreadable] = UNREADABLE
    status[after] = AFTER_AS_AT
    valid = np.flatnonzero(~unreadable & ~after)
    order, key = _stable_sort(keys.of(child[valid], day[valid]))
    rows = valid[order]
    repeat = np.zeros(rows.size, dtype=bool)
    repeat[1:] = key[1:] == key[:-1]
    status[rows[repeat]] = SAME_DAY
    rows, key = rows[~repeat], key[~repeat]
    child, day = keys.child(key), keys.day(key)
    period = periods.last_at_or_before(key)
    end = _at(period_end, period, _NAT)
    inside = (_at(periods.child, period, -1) == child) & (np.isnat(end) | (day <= end))
    status[rows[~inside]] = OUTSIDE_PERIOD
    return status, _Counted(rows[inside], child[inside], day[inside], key[inside], period[inside])


def _resolve_resumed(
    timetable: np.ndarray,
    regimes: _Starts,
    regime_period: np.ndarray,
    counted: _Counted,
    resumes_from_last_review: bool = ADOPTION_ENDED_RESUMES,
) -> np.ndarray:
    """``regimes.standard_resumed`` for each regime start: a resumed standard regime with no
    review held earlier in its period, or where the authority chose so, starts afresh."""
    if not resumes_from_last_review:
        return np.where(timetable == _RESUMED, _STANDARD, timetable)
    prior = np.searchsorted(counted.key, regimes.key, side="left") - 1
    held_before = _at(counted.period, prior, -1) == regime_period
    return np.where((timetable == _RESUMED) & ~held_before, _STANDARD, timetable)


def _rank_within(group: np.ndarray) -> np.ndarray:
    """The 0-based position of each element within its run of equal values."""
    first = np.ones(group.size, dtype=bool)
    first[1:] = group[1:] != group[:-1]
    index = np.arange(group.size)
    return index - np.maximum.accumulate(np.where(first, index, 0))


def _previous_in_period(counted: _Counted) -> np.ndarray:
    """The previous review held in the same period (NaT for a period's first)."""
    previous = np.full(counted.day.size, _NAT)
    if counted.day.size:
        same = counted.period[1:] == counted.period[:-1]
        previous[1:] = np.where(same, counted.day[:-1], _NAT)
    return previous


def _review_schedule(
    counted: _Counted, regimes: _Regimes, calendar: WorkingCalendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each counted review's regime start (the last on or before its date), sequence within
    that regime and due date."""
    regime = regimes.starts.last_at_or_before(counted.key)
    sequence = _rank_within(regime) + 1
    due = _due(
        regimes.timetable[regime],
        sequence,
        regimes.starts.day[regime],
        _previous_in_period(counted),
        calendar,
    )
    return regime, sequence, due


def _next_reviews(
    n_children: int,
    periods: _Starts,
    period_end: np.ndarray,
    regimes: _Regimes,
    counted: _Counted,
    counted_regime: np.ndarray,
    as_at: np.datetime64,
    calendar: WorkingCalendar,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The children whose last period of care is open at ``as_at`` (``periods.period_open_at``:
    one ending on ``as_at`` is closed) and, for each, the next
    review's due date, timetable code and sequence in its last regime."""
    children = np.arange(n_children)
    last_period = np.searchsorted(periods.child, children, side="right") - 1
    end = _at(period_end, last_period, _NAT)
    is_open = (_at(periods.child, last_period, -1) == children) & (np.isnat(end) | (end > as_at))
    open_children = np.flatnonzero(is_open)
    last_regime = np.searchsorted(regimes.starts.child, open_children, side="right") - 1
    last_review = np.searchsorted(counted.child, open_children, side="right") - 1
    in_period = _at(counted.period, last_review, -1) == last_period[open_children]
    previous = np.where(in_period, _at(counted.day, last_review, _NAT), _NAT)
    sequence = np.bincount(counted_regime, minlength=regimes.period.size)[last_regime] + 1
    timetable = regimes.timetable[last_regime]
    due = _due(timetable, sequence, regimes.starts.day[last_regime], previous, calendar)
    return open_children, due, timetable, sequence


def compute_schedules_bulk(
    episodes: EpisodeColumns,
    reviews: ReviewColumns,
    n_children: int,
    as_at: date,
    calendar: WorkingCalendar | None = None,
    *,
    short_break_window_months: int = SHORT_BREAK_WINDOW_MONTHS,
    adoption_ended_resumes: bool = ADOPTION_ENDED_RESUMES,
) -> BulkSchedules:
    """``schedule.compute_schedule`` (without earlier reviews) for children
    ``0 .. n_children - 1`` at once, from column arrays; see the module docstring."""
    calendar = calendar or default_calendar()
    at = np.datetime64(as_at, "D")
    keys = _keys(episodes, reviews, at)
    ep = _known_episodes(episodes, at, keys)
    period_flags = _period_starts(ep, short_break_window_months)
    periods = _starts_at(ep, period_flags)
    period_end = _period_ends(ep, periods.row, short_break_window_months)
    status, counted = _classify_reviews(reviews, at, keys, periods, period_end)

    regime_flags, regime_code = _regime_starts(ep, period_flags)
    starts = _starts_at(ep, regime_flags)
    regime_period = (np.cumsum(period_flags) - 1)[starts.row]
    timetable = _resolve_resumed(
        regime_code[starts.row], starts, regime_period, counted, adoption_ended_resumes
    )
    regimes = _Regimes(starts, regime_period, timetable)

    regime, sequence, due = _review_schedule(counted, regimes, calendar)
    open_children, next_due, next_timetable, next_sequence = _next_reviews(
        n_children, periods, period_end, regimes, counted, regime, at, calendar
    )
    n_reviews, rows = status.size, counted.row
    next_due = _scatter(n_children, open_children, next_due, _NAT)
    return BulkSchedules(
        review_status=status,
        review_due=_scatter(n_reviews, rows, due, _NAT),
        review_on_time=_scatter(n_reviews, rows, counted.day <= due, False),
        review_regime=_scatter(n_reviews, rows, _REGIME_OF_TIMETABLE[timetable[regime]], -1),
        review_sequence=_scatter(n_reviews, rows, sequence.astype(np.int32), 0),
        next_due=next_due,
        next_due_practical=calendar.last_working_day_on_or_before_array(next_due),
        overdue=~np.isnat(next_due) & (next_due < at),
        next_regime=_scatter(n_children, open_children, _REGIME_OF_TIMETABLE[next_timetable], -1),
        next_sequence=_scatter(n_children, open_children, next_sequence.astype(np.int32), 0),
    )

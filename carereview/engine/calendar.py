"""Working days and calendar months (spec/rules.md §1).

A working day is Monday to Friday except a bank holiday in England and Wales. The bank holidays
come from the caller (the administrator's table) and default to the ``holidays`` package: for
the years of ``bank_holidays_england_wales`` (generated from that package by
``tools/bank_holidays.py``, and tested to equal it) without importing it, which would cost every
start of ``carereview ssda903 check`` a fifth of a second.
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import cache

import numpy as np

from . import bank_holidays_england_wales as cached_bank_holidays

_ONE_DAY = timedelta(days=1)
_NAT = np.datetime64("NaT", "D")


def _month_length(year: int, month: int) -> int:
    """Days in the given month."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - _ONE_DAY).day


def add_months(d: date, n: int) -> date:
    """The same day of the month ``n`` months later, clipped to that month's last day.

    rules.md §1: 31 Aug 2026 + 6 months = 28 Feb 2027.
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(year, month0 + 1, min(d.day, _month_length(year, month0 + 1)))


def add_months_array(days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """``add_months`` for each element of a ``datetime64[D]`` array (NaT stays NaT).

    Converting every date to a month is slow in numpy, so the months spanned (targets included)
    are laid out once as a table of first days and lengths; each date then finds its month and
    day by lookup, and its target by month arithmetic with the day clipped to the month's
    length. Where ``n`` is one number, that is done once per day spanned (``_by_day``).
    Proportional to the array's length plus the days it spans.
    """
    shift = np.asarray(n, dtype=np.int64)
    if shift.ndim == 0:
        return _by_day(lambda known: _add_months_known(known, shift), days)
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.full(days.shape, _NAT)
    known = ~np.isnat(days)
    if known.any():
        out[known] = _add_months_known(days[known], np.broadcast_to(shift, days.shape)[known])
    return out


def _by_day(function: Callable[[np.ndarray], np.ndarray], days: np.ndarray) -> np.ndarray:
    """``function`` (of dates, none NaT) of each element of a ``datetime64[D]`` array, NaT
    staying NaT. Where the elements outnumber the days from the earliest to the latest, the
    function is worked out once for each of those days and each element looks its answer up."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.full(days.shape, _NAT)
    known = ~np.isnat(days)
    if not known.any():
        return out
    start = days[known]
    low, high = start.min(), start.max()
    span = int((high - low).astype(np.int64)) + 1
    if span < start.size:
        answers = function(np.arange(low, high + 1, dtype="datetime64[D]"))
        out[known] = answers[(start - low).astype(np.int64)]
    else:
        out[known] = function(start)
    return out


def _add_months_known(start: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """``add_months`` of each date (none NaT) by each number of months (or one for all), by
    the table of months."""
    first, last = start.min().astype("datetime64[M]"), start.max().astype("datetime64[M]")
    months = np.arange(first + min(0, shift.min()), last + max(0, shift.max()) + 2)
    month_starts = months.astype("datetime64[D]")
    lengths = np.diff(month_starts).astype(np.int64)
    month_of_day = np.repeat(np.arange(lengths.size), lengths)
    offset = (start - month_starts[0]).astype(np.int64)
    month = month_of_day[offset]
    day_index = offset - (month_starts[month] - month_starts[0]).astype(np.int64)
    target = month + shift
    return month_starts[target] + np.minimum(day_index, lengths[target] - 1)


class WorkingCalendar:
    """Working days: Monday to Friday, except the given bank holidays (rules.md §1)."""

    __slots__ = ("_busdaycal", "bank_holidays")

    bank_holidays: frozenset[date]

    def __init__(self, bank_holidays: Iterable[date]) -> None:
        self.bank_holidays = frozenset(bank_holidays)
        self._busdaycal = np.busdaycalendar(
            holidays=np.array(sorted(self.bank_holidays), dtype="datetime64[D]")
        )

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a bank holiday."""
        return d.weekday() < 5 and d not in self.bank_holidays

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d``; ``d`` itself never counts (0 gives ``d``).

        rules.md §1: 2 Nov 2026 + 20 working days = 30 Nov 2026.
        """
        if n < 0:
            raise ValueError(f"add_working_days needs n >= 0, not {n}")
        while n:
            d += _ONE_DAY
            n -= self.is_working_day(d)
        return d

    def subtract_working_days(self, d: date, n: int) -> date:
        """The n-th working day before ``d``; ``d`` itself never counts (0 gives ``d``).

        "At least 15 working days before the review" is met on or before this date.
        """
        if n < 0:
            raise ValueError(f"subtract_working_days needs n >= 0, not {n}")
        while n:
            d -= _ONE_DAY
            n -= self.is_working_day(d)
        return d

    def last_working_day_on_or_before(self, d: date) -> date:
        """The practical deadline for a due date that falls on a non-working day (rules.md §1)."""
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def practical_deadline(self, due: date, not_before: date | None = None) -> date:
        """rules.md §1: a due date is never moved; beside one on a non-working day the system
        shows the last working day on or before it, never before ``not_before`` (the review a
        midway check follows, say)."""
        practical = self.last_working_day_on_or_before(due)
        return practical if not_before is None else max(practical, not_before)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; where ``b < a``, minus those after
        ``b`` up to and including ``a``."""
        if b < a:
            return -self.working_days_between(b, a)
        after_a, through_b = np.datetime64(a + _ONE_DAY), np.datetime64(b + _ONE_DAY)
        return int(np.busday_count(after_a, through_b, busdaycal=self._busdaycal))

    def last_working_day_on_or_before_array(self, days: np.ndarray) -> np.ndarray:
        """``last_working_day_on_or_before`` for each element of a ``datetime64[D]`` array."""
        return _by_day(
            lambda known: np.busday_offset(known, 0, roll="backward", busdaycal=self._busdaycal),
            days,
        )

    def add_working_days_array(self, days: np.ndarray, n: int) -> np.ndarray:
        """``add_working_days`` for each element of a ``datetime64[D]`` array (NaT stays NaT).

        Rolling back to the last working day on or before each date first makes a non-working
        start count from the same working days as ``add_working_days`` does.
        """
        days = np.asarray(days, dtype="datetime64[D]")
        if n < 0:
            raise ValueError(f"add_working_days_array needs n >= 0, not {n}")
        if n == 0:
            return days.copy()
        return _by_day(
            lambda known: np.busday_offset(known, n, roll="backward", busdaycal=self._busdaycal),
            days,
        )


def england_and_wales_bank_holidays(first_year: int, last_year: int) -> list[date]:
    """Bank holidays in England and Wales, first_year to last_year inclusive, in date order.

    Seeded from ``holidays.UK(subdiv="ENG")``: Good Friday, Christmas Day, substitute days and
    one-off days (such as 19 Sep 2022) included. Years that ``bank_holidays_england_wales``
    covers are read from it (the same dates); others from the package itself.
    """
    cached = cached_bank_holidays
    if cached.FIRST_YEAR <= first_year and last_year <= cached.LAST_YEAR:
        first, last = f"{first_year:04d}", f"{last_year + 1:04d}"
        return [date.fromisoformat(day) for day in cached.DATES if first <= day < last]
    return bank_holidays_from_package(first_year, last_year)


def bank_holidays_from_package(first_year: int, last_year: int) -> list[date]:
    """``england_and_wales_bank_holidays`` straight from the ``holidays`` package (imported only
    here: it is slow to import)."""
    import holidays

    return sorted(holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1)))


@cache
def default_calendar() -> WorkingCalendar:
    """The calendar used when none is given: England and Wales bank holidays, 1990 to 2060."""
    return WorkingCalendar(england_and_wales_bank_holidays(1990, 2060))

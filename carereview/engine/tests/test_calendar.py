"""rules.md §1: working days and calendar months."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carereview.engine import bank_holidays_england_wales as cached
from carereview.engine.calendar import (
    WorkingCalendar,
    add_months,
    add_months_array,
    bank_holidays_from_package,
    default_calendar,
    england_and_wales_bank_holidays,
)

from .build import d

CAL = default_calendar()
days = st.dates(min_value=date(1991, 1, 1), max_value=date(2059, 12, 31))


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        ("02/11/2026", 20, "30/11/2026", "rules.md §1 example"),
        ("19/12/2025", 20, "21/01/2026", "Christmas Day, Boxing Day, New Year's Day skipped"),
        ("27/03/2026", 20, "28/04/2026", "Good Friday and Easter Monday 2026 skipped"),
        ("01/03/2024", 20, "02/04/2024", "Good Friday and Easter Monday 2024 skipped"),
        ("02/01/2025", 20, "30/01/2025", "starts the day after New Year's Day"),
        ("31/08/2024", 20, "27/09/2024", "a Saturday start counts from Monday"),
        ("01/04/2023", 20, "03/05/2023", "Easter and the early May bank holiday 2023"),
        ("01/09/2022", 20, "30/09/2022", "the one-off 19 Sep 2022 bank holiday"),
        ("23/12/2022", 3, "30/12/2022", "substitute Christmas Day 27 Dec 2022"),
        ("24/12/2026", 1, "29/12/2026", "Christmas on a Friday: Boxing Day substituted to Monday"),
        ("05/05/2023", 1, "09/05/2023", "the Coronation bank holiday, 8 May 2023"),
        ("03/11/2026", 0, "03/11/2026", "zero working days"),
    ],
)
def test_add_working_days(start, n, expected, why):
    assert CAL.add_working_days(d(start), n) == d(expected), why


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 11, 2), -1)
    with pytest.raises(ValueError):
        CAL.add_working_days_array(np.array(["2026-11-02"], "datetime64[D]"), -1)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("31/08/2026", 6, "28/02/2027"),  # rules.md §1 example: clipped to February's end
        ("29/11/2024", 3, "28/02/2025"),  # golden G09
        ("30/11/2023", 3, "29/02/2024"),  # leap year
        ("29/02/2024", 12, "28/02/2025"),  # from a leap day
        ("31/01/2024", 1, "29/02/2024"),
        ("31/03/2026", 6, "30/09/2026"),
        ("15/11/2025", 3, "15/02/2026"),  # across a year end
        ("21/01/2026", 3, "21/04/2026"),
        ("31/03/2026", -1, "28/02/2026"),
        ("10/01/2025", 0, "10/01/2025"),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("due", "practical", "why"),
    [
        ("28/12/2024", "27/12/2024", "a Saturday"),
        ("28/12/2026", "24/12/2026", "substitute Boxing Day after Christmas on Friday"),
        ("06/04/2026", "02/04/2026", "Easter Monday, then Good Friday"),
        ("19/09/2022", "16/09/2022", "the State Funeral bank holiday"),
        ("30/11/2026", "30/11/2026", "a working day is its own practical deadline"),
    ],
)
def test_last_working_day_on_or_before(due, practical, why):
    assert CAL.last_working_day_on_or_before(d(due)) == d(practical), why


def test_working_days_between():
    assert CAL.working_days_between(d("02/11/2026"), d("30/11/2026")) == 20
    assert CAL.working_days_between(d("30/11/2026"), d("02/11/2026")) == -20
    assert CAL.working_days_between(d("24/12/2026"), d("29/12/2026")) == 1
    assert CAL.working_days_between(d("02/11/2026"), d("02/11/2026")) == 0


def test_england_and_wales_bank_holidays():
    bank_holidays = set(england_and_wales_bank_holidays(2022, 2023))
    assert {d("19/09/2022"), d("03/06/2022"), d("27/12/2022"), d("08/05/2023")} <= bank_holidays
    assert d("07/04/2023") in bank_holidays  # Good Friday
    assert d("17/03/2023") not in bank_holidays  # St Patrick's Day is Northern Ireland's
    assert d("19/09/2022") in CAL.bank_holidays


def test_the_cached_bank_holidays_are_the_holidays_package_s():
    """The module the default calendar reads is ``holidays.UK(subdiv="ENG")``'s output for the
    years it covers (else rerun ``python tools/bank_holidays.py``)."""
    years = (cached.FIRST_YEAR, cached.LAST_YEAR)
    from_package = bank_holidays_from_package(*years)
    assert [date.fromisoformat(day) for day in cached.DATES] == from_package
    assert england_and_wales_bank_holidays(*years) == from_package
    assert england_and_wales_bank_holidays(2022, 2023) == bank_holidays_from_package(2022, 2023)
    assert CAL.bank_holidays == frozenset(from_package)


def test_bank_holidays_outside_the_cached_years_come_from_the_package():
    after = cached.LAST_YEAR + 1
    assert england_and_wales_bank_holidays(after, after) == bank_holidays_from_package(after, after)
    assert date(after, 12, 25) in england_and_wales_bank_holidays(after - 1, after)


def test_a_calendar_takes_new_bank_holidays():
    """An administrator adds a bank holiday made by proclamation (rules.md §1)."""
    proclaimed = WorkingCalendar([*CAL.bank_holidays, d("16/11/2026")])
    assert proclaimed.add_working_days(d("02/11/2026"), 20) == d("01/12/2026")
    assert not proclaimed.is_working_day(d("16/11/2026"))
    assert CAL.is_working_day(d("16/11/2026"))


@given(start=days, n=st.integers(1, 70))
def test_add_working_days_lands_on_a_working_day_n_working_days_later(start, n):
    result = CAL.add_working_days(start, n)
    assert result > start
    assert CAL.is_working_day(result)
    assert CAL.working_days_between(start, result) == n
    assert CAL.working_days_between(start, result - timedelta(days=1)) == n - 1


@settings(deadline=None)
@given(starts=st.lists(days, max_size=30), n=st.integers(0, 70), gaps=st.booleans())
def test_add_working_days_array_agrees_with_add_working_days(starts, n, gaps):
    values = [*starts, None] if gaps else starts
    array = np.array([s or "NaT" for s in values], dtype="datetime64[D]")
    result = CAL.add_working_days_array(array, n)
    expected = [CAL.add_working_days(s, n) if s else None for s in values]
    assert [None if np.isnat(r) else r.astype(date) for r in result] == expected


@given(start=days, n=st.integers(-30, 30))
def test_add_months_keeps_the_day_or_clips_to_month_end(start, n):
    result = add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n
    assert result.day == start.day or (
        result.day < start.day and (result + timedelta(days=1)).day == 1
    )


@given(starts=st.lists(days | st.none(), max_size=30), data=st.data())
def test_add_months_array_agrees_with_add_months(starts, data):
    n = data.draw(st.lists(st.integers(-24, 24), min_size=len(starts), max_size=len(starts)))
    array = np.array([s or "NaT" for s in starts], dtype="datetime64[D]")
    result = add_months_array(array, np.array(n, dtype=np.int64))
    expected = [add_months(s, k) if s else None for s, k in zip(starts, n, strict=True)]
    assert [None if np.isnat(r) else r.astype(date) for r in result] == expected


@settings(deadline=None)
@given(
    base=days,
    offsets=st.lists(st.integers(0, 40) | st.none(), min_size=60, max_size=150),
    n=st.integers(0, 70),
    months=st.integers(-30, 30),
)
def test_array_functions_agree_when_dates_outnumber_the_days_they_span(base, offsets, n, months):
    """Many dates over few days: each answer is worked out once per day and looked up."""
    values = [None if k is None else base + timedelta(days=k) for k in offsets]
    array = np.array([v or "NaT" for v in values], dtype="datetime64[D]")

    def as_dates(result: np.ndarray) -> list:
        return [None if np.isnat(r) else r.astype(date) for r in result]

    assert as_dates(CAL.add_working_days_array(array, n)) == [
        CAL.add_working_days(v, n) if v else None for v in values
    ]
    assert as_dates(add_months_array(array, months)) == [
        add_months(v, months) if v else None for v in values
    ]
    assert as_dates(CAL.last_working_day_on_or_before_array(array)) == [
        CAL.last_working_day_on_or_before(v) if v else None for v in values
    ]


@given(due=days)
def test_last_working_day_on_or_before_is_the_latest_working_day(due):
    practical = CAL.last_working_day_on_or_before(due)
    assert practical <= due and CAL.is_working_day(practical)
    assert CAL.working_days_between(practical, due) == 0
    array = CAL.last_working_day_on_or_before_array(np.array([due], "datetime64[D]"))
    assert array[0].astype(date) == practical


@given(a=days, b=days)
def test_working_days_between_is_antisymmetric(a, b):
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)

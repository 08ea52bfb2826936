"""rules.md §4 "follow-up": the midway check, at the midpoint by default (ours), a working day."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carereview.engine.calendar import WorkingCalendar, add_months, default_calendar
from carereview.engine.midway import DEFAULT_FRACTION, midway_check_due

CAL = default_calendar()


def test_the_default_is_the_midpoint():
    assert DEFAULT_FRACTION == 0.5
    held, due = date(2026, 11, 2), date(2027, 5, 2)
    assert midway_check_due(held, due, calendar=CAL) == midway_check_due(held, due, 0.5, CAL)


def test_six_months_after_a_review_rounds_down_then_back_to_a_friday():
    # 2 Nov 2026 + 6 months = 2 May 2027: 181 days; half is 90.5, so 90 days: Sunday 31 Jan
    # 2027, done by Friday 29 January.
    held = date(2026, 11, 2)
    due = add_months(held, 6)
    assert (due - held).days == 181
    assert midway_check_due(held, due, 0.5, CAL) == date(2027, 1, 29)


def test_a_midpoint_on_christmas_day_falls_back_to_christmas_eve():
    # 26 Oct 2026 to 23 Feb 2027 is 120 days: the midpoint is Friday 25 December 2026.
    assert midway_check_due(date(2026, 10, 26), date(2027, 2, 23), 0.5, CAL) == date(2026, 12, 24)


def test_a_midpoint_on_the_boxing_day_substitute_skips_christmas_too():
    # Boxing Day 2026 is a Saturday; Monday 28 December is the substitute bank holiday.
    assert not CAL.is_working_day(date(2026, 12, 28))
    assert midway_check_due(date(2026, 10, 29), date(2027, 2, 26), 0.5, CAL) == date(2026, 12, 24)


def test_a_midpoint_on_easter_monday_goes_back_over_good_friday():
    # 28 Jan 2027 to 28 May 2027 is 120 days: the midpoint is Easter Monday 29 March 2027.
    assert midway_check_due(date(2027, 1, 28), date(2027, 5, 28), 0.5, CAL) == date(2027, 3, 25)


def test_month_ends_and_a_leap_year():
    # 31 Aug 2026 + 6 months = 28 Feb 2027 (clipped): 181 days, 90 of them: Sunday 29 November.
    held = date(2026, 8, 31)
    assert add_months(held, 6) == date(2027, 2, 28)
    assert midway_check_due(held, date(2027, 2, 28), 0.5, CAL) == date(2026, 11, 27)
    # 31 Aug 2027 + 6 months = 29 Feb 2028: 182 days, 91 of them: Tuesday 30 November 2027.
    assert midway_check_due(date(2027, 8, 31), date(2028, 2, 29), 0.5, CAL) == date(2027, 11, 30)


def test_another_fraction_is_taken_exactly():
    # 0.29 x 100 days is 29 days (a float product would give 28.999... and lose a day).
    assert midway_check_due(date(2026, 1, 1), date(2026, 4, 11), 0.29, CAL) == date(2026, 1, 30)
    assert midway_check_due(date(2026, 1, 1), date(2026, 4, 11), Fraction(29, 100), CAL) == date(
        2026, 1, 30
    )


def test_never_before_the_review_itself():
    # Held Friday 27 Nov 2026, next due Monday 30 November: 1 day in is a Saturday; rolling back
    # would reach the review day itself, which is where it stays.
    assert midway_check_due(date(2026, 11, 27), date(2026, 11, 30), 0.5, CAL) == date(2026, 11, 27)


def test_the_callers_bank_holidays_are_used():
    # A made-up bank holiday on Thursday 14 January 2027 (the midpoint) moves the check a day.
    held, due = date(2026, 12, 15), date(2027, 2, 12)  # 59 days: 29 in is 13 January
    assert midway_check_due(held, due, 0.5, CAL) == date(2027, 1, 13)
    extra = WorkingCalendar(set(CAL.bank_holidays) | {date(2027, 1, 13)})
    assert midway_check_due(held, due, 0.5, extra) == date(2027, 1, 12)


@pytest.mark.parametrize("fraction", [0, 1, -0.5, 1.5])
def test_a_fraction_outside_0_and_1_is_refused(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        midway_check_due(date(2026, 1, 1), date(2026, 7, 1), fraction, CAL)


@pytest.mark.parametrize("due", [date(2026, 1, 1), date(2025, 12, 31)])
def test_a_next_due_date_not_after_the_review_is_refused(due):
    with pytest.raises(ValueError, match="must be after"):
        midway_check_due(date(2026, 1, 1), due, 0.5, CAL)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2055, 12, 31)),
    st.integers(min_value=1, max_value=400),
    st.fractions(min_value=Fraction(1, 100), max_value=Fraction(99, 100)),
)
def test_on_or_before_the_point_a_working_day_and_not_before_the_review(held, gap, fraction):
    due = held + timedelta(days=gap)
    check = midway_check_due(held, due, fraction, CAL)
    point = held + timedelta(days=int(fraction * gap))
    assert held <= check <= point < due
    assert CAL.is_working_day(check) or check == held
    # Nothing between the check and the point is a working day.
    assert all(
        not CAL.is_working_day(check + timedelta(days=k))
        for k in range(1, (point - check).days + 1)
    )

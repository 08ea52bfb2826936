"""rules.md §4 "follow-up": the midway check, at the midpoint by default (ours), a working day."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carereview.engine.calendar import WorkingCalendar, add_months, default_calendar
from carereview.engine.midway import (
    DEFAULT_FRACTION,
    midway_check_due,
)

CAL = default_calendar()


def test_the_default_is_the_midpoint():
    assert DEFAULT_FRACTION == 0.5
    held, due = date(2026, 11, 2), date(2027, 5, 2)
    assert midway_check_due(held, due) == midway_check_due(held, due, 0.5)


def practical(held, due, fraction=0.5, calendar=CAL):
    check = midway_check_due(held, due, fraction)
    return check, calendar.practical_deadline(check, not_before=held)


def test_six_months_after_a_review_rounds_down_and_is_never_moved():
    # 2 Nov 2026 + 6 months = 2 May 2027: 181 days; half is 90.5, so 90 days: Sunday 31 Jan
    # 2027, the due date (rules.md §1), with Friday 29 January the practical deadline.
    held = date(2026, 11, 2)
    due = add_months(held, 6)
    assert (due - held).days == 181
    assert practical(held, due) == (date(2027, 1, 31), date(2027, 1, 29))


def test_a_midpoint_on_christmas_day_has_christmas_eve_as_its_practical_deadline():
    # 26 Oct 2026 to 23 Feb 2027 is 120 days: the midpoint is Friday 25 December 2026.
    assert practical(date(2026, 10, 26), date(2027, 2, 23)) == (
        date(2026, 12, 25),
        date(2026, 12, 24),
    )


def test_a_midpoint_on_the_boxing_day_substitute_skips_christmas_too():
    # Boxing Day 2026 is a Saturday; Monday 28 December is the substitute bank holiday.
    assert not CAL.is_working_day(date(2026, 12, 28))
    assert practical(date(2026, 10, 29), date(2027, 2, 26)) == (
        date(2026, 12, 28),
        date(2026, 12, 24),
    )


def test_a_midpoint_on_easter_monday_goes_back_over_good_friday():
    # 28 Jan 2027 to 28 May 2027 is 120 days: the midpoint is Easter Monday 29 March 2027.
    assert practical(date(2027, 1, 28), date(2027, 5, 28)) == (
        date(2027, 3, 29),
        date(2027, 3, 25),
    )


def test_month_ends_and_a_leap_year():
    # 31 Aug 2026 + 6 months = 28 Feb 2027 (clipped): 181 days, 90 of them: Sunday 29 November.
    held = date(2026, 8, 31)
    assert add_months(held, 6) == date(2027, 2, 28)
    assert practical(held, date(2027, 2, 28)) == (date(2026, 11, 29), date(2026, 11, 27))
    # 31 Aug 2027 + 6 months = 29 Feb 2028: 182 days, 91 of them: Tuesday 30 November 2027.
    assert practical(date(2027, 8, 31), date(2028, 2, 29)) == (
        date(2027, 11, 30),
        date(2027, 11, 30),
    )


def test_another_fraction_is_taken_exactly():
    # 0.29 x 100 days is 29 days (a float product would give 28.999... and lose a day).
    assert midway_check_due(date(2026, 1, 1), date(2026, 4, 11), 0.29) == date(2026, 1, 30)
    assert midway_check_due(date(2026, 1, 1), date(2026, 4, 11), Fraction(29, 100)) == date(
        2026, 1, 30
    )


def test_the_practical_deadline_is_never_before_the_review_itself():
    # Held Friday 27 Nov 2026, next due Monday 30 November: 1 day in is Saturday 28th, the due
    # date; rolling back would reach the review day itself, which is where it stays.
    assert practical(date(2026, 11, 27), date(2026, 11, 30)) == (
        date(2026, 11, 28),
        date(2026, 11, 27),
    )


def test_the_callers_bank_holidays_move_only_the_practical_deadline():
    # A made-up bank holiday on Wednesday 13 January 2027 (the midpoint).
    held, due = date(2026, 12, 15), date(2027, 2, 12)  # 59 days: 29 in is 13 January
    assert practical(held, due) == (date(2027, 1, 13), date(2027, 1, 13))
    extra = WorkingCalendar(set(CAL.bank_holidays) | {date(2027, 1, 13)})
    assert practical(held, due, calendar=extra) == (date(2027, 1, 13), date(2027, 1, 12))


@pytest.mark.parametrize("fraction", [0, 1, -0.5, 1.5])
def test_a_fraction_outside_0_and_1_is_refused(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        midway_check_due(date(2026, 1, 1), date(2026, 7, 1), fraction)


@pytest.mark.parametrize("due", [date(2026, 1, 1), date(2025, 12, 31)])
def test_a_next_due_date_not_after_the_review_is_refused(due):
    with pytest.raises(ValueError, match="must be after"):
        midway_check_due(date(2026, 1, 1), due, 0.5)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2055, 12, 31)),
    st.integers(min_value=1, max_value=400),
    st.fractions(min_value=Fraction(1, 100), max_value=Fraction(99, 100)),
)
def test_the_true_point_and_a_working_day_not_before_the_review_beside_it(held, gap, fraction):
    due = held + timedelta(days=gap)
    check, deadline = practical(held, due, fraction)
    assert check == held + timedelta(days=int(fraction * gap))
    assert held <= deadline <= check < due
    assert CAL.is_working_day(deadline) or deadline == held
    # Nothing between the practical deadline and the due date is a working day.
    assert all(
        not CAL.is_working_day(deadline + timedelta(days=k))
        for k in range(1, (check - deadline).days + 1)
    )

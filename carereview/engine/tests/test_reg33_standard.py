"""CPPCR reg 33(1): the standard timetable, 20 working days, then 3 months, then 6."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carereview.engine.calendar import default_calendar
from carereview.engine.regimes import REG33_STANDARD
from carereview.engine.schedule import compute_schedule

from .build import d, ep

CAL = default_calendar()


@pytest.mark.parametrize(
    ("start", "first_due"),
    [
        ("02/11/2026", "30/11/2026"),  # G01
        ("19/12/2025", "21/01/2026"),  # G02: Christmas and New Year
        ("27/03/2026", "28/04/2026"),  # G03: Easter 2026
        ("31/08/2024", "27/09/2024"),  # G04: a Saturday
        ("02/01/2025", "30/01/2025"),  # G11
        ("01/03/2024", "02/04/2024"),  # G12: Easter 2024
    ],
)
def test_first_review_within_20_working_days(start, first_due):
    assert REG33_STANDARD.due(1, d(start), None, CAL) == d(first_due)


def test_second_within_3_months_of_the_first_held_later_within_6_of_the_previous():
    assert REG33_STANDARD.due(2, d("01/05/2024"), d("29/11/2024"), CAL) == d("28/02/2025")
    assert REG33_STANDARD.due(3, d("19/12/2025"), d("21/04/2026"), CAL) == d("21/10/2026")
    assert REG33_STANDARD.due(7, d("19/12/2025"), d("31/08/2026"), CAL) == d("28/02/2027")


def test_every_review_resets_the_clock():
    """Golden G02: the third review a day late; the next runs from the day it was held."""
    held = [d("21/01/2026"), d("21/04/2026"), d("22/10/2026")]
    schedule = compute_schedule([ep("19/12/2025", ls="V2", place="U4")], held, d("20/11/2026"))
    assert [(r.due, r.on_time, r.sequence) for r in schedule.reviews] == [
        (d("21/01/2026"), True, 1),
        (d("21/04/2026"), True, 2),
        (d("21/10/2026"), False, 3),
    ]
    assert (schedule.next_due, schedule.next_regime, schedule.next_sequence) == (
        d("22/04/2027"),
        "standard",
        4,
    )


def test_later_reviews_need_the_previous_review():
    with pytest.raises(ValueError):
        REG33_STANDARD.due(2, d("01/05/2024"), None, CAL)


@given(start=st.dates(min_value=date(1991, 1, 1), max_value=date(2059, 12, 1)))
def test_first_review_lands_on_a_working_day_20_working_days_after_the_start(start):
    due = REG33_STANDARD.due(1, start, None, CAL)
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(start, due) == 20
    assert (
        CAL.working_days_between(start, CAL.last_working_day_on_or_before(due - (due - due))) == 20
    )

"""rules.md §6: the Representations Procedure (England) Regulations 2006 timescales, worked over
bank holidays (Christmas, Easter, the summer bank holiday) and month ends."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carereview.engine.calendar import WorkingCalendar, default_calendar
from carereview.engine.representations import (
    reg9_complaint_in_time,
    reg9_time_limit,
    reg14_stage1_extension_open,
    reg14_stage1_response_due,
    reg17_stage2_response_due,
    reg18_stage3_request_by,
    reg19_panel_meets_by,
    reg20_panel_report_by,
    reg21_authority_response_due,
    response_clock,
    s26a_advocacy_referral_due,
    stage2_request_by,
)

CAL = default_calendar()


# --- reg 9: within a year of the matter -------------------------------------------------------


def test_a_complaint_is_in_time_up_to_the_same_day_a_year_later():
    assert reg9_time_limit(date(2025, 8, 31)) == date(2026, 8, 31)
    assert reg9_complaint_in_time(date(2025, 8, 31), date(2026, 8, 31))
    assert not reg9_complaint_in_time(date(2025, 8, 31), date(2026, 9, 1))


def test_a_leap_day_matter_runs_to_28_february():
    assert reg9_time_limit(date(2024, 2, 29)) == date(2025, 2, 28)
    assert reg9_complaint_in_time(date(2024, 2, 29), date(2025, 2, 28))
    assert not reg9_complaint_in_time(date(2024, 2, 29), date(2025, 3, 1))


def test_a_complaint_with_no_date_for_the_matter_is_never_out_of_time():
    assert reg9_complaint_in_time(None, date(2026, 11, 2))


# --- reg 14: stage 1, 10 working days, once to 20 ---------------------------------------------


@pytest.mark.parametrize(
    ("received", "due", "extended"),
    [
        # Christmas and New Year: 25 and 28 Dec 2026 and 1 Jan 2027 are not working days.
        (date(2026, 12, 16), date(2027, 1, 4), date(2027, 1, 18)),
        # Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr.
        (date(2026, 3, 31), date(2026, 4, 16), date(2026, 4, 30)),
        # Received on a Saturday at a month end: the count starts on Monday 2 March.
        (date(2026, 2, 28), date(2026, 3, 13), date(2026, 3, 27)),
        # Received on the last day of July; the extension stops short of 31 Aug's holiday.
        (date(2026, 7, 31), date(2026, 8, 14), date(2026, 8, 28)),
        # The extension runs over the summer bank holiday, Monday 31 Aug 2026.
        (date(2026, 8, 14), date(2026, 8, 28), date(2026, 9, 14)),
    ],
)
def test_stage1_response_due_in_10_working_days_extendable_to_20(received, due, extended):
    assert reg14_stage1_response_due(received, CAL) == due
    assert reg14_stage1_response_due(received, CAL, extended=True) == extended


def test_stage1_may_be_extended_only_while_the_10_working_days_run():
    received = date(2026, 12, 16)
    assert reg14_stage1_extension_open(received, date(2026, 12, 16), CAL)
    assert reg14_stage1_extension_open(received, date(2027, 1, 4), CAL)  # the last day
    assert not reg14_stage1_extension_open(received, date(2027, 1, 5), CAL)


def test_stage2_may_be_asked_for_within_20_working_days_of_the_stage1_response():
    # Response Friday 18 Dec 2026: over Christmas and New Year to Wednesday 20 Jan 2027.
    assert stage2_request_by(date(2026, 12, 18), CAL) == date(2027, 1, 20)


# --- reg 17: stage 2, 25 working days, up to 65 -----------------------------------------------


def test_stage2_response_25_working_days_over_easter_and_65_over_two_may_holidays():
    # Requested Monday 1 Mar 2027: Good Friday 26 Mar and Easter Monday 29 Mar 2027 skipped.
    assert reg17_stage2_response_due(date(2027, 3, 1), CAL) == date(2027, 4, 7)
    # 65: also past the early May (3 May) and spring (31 May) bank holidays.
    assert reg17_stage2_response_due(date(2027, 3, 1), CAL, extended=True) == date(2027, 6, 4)


# --- regs 18 to 21: stage 3 -------------------------------------------------------------------


def test_stage3_from_request_to_the_authoritys_response():
    # Stage 2 answered Friday 27 Nov 2026: a panel may be asked for up to Tuesday 29 Dec 2026.
    requested = reg18_stage3_request_by(date(2026, 11, 27), CAL)
    assert requested == date(2026, 12, 29)
    # Asked for that day: the panel meets by Wednesday 10 Feb 2027 (1 Jan skipped).
    assert reg19_panel_meets_by(requested, CAL) == date(2027, 2, 10)
    # Its report 5 working days later, the authority's response 15 after that.
    assert reg20_panel_report_by(date(2027, 2, 10), CAL) == date(2027, 2, 17)
    assert reg21_authority_response_due(date(2027, 2, 17), CAL) == date(2027, 3, 10)


def test_a_panel_report_over_easter_2027():
    # Met Wednesday 24 Mar 2027: Thursday 25, (Good Friday, Easter Monday), 30, 31 Mar, 1, 2 Apr.
    assert reg20_panel_report_by(date(2027, 3, 24), CAL) == date(2027, 4, 2)


def test_an_authority_response_across_a_month_end():
    # Report Monday 31 Jan 2028: 15 working days is Monday 21 Feb 2028 (a leap February).
    assert reg21_authority_response_due(date(2028, 1, 31), CAL) == date(2028, 2, 21)


# --- s26A: the referral to the advocacy service (ours, a setting) -----------------------------


def test_advocacy_referral_due_counts_working_days_from_the_request():
    # Asked for on Maundy Thursday 2026: 2 working days later is Wednesday 8 April.
    assert s26a_advocacy_referral_due(date(2026, 4, 2), CAL, 2) == date(2026, 4, 8)


# --- how a response stands -------------------------------------------------------------------


def test_response_clock_counts_working_days_left_and_late():
    due = date(2027, 1, 4)
    # On 31 Dec 2026 one working day is left (1 Jan is a bank holiday).
    clock = response_clock(due, None, date(2026, 12, 31), CAL)
    assert (clock.working_days_left, clock.status) == (1, "waiting")
    assert response_clock(due, None, due, CAL).status == "waiting"
    late = response_clock(due, None, date(2027, 1, 6), CAL)
    assert (late.working_days_left, late.late, late.status) == (-2, True, "late")
    assert response_clock(due, due, date(2027, 2, 1), CAL).status == "responded on time"
    assert response_clock(due, date(2027, 1, 5), date(2027, 2, 1), CAL).status == "responded late"


def test_a_holiday_table_from_the_caller_is_the_one_used():
    # An administrator adds a one-off day (as 19 Sep 2022): stage 1 moves by a day.
    received = date(2022, 9, 12)
    assert reg14_stage1_response_due(received, CAL) == date(2022, 9, 27)
    assert reg14_stage1_response_due(received, WorkingCalendar([])) == date(2022, 9, 26)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2055, 12, 31)))
def test_the_extension_is_10_more_working_days_and_every_due_date_is_a_working_day(received):
    due = reg14_stage1_response_due(received, CAL)
    extended = reg14_stage1_response_due(received, CAL, extended=True)
    assert CAL.is_working_day(due) and CAL.is_working_day(extended)
    assert extended == CAL.add_working_days(due, 10)
    assert CAL.working_days_between(received, due) == 10
    # Ten working days take at least 12 days (from a Sunday to the Friday twelve days later).
    assert due - received >= timedelta(days=12)

"""rules.md §4 timescales at working-day edges, and DfE rules 440/441 for the PN code."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from carereview.engine.calendar import default_calendar
from carereview.engine.timescales import (
    Deadline,
    decisions_due,
    iro_appointed_by,
    iro_appointed_in_time,
    iro_handbook_papers_by,
    iro_handbook_social_worker_contact_by,
    iro_service_told_by,
    record_due,
    ssda903_participation_code_allowed,
)

CAL = default_calendar()


def test_social_worker_contact_15_working_days_before_across_christmas():
    # Review Thursday 14 Jan 2027: 15 working days back skips 1 Jan and 25/28 Dec 2026.
    assert iro_handbook_social_worker_contact_by(date(2027, 1, 14), CAL) == date(2026, 12, 21)


def test_papers_3_working_days_before_across_easter():
    # Review Wednesday 8 Apr 2026: back over Easter Monday 6 Apr and Good Friday 3 Apr.
    assert iro_handbook_papers_by(date(2026, 4, 8), CAL) == date(2026, 4, 1)
    # A Monday review: the previous Wednesday.
    assert iro_handbook_papers_by(date(2026, 11, 23), CAL) == date(2026, 11, 18)


def test_decisions_5_and_record_20_working_days_after():
    held = date(2026, 12, 22)  # Tuesday before Christmas
    # 23, 24, (25 and 28 are holidays) 29, 30, 31 December.
    assert decisions_due(held, CAL, 5) == date(2026, 12, 31)
    # ... then (1 January) 4-8, 11-15 and 18-22 January.
    assert record_due(held, CAL, 20) == date(2027, 1, 22)


def test_deadline_flags_at_the_edge():
    due = date(2026, 11, 27)
    assert Deadline(due, date(2026, 11, 27), date(2026, 12, 1)).status == "done"
    assert Deadline(due, date(2026, 11, 30), date(2026, 12, 1)).status == "done late"
    assert Deadline(due, None, date(2026, 11, 27)).status == "to do"
    assert Deadline(due, None, date(2026, 11, 28)).status == "late"


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=1, max_value=40),
)
def test_subtracting_then_adding_working_days_returns_to_the_first_working_day_from(d, n):
    before = CAL.subtract_working_days(d, n)
    assert before < d and CAL.is_working_day(before)
    back = CAL.add_working_days(before, n)
    assert back >= d
    assert all(not CAL.is_working_day(d + timedelta(days=k)) for k in range((back - d).days))


def test_pn_codes_rules_440_and_441():
    dob = date(2020, 6, 10)
    four = date(2024, 6, 10)
    assert ssda903_participation_code_allowed("PN0", dob, date(2024, 6, 9))
    assert not ssda903_participation_code_allowed("PN1", dob, date(2024, 6, 9))
    # On the birthday itself both pass.
    assert ssda903_participation_code_allowed("PN0", dob, four)
    assert ssda903_participation_code_allowed("PN7", dob, four)
    assert not ssda903_participation_code_allowed("PN0", dob, date(2024, 6, 11))
    assert ssda903_participation_code_allowed("PN5", dob, date(2024, 6, 11))
    assert not ssda903_participation_code_allowed("PN8", dob, date(2024, 6, 11))


def test_leap_day_birthday_turns_four_on_28_february():
    dob = date(2016, 2, 29)
    assert ssda903_participation_code_allowed("PN1", dob, date(2020, 2, 29))
    assert ssda903_participation_code_allowed("PN0", dob, date(2020, 2, 28))


def test_iro_service_told_within_2_working_days_over_weekends_and_bank_holidays():
    # Friday: Monday and Tuesday. Saturday: the same Tuesday (the day itself never counts).
    assert iro_service_told_by(date(2026, 11, 13), CAL, 2) == date(2026, 11, 17)
    assert iro_service_told_by(date(2026, 11, 14), CAL, 2) == date(2026, 11, 17)
    # Maundy Thursday 2026: over Good Friday, the weekend and Easter Monday.
    assert iro_service_told_by(date(2026, 4, 2), CAL, 2) == date(2026, 4, 8)
    # Christmas Eve 2026: 25 Dec (Fri) and the substitute Boxing Day (Mon 28) do not count.
    assert iro_service_told_by(date(2026, 12, 24), CAL, 2) == date(2026, 12, 30)
    # The setting is passed in, never fixed.
    assert iro_service_told_by(date(2026, 11, 13), CAL, 3) == date(2026, 11, 18)


def test_iro_appointed_within_5_working_days_on_the_last_day_is_in_time():
    # Christmas Eve 2026 + 5 working days: 29, 30, 31 Dec, (1 Jan), 4, 5 Jan 2027.
    assert iro_appointed_by(date(2026, 12, 24), CAL, 5) == date(2027, 1, 5)
    assert iro_appointed_in_time(date(2027, 1, 5), date(2026, 12, 24), CAL, 5)
    assert not iro_appointed_in_time(date(2027, 1, 6), date(2026, 12, 24), CAL, 5)
    # Appointed before the period began (a child returning to their IRO): in time.
    assert iro_appointed_in_time(date(2026, 12, 1), date(2026, 12, 24), CAL, 5)


def test_the_first_iro_of_each_period_is_the_appointment_counted():
    from carereview.engine.timescales import first_iro_appointments

    periods = [(date(2026, 1, 5), date(2026, 3, 1)), (date(2026, 12, 24), None)]
    allocations = [
        ("late-first", date(2026, 1, 19), date(2026, 2, 2)),  # 5 Jan + 5 = 12 Jan: late
        ("change", date(2026, 2, 2), date(2026, 3, 1)),  # a change later: not counted
        ("second", date(2027, 1, 5), None),  # Christmas: 5 Jan 2027 is the last day
    ]
    assert first_iro_appointments(periods, allocations, CAL, 5) == {
        "late-first": (date(2026, 1, 12), False),
        "second": (date(2027, 1, 5), True),
    }
    # A period with no IRO yet has no entry; an IRO kept from before the period is in time.
    kept: list[tuple[str, date, date | None]] = [("kept", date(2025, 6, 1), None)]
    assert first_iro_appointments([(date(2026, 12, 24), None)], kept, CAL, 5) == {
        "kept": (date(2027, 1, 5), True)
    }
    assert first_iro_appointments([(date(2026, 12, 24), None)], [], CAL, 5) == {}

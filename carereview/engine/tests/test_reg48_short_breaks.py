"""CPPCR reg 48: short breaks, 3 months, then 6; ending when the legal status changes."""

from carereview.engine.calendar import default_calendar
from carereview.engine.periods import periods_of_care
from carereview.engine.regimes import (
    AAR36_ADOPTION,
    REG33_STANDARD,
    REG48_SHORT_BREAKS,
    opening_timetable,
    reg48_applies,
    reg48_ends,
    regime_starts,
)
from carereview.engine.schedule import compute_schedule

from .build import d, ep

CAL = default_calendar()


def test_applies_where_the_first_episode_is_v3_or_v4():
    assert reg48_applies(ep("10/01/2025", ls="V3"))
    assert reg48_applies(ep("10/01/2025", ls="V4"))
    assert not reg48_applies(ep("10/01/2025", ls="V2"))
    assert opening_timetable(ep("10/01/2025", ls="V4")) is REG48_SHORT_BREAKS


def test_placed_for_adoption_wins_over_short_breaks():
    assert opening_timetable(ep("10/01/2025", ls="V3", place="A5")) is AAR36_ADOPTION


def test_first_within_3_months_of_the_start_then_6_months():
    assert REG48_SHORT_BREAKS.due(1, d("30/11/2024"), None, CAL) == d("28/02/2025")
    assert REG48_SHORT_BREAKS.due(2, d("10/01/2025"), d("10/04/2025"), CAL) == d("10/10/2025")
    assert REG48_SHORT_BREAKS.due(3, d("10/01/2025"), d("31/08/2025"), CAL) == d("28/02/2026")


def test_golden_g08_series_of_stays():
    stays = [
        ep("10/01/2025", "14/01/2025", ls="V3"),
        ep("20/03/2025", "25/03/2025", ls="V3"),
        ep("01/06/2025", "05/06/2025", ls="V3"),
        ep("01/02/2026", "04/02/2026", ls="V3"),
    ]
    schedule = compute_schedule(stays, [d("10/04/2025"), d("09/10/2025")], d("20/11/2026"))
    assert [(r.due, r.regime, r.sequence) for r in schedule.reviews] == [
        (d("10/04/2025"), "short_breaks", 1),
        (d("10/10/2025"), "short_breaks", 2),
    ]
    assert (schedule.next_due, schedule.overdue) == (None, False)


def test_ends_at_the_first_episode_not_v3_or_v4():
    assert reg48_ends(ep("01/11/2024", ls="C2"))
    assert not reg48_ends(ep("01/11/2024", ls="V3"))


def test_golden_g09_short_breaks_become_a_care_order():
    episodes = [ep("01/05/2024", "01/11/2024", ls="V4", rec="X1"), ep("01/11/2024", rne="L")]
    [period] = periods_of_care(episodes)
    assert [(s.start, s.timetable) for s in regime_starts(period)] == [
        (d("01/05/2024"), REG48_SHORT_BREAKS),
        (d("01/11/2024"), REG33_STANDARD),
    ]
    schedule = compute_schedule(episodes, [d("01/08/2024"), d("29/11/2024")], d("20/11/2026"))
    assert [(r.due, r.regime, r.sequence) for r in schedule.reviews] == [
        (d("01/08/2024"), "short_breaks", 1),
        (d("29/11/2024"), "standard", 1),
    ]
    assert (schedule.next_due, schedule.next_sequence) == (d("28/02/2025"), 2)


def test_short_breaks_do_not_come_back_within_the_period():
    episodes = [
        ep("01/05/2024", "01/11/2024", ls="V4", rec="X1"),
        ep("01/11/2024", "01/12/2024", rne="L", rec="X1"),
        ep("01/12/2024", rne="L", ls="V4"),
    ]
    [period] = periods_of_care(episodes)
    assert [s.timetable for s in regime_starts(period)] == [REG48_SHORT_BREAKS, REG33_STANDARD]

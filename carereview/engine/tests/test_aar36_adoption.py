"""AAR reg 36: placed for adoption, 28 days, then 3 months, then 6."""

from carereview.engine.calendar import default_calendar
from carereview.engine.periods import periods_of_care
from carereview.engine.regimes import (
    AAR36_ADOPTION,
    REG33_STANDARD,
    aar36_placed_for_adoption,
    regime_starts,
)
from carereview.engine.schedule import compute_schedule

from .build import d, ep

CAL = default_calendar()


def test_a3_to_a6_after_a_placement_not_for_adoption_starts_the_regime():
    before = ep("01/02/2023", "01/09/2023", rec="X1")
    for place in ("A3", "A4", "A5", "A6"):
        assert aar36_placed_for_adoption(before, ep("01/09/2023", rne="P", place=place))
        assert aar36_placed_for_adoption(None, ep("01/09/2023", place=place))
    assert not aar36_placed_for_adoption(before, ep("01/09/2023", rne="P", place="U3"))


def test_a_move_between_adoptive_placements_does_not_restart_it():
    placed = ep("01/09/2023", "01/10/2023", place="A5", rec="X1")
    assert not aar36_placed_for_adoption(placed, ep("01/10/2023", rne="P", place="A6"))


def test_first_within_28_days_then_3_months_then_6():
    assert AAR36_ADOPTION.due(1, d("01/09/2023"), None, CAL) == d("29/09/2023")
    assert AAR36_ADOPTION.due(1, d("01/02/2024"), None, CAL) == d("29/02/2024")  # leap year
    assert AAR36_ADOPTION.due(1, d("15/12/2023"), None, CAL) == d("12/01/2024")  # no skipping
    assert AAR36_ADOPTION.due(2, d("01/09/2023"), d("29/09/2023"), CAL) == d("29/12/2023")
    assert AAR36_ADOPTION.due(3, d("01/09/2023"), d("29/12/2023"), CAL) == d("29/06/2024")


def test_golden_g06_placed_for_adoption_after_two_reviews():
    """Reviews held before the placement no longer set the next date."""
    episodes = [
        ep("01/02/2023", "01/09/2023", ls="C1", rec="X1"),
        ep("01/09/2023", rne="P", ls="E1", place="A5"),
    ]
    [period] = periods_of_care(episodes)
    assert [(s.start, s.timetable) for s in regime_starts(period)] == [
        (d("01/02/2023"), REG33_STANDARD),
        (d("01/09/2023"), AAR36_ADOPTION),
    ]
    held = [d("01/03/2023"), d("01/06/2023"), d("29/09/2023"), d("29/12/2023")]
    schedule = compute_schedule(episodes, held, d("20/11/2026"))
    assert [(r.due, r.regime, r.sequence) for r in schedule.reviews] == [
        (d("01/03/2023"), "standard", 1),
        (d("01/06/2023"), "standard", 2),
        (d("29/09/2023"), "adoption", 1),
        (d("29/12/2023"), "adoption", 2),
    ]
    assert (schedule.next_due, schedule.next_regime, schedule.overdue) == (
        d("29/06/2024"),
        "adoption",
        True,
    )


def test_a_review_held_on_the_placement_day_belongs_to_adoption():
    episodes = [ep("01/02/2023", "01/09/2023", rec="X1"), ep("01/09/2023", rne="P", place="A5")]
    schedule = compute_schedule(episodes, [d("01/03/2023"), d("01/09/2023")], d("20/11/2026"))
    assert [(r.regime, r.sequence, r.due) for r in schedule.reviews][-1] == (
        "adoption",
        1,
        d("29/09/2023"),
    )
    assert schedule.next_due == d("01/12/2023")

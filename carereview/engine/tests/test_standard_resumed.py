"""rules.md §3 (ours): when the adoption placement ends, the standard regime resumes."""

from carereview.engine.periods import periods_of_care
from carereview.engine.regimes import (
    AAR36_ADOPTION,
    REG33_STANDARD,
    STANDARD_RESUMED,
    adoption_placement_ends,
    regime_starts,
    standard_resumed,
)
from carereview.engine.schedule import compute_schedule

from .build import d, ep

G10 = [
    ep("01/02/2024", "01/07/2024", ls="E1", place="A6", rec="X1"),
    ep("01/07/2024", rne="P", ls="E1", place="U1"),
]


def test_a_placement_not_for_adoption_after_one_that_was_ends_adoption():
    assert adoption_placement_ends(G10[0], G10[1])
    assert not adoption_placement_ends(G10[1], G10[0])
    [period] = periods_of_care(G10)
    assert [(s.start, s.timetable) for s in regime_starts(period)] == [
        (d("01/02/2024"), AAR36_ADOPTION),
        (d("01/07/2024"), STANDARD_RESUMED),
    ]


def test_golden_g10_next_review_6_months_after_the_last_held():
    schedule = compute_schedule(G10, [d("28/02/2024"), d("20/05/2024")], d("20/11/2026"))
    assert [(r.due, r.regime, r.sequence) for r in schedule.reviews] == [
        (d("29/02/2024"), "adoption", 1),
        (d("28/05/2024"), "adoption", 2),
    ]
    assert (schedule.next_due, schedule.next_regime, schedule.next_sequence) == (
        d("20/11/2024"),
        "standard",
        1,
    )


def test_resumed_reviews_then_every_6_months():
    held = [d("28/02/2024"), d("20/05/2024"), d("18/11/2024")]
    schedule = compute_schedule(G10, held, d("20/11/2026"))
    assert (schedule.reviews[-1].due, schedule.reviews[-1].regime) == (d("20/11/2024"), "standard")
    assert schedule.next_due == d("18/05/2025")


def test_no_review_held_yet_starts_afresh_20_working_days_after_the_change():
    assert standard_resumed(review_held_in_period=True) is STANDARD_RESUMED
    assert standard_resumed(review_held_in_period=False) is REG33_STANDARD
    schedule = compute_schedule(G10, [], d("02/07/2024"))
    assert schedule.next_due == d("29/07/2024")
    schedule = compute_schedule(G10, [d("29/07/2024")], d("02/08/2024"))
    assert schedule.reviews[0].due == d("29/07/2024")
    assert schedule.next_due == d("29/10/2024")  # then 3 months, as a fresh standard regime


def test_a_review_before_the_adoption_placement_is_the_previous_review():
    episodes = [
        ep("01/02/2023", "01/09/2023", rec="X1"),
        ep("01/09/2023", "15/09/2023", rne="P", place="A5", rec="X1"),
        ep("15/09/2023", rne="P", place="U1"),
    ]
    schedule = compute_schedule(episodes, [d("01/03/2023")], d("20/11/2026"))
    assert schedule.next_due == d("01/09/2023")


def test_resuming_from_the_last_review_is_a_choice_passed_in_schedule_and_bulk_alike():
    """rules.md §3 **(ours)** (issue 12 item 20: every (ours) is a setting passed in): an
    authority may instead start the standard regime afresh when the adoption placement ends,
    20 working days after the change, whatever was held before."""
    from carereview.engine.bulk import compute_schedules_bulk

    from .test_bulk import _day, to_columns

    held = [d("28/02/2024"), d("20/05/2024")]
    as_at = d("02/07/2024")
    for resumes, due in ((True, d("20/11/2024")), (False, d("29/07/2024"))):
        schedule = compute_schedule(G10, held, as_at, adoption_ended_resumes=resumes)
        assert schedule.next_due == due
        columns = to_columns([(G10, held)], 0)
        bulk = compute_schedules_bulk(
            columns[0], columns[1], 1, as_at, adoption_ended_resumes=resumes
        )
        assert _day(bulk.next_due[0]) == due

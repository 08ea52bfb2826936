"""rules.md §3 "Which reviews count": reviews in a period count; the rest are data errors."""

from carereview.engine.periods import periods_of_care
from carereview.engine.schedule import DataError, compute_schedule, reviews_that_count

from .build import d, ep

G07 = [ep("01/04/2023", "30/09/2023", ls="V2", rec="E13"), ep("01/03/2024", ls="C1")]
AS_AT = d("20/11/2026")


def test_golden_g07_a_review_between_two_periods_does_not_count():
    held = [d("28/04/2023"), d("15/12/2023"), d("28/03/2024")]
    counted, errors = reviews_that_count(periods_of_care(G07), held, AS_AT)
    assert counted == [d("28/04/2023"), d("28/03/2024")]
    assert [(e.kind, e.review_date) for e in errors] == [("outside_period", d("15/12/2023"))]
    schedule = compute_schedule(G07, held, AS_AT)
    assert [(r.due, r.sequence) for r in schedule.reviews] == [
        (d("03/05/2023"), 1),  # Easter and the early May bank holiday 2023
        (d("02/04/2024"), 1),  # the second period restarts at 20 working days
    ]
    assert schedule.next_due == d("28/06/2024")


def test_golden_g05_two_reviews_on_one_day_count_once():
    episodes = [ep("15/01/2024", "10/06/2024", rec="X1"), ep("10/06/2024", rne="P", place="U3")]
    held = [d("12/02/2024"), d("10/05/2024"), d("10/05/2024"), d("11/11/2024")]
    schedule = compute_schedule(episodes, held, AS_AT)
    assert [(r.date, r.due, r.on_time) for r in schedule.reviews] == [
        (d("12/02/2024"), d("12/02/2024"), True),
        (d("10/05/2024"), d("12/05/2024"), True),
        (d("11/11/2024"), d("10/11/2024"), False),
    ]
    assert [(e.kind, e.review_date) for e in schedule.errors] == [("same_day", d("10/05/2024"))]


def test_an_unreadable_date_is_a_data_error_and_does_not_move_the_clock():
    schedule = compute_schedule([ep("02/11/2026")], [None], AS_AT)
    assert schedule.reviews == ()
    assert schedule.errors == (DataError("unreadable", None, "review date cannot be read"),)
    assert schedule.next_due == d("30/11/2026")


def test_a_review_before_the_first_period_is_outside():
    schedule = compute_schedule([ep("02/11/2026")], [d("01/11/2026")], AS_AT)
    assert [e.kind for e in schedule.errors] == ["outside_period"]


def test_a_review_on_the_last_day_of_a_period_counts():
    schedule = compute_schedule(G07, [d("30/09/2023")], AS_AT)
    assert [r.date for r in schedule.reviews] == [d("30/09/2023")]


def test_a_review_after_the_as_at_date_is_left_out():
    schedule = compute_schedule([ep("02/11/2026")], [d("25/11/2026")], AS_AT)
    assert (schedule.reviews, schedule.errors, schedule.next_due) == ((), (), d("30/11/2026"))


def test_a_second_review_on_a_day_outside_every_period_is_a_same_day_error():
    held = [d("15/12/2023"), d("15/12/2023")]
    schedule = compute_schedule(G07, held, AS_AT)
    assert [e.kind for e in schedule.errors] == ["outside_period", "same_day"]

"""rules.md §3: overdue, the next review due, and the practical deadline (rules.md §1)."""

from carereview.engine.schedule import compute_schedule, is_overdue

from .build import d, ep


def test_overdue_only_when_the_due_date_is_before_the_as_at_date():
    assert is_overdue(d("19/11/2026"), d("20/11/2026"))
    assert not is_overdue(d("20/11/2026"), d("20/11/2026"))


def test_golden_g01_not_yet_due():
    schedule = compute_schedule([ep("02/11/2026", ls="C1")], [], d("20/11/2026"))
    assert (schedule.next_due, schedule.overdue, schedule.next_regime, schedule.next_sequence) == (
        d("30/11/2026"),
        False,
        "standard",
        1,
    )


def test_golden_g03_stays_the_next_review_due_until_held():
    episodes = [ep("27/03/2026", ls="C1", place="U2")]
    schedule = compute_schedule(episodes, [d("28/04/2026")], d("20/11/2026"))
    assert (schedule.next_due, schedule.overdue) == (d("28/07/2026"), True)


def test_golden_g04_a_day_late_then_overdue():
    held = [d("28/09/2024"), d("28/09/2024")]
    schedule = compute_schedule([ep("31/08/2024", place="R1")], held, d("20/11/2026"))
    assert [(r.due, r.on_time) for r in schedule.reviews] == [(d("27/09/2024"), False)]
    assert (schedule.next_due, schedule.overdue) == (d("28/12/2024"), True)
    assert schedule.next_due_practical == d("27/12/2024")  # 28 Dec 2024 is a Saturday


def test_no_next_review_once_the_period_has_ended():
    episodes = [ep("01/04/2023", "30/09/2023", ls="V2")]
    schedule = compute_schedule(episodes, [d("28/04/2023")], d("20/11/2026"))
    assert (schedule.next_due, schedule.next_regime, schedule.overdue) == (None, None, False)
    assert schedule.next_due_practical is None


def test_no_episodes_no_schedule():
    schedule = compute_schedule([], [d("28/04/2023")], d("20/11/2026"))
    assert (schedule.reviews, schedule.next_due) == ((), None)
    assert [e.kind for e in schedule.errors] == ["outside_period"]


def test_as_at_a_past_date_the_period_was_open():
    episodes = [ep("01/04/2023", "30/09/2023", ls="V2")]
    schedule = compute_schedule(episodes, [d("28/04/2023")], d("01/08/2023"))
    assert (schedule.next_due, schedule.overdue) == (d("28/07/2023"), True)


def test_a_period_ending_on_the_as_at_date_is_closed_no_next_review():
    """rules.md §3: a period whose end is on or before the as-at date is closed (the child
    stopped being looked after that day), whatever the regime and however it ended."""
    as_at = d("20/11/2026")
    cases = [
        [ep("01/04/2026", "20/11/2026", ls="C2")],  # ended on the day, REC not X1
        [ep("01/04/2026", "01/07/2026", rec="X1"), ep("01/07/2026", "20/11/2026")],
        [ep("01/04/2026", "20/11/2026", ls="V2", place="A3")],  # placed for adoption
        [ep("01/04/2026", "20/05/2026", ls="V3")],  # short breaks: open until 20/11/2026
    ]
    for episodes in cases:
        schedule = compute_schedule(episodes, [d("28/04/2026")], as_at)
        assert (schedule.next_due, schedule.overdue, schedule.next_regime) == (None, False, None)
        # The day before, the same period was still open.
        before = compute_schedule(episodes, [d("28/04/2026")], d("19/11/2026"))
        assert before.next_due is not None


def test_period_open_at_is_false_on_the_end_date_and_true_the_day_before():
    from carereview.engine.periods import period_open_at, periods_of_care

    periods = periods_of_care([ep("01/04/2026", "20/11/2026", ls="C2")])
    assert period_open_at(periods, d("19/11/2026")) is periods[0]
    assert period_open_at(periods, d("20/11/2026")) is None
    assert period_open_at(periods, d("31/03/2026")) is None

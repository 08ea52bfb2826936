"""rules.md §2: periods of care from episodes."""

from carereview.engine.periods import (
    continues_by_x1,
    episodes_known_at,
    period_at,
    period_end,
    periods_of_care,
)

from .build import d, ep


def test_x1_with_next_episode_the_same_day_continues_the_period():
    """Golden G05: a placement change inside the period."""
    first = ep("15/01/2024", "10/06/2024", rec="X1")
    second = ep("10/06/2024", rne="P", place="U3")
    assert continues_by_x1(first, second)
    [period] = periods_of_care([first, second])
    assert (period.start, period.end, period.episodes) == (d("15/01/2024"), None, (first, second))


def test_rne_s_starts_a_new_period_even_after_x1():
    first = ep("15/01/2024", "10/06/2024", rec="X1")
    second = ep("10/06/2024", rne="S")
    assert not continues_by_x1(first, second)
    assert [p.start for p in periods_of_care([first, second])] == [d("15/01/2024"), d("10/06/2024")]


def test_a_gap_after_x1_starts_a_new_period():
    first = ep("15/01/2024", "10/06/2024", rec="X1")
    second = ep("11/06/2024", rne="P")
    assert not continues_by_x1(first, second)
    assert len(periods_of_care([first, second])) == 2


def test_a_rec_other_than_x1_ends_the_period_on_its_dec():
    """Golden G07: leaves care (E13) and returns."""
    first = ep("01/04/2023", "30/09/2023", ls="V2", rec="E13")
    second = ep("01/03/2024", ls="C1")
    closed, current = periods_of_care([first, second])
    assert (closed.start, closed.end, closed.short_breaks_series) == (
        d("01/04/2023"),
        d("30/09/2023"),
        False,
    )
    assert (current.start, current.end) == (d("01/03/2024"), None)


def test_an_open_last_episode_leaves_the_period_open():
    assert period_end(ep("01/03/2024")) == (None, False)


def test_episodes_are_ordered_by_decom():
    later = ep("10/06/2024", rne="P")
    earlier = ep("15/01/2024", "10/06/2024", rec="X1")
    [period] = periods_of_care([later, earlier])
    assert period.episodes == (earlier, later)


def test_no_episodes_no_periods():
    assert periods_of_care([]) == []


def test_episodes_known_at_leave_out_the_future_and_reopen_what_ended_after():
    ended_later = ep("15/01/2024", "10/06/2024", rec="X1")
    starts_later = ep("10/06/2024", rne="P")
    [known] = episodes_known_at([ended_later, starts_later], d("01/05/2024"))
    assert (known.decom, known.dec, known.rec) == (d("15/01/2024"), None, None)


def test_period_at_finds_the_period_a_date_falls_in():
    first = ep("01/04/2023", "30/09/2023")
    second = ep("01/03/2024")
    closed, current = periods_of_care([first, second])
    periods = [closed, current]
    assert period_at(periods, d("01/04/2023")) is closed
    assert period_at(periods, d("30/09/2023")) is closed
    assert period_at(periods, d("15/12/2023")) is None
    assert period_at(periods, d("31/03/2023")) is None
    assert period_at(periods, d("20/11/2026")) is current


def test_a_later_period_wins_where_periods_touch():
    """Our choice: a period ending on the day the next starts gives that day to the next."""
    first = ep("01/04/2023", "30/09/2023")
    second = ep("30/09/2023")
    _, later = periods = periods_of_care([first, second])
    assert period_at(periods, d("30/09/2023")) is later

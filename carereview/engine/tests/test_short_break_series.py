"""rules.md §2 (ours): short-break stays (LS V3) within 6 months form one period."""

from carereview.engine.periods import (
    Episode,
    continues_short_break_series,
    period_at,
    periods_of_care,
)

from .build import d, ep


def stay(start: str, end: str, **codes: str) -> Episode:
    return ep(start, end, ls=codes.pop("ls", "V3"), rec="E13", **codes)


G08 = [
    stay("10/01/2025", "14/01/2025"),
    stay("20/03/2025", "25/03/2025"),
    stay("01/06/2025", "05/06/2025"),
    stay("01/02/2026", "04/02/2026"),
]


def test_golden_g08_stays_within_six_months_form_one_period():
    series, later = periods_of_care(G08)
    assert series.episodes == tuple(G08[:3])
    assert (series.start, series.end, series.short_breaks_series) == (
        d("10/01/2025"),
        d("05/12/2025"),  # add_months(5 Jun 2025, 6)
        True,
    )
    assert (later.start, later.end) == (d("01/02/2026"), d("04/08/2026"))
    assert period_at([series, later], d("20/11/2026")) is None  # closed by the as-at date


def test_a_stay_continues_the_series_whatever_its_rne():
    assert all(e.rne == "S" for e in G08)
    assert continues_short_break_series(G08[0], G08[1])


def test_six_months_to_the_day_still_continues_one_day_more_does_not():
    previous = stay("10/01/2025", "31/08/2025")
    assert continues_short_break_series(previous, stay("28/02/2026", "01/03/2026"))
    assert not continues_short_break_series(previous, stay("01/03/2026", "02/03/2026"))


def test_only_v3_stays_join():
    previous = stay("10/01/2025", "14/01/2025")
    assert not continues_short_break_series(previous, stay("20/03/2025", "25/03/2025", ls="V4"))
    assert not continues_short_break_series(
        stay("10/01/2025", "14/01/2025", ls="V4"), stay("20/03/2025", "25/03/2025")
    )


def test_an_open_stay_is_not_followed_into_a_series():
    assert not continues_short_break_series(
        ep("10/01/2025", ls="V3"), stay("20/03/2025", "25/03/2025")
    )


def test_another_period_in_between_breaks_the_series():
    episodes = [G08[0], ep("01/02/2025", "10/02/2025", ls="V2"), G08[1]]
    assert len(periods_of_care(episodes)) == 3


def test_the_window_is_a_setting():
    assert len(periods_of_care(G08, short_break_window_months=9)) == 1
    assert len(periods_of_care(G08, short_break_window_months=1)) == 4


def test_a_review_between_stays_falls_in_the_series():
    series, _ = periods_of_care(G08)
    assert period_at(periods_of_care(G08), d("10/04/2025")) == series


def test_the_window_is_a_parameter_that_changes_the_outcome():
    """rules.md §2 **(ours)**: the six months are the authority's to change (issue 12 item 20):
    schedule and bulk alike."""
    from carereview.engine.bulk import compute_schedules_bulk
    from carereview.engine.schedule import compute_schedule

    from .build import d, ep
    from .test_bulk import _day, to_columns

    episodes = [ep("06/01/2025", "10/01/2025", ls="V3"), ep("11/08/2025", "15/08/2025", ls="V3")]
    as_at = d("01/03/2026")  # six months after the last stay have passed; eight have not
    for window, open_ in ((6, False), (8, True)):
        schedule = compute_schedule(episodes, [], as_at, short_break_window_months=window)
        assert (schedule.next_due is not None) is open_
        columns = to_columns([(episodes, [])], 0)
        bulk = compute_schedules_bulk(
            columns[0], columns[1], 1, as_at, short_break_window_months=window
        )
        assert _day(bulk.next_due[0]) == schedule.next_due

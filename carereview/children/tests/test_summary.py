"""The stored summary agrees with the engine: open periods (item 19) and the short-breaks window
setting (item 20, rules.md §2 **(ours)**)."""

from datetime import date

import pytest

from carereview.children.models import Episode
from carereview.children.services import refresh_summary
from carereview.core.testing import make_child


@pytest.mark.django_db
@pytest.mark.parametrize("ended_days_before", [0, -1])
def test_a_period_ending_on_the_as_at_date_is_closed(service, ended_days_before):
    """rules.md §3: a child whose last episode ends on the as-at date is no longer looked
    after that day: no next due date, not in care. Ending the day after, they still are."""
    as_at = date(2026, 11, 20)
    child = make_child(iro=service.iro, start=date(2026, 4, 1), as_at=as_at)
    episode = child.episodes.get()
    episode.dec = date.fromordinal(as_at.toordinal() - ended_days_before)
    episode.rec = "E13"
    episode.save()
    refresh_summary(child, as_at=as_at)
    child.refresh_from_db()
    if ended_days_before == 0:
        assert (child.in_care, child.next_review_due, child.looked_after_since) == (
            False,
            None,
            None,
        )
    else:
        assert child.in_care and child.next_review_due is not None


def _short_breaks_child(service):
    """Two short-break stays 7 months apart: one series at a window of 8 months, two periods at
    the default 6 months."""
    child = make_child(iro=service.iro, start=date(2025, 1, 6), as_at=date(2025, 1, 7))
    first = child.episodes.get()
    first.ls, first.dec, first.rec = "V3", date(2025, 1, 10), "E13"
    first.save()
    Episode.objects.create(
        child=child,
        decom=date(2025, 8, 11),
        dec=date(2025, 8, 15),
        rne="P",
        ls="V3",
        cin="N1",
        place="U4",
        place_provider="PR1",
        rec="E13",
    )
    return child


@pytest.mark.django_db
def test_the_short_breaks_window_is_the_authoritys_setting(service, settings):
    as_at = date(2025, 9, 1)
    child = _short_breaks_child(service)
    refresh_summary(child, as_at=as_at)
    child.refresh_from_db()
    # Default (6 months): the second stay starts a new period on 11 Aug 2025.
    assert child.looked_after_since == date(2025, 8, 11)
    settings.CAREREVIEW = {**settings.CAREREVIEW, "SHORT_BREAK_WINDOW_MONTHS": 8}
    refresh_summary(child, as_at=as_at)
    child.refresh_from_db()
    # 8 months: the second stay continues the first stay's period, begun 6 Jan 2025.
    assert child.looked_after_since == date(2025, 1, 6)


@pytest.mark.django_db
def test_the_short_breaks_window_decides_when_a_series_closes(service, settings):
    # The series' last stay ended 15 Aug 2025: open until 15 Feb 2026 at 6 months, until
    # 15 Apr 2026 at 8.
    as_at = date(2026, 3, 1)
    child = _short_breaks_child(service)
    refresh_summary(child, as_at=as_at)
    child.refresh_from_db()
    assert not child.in_care
    settings.CAREREVIEW = {**settings.CAREREVIEW, "SHORT_BREAK_WINDOW_MONTHS": 8}
    refresh_summary(child, as_at=as_at)
    child.refresh_from_db()
    assert child.in_care and child.next_review_due is not None

"""Periods of care from SSDA903 episodes (spec/rules.md §2).

A child's episodes, ordered by DECOM, form periods of care. Each joining rule below is one named
function; ``periods_of_care`` applies them in order.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from .calendar import add_months

#: rules.md §2 **(ours)**: a short-break stay (LS V3) beginning within this many months of the
#: end of the child's previous stay continues that stay's period, which stays open this long.
#: The rulebook's default only: every function that applies it takes the window as a parameter,
#: and the app passes the authority's setting (`CAREREVIEW["SHORT_BREAK_WINDOW_MONTHS"]`).
SHORT_BREAK_WINDOW_MONTHS = 6

#: LS codes of short breaks: V3 when stays are recorded one by one, V4 when agreements are.
SHORT_BREAK_STAYS = "V3"
SHORT_BREAK_LEGAL_STATUSES = frozenset({"V3", "V4"})


@dataclass(frozen=True, slots=True)
class Episode:
    """One SSDA903 episode: DECOM, DEC and REC (None while open), RNE, LS and PLACE."""

    decom: date
    dec: date | None
    rne: str
    ls: str
    place: str
    rec: str | None


@dataclass(frozen=True, slots=True)
class Period:
    """A period of care: its first DECOM, its end (None while open) and its episodes.

    ``short_breaks_series`` is true where the period ends with a short-break stay (LS V3), so that
    its end is ``add_months(last DEC, window)`` rather than the last DEC.
    """

    start: date
    end: date | None
    episodes: tuple[Episode, ...]
    short_breaks_series: bool


def episodes_known_at(episodes: Iterable[Episode], as_at: date) -> list[Episode]:
    """The episodes as they stood on ``as_at``.

    An episode starting after ``as_at`` had not happened; one ending after it was still open.
    """
    return [
        replace(ep, dec=None, rec=None) if ep.dec is not None and ep.dec > as_at else ep
        for ep in episodes
        if ep.decom <= as_at
    ]


def continues_by_x1(previous: Episode, episode: Episode) -> bool:
    """rules.md §2: a period continues while an episode ends with REC X1 and the next episode
    begins on that same date, unless the next episode has RNE S (started to be looked after)."""
    return previous.rec == "X1" and previous.dec == episode.decom and episode.rne != "S"


def continues_short_break_series(
    previous: Episode, episode: Episode, window_months: int = SHORT_BREAK_WINDOW_MONTHS
) -> bool:
    """rules.md §2 **(ours)**: a V3 stay beginning on or before ``add_months(previous DEC, 6)``
    continues the period of the child's previous V3 stay, whatever its RNE.

    "Previous V3 stay" is read as the child's immediately previous episode being a V3 stay that
    has ended: another period in between breaks the series.
    """
    return (
        previous.ls == SHORT_BREAK_STAYS
        and episode.ls == SHORT_BREAK_STAYS
        and previous.dec is not None
        and episode.decom <= add_months(previous.dec, window_months)
    )


def period_end(
    last: Episode, window_months: int = SHORT_BREAK_WINDOW_MONTHS
) -> tuple[date | None, bool]:
    """rules.md §2: a period ends on its last episode's DEC (None while open); one ending with a
    short-break stay (V3) stays open until ``add_months(last DEC, 6)`` **(ours)**.

    Returns the end and whether the short-break extension applied.
    """
    if last.dec is None:
        return None, False
    if last.ls == SHORT_BREAK_STAYS:
        return add_months(last.dec, window_months), True
    return last.dec, False


def _close(episodes: Sequence[Episode], window_months: int) -> Period:
    end, series = period_end(episodes[-1], window_months)
    return Period(episodes[0].decom, end, tuple(episodes), series)


def periods_of_care(
    episodes: Iterable[Episode], *, short_break_window_months: int = SHORT_BREAK_WINDOW_MONTHS
) -> list[Period]:
    """A child's periods of care in order of start (rules.md §2).

    A period starts at the child's first episode; each later episode continues the current
    period by ``continues_by_x1`` or ``continues_short_break_series`` and otherwise (a gap, RNE S,
    or a REC other than X1) starts a new one. The child becomes looked after on a period's start.
    """
    ordered = sorted(episodes, key=lambda ep: ep.decom)
    periods: list[Period] = []
    current: list[Episode] = []
    for episode in ordered:
        if current and not (
            continues_by_x1(current[-1], episode)
            or continues_short_break_series(current[-1], episode, short_break_window_months)
        ):
            periods.append(_close(current, short_break_window_months))
            current = []
        current.append(episode)
    if current:
        periods.append(_close(current, short_break_window_months))
    return periods


def period_at(periods: Sequence[Period], d: date) -> Period | None:
    """The period of care a date falls in: start <= d <= end (or open).

    Where periods touch or overlap (one ends on the day the next starts, or a short-break
    period's six-month tail runs past the start of a new period) the later period wins: a new
    period supersedes the old one from its start **(ours)**.
    """
    latest = None
    for period in periods:
        if period.start > d:
            break
        latest = period
    if latest is None or (latest.end is not None and d > latest.end):
        return None
    return latest


def period_open_at(periods: Sequence[Period], as_at: date) -> Period | None:
    """rules.md §3: the period of care open at the end of ``as_at``, if any.

    A period whose end is on or before the as-at date is closed: the child stopped being looked
    after that day (as the SSDA903 counts children looked after at 31 March). So a period
    ending on ``as_at`` is not open, although a review held that day still counts for it
    (``period_at``).
    """
    period = period_at(periods, as_at)
    if period is None or (period.end is not None and period.end <= as_at):
        return None
    return period

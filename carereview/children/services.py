"""Writes to a child's record that keep the derived schedule in step (rules.md §2-3).

`refresh_summary` runs the schedule engine over the child's episodes and reviews and stores what it
says: each review's due date and timeliness, and the child's next review due. Every write path that
changes episodes, reviews or earlier-review requirements calls it in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from carereview.children.models import Child, Episode
from carereview.core.authority import authority
from carereview.core.calendar import today, working_calendar
from carereview.engine import periods as engine_periods
from carereview.engine import schedule as engine_schedule
from carereview.engine.calendar import WorkingCalendar


@dataclass(frozen=True)
class Refreshed:
    """What `refresh_summary` has just read and stored, for the steps that follow it."""

    child: Child
    periods: list
    previous_start: date | None  # looked after since, before this refresh
    as_at: date
    calendar: WorkingCalendar
    episodes: list
    reviews: list


# What else a refresh keeps in step, whatever changed the child's episodes or reviews (ADR 0013):
# an app above the case record adds its step from its AppConfig.ready, as it declares its URL
# keywords; the steps run in the order added (INSTALLED_APPS order): allocation's (the IRO
# service's notices and the IRO appointments' timeliness, issue 12), then followup's (the midway
# check and placement-change events, issue 6). Nothing here imports them.
_AFTER_REFRESH: list[Callable[[Refreshed], None]] = []


def after_refresh(step: Callable[[Refreshed], None]) -> None:
    """Declare a step that runs at the end of every `refresh_summary`, in its transaction."""
    if step not in _AFTER_REFRESH:
        _AFTER_REFRESH.append(step)


def as_engine_episode(episode: Episode) -> engine_periods.Episode:
    return engine_periods.Episode(
        decom=episode.decom,
        dec=episode.dec,
        rne=episode.rne,
        ls=episode.ls,
        place=episode.place,
        rec=episode.rec or None,
    )


def short_break_window_months() -> int:
    """rules.md §2 **(ours)**: the authority's short-breaks window, in months."""
    return authority().short_break_window_months


def adoption_ended_resumes() -> bool:
    """rules.md §3 **(ours)**: when an adoption placement ends and the child stays looked after,
    the standard regime resumes from the previous review held (True, the rulebook's) or starts
    afresh, 20 working days after the change (False)."""
    return authority().adoption_ended_resumes_from_last_review


def periods_of_care(
    episodes: list[Episode], as_at: date | None = None
) -> list[engine_periods.Period]:
    """The engine's periods of care of stored episodes (as they stood on ``as_at``, if given),
    with the authority's settings."""
    engine_episodes = [as_engine_episode(e) for e in episodes]
    if as_at is not None:
        engine_episodes = engine_periods.episodes_known_at(engine_episodes, as_at)
    return engine_periods.periods_of_care(
        engine_episodes, short_break_window_months=short_break_window_months()
    )


def periods_with_episodes(episodes: list[Episode]) -> list[tuple[engine_periods.Period, list]]:
    """The child's periods of care, each with the stored episodes that fall in it."""
    periods = periods_of_care(episodes)
    result = []
    for period in periods:
        members = [
            e
            for e in episodes
            if e.decom >= period.start and (period.end is None or e.decom <= period.end)
        ]
        result.append((period, members))
    return result


@transaction.atomic
def refresh_summary(
    child: Child, *, as_at: date | None = None, calendar: WorkingCalendar | None = None
) -> engine_schedule.ChildSchedule:
    as_at = as_at or today()
    calendar = calendar or working_calendar()
    episodes = list(child.episodes.order_by("decom", "id"))
    reviews = list(child.reviews.filter(held_on__isnull=False).order_by("held_on", "id"))
    earlier = [
        engine_schedule.EarlierReview(
            required_by=e.required_by,
            reason=e.get_reason_display(),
            requested_on=e.recorded_at.date() if e.recorded_at else None,
        )
        for e in child.earlier_reviews.all()
    ]
    result = engine_schedule.compute_schedule(
        [as_engine_episode(e) for e in episodes],
        [r.held_on for r in reviews],
        as_at,
        calendar,
        earlier,
        short_break_window_months=short_break_window_months(),
        adoption_ended_resumes=adoption_ended_resumes(),
    )
    counted = {r.date: r for r in result.reviews}
    errors = {e.review_date: e.message for e in result.errors}
    seen: set[date] = set()
    for review in reviews:
        assert review.held_on is not None  # filtered on held_on__isnull=False
        found = counted.get(review.held_on) if review.held_on not in seen else None
        seen.add(review.held_on)
        review.counts = found is not None
        review.due_on = found.due if found else None
        review.on_time = found.on_time if found else None
        review.regime = found.regime if found else ""
        review.sequence = found.sequence if found else None
        review.data_error = "" if found else errors.get(review.held_on, "Does not count")[:200]
    child.reviews.model.objects.bulk_update(
        reviews, ["counts", "due_on", "on_time", "regime", "sequence", "data_error"]
    )

    # rules.md §3: a period ending on the as-at date is closed (the engine's rule, not a copy).
    periods = periods_of_care(episodes, as_at)
    open_period = engine_periods.period_open_at(periods, as_at)
    latest = episodes[-1] if episodes else None
    previous_start = child.looked_after_since if child.in_care else None
    child.in_care = open_period is not None
    child.looked_after_since = open_period.start if open_period else None
    child.current_legal_status = latest.ls if (latest and open_period) else ""
    child.current_placement = latest.place if (latest and open_period) else ""
    child.next_review_due = result.next_due
    child.save(
        update_fields=[
            "in_care",
            "looked_after_since",
            "current_legal_status",
            "current_placement",
            "next_review_due",
        ]
    )
    refreshed = Refreshed(child, periods, previous_start, as_at, calendar, episodes, reviews)
    for step in _AFTER_REFRESH:
        step(refreshed)
    return result


def schedule_records() -> int:
    """Children whose schedule is stored (for `recompute_schedules`)."""
    return Child.objects.count()


def recompute_schedules(calendar: WorkingCalendar) -> int:
    """After a bank-holiday change (core.calendar): every child's stored schedule, in care or
    not, worked out again: each review's due date and timeliness (a child who left care too),
    the next review due and what hangs from it (the midway check). Returns the count."""
    return _refresh_each(Child.objects.order_by("pk"), calendar=calendar)


def refresh_all_in_care(*, as_at: date | None = None) -> int:
    """The nightly refresh (followup.tasks): every in-care child's schedule worked out again,
    so stored due dates and overdue flags do not age overnight. Returns the count."""
    return _refresh_each(Child.objects.filter(in_care=True), as_at=as_at)


def _refresh_each(children, *, as_at: date | None = None, calendar=None) -> int:
    calendar = calendar or working_calendar()
    count = 0
    for child in children.iterator(chunk_size=500):
        refresh_summary(child, as_at=as_at, calendar=calendar)
        count += 1
    return count

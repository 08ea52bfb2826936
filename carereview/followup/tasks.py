"""The daily jobs between reviews (Django's tasks framework, database backend), run by
`carereview worker`: the nightly refresh of every in-care child's schedule, then the reminders.

They are domain jobs, so they live here, above the reviews and disputes they read; the worker
(notifications.worker, infrastructure) is handed them by the `worker` command (ADR 0013), and
knows no domain app. Arguments are JSON: a date travels as its ISO text. Priorities order one pass
of the worker: the stored due dates are refreshed first, then the reminders are made, then the
outbox is sent (notifications.tasks.OUTBOX_PRIORITY).
"""

from __future__ import annotations

from datetime import date

from django.tasks import task

from carereview.children.services import refresh_all_in_care
from carereview.followup import reminders
from carereview.notifications.worker import DailyJob

REFRESH_PRIORITY = 20
REMINDERS_PRIORITY = 10


@task(priority=REMINDERS_PRIORITY)
def send_reminders(as_at: str | None = None) -> int:
    """Make the day's reminders (`reminders.run`); the number of messages made."""
    return reminders.run(date.fromisoformat(as_at) if as_at else None)


@task(priority=REFRESH_PRIORITY)
def nightly_refresh() -> int:
    """Work out every in-care child's schedule again, so stored due dates and overdue flags do
    not age overnight; the number of children."""
    return refresh_all_in_care()


def _refresh(today: date) -> None:
    nightly_refresh.enqueue()


def _reminders(today: date) -> None:
    send_reminders.enqueue(today.isoformat())


# In this order: a pass that enqueues both runs the refresh first (and priorities agree).
DAILY_JOBS = (
    DailyJob("nightly_refresh", "NIGHTLY_REFRESH_AT", _refresh),
    DailyJob("send_reminders", "REMINDERS_AT", _reminders),
)

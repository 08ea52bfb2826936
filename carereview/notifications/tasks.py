"""Background tasks (Django's tasks framework, database backend), run by `carereview worker`.

Arguments are JSON: a date travels as its ISO text. Priorities order one pass of the worker: the
stored due dates are refreshed first, then the reminders are made, then the outbox is sent.
"""

from __future__ import annotations

from datetime import date

from django.tasks import task

REFRESH_PRIORITY = 20
REMINDERS_PRIORITY = 10
OUTBOX_PRIORITY = 0


@task(priority=OUTBOX_PRIORITY)
def deliver_outbox(limit: int = 100) -> dict:
    """Send every message that is due, `limit` at a time."""
    from .outbox import deliver_due

    totals = {"sent": 0, "failed": 0, "released": 0}
    while True:
        delivery = deliver_due(limit=limit)
        totals["sent"] += delivery.sent
        totals["failed"] += delivery.failed
        totals["released"] += delivery.released
        if delivery.sent + delivery.failed < limit:
            return totals


@task(priority=REMINDERS_PRIORITY)
def send_reminders(as_at: str | None = None) -> int:
    """Make the day's reminders (`reminders.run`); the number of messages made."""
    from . import reminders

    return reminders.run(date.fromisoformat(as_at) if as_at else None)


@task(priority=REFRESH_PRIORITY)
def nightly_refresh() -> int:
    """Work out every in-care child's schedule again, so stored due dates and overdue flags do
    not age overnight; the number of children."""
    from carereview.children.services import refresh_all_in_care

    return refresh_all_in_care()

"""The outbox's background task (Django's tasks framework, database backend), run by
`carereview worker`. It runs last in a pass: the daily jobs the worker is given (followup.tasks)
have higher priorities.
"""

from __future__ import annotations

from django.tasks import task

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

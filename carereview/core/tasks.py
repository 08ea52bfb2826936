"""Core's background task (Django's tasks framework, database backend; run by
`carereview worker`, which runs every queued task)."""

from django.tasks import task


@task(priority=20)
def recompute_working_day_dates() -> dict:
    """Every stored date worked out in working days, again (after a bank-holiday change at an
    authority too large to do it in the request); the records gone through, by kind."""
    from carereview.core.calendar import recompute_stored_dates

    return recompute_stored_dates()

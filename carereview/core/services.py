"""Writes to core's own records: the bank-holiday table (rules.md §1).

Each change marks the table changed for every process (core.calendar, issue 12 item 9), then has
every stored date worked out in working days worked out again (item 10): in the request for a
small authority, in the background worker for a large one.
"""

from datetime import date

from django.db import transaction

from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import recompute_stored_dates, stored_date_records
from carereview.core.models import BankHoliday
from carereview.core.tasks import recompute_working_day_dates


def add_bank_holiday(by, day: date, name: str) -> tuple[BankHoliday, dict[str, int] | None]:
    """Add a bank holiday; returns it and the records worked out again (None: in the
    background)."""
    with transaction.atomic():
        holiday = BankHoliday.objects.create(date=day, name=name)
        audit.record_change(by, "bank_holiday.add", holiday, {"date": str(holiday.date)})
    return holiday, after_bank_holiday_change()


def remove_bank_holiday(by, holiday: BankHoliday) -> dict[str, int] | None:
    """Remove a bank holiday; returns the records worked out again (None: in the background)."""
    with transaction.atomic():
        audit.record_change(by, "bank_holiday.delete", holiday, {"date": str(holiday.date)})
        holiday.delete()
    return after_bank_holiday_change()


# Moved from core.calendar (ADR 0013: calendar and tasks no longer import each other).
def after_bank_holiday_change() -> dict[str, int] | None:
    """Work stored dates out again after a change to the table: now, where there are no more
    records than `RECOMPUTE_IN_REQUEST_MAX_RECORDS` (the counts by kind), else in the
    background worker once the change is committed (None)."""
    limit = authority().recompute_in_request_max_records
    if stored_date_records() <= limit:
        return recompute_stored_dates()
    transaction.on_commit(recompute_working_day_dates.enqueue)
    return None

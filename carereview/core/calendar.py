"""The working calendar the web app uses: the engine's arithmetic over the bank-holiday table.

Every process (each web worker, the background worker) keeps the calendar it last read, with the
table's version token (`BankHolidayVersion`) at the time; each call reads the token (one small
query) and reads the table again only when it changed. So a change made in any process reaches
all of them at once, with no cache to clear (issue 12 item 9).
"""

import threading
import uuid
from datetime import date

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from carereview.core.models import BankHoliday, BankHolidayVersion
from carereview.engine.calendar import WorkingCalendar

_VERSION_ROW = 1
_lock = threading.Lock()
_kept: tuple[str, WorkingCalendar] | None = None


def _token() -> str | None:
    return (
        BankHolidayVersion.objects.filter(pk=_VERSION_ROW).values_list("token", flat=True).first()
    )


def working_calendar() -> WorkingCalendar:
    """The calendar as the bank-holiday table stands now (read again only after a change)."""
    global _kept
    token = _token()
    kept = _kept
    if token is not None and kept is not None and kept[0] == token:
        return kept[1]
    calendar = WorkingCalendar(BankHoliday.objects.values_list("date", flat=True))
    if token is not None:
        with _lock:
            _kept = (token, calendar)
    return calendar


def forget_bank_holidays() -> None:
    """Mark the bank-holiday table changed, for every process: call in the transaction of any
    change that saving or deleting a `BankHoliday` does not already signal (a bulk write)."""
    BankHolidayVersion.objects.update_or_create(
        pk=_VERSION_ROW, defaults={"token": uuid.uuid4().hex}
    )


@receiver(post_save, sender=BankHoliday, dispatch_uid="bank-holiday-saved")
@receiver(post_delete, sender=BankHoliday, dispatch_uid="bank-holiday-deleted")
def _bank_holiday_changed(sender, **kwargs) -> None:
    forget_bank_holidays()


def today() -> date:
    return timezone.localdate()

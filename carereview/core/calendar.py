"""The working calendar the web app uses: the engine's arithmetic over the bank-holiday table.

Every process (each web worker, the background worker) keeps the calendar it last read, with the
table's version token (`BankHolidayVersion`) at the time; each call reads the token (one small
query) and reads the table again only when it changed. So a change made in any process reaches
all of them at once, with no cache to clear (issue 12 item 9).

Every date stored after being worked out in working days is worked out again after a change
(issue 12 item 10): each app that stores such dates registers them (`register_stored_dates`, in
its AppConfig.ready), so core knows no domain app and a new app cannot be forgotten by a list
kept here. `core.services.after_bank_holiday_change` does it in the request for a small
authority and hands it to the background worker above
`CAREREVIEW["RECOMPUTE_IN_REQUEST_MAX_RECORDS"]`; `recompute_pending` says whether that is still
under way.
"""

import threading
import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string

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
    token = uuid.uuid4().hex
    changed = BankHolidayVersion.objects.filter(pk=_VERSION_ROW).update(
        token=token, changed_at=timezone.now()
    )
    if not changed:
        # No version yet (a database emptied by a test): start one, with nothing to recompute.
        BankHolidayVersion.objects.create(pk=_VERSION_ROW, token=token, recomputed_token=token)


@receiver(post_save, sender=BankHoliday, dispatch_uid="bank-holiday-saved")
@receiver(post_delete, sender=BankHoliday, dispatch_uid="bank-holiday-deleted")
def _bank_holiday_changed(sender, **kwargs) -> None:
    forget_bank_holidays()


@dataclass(frozen=True)
class StoredDates:
    """Dates an app stores after working them out in working days.

    `count` and `recompute` are dotted paths (imported when first used, so registering imports
    nothing): `count()` is how many records `recompute(calendar)` would go through, and
    `recompute(calendar)` works every one of them out again with the calendar, storing what
    changed, and returns how many records it went through.
    """

    label: str
    count: str
    recompute: str


_stored: dict[str, StoredDates] = {}


def register_stored_dates(label: str, *, count: str, recompute: str) -> None:
    """Register dates to work out again after a bank-holiday change (from AppConfig.ready)."""
    _stored[label] = StoredDates(label, count, recompute)


def registered_stored_dates() -> list[StoredDates]:
    return list(_stored.values())


def stored_date_records() -> int:
    """How many records a recompute goes through."""
    return sum(import_string(s.count)() for s in _stored.values())


def recompute_stored_dates(calendar: WorkingCalendar | None = None) -> dict[str, int]:
    """Work every registered stored date out again with the bank-holiday table as it is now;
    the records gone through, by kind. Marks the table's version as recomputed, unless it
    changed meanwhile (then another recompute follows that change)."""
    token = _token()
    calendar = calendar or working_calendar()
    done = {s.label: import_string(s.recompute)(calendar) for s in _stored.values()}
    if token is not None:
        BankHolidayVersion.objects.filter(pk=_VERSION_ROW, token=token).update(
            recomputed_token=token
        )
    return done


def recompute_pending() -> bool:
    """Whether stored dates are still being worked out again after a change."""
    row = BankHolidayVersion.objects.filter(pk=_VERSION_ROW).values("token", "recomputed_token")
    found = row.first()
    return found is not None and found["token"] != found["recomputed_token"]


def today() -> date:
    return timezone.localdate()


def practical_deadline_shown(
    day: date, calendar: WorkingCalendar | None = None, not_before: date | None = None
) -> date | None:
    """The practical deadline to show beside the due date `day` (rules.md §1), or None where
    `day` is a working day and is shown alone."""
    calendar = calendar or working_calendar()
    if calendar.is_working_day(day):
        return None
    return calendar.practical_deadline(day, not_before=not_before)


def due_words(
    day: date,
    fmt: str = "j F Y",
    *,
    calendar: WorkingCalendar | None = None,
    not_before: date | None = None,
) -> str:
    """A due date in words for text that is not a page (an email, a text, a message after a
    form, a letter): the date as it is, never moved, and where it is not a working day the
    practical deadline beside it (rules.md §1, issue 12 item 16). Pages use the `due_date`
    template tag, which says the same. `fmt` is a Django date format."""
    from django.utils.dateformat import format as date_format

    shown = date_format(day, fmt)
    practical = practical_deadline_shown(day, calendar, not_before)
    if practical is None:
        return shown
    long_fmt = fmt if fmt.startswith("l") else "l " + fmt
    return f"{shown} (not a working day; last working day: {date_format(practical, long_fmt)})"

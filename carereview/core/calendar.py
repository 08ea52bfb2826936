"""The working calendar the web app uses: the engine's arithmetic over the bank-holiday table."""

from datetime import date

from django.core.cache import cache
from django.utils import timezone

from carereview.core.models import BankHoliday
from carereview.engine.calendar import WorkingCalendar

_CACHE_KEY = "carereview:bank-holidays:v1"


def working_calendar() -> WorkingCalendar:
    holidays = cache.get(_CACHE_KEY)
    if holidays is None:
        holidays = list(BankHoliday.objects.values_list("date", flat=True))
        cache.set(_CACHE_KEY, holidays, 300)
    return WorkingCalendar(holidays)


def forget_bank_holidays() -> None:
    """Call after any change to the bank-holiday table."""
    cache.delete(_CACHE_KEY)


def today() -> date:
    return timezone.localdate()

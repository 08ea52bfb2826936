"""Writes to core's own records: the bank-holiday table (rules.md §1)."""

from datetime import date

from django.db import transaction

from carereview.core import audit
from carereview.core.calendar import forget_bank_holidays
from carereview.core.models import BankHoliday


@transaction.atomic
def add_bank_holiday(by, day: date, name: str) -> BankHoliday:
    holiday = BankHoliday.objects.create(date=day, name=name)
    audit.record_change(by, "bank_holiday.add", holiday, {"date": str(holiday.date)})
    forget_bank_holidays()
    return holiday

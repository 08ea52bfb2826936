"""Issue 12 item 16: one tag shows every due date as it is, with the practical deadline beside
it where it is not a working day (rules.md §1), in pages and in PDFs (no request)."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from carereview.core.models import BankHoliday

TAG = Template('{% load carereview %}{% due_date day "j M Y" empty="None due" not_before=held %}')


def shown(day, held=None, request=None) -> str:
    context = {"day": day, "held": held}
    if request is not None:
        context["request"] = request
    return TAG.render(Context(context))


@pytest.mark.django_db
def test_a_working_day_is_shown_alone():
    assert shown(date(2027, 2, 19)) == "19 Feb 2027"  # a Friday


@pytest.mark.django_db
def test_a_weekend_or_bank_holiday_keeps_its_date_with_the_practical_deadline_beside_it():
    assert shown(date(2027, 2, 20)) == (
        '20 Feb 2027 <span class="govuk-body-s">(not a working day; last working day: '
        "Friday 19 Feb 2027)</span>"
    )
    assert "last working day: Thursday 24 Dec 2026" in shown(date(2026, 12, 25))
    BankHoliday.objects.create(date=date(2027, 2, 19), name="Proclaimed holiday")
    assert "last working day: Thursday 18 Feb 2027" in shown(date(2027, 2, 20))


@pytest.mark.django_db
def test_never_before_a_given_date_and_empty_when_none():
    assert "last working day: Saturday 20 Feb 2027" in shown(
        date(2027, 2, 21), held=date(2027, 2, 20)
    )
    assert shown(None) == "None due"


@pytest.mark.django_db
def test_the_calendar_is_read_once_per_request(django_assert_num_queries):
    request = RequestFactory().get("/")
    shown(date(2027, 2, 20), request=request)
    with django_assert_num_queries(0):
        for day in range(1, 28):
            shown(date(2027, 2, day), request=request)

from datetime import date

import pytest
from django.urls import reverse

from carereview.core.models import AuditEvent, BankHoliday
from carereview.core.testing import date_parts, make_child


@pytest.mark.django_db
def test_the_table_is_seeded_for_england_and_wales():
    days = set(BankHoliday.objects.values_list("date", flat=True))
    assert date(2022, 9, 19) in days  # the one-off State Funeral
    assert date(2026, 4, 3) in days  # Good Friday 2026
    assert date(2026, 12, 28) in days  # Boxing Day substitute
    assert date(2026, 11, 2) not in days


@pytest.mark.django_db
def test_a_proclaimed_holiday_moves_due_dates_at_once(client, service):
    # 2 Nov 2026 + 20 working days = 30 Nov 2026 (rules.md §1); a new holiday on 16 Nov moves it.
    child = make_child(iro=service.iro, start=date(2026, 11, 2), as_at=date(2026, 11, 3))
    assert child.next_review_due == date(2026, 11, 30)
    client.force_login(service.administrator)
    page = client.post(
        reverse("core:bank-holidays"),
        {**date_parts("date", date(2026, 11, 16)), "name": "Proclaimed holiday"},
        follow=True,
    )
    assert "worked out again" in page.content.decode()
    child.refresh_from_db()
    assert child.next_review_due == date(2026, 12, 1)
    assert AuditEvent.objects.filter(operation="bank_holiday.add").exists()
    # Removing it asks first, then puts the date back.
    holiday = BankHoliday.objects.get(date=date(2026, 11, 16))
    url = reverse("core:bank-holiday-delete", kwargs={"holiday_id": holiday.pk})
    assert "Yes, remove it" in client.get(url).content.decode()
    client.post(url)
    child.refresh_from_db()
    assert child.next_review_due == date(2026, 11, 30)


@pytest.mark.django_db
def test_bad_input_is_explained_and_nothing_is_saved(client, service):
    client.force_login(service.administrator)
    before = BankHoliday.objects.count()
    page = client.post(
        reverse("core:bank-holidays"),
        {"date_day": "31", "date_month": "2", "date_year": "2026", "name": ""},
    )
    html = page.content.decode()
    assert "There is a problem" in html
    assert "The date of the bank holiday must be a real date" in html
    # Only the day is wrong (February has no 31st): the summary links to it, and it alone is red.
    assert '<a href="#id_date_day">The date of the bank holiday must be a real date</a>' in html
    day_box = 'value="31" inputmode="numeric" id="id_date_day" class="govuk-input '
    assert day_box + 'govuk-date-input__input govuk-input--width-2 govuk-input--error"' in html
    assert (
        'id="id_date_month" class="govuk-input govuk-date-input__input govuk-input--width-2"'
        in html
    )
    assert "Enter the name of the bank holiday" in html
    page = client.post(reverse("core:bank-holidays"), {"date": "2026-12-25", "name": "Again"})
    assert "That date is already a bank holiday" in page.content.decode()
    assert BankHoliday.objects.count() == before

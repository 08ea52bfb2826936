"""Issue 12 item 16 (rules.md §1): a due date is never moved. The midway check stores the true
date; where it is not a working day, pages show the practical deadline beside it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from carereview.core.calendar import working_calendar
from carereview.core.testing import make_child
from carereview.engine.calendar import add_months
from carereview.followup.models import MidwayCheck


def _weekend_midpoint_review() -> tuple[date, date]:
    """A first review held (a weekday) whose midway point, half-way to the second review
    (due 3 months later), falls on a Saturday."""
    held = date(2027, 1, 4)
    while True:
        point = held + timedelta(days=(add_months(held, 3) - held).days // 2)
        if held.weekday() < 5 and point.weekday() == 5:
            return held, point
        held += timedelta(days=1)


@pytest.mark.django_db
def test_the_midway_check_stores_the_true_date_and_pages_show_the_practical_deadline(
    client, service
):
    held, saturday = _weekend_midpoint_review()
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=held - timedelta(days=10),
        reviews=[held],
        as_at=held + timedelta(days=1),
    )
    check = MidwayCheck.objects.get(child=child)
    assert check.due_on == saturday  # never moved to the Friday
    friday = working_calendar().last_working_day_on_or_before(saturday)
    assert friday == saturday - timedelta(days=1)
    client.force_login(service.iro)
    for url in (
        reverse("followup:midway", args=[check.pk]),
        reverse("children:detail", args=[child.pk]),
    ):
        html = client.get(url).content.decode()
        assert f"{saturday:%-d} {saturday:%B %Y}" in html or f"{saturday:%-d %b %Y}" in html
        assert "last working day" in html and f"Friday {friday:%-d}" in html, url

"""The IRO manager's caseload view a page of IROs at a time (issue 7: some 1,500 IROs at national
scale), with the service's totals over every IRO, not only those on the page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from carereview.accounts.models import Role
from carereview.core.testing import make_child, make_user
from carereview.reviews.models import Decision


@pytest.fixture
def many_iros(service):
    """Twelve IROs more in the manager's team (Iro00 to Iro11), each with one child in care."""
    made = []
    for k in range(12):
        iro = make_user(
            f"extra.iro{k:02d}",
            Role.IRO,
            service.iro.team,
            line_manager=service.iro_manager,
            last_name=f"Iro{k:02d}",
        )
        child = make_child(iro=iro, start=date.today() - timedelta(days=300))
        review = child.reviews.create(held_on=date.today() - timedelta(days=200))
        Decision.objects.create(review=review, text="Do it", due_on=date.today() - timedelta(1))
        made.append(iro)
    return made


@pytest.mark.django_db
def test_pages_of_iros_with_the_services_totals(client, service, many_iros, settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "IRO_CASELOADS_PAGE_SIZE": 5}
    make_child(iro=service.iro)
    client.force_login(service.iro_manager)
    url = reverse("caseload:managers")
    first = client.get(url)
    assert first.status_code == 200
    names = [r.person.last_name for r in first.context["rows"]]
    assert names == ["Applewood", "Brackenby", "Cobblewick", "Iro00", "Iro01"]
    html = first.content.decode()
    assert 'aria-label="Pages of IRO caseloads"' in html and "IROs 1 to 5 of 15" in html
    # The totals count every IRO's children and decisions, not the page's.
    assert (first.context["total"], first.context["decisions_overdue"]) == (13, 12)
    last = client.get(url, {"page": 3})
    assert [r.person.last_name for r in last.context["rows"]][-1] == "Iro11"
    assert last.context["table"][-1][1] == 1  # Iro11's child's overdue decision
    assert last.context["total"] == 13

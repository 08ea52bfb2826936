"""The IRO manager's overview: open disputes by stage and age; counts by stage, theme and outcome,
and Cafcass referrals, over a period (the reporting year by default)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from carereview.core.testing import make_child
from carereview.disputes import selectors, services

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_the_reporting_year_runs_from_april_to_march():
    assert selectors.reporting_year(date(2026, 2, 2)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert selectors.reporting_year(date(2026, 4, 1)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert selectors.reporting_year(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def history(service, child, on_day):
    """Four disputes: three raised in the reporting year 2025-26, one the year before."""
    second = make_child(iro=service.iro, social_worker=service.social_worker, first_name="Ash")
    third = make_child(iro=service.iro, social_worker=service.social_worker, first_name="Bo")
    old = make_child(iro=service.iro, social_worker=service.social_worker, first_name="Cy")

    def raised(c, themes, **extra):
        args = {"summary": f"About {c.first_name}", "message": "m", "themes": themes}
        return services.raise_dispute(c, by=service.iro, **(args | extra))

    on_day(date(2025, 3, 3))
    last_year = raised(old, ["contact"])
    on_day(date(2025, 9, 1))
    a = raised(child, ["drift", "permanence"])
    on_day(date(2025, 9, 15))
    services.escalate(a, by=service.iro, message="m")
    services.respond(a.steps.last(), by=service.team_manager, response="r")
    on_day(date(2025, 10, 1))
    services.refer_to_cafcass(a, by=service.iro, on=date(2025, 10, 1))
    services.resolve(a, by=service.iro, resolution="r")
    on_day(date(2026, 1, 5))
    b = raised(second, ["drift", "education"])
    c = raised(third, ["placement"], start_stage="service_manager", skip_reason="Urgent")
    on_day(DAY)
    return a, b, c, last_year


def test_the_counts_for_the_reporting_year(service, history):
    a, b, c, last_year = history
    start, end = selectors.reporting_year(DAY)
    r = selectors.overview(service.iro_manager, start, end, DAY)
    rows = {row.stage: row for row in r.stages}
    assert (rows["informal"].reached, rows["informal"].escalated, rows["informal"].waiting) == (
        2,
        1,
        1,
    )
    assert (rows["team_manager"].reached, rows["team_manager"].resolved) == (1, 1)
    assert rows["team_manager"].skipped == 1 and rows["informal"].skipped == 1
    assert (rows["service_manager"].reached, rows["service_manager"].waiting) == (1, 1)
    assert rows["director"].reached == 0
    themes = dict(r.themes)
    assert themes["Drift and delay"] == 2 and themes["Permanence"] == 1
    assert themes["Placement"] == 1 and themes["Contact and family time"] == 0
    assert (r.raised, r.resolved, r.still_open, r.resolved_in_period) == (3, 1, 2, 1)
    assert [d.pk for d in r.cafcass] == [a.pk]
    # Open now: the highest stage first, then the oldest.
    assert [d.pk for d in r.open_disputes] == [c.pk, last_year.pk, b.pk]
    assert [d.age_days for d in r.open_disputes] == [28, 336, 28]
    assert (rows["informal"].open_now, rows["informal"].oldest_days) == (2, 336)


def test_the_last_year_has_its_own_counts(service, history):
    r = selectors.overview(service.iro_manager, date(2024, 4, 1), date(2025, 3, 31), DAY)
    assert (r.raised, r.still_open) == (1, 1)
    assert dict(r.themes)["Contact and family time"] == 1
    assert r.cafcass == []


def test_the_overview_page(client, service, history):
    a, b, c, _ = history
    client.force_login(service.iro_manager)
    html = client.get(reverse("disputes:overview")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Counts for 1 April 2025 to 31 March 2026" in text
    assert "Stage 2: service manager 1 28" in text  # open by stage: count, oldest age
    assert "Informal: the social worker 2 336" in text
    # Reached, skipped, resolved, escalated, waiting.
    assert "Informal: the social worker 2 1 0 1 1" in text
    assert "Stage 1: team manager 1 1 1 0 0" in text
    assert "Drift and delay 2" in text and "Resolved 1" in text and "Still open 2" in text
    assert "Referrals to Cafcass: 1" in text
    assert reverse("disputes:detail", args=[c.pk]) in html
    # Another period, chosen on the page.
    html = client.get(reverse("disputes:overview") + "?start=2024-04-01&end=2025-03-31")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.content.decode()))
    assert (
        "Counts for 1 April 2024 to 31 March 2025" in text and "Contact and family time 1" in text
    )


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?start=<script>&end=2026-01-01", "The start of the period must be a real date"),
        ("?start=2026-01-01&end=2025-01-01", "on or after its start"),
        ("?start=&end=", "Enter the start of the period"),
        ("?start=" + "9" * 100_000, "The start of the period must be a real date"),
        # The date input's boxes, as the page's form sends them.
        (
            "?start_day=1&start_month=4&start_year=2026&end_day=&end_month=3&end_year=2027",
            "The end of the period must include a day",
        ),
        (
            "?start_day=1&start_month=apr&start_year=2026&end_day=31&end_month=3&end_year=2026",
            "on or after its start",
        ),
    ],
)
def test_a_bad_period_is_an_error_and_the_reporting_year_is_shown(
    client, service, on_day, query, error
):
    client.force_login(service.iro_manager)
    response = client.get(reverse("disputes:overview") + query)
    html = response.content.decode()
    assert response.status_code == 200 and error in html and "<script>" not in html
    assert "Counts for 1 April 2025 to 31 March 2026" in html


def test_empty_states(client, service, on_day):
    client.force_login(service.iro_manager)
    html = client.get(reverse("disputes:overview")).content.decode()
    assert "No disputes are open." in html
    assert "No disputes were raised, escalated, resolved or referred to Cafcass" in html


def test_only_the_iro_manager_has_the_overview(client, service):
    for user in (service.iro, service.team_manager, service.service_manager, service.social_worker):
        client.force_login(user)
        assert client.get(reverse("disputes:overview")).status_code == 403

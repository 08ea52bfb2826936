"""The GOV.UK form renderer in a real browser (ADR 0014), axe on every page: a social worker
tells the IRO of a significant event. A date that does not exist is refused with the GOV.UK
date input's message; only its wrong part is red; the error summary's link takes the cursor to
that box; the long text counts its characters (GOV.UK's character count, with JavaScript); the
month may be typed as a word."""

import re

import pytest
from playwright.sync_api import Page, expect

from carereview.core.testing import make_child
from carereview.followup.models import SignificantEvent
from carereview.followup.services import TEXT_LIMIT
from tests.system.browsing import check_axe, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Page) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Send to the IRO").click()
    check_axe(page)


def test_a_date_with_errors_is_explained_and_the_page_passes_axe(page: Page, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker, first_name="Alder")
    sign_in(page, service.social_worker.username)
    visit(page, f"/between-reviews/children/{child.pk}/events/new/")
    date_group = page.get_by_role("group", name="Date it happened")
    expect(date_group.get_by_label("Day")).to_be_visible()
    expect(page.locator('input[type="date"]')).to_have_count(0)
    # With JavaScript, the character count says what is left as one types.
    details = page.get_by_label("Details")
    details.fill("A move of school")
    expect(page.locator(".govuk-character-count__status")).to_contain_text(
        f"You have {TEXT_LIMIT - len('A move of school'):,} characters remaining"
    )

    page.get_by_label("A change of placement").check()
    date_group.get_by_label("Day").fill("31")
    date_group.get_by_label("Month").fill("2")
    date_group.get_by_label("Year").fill("2026")
    submit(page)

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # govuk-frontend's ErrorSummary, started by init.js
    message = "The date it happened must be a real date"
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator("#id_occurred_on-error")).to_have_text(f"Error: {message}")
    day, month = page.locator("#id_occurred_on_day"), page.locator("#id_occurred_on_month")
    expect(day).to_have_value("31")
    expect(day).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(month).not_to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(details).to_have_value("A move of school")
    summary.get_by_role("link", name=message).click()
    expect(day).to_be_focused()

    # A part left out, then the month as a word: accepted.
    day.fill("")
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date it happened must include a day"
    )
    page.locator("#id_occurred_on_day").fill("3")
    page.locator("#id_occurred_on_month").fill("feb")
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    event = SignificantEvent.objects.get(child=child)
    assert event.occurred_on.isoformat() == "2026-02-03"

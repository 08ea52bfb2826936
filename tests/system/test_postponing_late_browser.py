"""Issue 12 item 18 in a real browser, axe on every page: the IRO asks to postpone a meeting to a
date after the review is due, is warned and confirms; the manager sees the same warning on the
request, approves it, and the due date has not moved."""

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from carereview.core.calendar import today
from carereview.core.testing import make_child
from carereview.reviews import services
from carereview.reviews.models import Meeting
from tests.system.browsing import check_axe, fill_date, sign_in, sign_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page: Page, name: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=name).click()
    check_axe(page)


def test_postponing_past_the_due_date_warns_the_iro_and_the_manager(page: Page, service):
    t = today()
    child = make_child(iro=service.iro, start=t - timedelta(days=5), first_name="Alex")
    due = child.next_review_due
    meeting = services.book_meeting(child, by=service.iro, on=due, at=time(10), venue="School")
    late = due + timedelta(days=10)
    warning = f"This is after the review is due on {due.day} {due:%B %Y}. The review will be late."

    sign_in(page, service.iro.username)
    visit(page, f"/reviews/meetings/{meeting.pk}/change/")
    page.get_by_label("Postpone it to a new date").check()
    page.get_by_label("Reason").fill("Alex is on a school trip that week.")
    fill_date(page, "New date (if postponing)", late)
    page.get_by_label("New time (if postponing)").fill("10:00")
    expect(page.get_by_label("Ask for it anyway")).to_have_count(0)
    _submit(page, "Ask for the change")
    expect(page).to_have_title(re.compile(r"^Error: Postpone or cancel a meeting"))
    expect(page.locator(".govuk-warning-text")).to_contain_text(warning)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Check the warning, then tick to ask for it anyway"
    )
    assert Meeting.objects.get(pk=meeting.pk).approval == ""
    page.get_by_label("Ask for it anyway").check()
    _submit(page, "Ask for the change")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Sent to an IRO manager to approve. The due date does not change."
    )
    sign_out(page)

    sign_in(page, service.iro_manager.username)
    visit(page, "/reviews/approvals/")
    row = page.locator("tbody tr", has_text=child.full_name)
    expect(row.locator(".govuk-tag")).to_have_text("After the due date")
    with page.expect_navigation(wait_until="load"):
        row.get_by_role("link", name=re.compile("^Decide")).click()
    check_axe(page)
    expect(page.locator(".govuk-warning-text")).to_contain_text(warning)
    page.get_by_label("Approve").check()
    _submit(page, "Save the decision")
    child.refresh_from_db()
    assert child.next_review_due == due
    assert Meeting.objects.filter(review=meeting.review, on=late, status="scheduled").exists()

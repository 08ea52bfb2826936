"""Issue 13 item 2 in a real browser, axe on every page: the IRO's checklist is the GOV.UK task
list, each task a link to where it is recorded with its status; the staff site's service
navigation folds into a Menu button on a phone, and shows every link without JavaScript."""

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from carereview.core.calendar import today
from carereview.core.testing import PASSWORD, make_child
from carereview.reviews import services
from tests.system.browsing import check_axe, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_the_iros_checklist_is_a_task_list(page: Page, service):
    t = today()
    child = make_child(iro=service.iro, start=t - timedelta(days=60), first_name="Alex")
    meeting = services.book_meeting(
        child, by=service.iro, on=t + timedelta(days=2), at=time(10), venue="School"
    )
    review = meeting.review
    services.tick(review, by=service.iro, item="reports_read", done_on=t)

    sign_in(page, service.iro.username)
    visit(page, f"/reviews/{review.pk}/")
    tasks = page.locator(".govuk-task-list")
    expect(page.get_by_role("heading", name="The IRO's checklist")).to_be_visible()
    expect(tasks.locator(".govuk-task-list__item")).to_have_count(8)

    done = tasks.locator(".govuk-task-list__item", has_text="Reports read")
    expect(done.locator(".govuk-task-list__status")).to_have_text("Completed")
    expect(done.locator(".govuk-task-list__hint")).to_contain_text(
        f"{t.day} {t:%b %Y} by {service.iro.get_full_name()}"
    )
    # The papers were due 3 working days before a meeting 2 days away: late, in red.
    papers = tasks.locator(".govuk-task-list__item", has_text="Care plan received")
    expect(papers.locator(".govuk-tag--red")).to_have_text("Late")
    expect(papers.locator(".govuk-task-list__hint")).to_contain_text("Due by")
    family = tasks.locator(".govuk-task-list__item", has_text="Family spoken to")
    expect(family.locator(".govuk-tag--blue")).to_have_text("Incomplete")

    # The task's link is named by the task, and described by its status.
    link = page.get_by_role("link", name="Care plan received", exact=True)
    expect(link).to_have_attribute("aria-describedby", re.compile(r"-status$"))
    with page.expect_navigation(wait_until="load"):
        link.click()
    check_axe(page)
    expect(page.get_by_role("heading", name="Care plan received", level=1)).to_be_visible()
    assert page.url.endswith(f"/reviews/{review.pk}/checklist/care_plan/")


def test_the_staff_service_navigation_folds_into_a_menu_on_a_phone(page: Page, service):
    page.set_viewport_size(PHONE)
    sign_in(page, service.iro.username)
    nav = page.get_by_role("navigation", name="Menu")
    menu = nav.get_by_role("button", name="Menu")
    caseload = nav.get_by_role("link", name="My caseload")

    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(caseload).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(caseload).to_be_visible()
    expect(nav.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()
    check_axe(page)  # the open menu, too

    menu.click()
    expect(caseload).to_be_hidden()

    # On a wide screen there is no Menu button: the links show.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(menu).to_be_hidden()
    expect(caseload).to_be_visible()


def test_without_javascript_every_navigation_link_shows(browser, frontend, live_server, service):
    """Without JavaScript the Menu button stays hidden and every link shows, on a phone too. (A
    context of its own, JavaScript off; axe needs JavaScript, and checks this page with it in
    the test above.)"""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    try:
        plain = context.new_page()
        plain.goto("/sign-in/")
        plain.get_by_label("Username").fill(service.iro.username)
        plain.get_by_label("Password").fill(PASSWORD)
        with plain.expect_navigation(wait_until="load"):
            plain.get_by_role("button", name="Sign in").click()
        nav = plain.get_by_role("navigation", name="Menu")
        expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
        for name in ("My caseload", "Requests", "Your profile"):
            expect(nav.get_by_role("link", name=name)).to_be_visible()
        expect(nav.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()
    finally:
        context.close()


def test_at_320_pixels_a_wide_table_scrolls_and_the_page_does_not(page: Page, service):
    """WCAG 2.2 1.4.10 Reflow: at 320 CSS pixels the IRO managers' caseload table (the widest)
    scrolls sideways inside its own region, which a keyboard can reach; the page does not."""
    for n in range(3):
        make_child(iro=service.iro, first_name=f"Reflow{n}")
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, service.iro_manager.username)
    visit(page, "/caseload/iros/")
    region = page.locator(".app-table-container").first
    expect(region).to_have_attribute("role", "region")
    widths = page.evaluate(
        """(region) => ({
            page: document.documentElement.scrollWidth,
            viewport: document.documentElement.clientWidth,
            regionScrolls: region.scrollWidth > region.clientWidth,
        })""",
        region.element_handle(),
    )
    assert widths["page"] <= widths["viewport"], widths
    assert widths["regionScrolls"], widths
    region.focus()
    expect(region).to_be_focused()

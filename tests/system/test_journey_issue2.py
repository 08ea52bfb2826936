"""Issue 2's "Show" journey in a real browser, with axe-core checking every page visited.

An IRO signs in, sees "My caseload" (next review due, days left, an overdue child flagged), sorts
and filters it, and opens a child. The IRO manager then sees every IRO's caseload and the children
waiting for an IRO, and appoints one: the IRO who line-manages the child's social worker cannot be
chosen and the page says why, a forged request choosing them is refused with that reason, and an
independent IRO, chosen with the keyboard alone, is appointed.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from carereview.allocation.models import IROAllocation
from carereview.children.models import Child
from carereview.core.calendar import today
from carereview.core.testing import PASSWORD, make_child
from tests.system.browsing import (
    check_axe,
    focused,
    sign_in,
    sign_out,
    tab_until,
    visit,
)

pytestmark = [
    pytest.mark.browser,
    # The live server serves from another thread, so the test's data must really be committed.
    pytest.mark.django_db(transaction=True),
]

REASON = "line-manages the social worker"


def short(d: date) -> str:
    """A date as the caseload shows it ("j M Y")."""
    return f"{d.day} {d:%b %Y}"


def rows(page: Page, table: str = "table.govuk-table") -> list[str]:
    return [" ".join(t.split()) for t in page.locator(f"{table} tbody tr").all_inner_texts()]


@pytest.fixture
def authority(service):
    """The service, the IRO's three children, another IRO's child, and two children waiting."""
    t = today()
    kids = {
        # No review held since coming into care 100 days ago: the first review is overdue.
        "overdue": make_child(
            iro=service.iro,
            social_worker=service.social_worker2,
            start=t - timedelta(days=100),
            first_name="Alex",
            last_name="Zephyrine",
        ),
        # In care 10 days: the first review falls due within the next 28 days.
        "soon": make_child(
            iro=service.iro,
            social_worker=service.social_worker2,
            start=t - timedelta(days=10),
            first_name="Bo",
            last_name="Marchbank",
        ),
        # Two reviews held: the next is months away.
        "later": make_child(
            iro=service.iro,
            social_worker=service.social_worker2,
            start=t - timedelta(days=200),
            reviews=[t - timedelta(days=190), t - timedelta(days=30)],
            first_name="Cas",
            last_name="Ashdown",
        ),
        "elsewhere": make_child(
            iro=service.iro2,
            social_worker=service.other_social_worker,
            start=t - timedelta(days=60),
            first_name="Dee",
            last_name="Otherhouse",
        ),
        # Waiting for an IRO; their social worker is line-managed by the conflicted IRO.
        "waiting": make_child(
            social_worker=service.social_worker,
            start=t - timedelta(days=1),
            first_name="Evie",
            last_name="Waitwell",
        ),
        # Waiting far longer than the 5-working-day target.
        "long_wait": make_child(
            social_worker=service.other_social_worker,
            start=t - timedelta(days=30),
            first_name="Finn",
            last_name="Longwait",
        ),
    }
    for child in kids.values():
        child.refresh_from_db()
    return service, kids


def test_show_journey(page: Page, authority):
    service, kids = authority
    iro, manager, conflicted = service.iro, service.iro_manager, service.conflicted_iro
    t = today()

    # --- The IRO: My caseload -------------------------------------------------------------
    sign_in(page, iro.username)
    expect(page).to_have_url(re.compile(r"/caseload/$"))
    expect(page.get_by_role("heading", name="My caseload", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="My caseload")).to_have_attribute("aria-current", "page")
    expect(page.locator("table caption")).to_have_text("3 children")

    # Soonest due first; the other IRO's child is not here.
    listed = rows(page)
    assert [r.split(" T")[0] for r in listed] == ["Alex Zephyrine", "Bo Marchbank", "Cas Ashdown"]
    assert "Otherhouse" not in page.content()
    overdue, soon, later = kids["overdue"], kids["soon"], kids["later"]
    overdue_days = (t - overdue.next_review_due).days
    assert overdue_days > 0
    assert short(overdue.next_review_due) in listed[0]
    expect(page.locator("tbody tr").nth(0).locator(".govuk-tag--red")).to_have_text(
        f"Overdue {overdue_days} days"
    )
    for row, child in ((listed[1], soon), (listed[2], later)):
        days_left = (child.next_review_due - t).days
        assert days_left >= 0
        # The next review's stage (issue 4) follows the days left.
        assert re.search(rf"{short(child.next_review_due)} {days_left}( |$)", row), row
    assert page.locator("tbody .govuk-tag--red").count() == 1

    # Sort by name, then the other way.
    page.get_by_role("link", name=re.compile(r"^Child\s*\(sort ascending\)")).click()
    check_axe(page)
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Child")
    assert [r.split(" T")[0] for r in rows(page)] == [
        "Cas Ashdown",
        "Bo Marchbank",
        "Alex Zephyrine",
    ]
    page.get_by_role("link", name=re.compile(r"^Child\s*\(sort descending\)")).click()
    check_axe(page)
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Child")
    assert [r.split(" T")[0] for r in rows(page)] == [
        "Alex Zephyrine",
        "Bo Marchbank",
        "Cas Ashdown",
    ]

    # Filter by review status.
    page.get_by_label("Review status").select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    check_axe(page)
    expect(page.get_by_label("Review status")).to_have_value("overdue")
    assert [r.split(" T")[0] for r in rows(page)] == ["Alex Zephyrine"]
    page.get_by_label("Review status").select_option("due-28")
    page.get_by_role("button", name="Apply filters").click()
    check_axe(page)
    assert [r.split(" T")[0] for r in rows(page)] == ["Bo Marchbank"]
    page.get_by_role("link", name="Clear filters").click()
    check_axe(page)
    expect(page.locator("table caption")).to_have_text("3 children")

    # --- The IRO opens a child ------------------------------------------------------------
    page.get_by_role("link", name="Cas Ashdown", exact=True).click()
    check_axe(page)
    expect(page.get_by_role("heading", name="Cas Ashdown", level=1)).to_be_visible()
    main = page.locator("main")
    for heading in (
        "Next review",
        "Details",
        "People",
        "Reviews",
        "Periods of care and episodes",
        "Allocation history",
    ):
        expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(main).to_contain_text(f"Due by {later.next_review_due:%A} {later.next_review_due.day}")
    expect(main).to_contain_text(f"{(later.next_review_due - t).days} days left")
    people = main.locator("table", has=page.locator("caption", has_text="People in Cas's life"))
    expect(people).to_contain_text("Morgan Ashdown")
    expect(people).to_contain_text("Mother")
    expect(main.locator("table", has_text="Reviews held").locator("tbody tr")).to_have_count(2)
    expect(main.locator("caption", has_text="Period of care from")).to_contain_text("open")
    expect(main).to_contain_text("1 Example Lane")
    history = main.locator(".govuk-grid-column-one-half", has_text="IROs")
    expect(history).to_contain_text(f"{iro.get_full_name()}, from")
    expect(history).to_contain_text("(current)")
    # An IRO may not allocate: no "Change the IRO" link.
    expect(main.get_by_role("link", name=re.compile("Change the IRO"))).to_have_count(0)

    sign_out(page)

    # --- The IRO manager: IRO caseloads ---------------------------------------------------
    sign_in(page, manager.username)
    expect(page.get_by_role("heading", name="IRO caseloads", level=1)).to_be_visible()
    by_iro = {r.split(" ")[0] + " " + r.split(" ")[1]: r for r in rows(page)}
    assert by_iro[iro.get_full_name()].startswith(f"{iro.get_full_name()} 1.00 3 3.0 Below 1")
    assert by_iro[service.iro2.get_full_name()].startswith(
        f"{service.iro2.get_full_name()} 0.50 1 2.0 Below"
    )
    expect(page.locator("main")).to_contain_text("2 waiting for an IRO")

    # --- Children without an IRO ----------------------------------------------------------
    page.get_by_role("link", name="Children without an IRO").click()
    check_axe(page)
    expect(page.get_by_role("heading", name="Children without an IRO", level=1)).to_be_visible()
    waiting = rows(page, "#waiting")
    assert [r.split(" ")[0] for r in waiting] == ["Finn", "Evie"], "oldest first"
    assert "Target missed" in waiting[0]
    assert "Within target" in waiting[1]

    # --- Appoint an IRO: the conflicted IRO cannot be chosen, and the page says why -------
    child = kids["waiting"]
    page.get_by_role("link", name=f"Appoint an IRO for {child.full_name}").click()
    check_axe(page)
    appoint_url = page.url
    expect(page.get_by_role("heading", name="Appoint an IRO", level=1)).to_be_visible()
    blocked = page.get_by_role("radio", name=conflicted.get_full_name())
    expect(blocked).to_be_disabled()
    expect(blocked).to_have_accessible_description(re.compile(REASON))
    reason_text = (
        f"Cannot be appointed: {conflicted.get_full_name()} {REASON}, "
        f"{service.social_worker.get_full_name()}."
    )
    expect(page.locator("main")).to_contain_text(reason_text)
    for independent in (iro, service.iro2):
        expect(page.get_by_role("radio", name=independent.get_full_name())).to_be_enabled()

    # A forged POST choosing the conflicted IRO, straight over HTTP with the session's cookies.
    token = page.locator("main input[name=csrfmiddlewaretoken]").input_value()
    forged = page.request.post(
        appoint_url,
        form={"csrfmiddlewaretoken": token, "person": str(conflicted.pk), "reason": ""},
        headers={"Referer": appoint_url},
        max_redirects=0,
    )
    assert forged.status == 200, "refused: the form is shown again, not a redirect"
    body = forged.text()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert summary, "the refusal is given in an error summary"
    assert "There is a problem" in summary.group(0)
    assert REASON in summary.group(0)
    assert "<title>Error: " in body
    child.refresh_from_db()
    assert child.current_iro is None
    assert not IROAllocation.objects.filter(child=child).exists()

    # The same forgery from the browser (the disabled radio re-enabled by hand): the error state
    # a person would see, checked by axe.
    page.evaluate(
        """(pk) => {
            const radio = document.querySelector(`input[name=person][value="${pk}"]`);
            radio.disabled = false;
            radio.checked = true;
        }""",
        str(conflicted.pk),
    )
    page.get_by_role("button", name="Appoint", exact=True).click()
    check_axe(page)
    expect(page).to_have_title(re.compile(r"^Error: Appoint the IRO"))
    error_summary = page.locator(".govuk-error-summary")
    expect(error_summary).to_be_visible()
    expect(error_summary).to_contain_text("There is a problem")
    expect(error_summary.get_by_role("link")).to_contain_text(REASON)
    expect(page.locator("#person-error")).to_contain_text(REASON)
    child.refresh_from_db()
    assert child.current_iro is None

    # --- Keyboard only: skip link, choose an independent IRO, submit ----------------------
    visit(page, appoint_url)
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Skip to main content", skip
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    radio = tab_until(page, lambda f: f["name"] == "person")
    # The lightest caseload per FTE is offered first: Irene (1 child at 0.5 FTE), then Ian.
    assert radio["value"] == str(service.iro2.pk), radio
    page.keyboard.press("ArrowDown")  # moves to, and selects, the next enabled radio: Ian
    radio = focused(page)
    assert radio["value"] == str(iro.pk) and radio["checked"], radio
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Appoint")
    page.keyboard.press("Enter")
    # The redirect keeps the skip link's #main-content, as browsers do.
    page.wait_for_url(re.compile(rf"/children/{child.pk}/(#main-content)?$"))
    check_axe(page)

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Success")
    expect(banner).to_contain_text(f"{iro.get_full_name()} is now Evie's IRO.")
    history = page.locator("main .govuk-grid-column-one-half", has_text="IROs")
    expect(history).to_contain_text(f"{iro.get_full_name()}, from {short(t)} (current)")
    expect(history).to_contain_text(f"By {manager.get_full_name()}")
    child.refresh_from_db()
    assert child.current_iro == iro
    assert IROAllocation.objects.get(child=child, ended_on__isnull=True).iro == iro

    # --- Back to IRO caseloads: the IRO's caseload has grown ------------------------------
    page.get_by_role("link", name="IRO caseloads").click()
    check_axe(page)
    by_iro = {r.split(" ")[0] + " " + r.split(" ")[1]: r for r in rows(page)}
    assert by_iro[iro.get_full_name()].startswith(f"{iro.get_full_name()} 1.00 4 4.0")
    expect(page.locator("main")).to_contain_text("1 waiting for an IRO")
    sign_out(page)


def test_sign_in_error_then_keyboard_only(page: Page, service):
    """A wrong password shows the error summary (checked by axe); then signing in by keyboard."""
    visit(page, "/sign-in/")
    page.get_by_label("Username").fill(service.iro.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    check_axe(page)
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct username and password."
    )

    visit(page, "/sign-in/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    tab_until(page, lambda f: f["id"] == "id_username")
    page.keyboard.type(service.iro.username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/caseload/$"))
    check_axe(page)
    expect(page.get_by_role("heading", name="My caseload", level=1)).to_be_visible()
    # Nothing allocated yet: the empty state says so.
    expect(page.locator("main .govuk-inset-text")).to_contain_text("There are no children here yet")
    assert Child.objects.count() == 0

"""Issue 6's "Show" journey for dispute resolution, in a real browser, axe on every page.

An IRO raises a concern about a drifting decision (overdue, not started) at the informal stage
with the child's social worker, then escalates it to stage 2; the team manager signs in, finds it
in their list and responds; the IRO resolves it; the IRO manager's overview shows the counts by
stage, theme and outcome.

The ladder is a setting (`CAREREVIEW["DISPUTE_LADDER"]`). Many authorities number the informal
conversation with the social worker as stage 1, so that stage 2 is the team manager, as the issue
has it ("escalates a drifting decision to stage 2, the team manager responds"). This test sets
that ladder; the default one calls the team manager "Stage 1". Nothing else changes: the
stages, their addressees and their deadlines come from the setting.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from carereview.core.calendar import today, working_calendar
from carereview.core.testing import make_child
from carereview.disputes.models import Dispute
from tests.system.browsing import check_axe, sign_in, sign_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LADDER = [
    {
        "code": "informal",
        "label": "Stage 1 (informal): the social worker",
        "addressee": "social_worker",
        "working_days": 10,
    },
    {
        "code": "team_manager",
        "label": "Stage 2: team manager",
        "addressee": "team_manager",
        "working_days": 10,
    },
    {
        "code": "service_manager",
        "label": "Stage 3: service manager",
        "addressee": "line_manager",
        "working_days": 10,
    },
    {
        "code": "head_of_service",
        "label": "Stage 4: head of service",
        "addressee": "line_manager",
        "working_days": 15,
    },
    {
        "code": "director",
        "label": "Stage 5: director of children's services",
        "addressee": "line_manager",
        "working_days": 15,
    },
]
DECISION = "Start life-story work with Jamie"
SUMMARY = "Life-story work has not started"


@pytest.fixture
def ladder(settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "DISPUTE_LADDER": LADDER}


def click_and_check(page: Page, locator) -> None:
    """Click something that loads a page, wait for it to load, then run axe on it."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    check_axe(page)


def banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def table(page: Page, caption: str):
    return page.locator("table", has=page.locator("caption", has_text=caption))


def row_cells(page: Page, caption: str, header: str) -> list[str]:
    row = table(page, caption).locator(
        "tbody tr", has=page.get_by_role("rowheader", name=header, exact=True)
    )
    expect(row).to_have_count(1)
    return [" ".join(c.split()) for c in row.locator("td").all_inner_texts()]


@pytest.fixture
def drifting(service):
    """Jamie, the IRO's child, reviewed 3 months ago; a decision due 3 weeks ago, not started."""
    t = today()
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=t - timedelta(days=200),
        reviews=[t - timedelta(days=90)],
        first_name="Jamie",
        last_name="Pebblecombe",
    )
    decision = child.reviews.get().decisions.create(
        text=DECISION, due_on=t - timedelta(days=21), owner=service.social_worker
    )
    return child, decision


def test_an_iro_escalates_a_drifting_decision_to_stage_2(page: Page, service, drifting, ladder):
    child, decision = drifting
    t = today()
    respond_by = working_calendar().add_working_days(t, 10)
    when = f"{respond_by.day} {respond_by:%B %Y}"

    # --- 1. The IRO raises the concern informally, with the social worker ---------------------
    sign_in(page, service.iro.username)
    visit(page, f"/disputes/children/{child.pk}/raise/")
    expect(page.get_by_role("heading", name="Raise a concern (dispute resolution)")).to_be_visible()
    page.get_by_label("What is the concern about?").fill(SUMMARY)
    page.get_by_label("Drift and delay").check()
    page.get_by_label("Permanence").check()
    chooser = page.get_by_label("The decision it is about (optional)")
    expect(chooser.locator("option", has_text=DECISION)).to_contain_text("not started, overdue")
    chooser.select_option(str(decision.pk))
    page.get_by_label("Your concern, for the person it goes to").fill(
        "Jamie's life-story work was due three weeks ago and has not started. Please start it "
        "and tell me the date of the first session."
    )
    first = page.get_by_label("Stage 1 (informal): the social worker – Sam Testington")
    expect(first).to_be_checked()
    click_and_check(page, page.get_by_role("button", name="Raise the concern"))
    expect(banner(page)).to_contain_text(
        f"Sent to Sam Testington (Stage 1 (informal): the social worker). They are asked to "
        f"respond by {when}."
    )
    dispute = Dispute.objects.get(child=child)
    detail = f"/disputes/{dispute.pk}/"
    assert page.url.endswith(detail)
    expect(page.get_by_role("heading", name=SUMMARY, level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(DECISION)
    expect(page.locator("main")).to_contain_text("Permanence, Drift and delay")

    # --- 2. No progress: the IRO escalates to stage 2, the team manager -----------------------
    click_and_check(page, page.get_by_role("link", name="Escalate"))
    expect(page.get_by_role("heading", name="Escalate the dispute", level=1)).to_be_visible()
    stage_2 = page.get_by_label("Stage 2: team manager – Tara Dapplegrove")
    expect(stage_2).to_be_checked()
    page.get_by_label("Your concern, for the person it goes to").fill(
        "No reply from the social worker and still no date. Please make sure it starts."
    )
    click_and_check(page, page.get_by_role("button", name="Escalate"))
    expect(banner(page)).to_contain_text(
        f"Escalated to Stage 2: team manager: sent to Tara Dapplegrove, who is asked to respond "
        f"by {when}."
    )
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Escalated")
    expect(cards.nth(1)).to_contain_text("Waiting for a response")
    sign_out(page)

    # --- 3. The team manager finds it in their list and responds ------------------------------
    sign_in(page, service.team_manager.username)
    visit(page, "/disputes/")
    waiting = table(page, "Stages waiting for your response")
    expect(waiting).to_contain_text(child.full_name)
    expect(waiting).to_contain_text("Stage 2: team manager")
    click_and_check(page, waiting.get_by_role("link", name=re.compile(r"^Respond")))
    expect(page.get_by_role("heading", name="Respond to the dispute", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("No reply from the social worker")
    page.get_by_label("Your response").fill(
        "I have agreed with Sam that the first session is next Tuesday; I will check it happens."
    )
    click_and_check(page, page.get_by_role("button", name="Send the response"))
    expect(banner(page)).to_contain_text("Your response is recorded.")
    expect(cards.nth(1)).to_contain_text("first session is next Tuesday")
    expect(page.get_by_role("link", name="Respond")).to_have_count(0)
    sign_out(page)

    # --- 4. The IRO is satisfied and resolves it ----------------------------------------------
    sign_in(page, service.iro.username)
    visit(page, detail)
    expect(page.locator("main")).to_contain_text("first session is next Tuesday")
    click_and_check(page, page.get_by_role("link", name="Resolve"))
    page.get_by_label("How was it resolved?").fill("A date is agreed and the team manager checks.")
    click_and_check(page, page.get_by_role("button", name="Resolve"))
    expect(banner(page)).to_contain_text("The dispute is resolved.")
    expect(page.locator("main")).to_contain_text(f"Resolved on {t.day} {t:%B %Y}")
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RESOLVED and dispute.resolved_on == t
    steps = list(dispute.steps.order_by("id"))
    assert [(s.stage, s.addressee, s.outcome) for s in steps] == [
        ("informal", service.social_worker, "escalated"),
        ("team_manager", service.team_manager, "resolved"),
    ]
    assert steps[1].responded_by == service.team_manager
    sign_out(page)

    # --- 5. The IRO manager's overview counts it by stage, theme and outcome -------------------
    sign_in(page, service.iro_manager.username)
    visit(page, "/disputes/overview/")
    expect(page.locator("main")).to_contain_text("No disputes are open.")
    by_stage = "By stage"
    # Reached, skipped, resolved, escalated, waiting.
    assert row_cells(page, by_stage, "Stage 1 (informal): the social worker") == [
        "1",
        "0",
        "0",
        "1",
        "0",
    ]
    assert row_cells(page, by_stage, "Stage 2: team manager") == ["1", "0", "1", "0", "0"]
    assert row_cells(page, by_stage, "Stage 3: service manager") == ["0", "0", "0", "0", "0"]
    assert row_cells(page, "By theme", "Drift and delay") == ["1"]
    assert row_cells(page, "By theme", "Permanence") == ["1"]
    assert row_cells(page, "By theme", "Education") == ["0"]
    assert row_cells(page, "By outcome", "Raised") == ["1"]
    assert row_cells(page, "By outcome", "Resolved") == ["1"]
    assert row_cells(page, "By outcome", "Still open") == ["0"]
    expect(page.locator("main")).to_contain_text("Referrals to Cafcass: 0")

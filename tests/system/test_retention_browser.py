"""Retention on the web (issue 7, rules.md §7), in a real browser, axe on every page: one
administrator proposes deleting the records past their date; a second, signed in, approves
after ticking that they checked the list (and is told first when they did not)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from carereview.accounts.models import Role
from carereview.core.testing import make_child, make_user
from carereview.records.models import RetentionProposal, Via
from tests.system.browsing import check_axe, sign_in, sign_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_administrators_propose_and_approve(page, service):
    old = make_child(dob=date(1940, 1, 1))
    make_child(dob=date(2014, 5, 14))
    make_user("abe.admin", Role.ADMINISTRATOR, last_name="Hollins")

    sign_in(page, "ada.admin")
    page.get_by_role("link", name="Retention").first.click()
    expect(page.get_by_role("heading", name="Records past their retention date")).to_be_visible()
    expect(page.get_by_text("1 record is past its retention date today")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Propose deleting 1 record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Proposal \d+"))
    expect(page.get_by_role("cell", name=old.la_child_id)).to_be_visible()
    expect(page.get_by_text("A different administrator must approve it.").first).to_be_visible()
    check_axe(page)
    sign_out(page)

    sign_in(page, "abe.admin")
    proposal = RetentionProposal.objects.get()
    visit(page, f"/admin/retention/{proposal.pk}/")
    page.get_by_role("button", name="Approve deleting 1 record").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm that you have checked the list")
    check_axe(page)
    page.get_by_label(re.compile("I have checked this list")).check()
    page.get_by_role("button", name="Approve deleting 1 record").click()
    expect(page.get_by_text(f"You approved proposal {proposal.pk}.")).to_be_visible()
    expect(page.get_by_text("carereview retention delete")).to_be_visible()
    check_axe(page)
    proposal.refresh_from_db()
    assert proposal.approved_via == Via.WEB

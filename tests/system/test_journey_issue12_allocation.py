"""Issue 12, items 12-13 in a real browser, with axe-core on every page: a social worker records
that a baby's mother is a looked-after child too; the IRO manager cannot then give the baby the
mother's IRO, and choosing an IRO other than the baby's sister's asks for the reason, which the
managers' page then shows."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from carereview.core.testing import make_child
from tests.system.browsing import check_axe, fill_date, sign_in, sign_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_looked_after_parent_and_sibling_reason(page: Page, service):
    mother = make_child(
        iro=service.iro,
        social_worker=service.social_worker2,
        first_name="Kit",
        dob=date(2009, 3, 1),
    )
    baby = make_child(social_worker=service.social_worker2, first_name="Wren", dob=date(2026, 1, 2))
    sister = make_child(iro=service.iro2, social_worker=service.social_worker2, first_name="Lark")
    baby.siblings.add(sister)

    # --- The social worker records the mother -----------------------------------------------
    sign_in(page, service.social_worker2.username)
    visit(page, f"/children/{baby.pk}/")
    page.get_by_role("link", name=f"Record a looked-after parent of {baby.full_name}").click()
    check_axe(page)
    page.get_by_role("button", name="Record the parent").click()
    check_axe(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the parent's child identifier"
    )
    page.get_by_label("The parent's child identifier").fill(mother.la_child_id)
    fill_date(page, "The parent's date of birth", date(2009, 3, 1))
    page.get_by_role("button", name="Record the parent").click()
    check_axe(page)
    expect(page.locator("main")).to_contain_text(f"Looked-after parent: {mother.full_name}")
    sign_out(page)

    # --- The IRO manager appoints ------------------------------------------------------------
    sign_in(page, service.iro_manager.username)
    visit(page, f"/allocation/children/{baby.pk}/iro/")
    expect(page.locator("main")).to_contain_text(
        f"Cannot be appointed: {service.iro} is the IRO of Kit, Wren's looked-after parent"
    )
    page.get_by_label(str(service.conflicted_iro)).check()
    page.get_by_role("button", name="Appoint").click()
    check_axe(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why Wren's IRO is not Lark's"
    )
    page.get_by_label("If you choose someone else, why?").fill("Lark's IRO is on leave until May")
    page.get_by_label(str(service.conflicted_iro)).check()
    page.get_by_role("button", name="Appoint").click()
    check_axe(page)
    expect(page.locator("main")).to_contain_text(f"{service.conflicted_iro} is now Wren's IRO.")
    visit(page, "/caseload/iros/")
    expect(page.locator("#siblings ~ .app-table-container table")).to_contain_text(
        "Lark's IRO is on leave until May"
    )

    # --- A link recorded in error is removed, after a question ---------------------------------
    visit(page, f"/allocation/children/{baby.pk}/looked-after-parent/")
    page.get_by_role("link", name="Remove Kit as a looked-after parent").click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove Kit as a looked-after parent?"
    )
    page.get_by_role("button", name="Remove the link").click()
    check_axe(page)
    expect(page.locator("main")).to_contain_text("Kit is no longer recorded as Wren's")

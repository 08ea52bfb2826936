"""A parent's way back in, in a real browser, axe on every page (issue 12, item 5).

A social worker sends a mother a new sign-in link to a new address (her old one is told) and asks
for her second step to be turned off; the IRO approves it; the mother uses the link. Each staff
page and the mother's new-password page (first with the code field, while her second step is
on) are checked by axe.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from carereview.core import second_factor
from carereview.core.calendar import today
from carereview.core.testing import make_child
from carereview.notifications.models import Message
from carereview.portal.testing import make_portal_user
from tests.system.browsing import check_axe, sign_in, sign_out, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def go(page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()
    check_axe(page)


def test_a_new_link_and_a_lost_phone_need_the_old_contact_told_and_two_staff(page, service):
    child = make_child(
        iro=service.iro, social_worker=service.social_worker, start=today() - timedelta(days=90)
    )
    mother = child.relationships.get(kind="mother").person
    mother.email = "morgan.home@example.com"
    mother.save()
    access, mum = make_portal_user(child, by=service.iro, person=mother, username="morgan.r")
    second_factor.TOTPDevice.objects.create(user=mum, name="Phone app", confirmed=True)

    # The social worker sends a link to a new address, then asks to turn off the second step.
    sign_in(page, service.social_worker.username)
    visit(page, f"/portal-access/children/{child.pk}/")
    go(page, page.get_by_role("link", name=re.compile("Send a new sign-in link")))
    expect(page.locator("main")).to_contain_text("uses a code from their phone")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address or mobile number").fill("morgan.new@example.net")
    go(page, page.get_by_role("button", name="Send the link"))
    told = Message.objects.get(key__startswith="portal.new-link-elsewhere.")
    assert told.to == "morgan.home@example.com"
    expect(page.locator("main")).to_contain_text("to a new address (they were told")
    go(page, page.get_by_role("link", name=re.compile("Turn off their second step")))
    page.get_by_label(re.compile("Why should their second step be turned off")).fill(
        "She called from her home number: her phone was stolen"
    )
    go(page, page.get_by_role("button", name="Ask for approval"))
    go(page, page.get_by_role("link", name=re.compile("waiting for approval")))
    expect(page.locator("main")).to_contain_text("another member of staff must approve it")
    expect(page.get_by_role("button", name=re.compile("Approve"))).to_have_count(0)
    sign_out(page)

    # The mother opens the link while the second step is still on: it asks for the code.
    link = re.search(r"(/portal/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    visit(page, link)
    expect(page.get_by_label("Code from the app on your phone")).to_be_visible()

    # The IRO approves.
    sign_in(page, service.iro.username)
    visit(page, f"/portal-access/{access.pk}/second-step/")
    expect(page.locator("main")).to_contain_text("her phone was stolen")
    go(page, page.get_by_role("button", name="Approve: turn it off"))
    assert not second_factor.has_second_factor(mum)
    sign_out(page)

    # Now the link needs only the new password.
    visit(page, link)
    expect(page.get_by_label("Code from the app on your phone")).to_have_count(0)
    page.get_by_label("Choose a password").fill("a brand new secret 42")
    page.get_by_label("Type the password again").fill("a brand new secret 42")
    go(page, page.get_by_role("button", name="Save my new password"))
    mum.refresh_from_db()
    assert mum.check_password("a brand new secret 42")

"""The IRO's check of a parent's visit answers, for a child with no review yet, in a real browser
with axe on every page (issue 12, item 1; rules.md §7, ADR 0009).

The placement address is confidential from the mother. The IRO answers her visit request with
the address re-spelt; the answer waits on the child's check page, the mother reads "not ready"
until the IRO confirms, then reads the answer with the address taken out.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from carereview.core.calendar import today
from carereview.core.testing import make_child
from carereview.portal.models import VisitRequest
from carereview.portal.testing import make_portal_user
from tests.system.browsing import check_axe, sign_in, sign_out, visit
from tests.system.test_journey_issue5 import portal_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def go(page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()
    check_axe(page)


def test_a_visit_answer_waits_on_the_childs_check_page_then_reaches_the_mother(page, service):
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=today() - timedelta(days=20),
        confidential=True,
    )
    child.episodes.update(placement_address="109 Pretend Row\nNewtown\nNM3 5EN")
    assert not child.reviews.exists()
    mother = child.relationships.get(kind="mother").person
    access, mum = make_portal_user(child, by=service.iro, person=mother, username="morgan.v")
    asked = VisitRequest.objects.create(
        child=child, access=access, iro=service.iro, why="Can we meet?"
    )

    sign_in(page, service.iro.username)
    visit(page, reverse("requests:visit", args=[asked.pk]))
    page.get_by_label("Your answer").fill("Yes: at 109 Pretend Rd on Monday after school")
    go(page, page.get_by_role("button", name="Send the answer"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("waits for your check")
    main = page.locator("main")
    expect(main.locator("mark").first).to_be_visible()  # the re-spelt address, marked
    sign_out(page)

    portal_sign_in(page, mum.username)
    visit(page, reverse("portal:visit", args=[child.pk]))
    expect(page.locator("main")).to_contain_text("not ready for you yet")
    expect(page.locator("main")).not_to_contain_text("Monday")

    page.context.clear_cookies()
    sign_in(page, service.iro.username)
    visit(page, reverse("requests:list"))  # the check waits on the IRO's work list
    check = reverse("requests:visit-answers-check", args=[child.pk])
    go(page, page.locator(f'main a[href="{check}"]').first)
    go(page, page.get_by_role("button", name=re.compile("I have read this")))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("can now read this version")
    page.context.clear_cookies()

    portal_sign_in(page, mum.username)
    visit(page, reverse("portal:visit", args=[child.pk]))
    expect(page.locator("main")).to_contain_text("Monday after school")
    expect(page.locator("main")).not_to_contain_text("Pretend")

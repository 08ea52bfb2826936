"""Business support's own work in a real browser, axe on every page (issue 12, items 6 and 21).

They sign in to "Your reviews" (empty, saying what to do), book a child's review from the list of
reviews to book and land on the review's arrangements, invite the child and the mother by letter
from there, open a letter to print (a PDF), mark the letters posted, and are back at their
workspace. A page of case content they may not see is the GOV.UK refusal page with a way back; an
address that does not exist is the GOV.UK "Page not found", in the portal's frame under /portal/.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from carereview.core.testing import make_child
from carereview.reviews.models import PostedLetter, Review
from tests.system.browsing import check_axe, fill_date, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_check(page: Page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()
    check_axe(page)


def next_weekday(after: date) -> date:
    d = after + timedelta(days=1)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def test_business_support_journey_and_error_pages(page: Page, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)

    sign_in(page, "bea.support")
    expect(page.get_by_role("heading", name="Your reviews", level=1)).to_be_visible()
    expect(page.get_by_text("No review is waiting for you")).to_be_visible()

    click_and_check(page, page.get_by_role("link", name="Book a review meeting"))
    click_and_check(page, page.get_by_role("link", name=f"Book a review for {child.full_name}"))
    fill_date(page, "Date of the meeting", next_weekday(date.today()))
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Where").fill("Family centre")
    click_and_check(page, page.get_by_role("button", name="Book the meeting"))
    if page.get_by_label("Book it anyway").count():  # the review is late: confirm
        page.get_by_label("Book it anyway").check()
        click_and_check(page, page.get_by_role("button", name="Book the meeting"))

    review = Review.objects.get(child=child)
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/$"))
    expect(page.get_by_role("heading", name="Review arrangements", level=1)).to_be_visible()
    expect(page.get_by_text("Nobody invited yet").first).to_be_visible()

    click_and_check(page, page.get_by_role("link", name="Invite people"))
    invitees = page.get_by_role("group", name=re.compile("Who is invited"))
    invitees.get_by_role("checkbox", name=re.compile(child.first_name)).check()
    invitees.get_by_role("checkbox", name=re.compile("Morgan")).check()
    page.get_by_role("radio", name="Letter", exact=True).check()
    click_and_check(page, page.get_by_role("button", name="Send invitations"))
    expect(page.get_by_text("2 invitations sent.")).to_be_visible()
    expect(page.get_by_text("2 letters to print and post")).to_be_visible()

    letters = page.get_by_role("link", name=re.compile("Open the letter"))
    expect(letters).to_have_count(2)
    pdf = page.request.get(letters.first.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"

    for box in page.get_by_role("checkbox").all():
        box.check()
    click_and_check(page, page.get_by_role("button", name="Mark as posted"))
    expect(page.get_by_text("2 letters marked as posted.")).to_be_visible()
    assert PostedLetter.objects.filter(dispatch__review=review).count() == 2

    click_and_check(page, page.get_by_role("link", name="Back to your reviews"))
    row = page.locator("tbody tr", has=page.get_by_text(child.full_name))
    expect(row).to_contain_text("Nothing yet: the review has not been held")

    # The child's case record is not theirs: the refusal page, in plain words, with a way back.
    response = page.goto(f"/children/{child.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    expect(page.get_by_role("link", name="Go to your home page")).to_be_visible()
    check_axe(page)

    # Text where an id belongs: not found, never a server error.
    response = page.goto(f"/reviews/{review.pk}/documents/invitation/abc.pdf")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    check_axe(page)

    # Under /portal/, the portal's frame.
    response = page.goto("/portal/no-such-page/")
    assert response.status == 404
    expect(page.get_by_text("Your IRO and your reviews")).to_be_visible()
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    check_axe(page)


def test_letters_waiting_for_the_iros_check_then_printed(page: Page, service):
    """A new member of business support, for a child whose placement address is confidential
    from the mother: after sending, the confirmation, the review and the workspace say her letter
    waits for the IRO (no link to a letter that would be refused); the IRO finds the check on
    their work list and confirms; the letter is then there to open. Axe on every page."""
    from datetime import time

    from carereview.reviews import services
    from tests.system.browsing import iro_checks_what_parents_read, sign_out

    child = make_child(iro=service.iro, social_worker=service.social_worker, confidential=True)
    on = next_weekday(date.today() + timedelta(days=7))
    review = services.book_meeting(child, by=service.iro, on=on, at=time(10), venue="Office").review
    mother = child.relationships.get(kind="mother").person

    sign_in(page, "bea.support")
    row = page.get_by_role("row", name=re.compile(child.full_name))
    click_and_check(page, row.get_by_role("link", name=re.compile(child.full_name)).first)
    click_and_check(page, page.get_by_role("link", name="Invite people"))
    invitees = page.get_by_role("group", name=re.compile("Who is invited"))
    invitees.get_by_role("checkbox", name=re.compile(str(mother))).check()
    page.get_by_label("Letter", exact=True).check()
    click_and_check(page, page.get_by_role("button", name="Send invitations"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"What goes to {mother} waits for the IRO's check of what they read"
    )
    waiting = page.locator("#letters-waiting + p + ul")
    expect(page.locator("#letters-waiting")).to_have_text("Waiting for the IRO's check")
    expect(waiting).to_contain_text(f"Invitation to {mother}")
    expect(page.get_by_role("link", name=re.compile(f"invitation to {mother}"))).to_have_count(0)
    click_and_check(page, page.get_by_role("link", name="Back to your reviews"))
    row = page.get_by_role("row", name=re.compile(child.full_name))
    expect(row).to_contain_text("1 letter waiting for the IRO to check what the parents read")
    sign_out(page)

    sign_in(page, "ian.iro")
    click_and_check(page, page.get_by_role("link", name="Requests", exact=True))
    expect(
        page.get_by_role("heading", name="Waiting for you before it reaches the family")
    ).to_be_visible()
    iro_checks_what_parents_read(page, f"/reviews/{review.pk}/", str(mother))
    sign_out(page)

    sign_in(page, "bea.support")
    row = page.get_by_role("row", name=re.compile(child.full_name))
    expect(row).not_to_contain_text("waiting for the IRO")
    click_and_check(page, row.get_by_role("link", name=re.compile("1 letter to print and post")))
    expect(page.locator("#letters-waiting")).to_have_count(0)
    link = page.get_by_role("link", name=re.compile(f"invitation to {mother}"))
    expect(link).to_have_count(1)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

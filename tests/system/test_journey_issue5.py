"""Issue 5's "Show" journeys in a real browser, on a phone-sized screen, axe on every page.

1. A child of 9 signs in from an invitation the IRO sent, sees their IRO on the first screen, asks
   for a visit, changes who comes to the review, and fills in the 8-11 form, letting their social
   worker read it. The IRO sees each of these in their work list and answers the visit, which the
   child then reads.
2. A mother fills in the parent form and reads the record and the updated care plan (no
   confidential address anywhere); the father, excluded from the review, reads the reason and asks
   for the separate meeting; the IRO sees both in their work list.

Every portal page is also checked for sideways scrolling at phone width.
"""

import importlib
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from carereview.core.calendar import today
from carereview.core.testing import PASSWORD, make_child, make_review_objects
from carereview.portal.models import VisitRequest
from carereview.portal.testing import make_portal_user
from carereview.reviews.models import Consultation, MatterConsidered, Review
from tests.system import browsing
from tests.system.browsing import (
    check_axe,
    fill_date,
    iro_checks_what_parents_read,
    sign_in,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def consultation_forms(transactional_db):
    from django.apps import apps

    importlib.import_module("carereview.reviews.migrations.0003_consultation_forms").seed(
        apps, None
    )


@pytest.fixture
def phone(browser, frontend, live_server, request):
    """A second browser: a phone-sized touch screen, every page checked by axe."""
    pages = []

    def open_phone() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            timezone_id="Europe/London",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        pages.append((page, browsing.watch(page), context))
        return page

    yield open_phone
    unchecked = []
    for page, ledger, context in pages:
        browsing.forget(page)
        unchecked += ledger.unchecked()
        context.close()
    if unchecked and not getattr(request.node, "carereview_call_failed", False):
        pytest.fail("Pages loaded but never checked with axe: " + ", ".join(unchecked))


def fits(page: Page) -> None:
    """The page fits the phone's width: nothing makes it scroll sideways."""
    if page.viewport_size["width"] != PHONE["width"]:
        return  # a member of staff at a desk
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def go(page: Page, locator) -> None:
    """Click something that loads a page; axe and the width check on the new page."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    check_axe(page)
    fits(page)


def banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def portal_sign_in(page: Page, username: str) -> None:
    visit(page, "/portal/sign-in/")
    fits(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Sign in"))


@pytest.fixture
def family(service):
    t = today()
    iro = service.iro
    iro.phone, iro.mobile, iro.email = "01632 960001", "07700 900001", "ian.iro@example.org"
    iro.photo.save("ian.png", ContentFile(PNG), save=True)
    child = make_child(
        iro=iro,
        social_worker=service.social_worker,
        start=t - timedelta(days=300),
        reviews=[t - timedelta(days=50)],
        first_name="Robin",
        last_name="Kestrelby",
        dob=date(t.year - 9, 1, 1) if t.month > 1 else date(t.year - 10, 6, 1),
        confidential=True,
    )
    held = child.reviews.get()
    held.decisions.create(text="Robin to join the swimming club", due_on=t + timedelta(days=20))
    MatterConsidered.objects.create(
        review=held, matter="placement", iro_view="Robin is settled at 1 Example Lane."
    )
    held.care_plan_for_parents = "Robin stays with the foster carers. Family time every week."
    held.care_plan_explained_on = held.care_plan_copied_on = held.held_on
    held.save()
    objects = make_review_objects(child, iro)  # booked in 10 days; the father excluded
    return child, objects


def test_a_child_signs_in_from_an_invitation_and_has_their_say(page, phone, service, family):
    child, objects = family
    iro = service.iro
    review = objects.review

    # --- The IRO invites Robin (with an email address) --------------------------------------
    sign_in(page, iro.username)
    visit(page, f"/children/{child.pk}/")
    go(page, page.get_by_role("link", name=re.compile("Portal access for Robin")))
    go(page, page.get_by_role("link", name="Invite someone"))
    page.get_by_label("Robin Kestrelby (the child)").check()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address or mobile number").fill("robin@example.org")
    go(page, page.get_by_role("button", name="Send the link"))
    expect(banner(page)).to_contain_text("Link sent to Robin Kestrelby by email")
    expect(page.locator("tbody")).to_contain_text("Invited")
    link = re.search(r"http://\S+/portal/invitation/\S+/", mail.outbox[-1].body).group(0)

    # --- Robin, on a phone, sets up a sign-in from the link ---------------------------------
    robin = phone()
    visit(robin, link)
    fits(robin)
    expect(robin.get_by_role("heading", name="Hello Robin", level=1)).to_be_visible()
    robin.get_by_label("Choose a username").fill("robin.k")
    robin.get_by_label("Choose a password").fill(PASSWORD)
    robin.get_by_label("Type the password again").fill(PASSWORD)
    go(robin, robin.get_by_role("button", name="Set up my sign-in"))
    go(robin, robin.get_by_role("link", name="Skip this for now"))

    # "My IRO" on the first screen: name, photo, phone, text and email, the service's number.
    my_iro = robin.get_by_role("heading", name="Your IRO", level=2)
    expect(my_iro).to_be_visible()
    assert my_iro.bounding_box()["y"] < PHONE["height"], "Your IRO is on the first screen"
    card = robin.locator(".app-portal-card")
    expect(card).to_contain_text("Ian Applewood")
    expect(card.get_by_role("img", name="Photo of Ian Applewood")).to_be_visible()
    expect(card.get_by_role("link", name="01632 960001")).to_have_attribute(
        "href", "tel:01632960001"
    )
    expect(card.get_by_role("link", name="07700 900001")).to_have_attribute(
        "href", "sms:07700900001"
    )
    expect(card).to_contain_text("01632 960000")  # the IRO service

    # --- Robin asks Ian to visit ----------------------------------------------------------
    go(robin, robin.get_by_role("link", name="Ask Ian to come and see you"))
    robin.get_by_label("What do you want to talk about?").fill("I want to talk about my mum")
    robin.get_by_label("When is a good time?").fill("After school")
    go(robin, robin.get_by_role("button", name="Send"))
    expect(banner(robin)).to_contain_text("Sent to Ian")
    asked = VisitRequest.objects.get(child=child)
    assert asked.iro == iro and asked.answered_at is None

    # --- Robin changes who comes ---------------------------------------------------------
    visit(robin, f"/portal/{child.pk}/")
    go(robin, robin.get_by_role("link", name="See who is coming and make your choices"))
    expect(robin.locator("main")).to_contain_text("Morgan Kestrelby")
    go(robin, robin.get_by_role("link", name="Change your choices"))
    robin.get_by_label("Who do you want to come?").fill("My foster carer and my nan")
    robin.get_by_label("I want to run it with my IRO").check()
    go(robin, robin.get_by_role("button", name="Save my choices"))
    expect(banner(robin)).to_contain_text("Your IRO can see your choices")
    expect(robin.locator("main")).to_contain_text("My foster carer and my nan")
    review.refresh_from_db()
    assert review.choice_who == "My foster carer and my nan"
    assert review.choice_chairing == Review.Chairing.CO_CHAIR

    # --- Robin fills in the 8-11 form, one question a page, saved as they go ---------------
    visit(robin, f"/portal/{child.pk}/")
    go(robin, robin.get_by_role("link", name="Tell your IRO what you think before the review"))
    expect(robin.get_by_role("heading", name="Say what you think", level=1)).to_be_visible()
    go(robin, robin.get_by_role("button", name="Start"))
    expect(robin.get_by_role("heading", name="What is going well for you?")).to_be_visible()
    robin.get_by_label("What is going well for you?").fill("Football and my friends")
    go(robin, robin.get_by_role("button", name="Save and continue"))
    consultation = Consultation.objects.get(review=review, for_child=True)
    assert consultation.form.audience == "child_8_11"
    saved = {a.question.text: a.answer for a in consultation.answers.all()}
    assert saved["What is going well for you?"] == "Football and my friends"
    assert consultation.returned_on is None, "saved, not yet sent"
    robin.get_by_label("What is not going so well?").fill("Maths is hard")
    go(robin, robin.get_by_role("button", name="Save and continue"))
    for _ in range(6):  # the other six questions, left out
        go(robin, robin.get_by_role("button", name="Save and continue"))
    expect(robin.get_by_role("heading", name="Check your answers", level=1)).to_be_visible()
    expect(robin.locator("main")).to_contain_text("Maths is hard")
    robin.get_by_label("Yes").check()
    go(robin, robin.get_by_role("button", name="Send to my IRO"))
    expect(robin.locator("main")).to_contain_text("You said your social worker can read it too")
    consultation.refresh_from_db()
    assert consultation.returned_on == today() and consultation.share_with_social_worker

    # --- The IRO sees all of it in their work list, and answers the visit ------------------
    visit(page, "/requests/")
    main = page.locator("main")
    expect(main).to_contain_text("I want to talk about my mum")
    expect(main.get_by_role("link", name="Robin Kestrelby").first).to_be_visible()
    expect(main).to_contain_text("wants to co-chair")
    expect(
        main.get_by_role("link", name=re.compile("My review: what I think from Robin"))
    ).to_be_visible()
    go(page, main.get_by_role("link", name=re.compile("Answer")))
    page.get_by_label("Your answer").fill("Yes, I will come and see you at home.")
    visit_on = today() + timedelta(days=7)
    fill_date(page, "Visit arranged for", visit_on)
    go(page, page.get_by_role("button", name="Send the answer"))
    expect(banner(page)).to_contain_text("Answer sent to Robin Kestrelby")
    visit(page, "/requests/")
    go(page, page.get_by_role("link", name=re.compile("My review: what I think from Robin")))
    expect(page.locator("main form")).to_contain_text("What is going well for you?")
    expect(page.get_by_label("What is not going so well?")).to_have_value("Maths is hard")

    # Robin reads the answer.
    visit(robin, f"/portal/{child.pk}/visit/")
    fits(robin)
    expect(robin.locator("main")).to_contain_text("Yes, I will come and see you at home.")
    expect(robin.locator("main")).to_contain_text(f"Visit on {visit_on:%A} {visit_on.day}")


def test_parents_give_views_read_the_record_or_the_reason(page, phone, service, family):
    child, objects = family
    mother = child.relationships.get(kind="mother").person
    father = objects.exclusion.person
    make_portal_user(child, by=service.iro, person=mother, username="morgan.k")
    make_portal_user(child, by=service.iro, person=father, username="frankie.k")

    # --- The mother fills in the parent form, then reads the record -----------------------
    mum = phone()
    portal_sign_in(mum, "morgan.k")
    expect(mum.get_by_role("heading", name="Robin Kestrelby", level=1)).to_be_visible()
    go(mum, mum.get_by_role("link", name="Fill in your form for the review"))
    go(mum, mum.get_by_role("button", name="Start"))
    mum.get_by_label("How do you think your child is getting on?").fill("Much happier now")
    go(mum, mum.get_by_role("button", name="Save and continue"))
    for _ in range(5):
        go(mum, mum.get_by_role("button", name="Save and continue"))
    go(mum, mum.get_by_role("button", name="Send to the IRO"))
    sent = Consultation.objects.get(review=objects.review, person=mother)
    assert sent.form.audience == "parent" and sent.returned_on == today()

    # The address is confidential from the parents: nothing staff typed reaches them before
    # the IRO has read their versions and confirmed them (rules.md §7, ADR 0009).
    visit(mum, f"/portal/{child.pk}/after/")
    expect(mum.locator("main")).to_contain_text("This is not ready for you yet")
    assert "swimming club" not in mum.content()
    sign_in(page, service.iro.username)
    held = child.reviews.exclude(pk=objects.review.pk).get()
    iro_checks_what_parents_read(page, f"/reviews/{held.pk}/", "Morgan Kestrelby")
    iro_checks_what_parents_read(page, f"/reviews/{objects.review.pk}/", "Frankie Kestrelby")

    visit(mum, f"/portal/{child.pk}/after/")
    fits(mum)
    main = mum.locator("main")
    expect(main).to_contain_text("Robin to join the swimming club")
    expect(main).to_contain_text("Robin stays with the foster carers")  # the care plan
    expect(main).to_contain_text("[address withheld]")
    for text in ("Example Lane", "NM1 1AA"):
        assert text not in mum.content(), "the confidential address never reaches a parent"

    # --- The father, excluded, reads the reason and asks for the separate meeting ----------
    dad = phone()
    portal_sign_in(dad, "frankie.k")
    expect(dad.locator("main")).to_contain_text("You have not been invited to this review")
    go(dad, dad.get_by_role("link", name="Read why, and ask to meet the IRO"))
    expect(dad.locator("main")).to_contain_text("A court order")
    go(dad, dad.get_by_role("link", name="Ask to meet the IRO").first)
    dad.get_by_label(re.compile("Anything the IRO should know")).fill("Weekday mornings suit me")
    go(dad, dad.get_by_role("button", name="Ask to meet"))
    expect(banner(dad)).to_contain_text("Sent to the IRO")
    objects.exclusion.refresh_from_db()
    assert objects.exclusion.separate_meeting_requested_at is not None

    # --- The IRO (signed in above) sees both -----------------------------------------------
    visit(page, "/requests/")
    main = page.locator("main")
    expect(
        main.get_by_role("link", name=re.compile("Frankie Kestrelby, parent of Robin"))
    ).to_be_visible()
    expect(main).to_contain_text("Weekday mornings suit me")
    expect(main.get_by_role("link", name=re.compile("from Morgan Kestrelby"))).to_be_visible()

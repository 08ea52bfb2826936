"""Issue 4's "Show" journey in a real browser, with axe-core checking every page visited.

The IRO books a child's next review (past the due date and on a weekend, so the page warns and
asks them to confirm), works through the checklist (one item by keyboard alone, one paper in
late), records the child's choices, sends consultation forms and records the child's answers as
returned on paper, excludes the father (the letter giving the reason is a real PDF) and records
the separate meeting, invites the child and the mother, records the meeting (its date chosen from
the meetings; a PN0 error first: the DfE rule is named), is stopped from sending until each decision
is written in the child's words, writes them, sends the decisions and the record, edits the letter
to the child (made from the child's words, never the professional ones), and
opens each recipient's PDF. What each version contains and omits is asserted on the Django side:
the mother's copy has the decisions but not the confidential placement address, the excluded
father gets none, the full record has the address. The caseload shows the stage on the way.

A second test has two browsers editing the record at once: the second to save is told, their
text is still in the form, and their next save goes through.
"""

import importlib
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from carereview.children.models import Person, Relationship
from carereview.core.calendar import today
from carereview.core.testing import make_child, make_review_objects
from carereview.documents.records import recipients_for, render_record_html
from carereview.documents.release import record_version
from carereview.notifications import outbox
from carereview.reviews.models import (
    ChecklistEntry,
    Consultation,
    Decision,
    Exclusion,
    Invitation,
    MatterConsidered,
    Meeting,
    Review,
)
from carereview.reviews.services import booking_warnings
from tests.system import browsing
from tests.system.browsing import (
    check_axe,
    expect_date,
    fill_date,
    focused,
    iro_checks_what_parents_read,
    sign_in,
    tab_until,
    visit,
)

pytestmark = [
    pytest.mark.browser,
    # The live server serves from another thread, so the test's data must really be committed.
    pytest.mark.django_db(transaction=True),
]

ADDRESS_LINE = "1 Example Lane"  # make_child's placement address, first line
POSTCODE = "NM1 1AA"
DECISION_1 = "Arrange weekly swimming lessons at the leisure centre"
DECISION_2 = "Update the personal education plan with the new reading support"
# The same decisions as the IRO wrote them for Jamie (issue 12 item 24).
JAMIE_1 = "You will go swimming every week at the leisure centre"
JAMIE_2 = "Your school will write down the extra help you get with reading"


@pytest.fixture(autouse=True)
def consultation_forms(transactional_db):
    """The consultation forms the data migration seeds. Each live-server test ends by emptying
    every table, so they are seeded again (idempotent), as conftest does for bank holidays."""
    from django.apps import apps

    importlib.import_module("carereview.reviews.migrations.0003_consultation_forms").seed(
        apps, None
    )


def pdf_text(body: bytes) -> str | None:
    """The text of a PDF, whitespace folded, if poppler's pdftotext is installed (else None)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    out = subprocess.run(  # noqa: S603 - a fixed program, the PDF on stdin
        [pdftotext, "-", "-"], input=body, capture_output=True, check=True, timeout=30
    )
    return " ".join(out.stdout.decode().split())


def iso(d: date) -> str:
    return d.isoformat()


def shown(text: str) -> date:
    """A date as the review page shows it ("j M Y")."""
    return datetime.strptime(text.strip(), "%d %b %Y").date()


def banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def checklist_row(page: Page, label: str):
    """The checklist's task (GOV.UK task list) whose link is `label`."""
    tasks = page.locator(".govuk-task-list", has=page.locator(".govuk-task-list__link"))
    return tasks.locator(
        ".govuk-task-list__item", has=page.get_by_role("link", name=label, exact=True)
    )


def due_by(task) -> date:
    """The date in a task's "Due by …" hint line."""
    hint = task.locator(".govuk-task-list__hint").inner_text()
    return shown(hint.split("Due by", 1)[1])


def click_and_check(page: Page, locator) -> None:
    """Click something that loads a page, wait for it to load, then run axe on it."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    check_axe(page)


def caseload_row(page: Page, child) -> str:
    visit(page, "/caseload/")
    row = page.locator("tbody tr", has=page.get_by_role("link", name=child.full_name, exact=True))
    return " ".join(row.inner_text().split())


@pytest.fixture
def family(service):
    """A 10-year-old in care for 100 days with no review yet (so the first one is overdue),
    allocated to the IRO, placed at a confidential address; a mother and a father."""
    t = today()
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker2,
        start=t - timedelta(days=100),
        first_name="Jamie",
        last_name="Pebblecombe",
        dob=date(t.year - 10, t.month, 1) - timedelta(days=40),
        confidential=True,
    )
    mother = child.relationships.get(kind=Relationship.Kind.MOTHER).person
    mother.email = "morgan.pebblecombe@example.org"
    mother.save()
    father = Person.objects.create(first_name="Frankie", last_name="Pebblecombe")
    Relationship.objects.create(
        child=child, person=father, kind=Relationship.Kind.FATHER, parental_responsibility=True
    )
    child.refresh_from_db()
    return child, mother, father


def test_review_from_booking_to_record(page: Page, service, family, live_server):
    child, mother, father = family
    iro = service.iro
    t = today()
    due = child.next_review_due
    assert due is not None and due < t, "the first review is overdue"

    sign_in(page, iro.username)

    # --- 1. Book the review: warned (late, and a weekend), then booked anyway ----------------
    visit(page, f"/children/{child.pk}/")
    click_and_check(page, page.get_by_role("link", name="Book the next review"))
    expect(page.get_by_role("heading", name="Book a review meeting", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"The next review is due by {due:%A} {due.day}")
    expect_date(page, "Date of the meeting", due)

    saturday = t + timedelta(days=(5 - t.weekday()) % 7 or 7)
    fill_date(page, "Date of the meeting", saturday)
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Where").fill("Family centre, 5 Market Street")
    expect(page.get_by_label("Book it anyway")).to_have_count(0)
    click_and_check(page, page.get_by_role("button", name="Book the meeting"))
    expect(page).to_have_title(re.compile(r"^Error: Book a review meeting"))
    warnings = page.locator(".govuk-warning-text")
    expect(warnings).to_have_count(2)
    expect(warnings.nth(0)).to_contain_text(
        f"this date is {(saturday - due).days} days after it, so the review will be late"
    )
    expect(warnings.nth(1)).to_contain_text(f"{saturday:%A} {saturday.day}")
    expect(warnings.nth(1)).to_contain_text("is a weekend, not a working day")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Check the warnings, then tick to book it anyway"
    )
    expect(page.get_by_label("Book it anyway")).not_to_be_checked()
    assert not child.reviews.exists(), "nothing is booked until the warnings are confirmed"

    # The meeting is today instead (still after the due date). Ticking the box confirms only
    # the date the warnings were shown for, so the new date is warned about first.
    fill_date(page, "Date of the meeting", t)
    page.get_by_label("Book it anyway").check()
    click_and_check(page, page.get_by_role("button", name="Book the meeting"))
    expect(page).to_have_title(re.compile(r"^Error: Book a review meeting"))
    expect(page.locator(".govuk-warning-text").first).to_contain_text("will be late")
    assert not child.reviews.exists(), "a confirmation of another date books nothing"
    page.get_by_label("Book it anyway").check()
    click_and_check(page, page.get_by_role("button", name="Book the meeting"))
    expect(page.get_by_role("heading", name="Next review", level=1)).to_be_visible()
    expect(banner(page)).to_contain_text(f"Meeting booked for {t.day} {t:%B %Y} at 10:30.")
    review = Review.objects.get(child=child)
    review_url = f"/reviews/{review.pk}/"
    assert page.url.endswith(review_url)
    assert booking_warnings(child, t), "today's date was after the due date too"
    expect(page.locator("main")).to_contain_text("Stage: Booked")
    meetings = page.locator("table", has=page.locator("caption", has_text="Meetings of this"))
    expect(meetings).to_contain_text(f"{t.day} {t:%b %Y}, 10:30")
    expect(meetings).to_contain_text("Family centre, 5 Market Street")

    # The papers are due 3 working days before today's meeting: already late, and on the caseload.
    care_plan = checklist_row(page, "Care plan received")
    expect(care_plan.locator(".govuk-task-list__status .govuk-tag--red")).to_have_text("Late")
    papers_by = due_by(care_plan)
    assert papers_by < t
    row = caseload_row(page, child)
    assert "Booked" in row and "Late: Care plan received" in row, row

    # --- 2. The checklist ---------------------------------------------------------------------
    # Keyboard only: from the review page to "Spoke with the child alone", and the form.
    visit(page, review_url)
    tab_until(page, lambda f: (f["href"] or "").endswith("/checklist/child_seen/"), limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/checklist/child_seen/$"))
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Spoke with the child alone (or observed them where they live)"
    )
    # Saving without choosing what happened: the error, by keyboard too.
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Save")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    check_axe(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what happened")
    radio = tab_until(page, lambda f: f["name"] == "outcome")
    assert radio["value"] == "spoke_alone" and not radio["checked"], radio
    page.keyboard.press("Space")
    assert focused(page)["checked"], "Space chose the radio"
    tab_until(page, lambda f: f["name"] == "note")
    page.keyboard.type("Met Jamie at school; they talked about swimming and their mum.")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Save")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{review_url}$"))
    check_axe(page)
    expect(banner(page)).to_contain_text("recorded.")
    row = checklist_row(page, "Spoke with the child alone (or observed them where they live)")
    expect(row).to_contain_text(f"{t.day} {t:%b %Y} by {iro.get_full_name()}")
    expect(row).to_contain_text("Spoke with the child alone")
    entry = ChecklistEntry.objects.get(review=review, item="child_seen")
    assert entry.outcome == ChecklistEntry.Outcome.SPOKE_ALONE and entry.recorded_by == iro

    def tick(label: str, done_on: date) -> None:
        click_and_check(page, page.get_by_role("link", name=label, exact=True))
        expect(page.get_by_role("heading", name=label, level=1)).to_be_visible()
        fill_date(page, "Date done", done_on)
        click_and_check(page, page.get_by_role("button", name="Save"))
        expect(banner(page)).to_contain_text(f"{label}: recorded.")

    contact = checklist_row(page, "In contact with the social worker")
    contact_by = due_by(contact)
    tick("In contact with the social worker", contact_by)
    tick("Care plan received", t)  # after the papers deadline shown: done late
    tick("Personal education plan received", papers_by)
    tick("Health plan received", papers_by - timedelta(days=1))
    tick("Reports read", t)

    def status(label: str):
        return checklist_row(page, label).locator(".govuk-task-list__status")

    expect(status("In contact with the social worker")).to_have_text("Completed")
    expect(status("Care plan received").locator(".govuk-tag--orange")).to_have_text(
        "Completed late"
    )
    for label in ("Personal education plan received", "Health plan received"):
        expect(status(label)).to_have_text("Completed")
    expect(checklist_row(page, "Reports read")).to_contain_text(f"{t.day} {t:%b %Y} by")
    expect(page.locator("main")).to_contain_text("Stage: Papers in")
    expect(page.locator("main .govuk-warning-text")).to_have_count(0)

    # --- 3. The child's choices and the consultation forms ------------------------------------
    click_and_check(page, page.get_by_role("link", name="Record Jamie's choices"))
    page.get_by_label("Who the child wants to come").fill("Mum, my social worker and my IRO")
    page.get_by_label("What the child wants to talk about").fill("Swimming, and seeing mum more")
    page.get_by_label("Where the child wants it").fill("At school, in the library")
    page.get_by_label("When the child wants it").fill("After lunch")
    page.get_by_role("radio", name="The child and the IRO chair together").check()
    click_and_check(page, page.get_by_role("button", name="Save the choices"))
    expect(banner(page)).to_contain_text("Jamie's choices saved.")
    choices = page.locator("dl", has_text="Who comes")
    expect(choices).to_contain_text("Mum, my social worker and my IRO")
    expect(choices).to_contain_text("At school, in the library, After lunch")
    expect(choices).to_contain_text("The child and the IRO chair together")

    click_and_check(page, page.get_by_role("link", name="Send a consultation form"))
    page.get_by_role("radio", name=re.compile(r"^Jamie Pebblecombe")).check()
    expect(page.get_by_role("radio", name="On paper")).to_be_checked()
    click_and_check(page, page.get_by_role("button", name="Send the form"))
    expect(banner(page)).to_contain_text("“My review: what I think” sent to Jamie Pebblecombe.")

    click_and_check(page, page.get_by_role("link", name="Send a consultation form"))
    page.get_by_role("radio", name="Morgan Pebblecombe (Mother)").check()
    click_and_check(page, page.get_by_role("button", name="Send the form"))
    expect(banner(page)).to_contain_text(
        "“Your views before your child's review” sent to Morgan Pebblecombe."
    )
    sent = page.locator("table", has=page.locator("caption", has_text="Consultation forms sent"))
    expect(sent.locator("tbody tr")).to_have_count(2)

    # Jamie's form comes back on paper: the answers, question by question.
    click_and_check(
        page, page.get_by_role("link", name="Record the answers from Jamie Pebblecombe")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "My review: what I think: Jamie Pebblecombe"
    )
    page.get_by_label("What is going well for you?").fill("Swimming club and my friend Sol")
    page.get_by_label("How do you feel about where you live?").fill("I like it. The dog is funny.")
    page.get_by_label("Who would you like to see more, or less?").fill("More of mum")
    page.get_by_label("The child agrees their social worker may read it").check()
    click_and_check(page, page.get_by_role("button", name="Save the answers"))
    expect(banner(page)).to_contain_text("Answers from Jamie Pebblecombe recorded.")
    expect(sent.locator("tbody tr").nth(0)).to_contain_text(f"{t.day} {t:%b %Y} (on paper)")
    consultation = Consultation.objects.get(review=review, for_child=True)
    assert consultation.form.audience == "child_8_11", "Jamie, 10, gets the 8 to 11 form"
    assert consultation.returned_on == t and consultation.share_with_social_worker
    answers = {a.question.text: a.answer for a in consultation.answers.select_related("question")}
    assert answers["How do you feel about where you live?"] == "I like it. The dog is funny."
    assert Consultation.objects.get(review=review, person=mother).returned_on is None

    # --- 4. Exclude the father: the reason in writing, the letter, the separate meeting -------
    click_and_check(page, page.get_by_role("link", name="Do not invite a parent"))
    page.get_by_role("radio", name="Frankie Pebblecombe (Father)").check()
    page.get_by_label("The reason, as it will be written to them").fill(
        "A court order says you may not attend meetings about Jamie."
    )
    expect_date(page, "Separate meeting with the IRO offered on", t)
    click_and_check(page, page.get_by_role("button", name="Record and write the letter"))
    exclusion = Exclusion.objects.get(review=review, person=father)
    assert page.url.endswith(f"/reviews/exclusions/{exclusion.pk}/")
    expect(page.get_by_role("heading", name="Frankie Pebblecombe is not invited")).to_be_visible()
    expect(banner(page)).to_contain_text(
        "Frankie Pebblecombe is not invited. Their letter is ready."
    )
    expect(page.locator("main dl")).to_contain_text("A court order says you may not attend")
    letter = page.get_by_role("link", name="Open the letter to Frankie Pebblecombe (PDF)")
    href = letter.get_attribute("href")
    assert href == f"/reviews/{review.pk}/documents/exclusion-letter/{exclusion.pk}.pdf"
    exclusion_page = page.url
    # The address is confidential from Frankie: his letter waits for the IRO's check.
    assert page.request.get(href).status == 403
    iro_checks_what_parents_read(page, review_url, "Frankie Pebblecombe")
    visit(page, exclusion_page)
    pdf = page.request.get(href)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.get_by_role("radio", name="Declined").check()
    page.get_by_label("Note").fill("Frankie said by phone he does not want to meet.")
    click_and_check(page, page.get_by_role("button", name="Save"))
    expect(banner(page)).to_contain_text("The separate meeting's outcome is recorded.")
    expect(page.locator("main")).to_contain_text("Parents not invited")
    expect(page.get_by_role("link", name="Frankie Pebblecombe", exact=True)).to_be_visible()
    exclusion.refresh_from_db()
    assert exclusion.outcome == Exclusion.Outcome.DECLINED

    # --- 5. Invitations: the child and the mother; the father is not offered ------------------
    click_and_check(page, page.get_by_role("link", name="Invite people"))
    invitees = page.get_by_role("group", name=re.compile("Who is invited"))
    expect(invitees.get_by_role("checkbox")).to_have_count(3)  # child, mother, social worker
    expect(invitees.get_by_role("checkbox", name=re.compile("Frankie"))).to_have_count(0)
    assert "Frankie" not in invitees.inner_text()
    invitees.get_by_role("checkbox", name="Jamie Pebblecombe (The child)").check()
    invitees.get_by_role("checkbox", name="Morgan Pebblecombe (Mother)").check()
    page.get_by_role("radio", name="Letter and email").check()
    click_and_check(page, page.get_by_role("button", name="Send invitations"))
    expect(banner(page)).to_contain_text("2 invitations sent.")
    invited = page.locator("table", has=page.locator("caption", has_text="People invited"))
    expect(invited.locator("tbody tr")).to_have_count(2)
    expect(invited).to_contain_text(f"{t.day} {t:%b %Y} (letter and email)")
    assert set(Invitation.objects.filter(review=review).values_list("sent_on", flat=True)) == {t}
    # The mother's invitation email is held until the IRO has read her version; then it goes.
    outbox.deliver_due()  # the worker
    assert not [m for m in mail.outbox if m.to == [mother.email]]
    iro_checks_what_parents_read(page, review_url, "Morgan Pebblecombe")
    outbox.deliver_due()
    assert [m.subject for m in mail.outbox if m.to == [mother.email]] == [
        "Invitation to Jamie's Child in Care Review"
    ]
    visit(page, review_url)
    for invitation in Invitation.objects.filter(review=review):
        got = page.request.get(f"/reviews/{review.pk}/documents/invitation/{invitation.pk}.pdf")
        assert got.status == 200 and got.body().startswith(b"%PDF")

    # --- 6. The meeting record --------------------------------------------------------------
    click_and_check(page, page.get_by_role("link", name="Record the review"))
    expect(page.get_by_role("heading", name="Record of the review", level=1)).to_be_visible()
    # The date held is the date of the meeting that completed the review: chosen, not typed.
    completed = page.get_by_role("group", name="Which meeting completed the review?")
    expect(completed.get_by_role("radio")).to_have_count(1)
    expect(
        completed.get_by_role("radio", name=re.compile(rf"^{t:%A} {t.day} {t:%B %Y} at 10:30, "))
    ).to_be_checked()
    page.get_by_role("combobox", name="Jamie Pebblecombe (The child)").select_option(label="Came")
    page.get_by_role("combobox", name="Morgan Pebblecombe (Mother)").select_option(
        label="Sent apologies"
    )
    matters = {
        "Changes since the last review, and whether its decisions were carried out": (
            "First review: Jamie has settled well with the foster family."
        ),
        "Whether the placement still meets the child's needs": (
            f"The placement at {ADDRESS_LINE} meets Jamie's needs and should continue."
        ),
        "Education": "Attending every day; reading support has started.",
        "Health, and the latest health assessment": "Health assessment done in September.",
        "Contact and family time": "Family time with mum fortnightly, supervised.",
    }
    for label, view in matters.items():
        page.get_by_label(label).fill(view)
    page.get_by_label("The child's wishes and feelings, in their own words").fill(
        "I want to keep swimming and see mum more. I like my foster carers."
    )
    page.get_by_label("The parents' views").fill("Mum wants more family time.")
    first = page.get_by_role("group", name="Decision 1")
    first.get_by_label("Decision", exact=True).fill(DECISION_1)
    first.get_by_label("Who is responsible (a person)").select_option(
        label=f"{service.social_worker2.get_full_name()} (Social worker)"
    )
    fill_date(first, "By when", t + timedelta(days=28))
    second = page.get_by_role("group", name="Decision 2")
    second.get_by_label("Decision", exact=True).fill(DECISION_2)
    second.get_by_label("or a role").fill("The designated teacher")
    fill_date(second, "By when", t + timedelta(days=42))

    # PN0 is only for a child under 4: the DfE rule is named, and nothing is lost.
    page.get_by_role("radio", name=re.compile(r"^PN0:")).check()
    click_and_check(page, page.get_by_role("button", name="Save the record"))
    expect(page).to_have_title(re.compile(r"^Error: Record of the review"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        "PN0 is only for a child under 4 at the review"
    )
    expect(page.locator("#id_participation_code-error")).to_contain_text("PN0 is only for")
    expect(
        page.get_by_role("group", name="Decision 1").get_by_label("Decision", exact=True)
    ).to_have_value(DECISION_1)
    review.refresh_from_db()
    assert review.held_on is None and review.version == 0

    page.get_by_role("radio", name=re.compile(r"^PN1:")).check()
    click_and_check(page, page.get_by_role("button", name="Save the record"))
    expect(banner(page)).to_contain_text("The record is saved.")
    expect(page.get_by_role("heading", name=f"Review held on {t.day} {t:%B %Y}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Stage: Held")
    expect(page.locator("main")).to_contain_text("PN1: Child attends and speaks for themselves")
    decisions = page.locator("ul", has_text=DECISION_1)
    expect(decisions).to_contain_text(
        f"({service.social_worker2.get_full_name()}, by {(t + timedelta(days=28)).day}"
    )
    expect(decisions).to_contain_text("(The designated teacher, by")
    review.refresh_from_db()
    assert review.held_on == t and review.participation_code == "PN1"
    assert review.wishes_and_feelings.startswith("I want to keep swimming")
    assert MatterConsidered.objects.filter(review=review).count() == len(matters)
    assert Decision.objects.filter(review=review).count() == 2
    came = dict(Invitation.objects.filter(review=review).values_list("for_child", "attendance"))
    assert came == {True: "attended", False: "apologies"}
    assert "Held" in caseload_row(page, child)

    # --- 7. The decisions in Jamie's words, then send the decisions and the record ----------
    # Nothing is sent while a decision has no wording for Jamie: the review page says so.
    visit(page, review_url)
    words_row = page.locator(".govuk-summary-list__row", has_text="Decisions in Jamie's words")
    expect(words_row).to_contain_text("2 not written yet To do")
    click_and_check(page, page.get_by_role("link", name="Send the decisions"))
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "2 decisions are not yet written in Jamie's words, and the IRO writes them"
    )
    expect(page.get_by_role("button", name="Send the decisions now")).to_have_count(0)
    assert not Review.objects.get(pk=review.pk).decisions_sent_on
    visit(page, review_url)
    click_and_check(page, page.get_by_role("link", name="Write the decisions in Jamie's words"))
    expect(
        page.get_by_role("heading", name="The decisions in Jamie's words", level=1)
    ).to_be_visible()
    first_words = page.get_by_label("Decision 1 in Jamie's words")
    expect(first_words).to_have_value("")  # blank at first: the IRO writes or confirms
    expect(page.locator("main")).to_contain_text(DECISION_1)
    first_words.fill(JAMIE_1)
    click_and_check(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Write decision 2 in Jamie's words"
    )
    page.get_by_label("Decision 2 in Jamie's words").fill(JAMIE_2)
    click_and_check(page, page.get_by_role("button", name="Save"))
    expect(banner(page)).to_contain_text("The decisions in Jamie's words are saved.")
    words_row = page.locator(".govuk-summary-list__row", has_text="Decisions in Jamie's words")
    expect(words_row).to_contain_text("Written")
    assert dict(Decision.objects.filter(review=review).values_list("text", "child_wording")) == {
        DECISION_1: JAMIE_1,
        DECISION_2: JAMIE_2,
    }

    visit(page, review_url)
    after = page.locator("dl", has_text="Decisions sent")
    expect(after.locator(".govuk-summary-list__row", has_text="Decisions sent")).to_contain_text(
        "Not yet To do"
    )
    click_and_check(page, page.get_by_role("link", name="Send the decisions"))
    expect(page.get_by_role("heading", name="Send the decisions", level=1)).to_be_visible()
    click_and_check(page, page.get_by_role("button", name="Send the decisions now"))
    expect(banner(page)).to_contain_text("The decisions went to 2 people.")
    # The record changed the mother's version: her copy waits for the IRO's check again.
    assert len([m for m in mail.outbox if m.to == [mother.email]]) == 1
    iro_checks_what_parents_read(page, review_url, "Morgan Pebblecombe")
    assert "Decisions sent" in caseload_row(page, child)
    visit(page, review_url)
    click_and_check(page, page.get_by_role("link", name="Send the record"))
    click_and_check(page, page.get_by_role("button", name="Send the record now"))
    expect(banner(page)).to_contain_text("The record went to 2 people.")
    expect(page.locator("main")).to_contain_text("Stage: Record sent")
    after = page.locator("dl", has_text="Decisions sent")
    for label in ("Decisions sent", "Record sent"):
        sent_row = after.locator(".govuk-summary-list__row", has_text=label)
        expect(sent_row).to_contain_text(f"{t.day} {t:%b %Y}")
        expect(sent_row.locator(".govuk-tag")).to_have_text("Done")
    review.refresh_from_db()
    assert review.decisions_sent_on == t and review.record_sent_on == t
    # The mother gave an email address: the invitation, decisions and record went to it too,
    # by the outbox (the worker delivers it).
    outbox.deliver_due()
    to_mother = [m for m in mail.outbox if m.to == [mother.email]]
    assert [m.subject for m in to_mother] == [
        "Invitation to Jamie's Child in Care Review",
        "Decisions of Jamie's Child in Care Review",
        "Record of Jamie's Child in Care Review",
    ]
    for message in to_mother:
        ((name, content, mimetype),) = message.attachments
        assert mimetype == "application/pdf" and content.startswith(b"%PDF"), name

    # --- 8. The letter to the child, and each recipient's PDF ---------------------------------
    click_and_check(page, page.get_by_role("link", name="Edit the letter to Jamie"))
    expect(page.get_by_role("heading", name="Letter to Jamie", level=1)).to_be_visible()
    text = page.get_by_label("The letter")
    draft = text.input_value()
    assert draft.startswith("Dear Jamie,")
    assert JAMIE_1 in draft and JAMIE_2 in draft, "the draft has the decisions in Jamie's words"
    assert DECISION_1 not in draft and DECISION_2 not in draft, "never the professional words"
    text.fill(draft.replace("Dear Jamie,", "Dear Jamie,\n\nThank you for telling me about Sol."))
    click_and_check(page, page.get_by_role("button", name="Save the letter"))
    expect(banner(page)).to_contain_text("The letter to Jamie is saved.")
    review.refresh_from_db()
    assert "Thank you for telling me about Sol." in review.child_letter
    click_and_check(page, page.get_by_role("link", name="Edit the letter to Jamie"))
    href = page.get_by_role("link", name="Open as PDF").get_attribute("href")
    got = page.request.get(href)
    assert got.status == 200 and got.headers["content-type"] == "application/pdf"
    assert got.body().startswith(b"%PDF")

    # "Send the record" lists each person sent it (those invited) with a link to their version.
    visit(page, f"/reviews/{review.pk}/send/record/")
    people = page.locator("table", has=page.locator("caption", has_text="What each person gets"))
    expect(people.locator("tbody tr", has_text="Frankie")).to_have_count(0)
    links = people.get_by_role("link")
    names = [n.strip() for n in links.all_inner_texts()]
    # Those invited, then the IRO and social worker, who keep the full record.
    assert names == [
        "Record for Jamie Pebblecombe (PDF)",
        "Record for Morgan Pebblecombe (PDF)",
        f"Record for {iro.get_full_name()} (PDF)",
        f"Record for {child.current_social_worker.get_full_name()} (PDF)",
    ], names
    expect(people.locator("tbody tr", has_text="Morgan Pebblecombe")).to_contain_text(
        "Left out: Placement address (confidential from parents)"
    )
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs[2].endswith(f"/reviews/{review.pk}/documents/record/staff-{iro.pk}.pdf")
    pdfs = {}
    for href in hrefs:
        got = page.request.get(href)
        assert got.status == 200, href
        assert got.headers["content-type"] == "application/pdf", href
        assert got.body().startswith(b"%PDF"), href
        pdfs[href.rsplit("/", 1)[1]] = pdf_text(got.body())
    # Where poppler is installed, the PDFs themselves are read too.
    if pdfs[f"person-{mother.pk}.pdf"] is not None:
        assert DECISION_1 in pdfs[f"person-{mother.pk}.pdf"]
        assert ADDRESS_LINE not in pdfs[f"person-{mother.pk}.pdf"]
        assert ADDRESS_LINE in pdfs[f"staff-{iro.pk}.pdf"]
        assert "Thank you for telling me about Sol." in pdfs["child.pdf"]
    # The excluded father has no copy, even asked for by address.
    refused = page.request.get(f"/reviews/{review.pk}/documents/record/person-{father.pk}.pdf")
    assert refused.status == 404

    # What each version contains and omits.
    recipients = {r.key: r for r in recipients_for(review)}
    mother_version = record_version(review, recipients[f"person-{mother.pk}"])
    mother_html = render_record_html(mother_version)
    for present in (DECISION_1, DECISION_2, "I want to keep swimming", "PN1"):
        assert present in mother_html, present
    assert ADDRESS_LINE not in mother_html and POSTCODE not in mother_html
    assert "[address withheld] meets Jamie" in mother_html, "the typed address is withheld too"
    assert "Placement address (confidential from parents)" in mother_version.omitted
    assert record_version(review, recipients[f"person-{father.pk}"]) is None
    full_html = render_record_html(record_version(review, recipients[f"staff-{iro.pk}"]))
    for present in (DECISION_1, DECISION_2, ADDRESS_LINE, POSTCODE):
        assert present in full_html, present
    child_html = render_record_html(record_version(review, recipients["child"]))
    assert "Thank you for telling me about Sol." in child_html
    assert ADDRESS_LINE not in child_html

    # --- 9. The caseload: the next review is not booked yet, and when it is due ----------------
    child.refresh_from_db()
    assert child.next_review_due > t
    row = caseload_row(page, child)
    assert f"{child.next_review_due.day} {child.next_review_due:%b %Y}" in row, row
    assert "Not booked" in row and "Late" not in row, row
    expect(page.get_by_role("link", name=f"Book a review for {child.full_name}")).to_be_visible()


def test_two_people_save_the_record_at_once(page: Page, browser, service, live_server):
    """Both open the record; the first saves; the second is told and keeps what they typed."""
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker2,
        first_name="Rowan",
        last_name="Thistledown",
        dob=date(2016, 3, 3),
    )
    objects = make_review_objects(child, by=service.iro)
    review = objects.review
    # Its meeting was today: the record is of a meeting held (issue 12 item 17).
    Meeting.objects.filter(pk=objects.meeting.pk).update(on=today())
    record_url = f"/reviews/{review.pk}/record/"

    other_context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    other = other_context.new_page()
    ledger = browsing.watch(other)
    try:
        sign_in(page, service.iro.username)
        sign_in(other, service.iro.username)
        visit(page, record_url)
        visit(other, record_url)

        def fill(p: Page, wishes: str, code: str) -> None:
            p.get_by_role("radio", name=re.compile(rf"^{code}:")).check()
            p.get_by_label("Education").fill(f"Education, from {wishes}")
            p.get_by_label("The child's wishes and feelings, in their own words").fill(wishes)

        fill(page, "First: I like my new school.", "PN1")
        click_and_check(page, page.get_by_role("button", name="Save the record"))
        expect(banner(page)).to_contain_text("The record is saved.")

        fill(other, "Second: I want to see my brother.", "PN5")
        click_and_check(other, other.get_by_role("button", name="Save the record"))
        expect(other).to_have_title(re.compile(r"^Error: Record of the review"))
        notice = other.get_by_role("region", name="Someone else saved first")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text(f"{service.iro.get_full_name()} saved this record at")
        summary = other.locator(".govuk-error-summary")
        expect(summary).to_contain_text("saved this record while you were editing it")
        # The summary's link goes to the first field a person can see, not the hidden version.
        expect(summary.get_by_role("link")).to_have_attribute("href", "#id_held_on")
        other.get_by_text("What they saved").click()
        expect(notice).to_contain_text("First: I like my new school.")
        expect(notice).to_contain_text("Participation: PN1")
        # What the second person typed is still in the form, not saved yet.
        wishes = other.get_by_label("The child's wishes and feelings, in their own words")
        expect(wishes).to_have_value("Second: I want to see my brother.")
        expect(other.get_by_label("Education")).to_have_value(
            "Education, from Second: I want to see my brother."
        )
        expect(other.get_by_role("radio", name=re.compile(r"^PN5:"))).to_be_checked()
        review.refresh_from_db()
        assert review.version == 1
        assert review.wishes_and_feelings == "First: I like my new school."

        # Having checked, they save again: it goes through.
        click_and_check(other, other.get_by_role("button", name="Save the record"))
        expect(banner(other)).to_contain_text("The record is saved.")
        review.refresh_from_db()
        assert review.version == 2
        assert review.wishes_and_feelings == "Second: I want to see my brother."
        assert review.participation_code == "PN5"
        assert review.matters.get(matter="education").iro_view.endswith("see my brother.")
    finally:
        browsing.forget(other)
        other_context.close()
    assert not ledger.unchecked(), f"pages never checked with axe: {ledger.unchecked()}"

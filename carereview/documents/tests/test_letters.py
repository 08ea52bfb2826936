"""The letter to the child, invitations and the written reason for not inviting a parent."""

import re

import pytest
from django.db.models import F

from carereview.core.calendar import due_words
from carereview.documents.invitations import (
    render_exclusion_letter_html,
    render_exclusion_letter_pdf,
    render_invitation_html,
    render_invitation_pdf,
)
from carereview.documents.letters import (
    VENUE_FROM_IRO,
    draft_child_letter,
    letter_blocks,
    render_child_letter_html,
    render_child_letter_pdf,
)
from carereview.documents.testing import confirm_parents_versions
from carereview.reviews.models import Invitation, Meeting

from .conftest import ADDRESS_LINE, POSTCODE


def _syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 1
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith("le") and count > 1:
        count -= 1
    return max(1, count)


def _sentences(text: str) -> list[list[str]]:
    parts = re.split(r"[.!?](?=\s|$)|\n+", text)
    return [p.replace("- ", " ").split() for p in parts if p.strip(" -")]


def flesch_reading_ease(text: str) -> float:
    sentences = _sentences(text)
    words = [w for s in sentences for w in s]
    syllables = sum(_syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / len(sentences) - 84.6 * syllables / len(words)


@pytest.fixture(autouse=True)
def _worded(request):
    """The IRO has confirmed each decision's words for Robin as written (issue 12 item 24)."""
    if "case" in request.fixturenames:
        case = request.getfixturevalue("case")
        case.review.decisions.update(child_wording=F("text"))


def test_the_flesch_helper_tells_easy_from_hard():
    assert flesch_reading_ease("The cat sat on the mat. It was a good day.") > 90
    assert (
        flesch_reading_ease(
            "Notwithstanding considerable organisational complexity, the independent reviewing "
            "officer's responsibilities encompass comprehensive monitoring of implementation."
        )
        < 30
    )


def test_the_draft_letter_to_the_child(case):
    letter = draft_child_letter(case.review)
    child, iro = case.child, case.service.iro
    assert letter.startswith("Dear Robin,")
    # What we talked about, in plain words, in Schedule 7 order.
    talked = letter.index("We talked about:")
    assert (
        talked
        < letter.index("what has changed since your last review")
        < letter.index("seeing your family and friends")
        < letter.index("- school.")
        < letter.index("your health")
        < letter.index("your hobbies")
    )
    # What was decided, who will do it and by when.
    due = case.review.decisions.order_by("due_on")
    assert (
        f"Robin will start swimming lessons. The foster carer will do this by "
        f"{due_words(due[0].due_on)}." in letter
    )
    assert (
        f"Plan a day out with Gran. Your social worker, {case.service.social_worker}, "
        f"will do this by {due_words(due[1].due_on)}." in letter
    )
    assert f"Check the school plan is working. I will do this by {due_words(due[2].due_on)}." in (
        letter
    )
    # The due date as it is, with the practical deadline where it is not a working day (item 16).
    assert f"Your next review will be by {due_words(child.next_review_due)}." in letter
    assert str(iro) in letter and iro.phone in letter and iro.email in letter
    assert "01632 960000" in letter
    assert "advocate" in letter and "complain" in letter
    # Nothing from the adults' record, and no jargon.
    assert "Supervised family time" not in letter and ADDRESS_LINE not in letter
    for jargon in ("Schedule 7", "PN1", "placement", "Independent Reviewing Officer"):
        assert jargon not in letter


def test_the_draft_letter_is_easy_to_read(case):
    letter = draft_child_letter(case.review)
    sentences = _sentences(letter)
    assert sum(len(s) for s in sentences) / len(sentences) <= 15
    assert flesch_reading_ease(letter) >= 70


def test_the_child_letter_uses_the_iros_edit_and_is_a_pdf(case):
    draft_html = render_child_letter_html(case.review)
    assert "<h2>What we decided</h2>" in draft_html
    assert "<li>Robin will start swimming lessons." in draft_html
    assert "font-size: 16pt" in draft_html

    case.review.child_letter = "Dear Robin,\n\nWell done for coming to your review & speaking up."
    case.review.save()
    html = render_child_letter_html(case.review)
    assert "speaking up." in html and "&amp;" in html and "swimming" not in html
    pdf = render_child_letter_pdf(case.review)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1024


def test_letter_blocks():
    blocks = letter_blocks(
        "Dear Robin,\n\nWhat we decided\n\nWe said:\n- one.\n- two.\n\nBye,\nIan"
    )
    assert [(b.kind, b.lines) for b in blocks] == [
        ("p", ("Dear Robin,",)),
        ("h2", ("What we decided",)),
        ("p", ("We said:",)),
        ("ul", ("one.", "two.")),
        ("p", ("Bye,", "Ian")),
    ]


def test_a_parents_invitation_never_gives_the_confidential_address(case):
    html = render_invitation_html(case.review, case.invitations["mother"])
    assert ADDRESS_LINE not in html and POSTCODE not in html
    assert VENUE_FROM_IRO in html
    assert "Northmoor Library" in html  # a venue that is not the address is shown
    assert "Old Town Hall" not in html  # a cancelled meeting is not
    assert "10:30am" in html and "2:00pm" in html
    assert "22 Other Road" in html  # their own address, for the envelope
    assert "Dear Morgan Quenby," in html


def test_a_venue_that_is_exactly_the_address_is_also_withheld(case):
    case.review.meetings.filter(venue__startswith="Foster").update(
        venue="1 Example Lane\nNorthmoor\nNM1 1AA"
    )
    html = render_invitation_html(case.review, case.invitations["mother"])
    assert ADDRESS_LINE not in html and VENUE_FROM_IRO in html
    html = render_invitation_html(case.review, case.invitations["gran"])
    assert ADDRESS_LINE not in html and VENUE_FROM_IRO in html


def test_others_see_the_venue(case):
    for key in ("carer", "child", "sw"):
        html = render_invitation_html(case.review, case.invitations[key])
        assert ADDRESS_LINE in html and VENUE_FROM_IRO not in html
    child_html = render_invitation_html(case.review, case.invitations["child"])
    assert "Dear Robin," in child_html and "it is all about you" in child_html


def test_a_video_meeting(case):
    Meeting.objects.create(
        review=case.review,
        on=case.review.held_on,
        at=case.review.meetings.first().at,
        by_video=True,
        video_details="Teams link sent by email",
    )
    confirm_parents_versions(case.review, case.service.iro)  # the text changed: checked again
    html = render_invitation_html(case.review, case.invitations["mother"])
    assert "By video: Teams link sent by email" in html


def test_no_invitation_for_an_excluded_parent(case):
    invitation = Invitation.objects.create(review=case.review, person=case.father)
    with pytest.raises(ValueError, match="not invited"):
        render_invitation_html(case.review, invitation)


def test_invitation_pdf(case):
    pdf = render_invitation_pdf(case.review, case.invitations["mother"])
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1024


def test_the_exclusion_letter(case):
    html = render_exclusion_letter_html(case.exclusion)
    assert "Dear Felix Quenby," in html
    assert "The court has ordered that Felix has no contact with Robin at present." in html
    assert f"On {case.exclusion.separate_meeting_offered_on:%-d %B %Y} I offered" in html
    assert "01632 960000" in html and case.service.iro.phone in html
    assert "complaint" in html
    assert ADDRESS_LINE not in html and "Foster home" not in html
    pdf = render_exclusion_letter_pdf(case.exclusion)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1024


def test_the_exclusion_letter_never_repeats_a_confidential_address(case):
    case.exclusion.reason = f"Robin's carers at {ADDRESS_LINE}, {POSTCODE} have been threatened."
    case.exclusion.save()
    confirm_parents_versions(case.review, case.service.iro)  # the text changed: checked again
    html = render_exclusion_letter_html(case.exclusion)
    assert ADDRESS_LINE not in html and POSTCODE not in html
    assert "have been threatened" in html

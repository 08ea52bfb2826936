"""Issue 12 item 24: each decision has wording for the child, written (or confirmed) by the IRO.
Everything the child reads (the letter, their decisions, their version of the record, their portal
page) uses it, never the professional text; a decision not yet written for the child is a to-do
for the IRO, and nothing goes to the child until it is done."""

from datetime import time
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from carereview.documents import letters, records, release
from carereview.documents import services as document_services
from carereview.portal.testing import make_portal_user
from carereview.reviews import services
from carereview.reviews.models import Decision, Meeting

CHILD_WORDS = {
    "Robin will start swimming lessons": "You will start swimming lessons, like you asked.",
    "Plan a day out with Gran": "We will plan a day out with your gran.",
    "Check the school plan is working": "I will check school is going well for you.",
}


def _word_all(case, skip=()):
    wordings = {
        d.pk: CHILD_WORDS[d.text] for d in case.review.decisions.all() if d.text not in skip
    }
    services.save_child_wording(case.review, by=case.service.iro, wordings=wordings)


def _everything_the_child_reads(case) -> dict[str, str]:
    review = case.review
    child = records.recipient_for_invitation(review, case.invitations["child"])
    version = release.record_version(review, child)
    assert version is not None
    return {
        "draft letter": letters.draft_child_letter(review),
        "letter": letters.render_child_letter_html(review),
        "their record": records.render_record_html(version),
        "their decisions": records.render_decisions_html(version),
    }


@pytest.mark.django_db
def test_a_decision_starts_with_no_childs_wording_and_the_iro_writes_it(case):
    assert all(d.child_wording == "" for d in case.review.decisions.all())
    assert len(services.child_wording_missing(case.review)) == 3
    _word_all(case)
    assert services.child_wording_missing(case.review) == []
    saved = dict(case.review.decisions.values_list("text", "child_wording"))
    assert saved == CHILD_WORDS


@pytest.mark.django_db
def test_what_the_child_reads_uses_their_wording_and_never_the_professional_text(case):
    _word_all(case)
    for where, text in _everything_the_child_reads(case).items():
        for professional, childs in CHILD_WORDS.items():
            assert professional not in text, (where, professional)
            assert childs.rstrip(".") in text, (where, childs)


@pytest.mark.django_db
def test_a_decision_not_written_for_the_child_is_a_todo_not_the_professional_text(client, case):
    _word_all(case, skip={"Plan a day out with Gran"})
    (missing,) = services.child_wording_missing(case.review)
    assert missing.text == "Plan a day out with Gran"
    for where, text in _everything_the_child_reads(case).items():
        assert "Plan a day out with Gran" not in text, where
    # Nothing goes to the child, nor to anyone, until it is written: the IRO is told what to do.
    for send in (document_services.send_decisions, document_services.send_record):
        refusal = "1 decision is not yet written in Robin's words"
        with pytest.raises(services.ReviewRefused, match=refusal):
            send(case.review, by=case.service.iro)
    assert not mail.outbox
    client.force_login(case.service.iro)
    page = unescape(
        client.get(reverse("reviews:child-letter", args=[case.review.pk])).content.decode()
    )
    wording_url = reverse("reviews:child-wording", args=[case.review.pk])
    assert "1 decision is not written in Robin's words yet" in page and wording_url in page
    detail = client.get(reverse("reviews:detail", args=[case.review.pk])).content.decode()
    assert wording_url in detail and "To do" in detail


@pytest.mark.django_db
def test_the_wording_page_shows_each_decision_and_a_suggestion_the_iro_confirms(client, case):
    case.review.decisions.update(text="Find a mentor for the child at school")
    client.force_login(case.service.iro)
    url = reverse("reviews:child-wording", args=[case.review.pk])
    html = client.get(url).content.decode()
    assert html.count("Find a mentor for the child at school") == 3
    assert "Find a mentor for you at school" in html, "a plain-words suggestion"
    decisions = list(case.review.decisions.all())
    assert all(d.child_wording == "" for d in decisions), "a suggestion is not saved unasked"
    form = {f"decision-{d.pk}": "" for d in decisions}
    form[f"decision-{decisions[0].pk}"] = "Someone at school will help you, like a buddy."
    page = client.post(url, form)
    assert page.status_code == 200, "an empty wording is an error, not the professional text"
    assert "Write decision 2 in Robin's words" in unescape(page.content.decode())
    form = {f"decision-{d.pk}": f"Words for you, number {i}." for i, d in enumerate(decisions)}
    assert client.post(url, form).status_code == 302
    assert services.child_wording_missing(case.review) == []


@pytest.mark.django_db
def test_changing_a_decision_clears_its_childs_wording(case):
    _word_all(case)
    # The review was held at a meeting that day (item 17); the later bookings were called off.
    case.review.meetings.update(status=Meeting.Status.CANCELLED)
    Meeting.objects.create(
        review=case.review, on=case.review.held_on, at=time(10), status=Meeting.Status.HELD
    )
    decision = case.review.decisions.get(text="Plan a day out with Gran")
    services.save_record(
        case.review,
        by=case.service.iro,
        version=case.review.version,
        data=services.RecordInput(
            held_on=case.review.held_on,
            participation_code="PN1",
            wishes_and_feelings="I like it here.",
            parents_views="",
            matters={"education": "Fine."},
            decisions=[
                {
                    "id": d.pk,
                    "text": "Plan two days out with Gran" if d.pk == decision.pk else d.text,
                    "owner": d.owner,
                    "owner_description": d.owner_description,
                    "due_on": d.due_on,
                }
                for d in case.review.decisions.all()
            ],
            attendance={},
        ),
    )
    decision.refresh_from_db()
    assert decision.child_wording == ""
    assert Decision.objects.exclude(child_wording="").count() == 2


@pytest.mark.django_db
def test_the_childs_portal_shows_their_wording(client, case):
    _word_all(case)
    document_services.send_decisions(case.review, by=case.service.iro)
    _, user = make_portal_user(case.child, by=case.service.iro)
    client.force_login(user)
    page = client.get(reverse("portal:after", args=[case.child.pk])).content.decode()
    for professional, childs in CHILD_WORDS.items():
        assert professional not in page
        assert childs.rstrip(".") in page

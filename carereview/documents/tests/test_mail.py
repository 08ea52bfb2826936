"""Emails carry the right PDF, and name the child by first name only. Each is queued in the
outbox and sent by its delivery (the worker's), which is what fills Django's mail outbox."""

import pytest
from django.core import mail

from carereview.documents import services as document_services
from carereview.documents.mail import queue_document_email
from carereview.documents.tests.conftest import word_every_decision_for_the_child
from carereview.notifications import outbox
from carereview.reviews.models import Invitation


def send_document_email(*args):
    """Queue the email, then deliver the outbox as the worker does."""
    queued = queue_document_email(*args)
    outbox.deliver_due()
    return queued


@pytest.mark.parametrize("kind", ["invitation", "decisions", "record"])
@pytest.mark.parametrize("who", ["child", "mother", "carer", "gran", "sw"])
def test_each_document_is_emailed_with_its_pdf(case, kind, who):
    send_document_email(case.review, kind, case.invitations[who], "someone@example.org")
    [message] = mail.outbox
    assert message.to == ["someone@example.org"]
    assert message.from_email == "iro-service@northmoor.example.org"
    assert "Quenby" not in message.subject
    assert "Robin Quenby" not in message.body
    if who != "child":
        assert "Robin's" in message.subject
    [(filename, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf" and filename.endswith(".pdf")
    assert content.startswith(b"%PDF-") and len(content) > 1024


def test_the_child_is_sent_their_letter_as_the_record(case):
    send_document_email(case.review, "record", case.invitations["child"], "robin@example.org")
    [message] = mail.outbox
    assert message.attachments[0][0] == "letter-about-your-review.pdf"
    assert message.body.startswith("Dear Robin,")


@pytest.mark.parametrize("kind", ["invitation", "decisions", "record"])
def test_never_to_an_excluded_parent(case, kind):
    invitation = Invitation.objects.create(review=case.review, person=case.father)
    with pytest.raises(ValueError):
        send_document_email(case.review, kind, invitation, "f@example.org")
    assert mail.outbox == []


def test_an_unknown_kind_is_refused(case):
    with pytest.raises(ValueError):
        send_document_email(case.review, "care_plan", case.invitations["mother"], "m@x.org")


def test_the_same_document_is_queued_once_for_a_person(case):
    first = queue_document_email(case.review, "decisions", case.invitations["mother"], "m@x.org")
    again = queue_document_email(case.review, "decisions", case.invitations["mother"], "m@x.org")
    assert first is not None and again is None
    assert first.attachments.get().filename == "review-decisions.pdf"


def test_sending_the_record_through_the_review_service(case):
    word_every_decision_for_the_child(case)  # first, as the IRO must (issue 12 item 24)
    count = document_services.send_record(case.review, by=case.service.iro)
    assert count == 5
    assert mail.outbox == []  # queued, not yet sent
    outbox.deliver_due()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            "robin@example.org",
            "morgan@example.org",
            "cara@example.org",
            "g@example.org",
            "sam.worker@northmoor.example.org",
        ]
    )
    assert all(len(m.attachments) == 1 for m in mail.outbox)
    assert all("Quenby" not in m.subject for m in mail.outbox)

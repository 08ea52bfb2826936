"""Issue 12, item 22: every email and text the system sends is an outbox message.

The journey sends one of everything a review and the portal send: a portal link by email and one
by text, a new sign-in link, the invitations, a consultation form by email, the decisions and the
record with their PDFs, and a complaint's acknowledgement, its notice to the team, its extension
and a request for an advocate. Nothing leaves while the services run (Django's mail outbox and the
notifications backend stay empty): each is a stored message with its key, on the administrators'
Messages page. Only the outbox's delivery (the worker, or the flush straight after commit for a
sign-in link) sends, each message once, an email carrying the Message-ID of its outbox row.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from carereview.core.testing import PASSWORD
from carereview.documents import services as document_services
from carereview.documents.tests.conftest import (
    case,  # noqa: F401 - the held review, all kinds
    word_every_decision_for_the_child,
)
from carereview.notifications import backends, outbox
from carereview.notifications.models import Message
from carereview.portal import services as portal
from carereview.portal.models import PortalAccess
from carereview.representations import services as representations
from carereview.reviews import services as reviews
from carereview.reviews.models import ConsultationForm, Review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _decisions_in_the_childs_words(request):
    """Each decision is written in the child's words before anything is sent (item 24)."""
    if "case" in request.fixturenames:
        word_every_decision_for_the_child(request.getfixturevalue("case"))


def _nothing_went_out():
    assert getattr(mail, "outbox", []) == [], "an email went out other than through the outbox"
    assert backends.outbox == [], "a message went out other than through the outbox"


def test_every_email_and_text_is_an_outbox_message_sent_only_by_the_outbox(
    case,  # noqa: F811
    django_capture_on_commit_callbacks,
    client,
):
    iro = case.service.iro
    review, child, mother, carer = case.review, case.child, case.mother, case.carer
    carer.phone = "07700900456"
    carer.save()
    mail.outbox = []
    expected = {}

    # The portal: a link by email and one by text; flushed after commit, through the outbox.
    with django_capture_on_commit_callbacks() as callbacks:
        by_email = portal.grant_and_invite(
            child,
            by=iro,
            person=mother,
            channel="email",
            sent_to=mother.email,
            base_url="http://testserver",
        )
        by_text = portal.grant_and_invite(
            child,
            by=iro,
            person=carer,
            channel="text",
            sent_to=carer.phone,
            base_url="http://testserver",
        )
    _nothing_went_out()
    expected[f"portal-link:{by_email.invitation.pk}"] = ("email", mother.email)
    expected[f"portal-link:{by_text.invitation.pk}"] = ("text", carer.phone)
    assert callbacks, "a sign-in link is sent straight after commit"

    # The review's documents, and a consultation form by email.
    assert document_services.send_invitations(review, by=iro) == 5
    consultation = document_services.send_consultation(
        review, by=iro, person=mother, audience=ConsultationForm.Audience.PARENT, method="email"
    )
    expected[f"consultation:{consultation.pk}"] = ("email", mother.email)
    document_services.send_decisions(Review.objects.get(pk=review.pk), by=iro)
    document_services.send_record(Review.objects.get(pk=review.pk), by=iro)
    version = Review.objects.get(pk=review.pk).version
    for invitation in review.invitations.all():
        if invitation.email and invitation.method in {"email", "both"}:
            expected[f"invitation:{review.pk}:{invitation.pk}"] = ("email", invitation.email)
        if invitation.email:
            for kind in ("decisions", "record"):
                expected[f"{kind}:{review.pk}:{invitation.pk}:v{version}"] = (
                    "email",
                    invitation.email,
                )
    _nothing_went_out()

    # The portal's own messages: a complaint, its extension, an advocate.
    portal.accept(by_email.invitation, username="morgan.q", password=PASSWORD)
    access = PortalAccess.objects.get(pk=by_email.access.pk)
    made = representations.make_representation(access, "complaint", "The visits stopped")
    representations.extend_stage1(made, by=case.service.complaints_manager, reason="Complex")
    advocacy = representations.request_advocate(access, "", "Call me")
    team = "complaints@northmoor.example.org"
    expected[f"representation-received:{made.pk}"] = ("email", mother.email)
    expected[f"representation-team:{made.pk}"] = ("email", team)
    expected[f"representation-extended:{made.pk}"] = ("email", mother.email)
    expected[f"advocacy-team:{advocacy.pk}"] = ("email", team)
    _nothing_went_out()

    stored = {m.key: (m.channel, m.to) for m in Message.objects.all()}
    assert {k: stored.get(k) for k in expected} == expected

    # The administrators' Messages page counts and lists them all.
    client.force_login(case.service.administrator)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert f"All ({Message.objects.count()})" in page
    for label in ("Decisions", "Record", "Invitation", "Consultation form", "Portal sign-in"):
        assert label in page, label
    assert "With 1 document" in page

    # Only the outbox sends: the sign-in links straight after commit, the rest by the worker.
    for callback in callbacks:
        callback()
    links = Message.objects.filter(key__startswith="portal-link:")
    assert set(links.values_list("status", flat=True)) == {"sent"}
    outbox.deliver_due()
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    emails = Message.objects.filter(channel="email")
    assert len(mail.outbox) == emails.count()
    ids = {backends.message_id(m) for m in emails}
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == ids  # each once, from a row
    texts = [m for m in backends.outbox if m.channel == "text"]
    assert [m.to for m in texts] == [carer.phone]

    # The documents go with their PDFs, each recipient their own version.
    for m in mail.outbox:
        if m.subject.startswith(("Decisions of", "Record of", "Invitation to", "Your Child")):
            [(name, content, kind)] = m.attachments
            assert kind == "application/pdf" and content.startswith(b"%PDF")

    # A sign-in link is not kept once it has gone: only its hash stays (ADR 0007).
    for message in links:
        assert "/portal/invitation/" not in message.body
    token_link = re.compile(r"/portal/invitation/[^/\s]+/")
    assert token_link.search(str([m for m in mail.outbox if m.to == [mother.email]][0].body))


def test_a_consultation_by_email_to_someone_without_an_address_is_refused(case):  # noqa: F811
    case.mother.email = ""
    case.mother.save()
    with pytest.raises(reviews.ReviewRefused, match="no email address"):
        document_services.send_consultation(
            case.review,
            by=case.service.iro,
            person=case.mother,
            audience=ConsultationForm.Audience.PARENT,
            method="email",
        )
    assert not Message.objects.exists()

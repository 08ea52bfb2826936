"""Emails carrying a review's documents, each with the PDF the recipient may see.

Subjects name the child by first name only: a subject is shown in inbox lists and notifications.
Django's email backend sends (console locally, locmem in tests).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from carereview.documents.letters import render_child_letter_pdf, render_invitation_pdf
from carereview.documents.records import (
    recipient_for_invitation,
    record_version,
    render_decisions_pdf,
    render_record_pdf,
)
from carereview.reviews.models import Dispatch, Invitation, Review

KINDS = frozenset({Dispatch.Kind.INVITATION, Dispatch.Kind.DECISIONS, Dispatch.Kind.RECORD})


def _subject(kind: str, first_name: str, for_child: bool) -> str:
    if for_child:
        return {
            Dispatch.Kind.INVITATION: "Your Child in Care Review: your invitation",
            Dispatch.Kind.DECISIONS: "Your Child in Care Review: what was decided",
            Dispatch.Kind.RECORD: "Your Child in Care Review: a letter for you",
        }[kind]
    return {
        Dispatch.Kind.INVITATION: f"Invitation to {first_name}'s Child in Care Review",
        Dispatch.Kind.DECISIONS: f"Decisions of {first_name}'s Child in Care Review",
        Dispatch.Kind.RECORD: f"Record of {first_name}'s Child in Care Review",
    }[kind]


def _what(kind: str, for_child: bool) -> str:
    if for_child:
        return {
            Dispatch.Kind.INVITATION: "your invitation to your review",
            Dispatch.Kind.DECISIONS: "what was decided at your review",
            Dispatch.Kind.RECORD: "a letter from your IRO about your review",
        }[kind]
    return {
        Dispatch.Kind.INVITATION: "your invitation to the review",
        Dispatch.Kind.DECISIONS: "the decisions of the review",
        Dispatch.Kind.RECORD: "the record of the review",
    }[kind]


FILENAMES = {
    Dispatch.Kind.INVITATION: "review-invitation.pdf",
    Dispatch.Kind.DECISIONS: "review-decisions.pdf",
    Dispatch.Kind.RECORD: "review-record.pdf",
}


def send_document_email(review: Review, kind: str, invitation: Invitation, email: str) -> None:
    """Email one invitee the document of `kind` ("invitation", "decisions" or "record").

    Each gets their own version (documents.records). Raises ValueError for a kind not sent by
    email here, or for someone who may not have the document (a parent excluded from the review).
    """
    if kind not in KINDS:
        raise ValueError(f"Not a document sent by email: {kind!r}")
    recipient = recipient_for_invitation(review, invitation)
    for_child = recipient.kind == "child"

    if kind == Dispatch.Kind.INVITATION:
        pdf = render_invitation_pdf(review, invitation)  # refuses an excluded parent
    else:
        version = record_version(review, recipient)
        if version is None:
            raise ValueError(f"{recipient.name} may not be sent the {kind} of this review")
        if kind == Dispatch.Kind.DECISIONS:
            pdf = render_decisions_pdf(version)
        elif for_child:
            pdf = render_child_letter_pdf(review)
        else:
            pdf = render_record_pdf(version)

    child = review.child
    greeting = (child.preferred_name or child.first_name) if for_child else recipient.name
    iro = child.current_iro or review.chaired_by
    contact = f"your IRO, {iro}, or " if iro else ""
    body = (
        f"Dear {greeting},\n\n"
        f"Attached is {_what(kind, for_child)}.\n\n"
        f"If you have any questions, contact {contact}the IRO Service on "
        f"{settings.CAREREVIEW['IRO_SERVICE_PHONE']}.\n\n"
        f"{settings.CAREREVIEW['AUTHORITY_NAME']}\n"
    )
    message = EmailMessage(
        subject=_subject(kind, child.first_name, for_child),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    filename = (
        "letter-about-your-review.pdf"
        if for_child and kind == Dispatch.Kind.RECORD
        else FILENAMES[kind]
    )
    message.attach(filename, pdf, "application/pdf")
    message.send()

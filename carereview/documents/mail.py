"""Emails carrying a review's documents, each with the PDF the recipient may see.

Subjects name the child by first name only: a subject is shown in inbox lists and notifications.
Each email is an outbox message (notifications.outbox) with its PDF stored beside it, sent by the
worker through the configured backend (SMTP with the PDF attached, or GOV.UK Notify's file
sending), and shown on the administrators' Messages page. Its idempotency key names what it is:
`invitation:<review>:<invitation>`, `decisions:<review>:<invitation>:v<record version>` or
`record:<review>:<invitation>:v<record version>`, so the same document is never queued twice for
the same person.
"""

from __future__ import annotations

from carereview.core.authority import authority
from carereview.documents.invitations import render_invitation_pdf
from carereview.documents.letters import render_child_letter_pdf
from carereview.documents.records import (
    recipient_for_invitation,
    render_decisions_pdf,
    render_record_pdf,
)
from carereview.documents.release import record_version
from carereview.notifications.models import Message
from carereview.notifications.outbox import File, notify
from carereview.reviews.models import Dispatch, Invitation, Review

KINDS = frozenset({Dispatch.Kind.INVITATION, Dispatch.Kind.DECISIONS, Dispatch.Kind.RECORD})


def _subject(kind: Dispatch.Kind, first_name: str, for_child: bool) -> str:
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


def _what(kind: Dispatch.Kind, for_child: bool) -> str:
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


def document_key(review: Review, kind: str, invitation: Invitation) -> str:
    """The idempotency key of one document for one invitee: what it is, never whom it is to."""
    if kind == Dispatch.Kind.INVITATION:
        return f"{kind}:{review.pk}:{invitation.pk}"
    return f"{kind}:{review.pk}:{invitation.pk}:v{review.version}"


def queue_document_email(
    review: Review, kind: str, invitation: Invitation, email: str
) -> Message | None:
    """Queue an email to one invitee with the document of `kind` ("invitation", "decisions" or
    "record"), in the outbox; None when that document was queued for them before.

    Each gets their own version (documents.records). Raises ValueError for a kind not sent by
    email here, or for someone who may not have the document (a parent excluded from the review).
    """
    if kind not in KINDS:
        raise ValueError(f"Not a document sent by email: {kind!r}")
    key = document_key(review, kind, invitation)
    if Message.objects.filter(key=key).exists():
        return None  # queued before: not made (nor its PDF drawn) again
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
        f"Here is {_what(Dispatch.Kind(kind), for_child)}.\n\n"
        f"If you have any questions, contact {contact}the IRO Service on "
        f"{authority().iro_service_phone}.\n\n"
        f"{authority().authority_name}\n"
    )
    filename = (
        "letter-about-your-review.pdf"
        if for_child and kind == Dispatch.Kind.RECORD
        else FILENAMES[Dispatch.Kind(kind)]
    )
    return notify(
        key,
        to=email,
        channel="email",
        subject=_subject(Dispatch.Kind(kind), child.first_name, for_child),
        body=body,
        attachments=[File(filename, pdf)],
    )


def consultation_address(review: Review, person) -> str:
    """Where a consultation form by email goes: the person's address, or the child's."""
    source = review.child if person is None else person
    return (source.email or "").strip()


def queue_consultation_email(consultation) -> Message | None:
    """Queue a consultation form by email (key `consultation:<id>`): the form's introduction and
    questions, to answer by replying, on paper, or online where the person uses the portal."""
    review = consultation.review
    child = review.child
    for_child = consultation.for_child
    greeting = (child.preferred_name or child.first_name) if for_child else str(consultation.person)
    questions = [
        f"{n}. {q.text}" + (f" ({q.hint})" if q.hint else "")
        for n, q in enumerate(consultation.form.questions.all(), start=1)
    ]
    whose = "your" if for_child else f"{child.first_name}'s"
    body = "\n\n".join(
        [
            f"Dear {greeting},",
            f"{whose[0].upper()}{whose[1:]} Child in Care Review is coming up. The Independent "
            f"Reviewing Officer would like to know what you think before it.",
            *([consultation.form.introduction] if consultation.form.introduction else []),
            "\n".join(questions),
            "Reply to this email with your answers, or ask us for the form on paper. If you use "
            "the portal, you can answer there instead.",
            f"If you have any questions, call the IRO Service on {authority().iro_service_phone}.",
            authority().authority_name,
        ]
    )
    subject = (
        "Your Child in Care Review: what do you think?"
        if for_child
        else f"{child.first_name}'s Child in Care Review: what do you think?"
    )
    return notify(
        f"consultation:{consultation.pk}",
        to=consultation_address(review, consultation.person),
        channel="email",
        subject=subject,
        body=body + "\n",
    )

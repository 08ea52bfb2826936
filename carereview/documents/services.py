"""Sending a review's documents: consultation forms, invitations, the decisions and the record,
and the letters business support posts (rules.md §3-4, §7; docs/adr/0011).

Documents are the layer above reviews (ADR 0013): every document is made from a review, so what
sends one lives here and calls down to the review, never the other way.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from carereview.children.models import Person
from carereview.core import audit
from carereview.core.calendar import today
from carereview.documents import selectors
from carereview.documents.copies import ParentCopy
from carereview.documents.mail import (
    consultation_address,
    queue_consultation_email,
    queue_document_email,
)
from carereview.documents.models import ParentCopyConfirmation
from carereview.documents.recipients import Recipient
from carereview.documents.redaction import NotReleased
from carereview.documents.release import held_for, hold_until_released
from carereview.reviews.models import (
    Consultation,
    ConsultationForm,
    Dispatch,
    Invitation,
    PostedLetter,
    Review,
)
from carereview.reviews.selectors import send_blockers
from carereview.reviews.services import ReviewRefused, child_form_audience


@transaction.atomic
def send_consultation(
    review: Review,
    *,
    by,
    person: Person | None = None,
    audience: str | None = None,
    method: str = Consultation.Method.PAPER,
    sent_on: date | None = None,
) -> Consultation:
    """Send a consultation form to the child (their age band's form) or a parent or carer; by
    email, it is an outbox message (documents.mail.queue_consultation_email)."""
    sent_on = sent_on or today()
    if person is None:
        audience = child_form_audience(review.child, sent_on)
    elif audience not in {ConsultationForm.Audience.PARENT, ConsultationForm.Audience.CARER}:
        raise ReviewRefused("Choose the parent's or the carer's form")
    if method == Consultation.Method.EMAIL and not consultation_address(review, person):
        who = "The child" if person is None else str(person)
        raise ReviewRefused(
            f"{who} has no email address on their record: add one, or send the form on paper"
        )
    form = ConsultationForm.objects.get(audience=audience)
    # The same form to the same person the same day, not yet back, is a second press: the review
    # row is locked so that of two at once the second waits and finds the first's (nothing twice).
    Review.objects.select_for_update().filter(pk=review.pk).first()
    what = {
        "form": form,
        "for_child": person is None,
        "person": person,
        "sent_on": sent_on,
        "method": method,
    }
    same = review.consultations.filter(**what, returned_on__isnull=True).first()
    if same is not None:
        return same
    consultation = Consultation.objects.create(review=review, sent_by=by, **what)
    if method == Consultation.Method.EMAIL:
        queue_consultation_email(consultation)
    audit.record_change(by, "consultation.send", consultation, {"audience": audience})
    return consultation


@transaction.atomic
def send_invitations(review: Review, *, by) -> int:
    """Send every invitation not yet sent: email where chosen and known, and a letter (PDF).

    Each invitation is taken by a conditional update (sent_on from empty to today): of two sends
    at once, each invitation goes with exactly one of them (the other waits for its row, then
    finds it sent), and its email is an outbox message with its own key."""
    sent = 0
    for invitation in review.invitations.filter(sent_on__isnull=True).select_related(
        "person", "staff"
    ):
        if not Invitation.objects.filter(pk=invitation.pk, sent_on__isnull=True).update(
            sent_on=today()
        ):
            continue  # sent a moment ago by someone else
        invitation.sent_on = today()
        if (
            invitation.method in {"email", "both"}
            and invitation.email
            and not _held_for_check(review, invitation, "invitation")
        ):
            queue_document_email(review, "invitation", invitation, invitation.email)
        _log_dispatch(review, invitation, Dispatch.Kind.INVITATION, invitation.method, by)
        sent += 1
    audit.record_change(by, "review.send_invitations", review, {"sent": sent})
    return sent


def _log_dispatch(review: Review, invitation: Invitation, kind: str, method: str, by) -> Dispatch:
    return Dispatch.objects.create(
        review=review,
        kind=kind,
        recipient=invitation.name,
        person=invitation.person,
        staff=invitation.staff,
        for_child=invitation.for_child,
        method=method,
        sent_on=today(),
        sent_by=by,
    )


def _held_for_check(review: Review, invitation: Invitation, kind: str) -> bool:
    """rules.md §7 (ADR 0009): a parent the address is confidential from gets no staff-typed
    text until the IRO has checked their version; their email is held and goes then."""
    return hold_until_released(review, invitation, kind, invitation.email)


def _recipients(review: Review) -> list[Invitation]:
    return list(review.invitations.select_related("person", "staff"))


@transaction.atomic
def send_decisions(review: Review, *, by) -> int:
    """Decisions to the child and attendees within 5 working days (ours) of the review."""
    return _send(review, by=by, kind=Dispatch.Kind.DECISIONS, field="decisions_sent_on")


@transaction.atomic
def send_record(review: Review, *, by) -> int:
    """The full record within 20 working days (ours): each recipient gets the version they may
    see (documents.records); a parent excluded gets none unless a person releases one."""
    return _send(review, by=by, kind=Dispatch.Kind.RECORD, field="record_sent_on")


def _send(review: Review, *, by, kind: str, field: str) -> int:
    """Send the decisions or the record once. The review is taken by a conditional update (the
    date sent, from empty to today) before anything else: on PostgreSQL a second send at the
    same moment waits for the first's row lock, then finds the date set and is refused, so it
    writes nothing; the `review` passed in may be a stale copy, and is not trusted. Each email is
    an outbox message with its own idempotency key (documents.mail.document_key)."""
    blockers = send_blockers(review, kind)
    if blockers:
        raise ReviewRefused(*blockers)
    taken = Review.objects.filter(
        pk=review.pk, held_on__isnull=False, **{f"{field}__isnull": True}
    ).update(**{field: today()})
    if not taken:
        already = Review.objects.values_list(field, flat=True).get(pk=review.pk)
        if already is None:
            raise ReviewRefused("Record the review as held first")
        raise ReviewRefused(f"This was sent on {already:%-d %B %Y}; it is not sent twice")
    review.refresh_from_db()
    count = 0
    for invitation in _recipients(review):
        if invitation.email and not _held_for_check(review, invitation, kind):
            queue_document_email(review, kind, invitation, invitation.email)
        _log_dispatch(review, invitation, kind, "email" if invitation.email else "letter", by)
        count += 1
    audit.record_change(by, f"review.send_{kind}", review, {"recipients": count})
    return count


@transaction.atomic
def mark_letters_posted(review: Review, *, by, dispatch_ids: list[int]) -> int:
    """Business support printed and posted these paper letters of `review` (issue 12, item 21).
    A letter already marked keeps its first date; one of another review is ignored."""
    chosen = set(dispatch_ids)
    found = [x for x in selectors.letters_to_post(review) if x.dispatch.pk in chosen]
    letters = [x.dispatch for x in found if not x.waiting]
    if not letters:
        if found:
            raise ReviewRefused(
                "That letter is waiting for the IRO to check what its recipient reads: print "
                "and post it once they have"
            )
        raise ReviewRefused("Select the letters you have posted")
    for dispatch in letters:
        PostedLetter.objects.get_or_create(
            dispatch=dispatch, defaults={"posted_on": today(), "posted_by": by}
        )
    audit.record_change(by, "review.letters_posted", review, {"letters": len(letters)})
    return len(letters)


class CopyChanged(ValueError):
    """The version changed between the IRO reading it and confirming it."""


@transaction.atomic
def confirm(copy: ParentCopy, *, by, read_hash: str) -> ParentCopyConfirmation:
    """Record that `by` read this version (the one whose hash they were shown) and confirmed it
    holds nothing that leads to the placement; then send what was held for it."""
    if read_hash != copy.hash:
        raise CopyChanged("The text changed while you were reading it. Read it again.")
    if copy.recipient.person is None:
        raise ValueError("Only a related person's version is confirmed")
    confirmation = ParentCopyConfirmation.objects.create(
        child=copy.child,
        person=copy.recipient.person,
        review=copy.review,
        content_hash=copy.hash,
        confirmed_by=by,
        confirmed_at=timezone.now(),
    )
    audit.record_change(
        by,
        "documents.confirm_parent_copy",
        confirmation,
        {"person": copy.recipient.person.pk, "hash": copy.hash, "sections": len(copy.sections)},
    )
    if copy.review is not None:
        send_held(copy.review, copy.recipient)
    return confirmation


def send_held(review: Review, recipient: Recipient) -> int:
    """Send the emails held for `recipient`, now their version is released."""
    sent = 0
    for held in held_for(review, recipient):
        try:
            queue_document_email(review, held.kind, held.invitation, held.email)
        except NotReleased:
            continue
        held.sent_at = timezone.now()
        held.save(update_fields=["sent_at"])
        sent += 1
    return sent

"""The IRO's check before text staff typed reaches a parent the address is hidden from (rules.md
§7, ADR 0009): what has been released, and what waits for it.

Where a child's placement address is confidential from a parent (or another family member, as
documents.records treats them), no text staff typed (the meeting's venue, who is coming, the
record, decisions, matters, the care plan copy, the reason for not inviting them, the IRO's answers
to their visit requests) reaches that person, on the portal, in a PDF or by email, until the IRO
has read that person's version (documents.copies) and confirmed it holds nothing that leads to the
placement. A confirmation (`ParentCopyConfirmation`) binds to the version's hash: if the text
changes afterwards, the new version waits for a new check.

- `released_to(recipient, review)` is the gate every path consults; `require_released` raises
  `NotReleased` (documents.redaction) for a version that is not released.
- `hold_until_released` is the send path's one call: an email of a document to such a person is
  kept (`HeldCopy`) and sent when their version is confirmed (documents.services.confirm).

This module checks the copy documents.copies builds, and imports nothing that consults it
(ADR 0013: documents' modules form a one-way chain, documents.redaction describes it).
"""

from __future__ import annotations

from carereview.children.models import Child
from carereview.documents.copies import ParentCopy, review_copy
from carereview.documents.models import HeldCopy, ParentCopyConfirmation
from carereview.documents.records import (
    Recipient,
    RecordVersion,
    build_record_version,
    is_excluded,
    person_kinds,
    recipient_for_invitation,
)
from carereview.documents.redaction import NotReleased, hides_address_from, not_released_message
from carereview.reviews.models import Invitation, Review

# --- the gate ------------------------------------------------------------------------------------


def confirmation_of(copy: ParentCopy) -> ParentCopyConfirmation | None:
    if copy.recipient.person is None:
        return None
    return (
        ParentCopyConfirmation.objects.filter(
            child=copy.child,
            person=copy.recipient.person,
            review=copy.review,
            content_hash=copy.hash,
        )
        .select_related("confirmed_by")
        .first()
    )


def is_released(copy: ParentCopy) -> bool:
    """Whether this version may reach its recipient: no check is needed, or a person confirmed
    this very version."""
    if not copy.needs_check:
        return True
    return confirmation_of(copy) is not None


def released_to(recipient: Recipient, review: Review) -> bool:
    """The gate: whether staff-typed text of `review` may reach `recipient` now."""
    if not hides_address_from(review.child, recipient):
        return True
    return is_released(review_copy(review, recipient))


def require_released(recipient: Recipient, review: Review) -> None:
    if not released_to(recipient, review):
        raise NotReleased(not_released_message(recipient.name))


def hold_until_released(review: Review, invitation: Invitation, kind: str, email: str) -> bool:
    """The send path's call: True (and the email kept, to go once the person's version is
    confirmed) where it may not go yet; False where it may go now."""
    recipient = recipient_for_invitation(review, invitation)
    if is_excluded(review, recipient) or released_to(recipient, review):
        return False
    HeldCopy.objects.get_or_create(
        invitation=invitation,
        kind=kind,
        sent_at__isnull=True,
        defaults={"review": review, "email": email},
    )
    return True


def held_for(review: Review, recipient: Recipient) -> list[HeldCopy]:
    if recipient.person is None:
        return []
    return list(
        HeldCopy.objects.filter(
            review=review, invitation__person=recipient.person, sent_at__isnull=True
        ).select_related("invitation")
    )


# --- what the person checking reads -------------------------------------------------------------


def people_checked(review: Review) -> list[Recipient]:
    """The people from whom the child's address is confidential: their versions wait for a check."""
    return people_checked_for(review.child)


def people_checked_for(child: Child) -> list[Recipient]:
    """The same, of the child, whether or not the child has a review: text staff typed outside any
    review (the IRO's answers to visit requests) waits for the same check."""
    out = []
    for kind, person in person_kinds(child).values():
        recipient = Recipient(kind, str(person), person=person)
        if hides_address_from(child, recipient):
            out.append(recipient)
    return out


def waiting_for_check(review: Review) -> list[Recipient]:
    """Those whose version of `review` waits for the IRO's check (the review page's to-do)."""
    return [r for r in people_checked(review) if not is_released(review_copy(review, r))]


def record_version(review: Review, recipient: Recipient) -> RecordVersion | None:
    """What `recipient` may see of the record of `review`, or None if they may see none of it.
    `released` says whether it may reach them yet (documents.release)."""
    version = build_record_version(review, recipient)
    if version is not None and version.kind != "child":
        version.released = released_to(recipient, review)
    return version

"""A person's check before text staff typed reaches a parent the address is hidden from (rules.md
§7, ADR 0009).

Where a child's placement address is confidential from a parent (or another family member, as
documents.records treats them), no text staff typed (the meeting's venue, who is coming, the
record, decisions, matters, the care plan copy, the reason for not inviting them, the IRO's answers
to their visit requests) reaches that person, on the portal, in a PDF or by email, until the IRO
has read that person's version and confirmed it holds nothing that leads to the placement.

- `review_copy(review, recipient)` is that person's version of a review: every piece of staff
  text as they would get it (the matcher has already taken out what it finds); `ParentCopy.hash`
  names the version. A confirmation (`ParentCopyConfirmation`) binds to that hash: if the text
  changes afterwards, the new version waits for a new check.
- `released_to(recipient, review)` is the gate every path consults; `NotReleased` is what a
  renderer raises for a version that is not released.
- `hold_until_released` is the send path's one call: an email of a document to such a person is
  kept (`HeldCopy`) and sent when their version is confirmed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from carereview.children.models import Child, Relationship
from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import due_words
from carereview.core.errors import Refusal
from carereview.documents.addresses import (
    NAME_WITHHELD,
    WITHHELD,
    ConfidentialAddressMatcher,
    confidential_addresses,
)
from carereview.documents.models import HeldCopy, ParentCopyConfirmation
from carereview.documents.records import (
    Recipient,
    build_record_version,
    is_excluded,
    recipient_for_invitation,
    sees_confidential_address,
)
from carereview.reviews.models import Exclusion, Invitation, Review

NOT_READY = (
    "This is not ready for you yet. The IRO is checking it. Please look again in a few days, "
    "or call the IRO service."
)
CARER = "The child's carer"


class NotReleased(Refusal):
    """A version waiting for the IRO's check was about to be rendered for its recipient. A page
    that meets it (a member of staff downloading the letter to print) answers 403 with why: its
    message is for the reader (core.errors.Refusal)."""


# --- who is checked, and what is hidden from them -------------------------------------------------


def hides_address_from(child: Child, recipient: Recipient) -> bool:
    """Whether the child's placement address is confidential from this recipient: a parent or
    other family member, where any of the child's placement addresses is marked confidential."""
    if recipient.kind == "child" or sees_confidential_address(recipient.kind):
        return False
    return bool(confidential_addresses(child))


def carer_names_hidden_from(child: Child, recipient: Recipient) -> list[str]:
    """The carers' names left out of this recipient's versions (rules.md §7, ours): where the
    address is confidential from them, by default."""
    if not authority().hide_carer_name_from_parent_when_address_confidential:
        return []
    if not hides_address_from(child, recipient):
        return []
    carers = child.relationships.filter(kind=Relationship.Kind.CARER).select_related("person")
    return [
        str(rel.person) for rel in carers if rel.person_id != getattr(recipient.person, "pk", 0)
    ]


def matcher_for(child: Child, recipient: Recipient) -> ConfidentialAddressMatcher:
    """What to take out of text for this recipient: nothing for those who may see the address."""
    if not hides_address_from(child, recipient):
        return ConfidentialAddressMatcher()
    return ConfidentialAddressMatcher.for_child(
        child, names=carer_names_hidden_from(child, recipient)
    )


# --- the person's version -----------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    label: str
    text: str


@dataclass
class ParentCopy:
    child: Child
    recipient: Recipient
    review: Review | None
    sections: list[Section] = field(default_factory=list)

    @property
    def hash(self) -> str:
        payload = json.dumps(
            [[s.label, s.text] for s in self.sections], ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def needs_check(self) -> bool:
        return hides_address_from(self.child, self.recipient)


def _day(d: date) -> str:
    return f"{d:%-d %B %Y}"


def invitee_lines(review: Review, recipient: Recipient) -> list[str]:
    """Who is coming, as this recipient may read it (a hidden carer's name left out)."""
    hidden = set(carer_names_hidden_from(review.child, recipient))
    matcher = matcher_for(review.child, recipient)
    lines = []
    for i in review.invitations.select_related("person", "staff"):
        if i.person_id and str(i.person) in hidden:
            lines.append(CARER)
            continue
        line = i.name + (f" ({i.role})" if i.role and not i.for_child else "")
        lines.append(matcher.redact(line)[0] if matcher else line)
    return lines


def exclusion_reason_for(exclusion: Exclusion, recipient: Recipient) -> str:
    matcher = matcher_for(exclusion.review.child, recipient)
    return matcher.redact(exclusion.reason)[0] if matcher else exclusion.reason


def care_plan_for(review: Review, recipient: Recipient) -> str:
    """The updated care plan as copied to parents (seeds), as this recipient may read it."""
    if recipient.kind != "parent" or not review.care_plan_copied_on:
        return ""
    matcher = matcher_for(review.child, recipient)
    text = review.care_plan_for_parents
    return matcher.redact(text)[0] if matcher else text


def review_copy(review: Review, recipient: Recipient) -> ParentCopy:
    """Every piece of text staff typed about `review` that reaches `recipient`, as they get it."""
    from carereview.documents.letters import meeting_lines

    child = review.child
    copy = ParentCopy(child, recipient, review)
    add = copy.sections.append
    exclusion = (
        review.exclusions.filter(person=recipient.person).first() if recipient.person else None
    )
    if exclusion is not None:
        add(Section("Why you are not invited", exclusion_reason_for(exclusion, recipient)))
        return copy
    for line in meeting_lines(review, matcher=matcher_for(child, recipient)):
        add(Section(f"The meeting, {line.when}", line.where))
    invitees = invitee_lines(review, recipient)
    if invitees:
        add(Section("Who is coming", "\n".join(invitees)))
    topics = matcher_for(child, recipient).redact(review.choice_topics)[0]
    if topics:
        add(Section("What will be talked about", topics))
    version = build_record_version(review, recipient) if review.held_on else None
    if version is not None:
        if version.attended:
            add(Section("Who came", ", ".join(version.attended)))
        if version.apologies:
            add(Section("Apologies", ", ".join(version.apologies)))
        if version.placement_address:
            add(Section("Placement address", version.placement_address))
        if version.wishes_and_feelings:
            add(Section(f"{child.first_name}'s wishes and feelings", version.wishes_and_feelings))
        if version.parents_views:
            add(Section("The parents' views", version.parents_views))
        for matter in version.matters:
            add(Section(matter.label, matter.iro_view))
        for i, d in enumerate(version.decisions, start=1):
            add(Section(f"Decision {i}", f"{d.text}\n{d.owner_label}, by {due_words(d.due_on)}"))
    plan = care_plan_for(review, recipient)
    if plan:
        add(Section("The updated care plan", plan))
    return copy


def answers_copy(child: Child, recipient: Recipient, answers: list[tuple[date, str]]) -> ParentCopy:
    """Text staff typed to the person outside any review: the IRO's answers to their requests
    for a visit (given by the portal, which holds them), as they get them."""
    matcher = matcher_for(child, recipient)
    copy = ParentCopy(child, recipient, None)
    for on, text in answers:
        copy.sections.append(
            Section(f"The IRO's answer of {_day(on)}", matcher.redact(text)[0] if matcher else text)
        )
    return copy


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


def not_released_message(name: str) -> str:
    return (
        f"This is waiting for the IRO to check what {name} reads: the placement address is "
        "confidential from them. It can be opened once the IRO confirms it."
    )


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
    from carereview.documents.mail import queue_document_email

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


# --- what the person checking reads -------------------------------------------------------------


def marked(text: str, matcher: ConfidentialAddressMatcher) -> SafeString:
    """`text` escaped, with every suspected fragment (and every place something was taken out)
    wrapped in <mark>."""
    spans = [(f.start, f.end) for f in matcher.find(text, suspected=True)]
    for placeholder in (WITHHELD, NAME_WITHHELD, CARER):
        at = text.find(placeholder)
        while at != -1:
            spans.append((at, at + len(placeholder)))
            at = text.find(placeholder, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    parts, pos = [], 0
    for start, end in merged:
        parts.append(format_html("{}<mark>{}</mark>", text[pos:start], text[start:end]))
        pos = end
    parts.append(format_html("{}", text[pos:]))
    return format_html_join("", "{}", ((part,) for part in parts))


def people_checked(review: Review) -> list[Recipient]:
    """The people from whom the child's address is confidential: their versions wait for a check."""
    return people_checked_for(review.child)


def people_checked_for(child: Child) -> list[Recipient]:
    """The same, of the child, whether or not the child has a review: text staff typed outside any
    review (the IRO's answers to visit requests) waits for the same check."""
    from carereview.documents.records import person_kinds

    out = []
    for kind, person in person_kinds(child).values():
        recipient = Recipient(kind, str(person), person=person)
        if hides_address_from(child, recipient):
            out.append(recipient)
    return out


def waiting_for_check(review: Review) -> list[Recipient]:
    """Those whose version of `review` waits for the IRO's check (the review page's to-do)."""
    return [r for r in people_checked(review) if not is_released(review_copy(review, r))]

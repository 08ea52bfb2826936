"""What is hidden from whom (rules.md §7, ADR 0009): where a child's placement address is
confidential from a parent or another family member, what is taken out of the text they get, and
the words for a version that waits for the IRO's check.

The bottom of the chain of documents' modules (ADR 0013): the letters and the record (letters,
records) build their versions with this; copies gathers a person's version; release is the check
(what has been confirmed, and what waits for it); the letters and records that are sent
(invitations, mail) and the sends (services) consult release. Each imports only those before it.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from carereview.children.models import Child, Relationship
from carereview.core.authority import authority
from carereview.core.errors import Refusal
from carereview.documents.addresses import (
    NAME_WITHHELD,
    WITHHELD,
    ConfidentialAddressMatcher,
    confidential_addresses,
)
from carereview.documents.recipients import Recipient, sees_confidential_address
from carereview.reviews.models import Exclusion, Review

NOT_READY = (
    "This is not ready for you yet. The IRO is checking it. Please look again in a few days, "
    "or call the IRO service."
)


CARER = "The child's carer"


class NotReleased(Refusal):
    """A version waiting for the IRO's check was about to be rendered for its recipient. A page
    that meets it (a member of staff downloading the letter to print) answers 403 with why: its
    message is for the reader (core.errors.Refusal)."""


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


def not_released_message(name: str) -> str:
    return (
        f"This is waiting for the IRO to check what {name} reads: the placement address is "
        "confidential from them. It can be opened once the IRO confirms it."
    )


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

"""A person's version of what staff typed (rules.md §7, ADR 0009): `review_copy(review, recipient)`
is every piece of staff text of a review as that person would get it (the matcher has already
taken out what it finds), `answers_copy` the IRO's answers to their visit requests.
`ParentCopy.hash` names the version, which the IRO's confirmation binds to (documents.release
checks it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from carereview.children.models import Child
from carereview.core.calendar import due_words
from carereview.documents.letters import meeting_lines
from carereview.documents.recipients import Recipient
from carereview.documents.records import build_record_version
from carereview.documents.redaction import (
    care_plan_for,
    exclusion_reason_for,
    hides_address_from,
    invitee_lines,
    matcher_for,
)
from carereview.reviews.models import Review


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


def review_copy(review: Review, recipient: Recipient) -> ParentCopy:
    """Every piece of text staff typed about `review` that reaches `recipient`, as they get it."""
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

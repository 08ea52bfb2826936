"""Who receives a review's record and letters, and what each recipient may see of a confidential
address (rules.md §4 "record", §7). Moved out of documents.records so that records and letters both
build on it without importing each other (ADR 0013)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from carereview.children.models import Person, Relationship
from carereview.core.authority import authority
from carereview.reviews.models import Invitation, MatterConsidered, Review

if TYPE_CHECKING:
    from carereview.accounts.models import User

RecipientKind = Literal["full", "parent", "carer", "child", "other"]

# rules.md §7: a confidential placement address never reaches a parent (and, ours, nor anyone else
# outside the professionals and the carers).
ADDRESS_SEEN_BY: frozenset[str] = frozenset({"full", "carer"})

PARENT_KINDS = frozenset(
    {Relationship.Kind.MOTHER, Relationship.Kind.FATHER, Relationship.Kind.PARENT}
)
MATTER_ORDER = {value: i for i, value in enumerate(MatterConsidered.Matter.values)}


@dataclass(frozen=True)
class Recipient:
    kind: RecipientKind
    name: str
    person: Person | None = None
    # A member of staff (the IRO, the social worker, another professional invited).
    staff: User | None = None

    @property
    def key(self) -> str:
        """A URL-safe name for the recipient, as reviews.services.Invitee.key spells it:
        "child", "person-<id>" or "staff-<id>"."""
        if self.person is not None:
            return f"person-{self.person.pk}"
        if self.staff is not None:
            return f"staff-{self.staff.pk}"
        return self.kind


def sees_confidential_address(kind: str) -> bool:
    return kind in ADDRESS_SEEN_BY


def authority_name() -> str:
    return authority().authority_name


# --- who receives the record ---------------------------------------------------------------------


def _person_kinds(review: Review) -> dict[int, tuple[RecipientKind, Person]]:
    return person_kinds(review.child)


def person_kinds(child) -> dict[int, tuple[RecipientKind, Person]]:
    """Each related person once, with their recipient kind: parent over carer over other."""
    rank = {"parent": 0, "carer": 1, "other": 2}
    found: dict[int, tuple[RecipientKind, Person]] = {}
    for rel in child.relationships.select_related("person"):
        kind: RecipientKind
        if rel.kind in PARENT_KINDS:
            kind = "parent"
        elif rel.kind == Relationship.Kind.CARER:
            kind = "carer"
        else:
            kind = "other"
        held = found.get(rel.person_id)
        if held is None or rank[kind] < rank[held[0]]:
            found[rel.person_id] = (kind, rel.person)
    return found


def recipients_for(review: Review) -> list[Recipient]:
    """The child, each related person, and the IRO and social worker (as "full")."""
    child = review.child
    people = [Recipient("child", child.full_name)]
    for kind, person in _person_kinds(review).values():
        people.append(Recipient(kind, str(person), person=person))
    iro = review.chaired_by or child.current_iro
    if iro:
        people.append(Recipient("full", str(iro), staff=iro))
    sw = child.current_social_worker
    if sw and sw != iro:
        people.append(Recipient("full", str(sw), staff=sw))
    return people


def recipient_for_invitation(review: Review, invitation: Invitation) -> Recipient:
    """The recipient an invitation is to. A person not related to the child counts as "other"."""
    if invitation.for_child:
        return Recipient("child", review.child.full_name)
    if invitation.person_id:
        unrelated: tuple[RecipientKind, Person | None] = ("other", invitation.person)
        kind, person = _person_kinds(review).get(invitation.person_id, unrelated)
        return Recipient(kind, str(person), person=person)
    return Recipient("full", invitation.name, staff=invitation.staff)


def recipient_for_person(review: Review, person: Person | None) -> Recipient:
    """The recipient a related person is (parent over carer over other); the child for None."""
    return recipient_of_child(review.child, person)


def recipient_of_child(child, person: Person | None) -> Recipient:
    """As recipient_for_person, for text not tied to a review."""
    if person is None:
        return Recipient("child", child.full_name)
    kind, person = person_kinds(child).get(person.pk, ("other", person))
    return Recipient(kind, str(person), person=person)


def is_excluded(review: Review, recipient: Recipient) -> bool:
    return recipient.person is not None and (
        review.exclusions.filter(person=recipient.person).exists()
    )

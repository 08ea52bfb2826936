"""The record of a review in the version each recipient may see (rules.md §4 "record", §7).

Who gets what:

- **full** (the IRO and the social worker): everything.
- **carer**: everything except matters the record says they must not see.
- **parent**: no version at all if they were excluded from this review (a person may release one
  later; not built yet). Otherwise everything except matters hidden from them and any placement
  address marked confidential: the address line is left out, and the address is also removed from
  anything typed into the record.
- **other** (a significant person who is not a parent or carer): as a parent. The address is
  confidential from parents, and a relative or friend is not someone the authority can rely on to
  keep it from them (ours; a person can release a fuller version).
- **child**: the letter written to them, not the record.

`RecordVersion.omitted` says what was left out (for the audit and the tests) without repeating it.

Where the address is confidential from a parent or other family member (ADR 0009), their version
also leaves out the carer's name (a setting, ours) and is `released` only once the IRO has read and
confirmed it (documents.release); the renderers refuse one that is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string

from carereview.children import codes
from carereview.documents.addresses import latest_episode
from carereview.documents.headings import Heading, heading_about
from carereview.documents.headings import heading as document_heading
from carereview.documents.letters import child_letter_text, letter_html
from carereview.documents.pdf import html_to_pdf

# Who receives the record lives in documents.recipients (so that letters can use it without
# importing this module, which renders the child's letter); the names stay importable from here.
from carereview.documents.recipients import (  # noqa: F401
    ADDRESS_SEEN_BY,
    MATTER_ORDER,
    PARENT_KINDS,
    Recipient,
    RecipientKind,
    _person_kinds,
    authority_name,
    is_excluded,
    person_kinds,
    recipient_for_invitation,
    recipient_for_person,
    recipient_of_child,
    recipients_for,
    sees_confidential_address,
)
from carereview.documents.redaction import (
    NotReleased,
    carer_names_hidden_from,
    matcher_for,
    not_released_message,
)
from carereview.reviews.models import Invitation, Review

KIND_LABELS: dict[str, str] = {
    "full": "full record",
    "parent": "parent",
    "carer": "carer",
    "child": "the child",
    "other": "family member or friend",
}


@dataclass(frozen=True)
class MatterView:
    matter: str
    label: str
    iro_view: str


@dataclass(frozen=True)
class DecisionLine:
    text: str
    owner_label: str
    due_on: date


@dataclass
class RecordVersion:
    kind: RecipientKind
    recipient: Recipient
    title: str
    child_name: str
    held_on: date | None
    attended: list[str] = field(default_factory=list)
    apologies: list[str] = field(default_factory=list)
    participation_code: str = ""
    participation_label: str = ""
    matters: list[MatterView] = field(default_factory=list)
    wishes_and_feelings: str = ""
    parents_views: str = ""
    decisions: list[DecisionLine] = field(default_factory=list)
    placement: str = ""
    placement_address: str | None = None
    next_review_due: date | None = None
    # What was withheld from this version, described without its content.
    omitted: list[str] = field(default_factory=list)
    # The child's version is the letter written to them.
    body: str = ""
    # The name the child goes by (their version's headings use it).
    child_known_as: str = ""
    # False while the address is confidential from this person and a person has not yet read
    # and confirmed this version (documents.release): it is not rendered for them until then.
    released: bool = True

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


# --- the version ---------------------------------------------------------------------------------


def _attendee(invitation: Invitation) -> str:
    if invitation.for_child:
        return f"{invitation.name} (the child)"
    return f"{invitation.name} ({invitation.role})" if invitation.role else invitation.name


def _heading(kind: str, version: RecordVersion) -> Heading:
    """The document's title and heading by its kind (documents.headings); the child's record is
    the letter written to them."""
    for_child = version.kind == "child"
    if kind == "record" and for_child:
        kind = "child_letter"
    return document_heading(
        kind,
        child_name=version.child_name,
        known_as=version.child_known_as,
        for_child=for_child,
        held_on=version.held_on,
    )


def _title(review: Review) -> str:
    child = review.child
    return heading_about("record", child, held_on=review.held_on).title


def _child_version(review: Review, recipient: Recipient) -> RecordVersion:
    child = review.child
    return RecordVersion(
        kind="child",
        recipient=recipient,
        title=heading_about("child_letter", child, for_child=True).title,
        child_known_as=child.preferred_name or child.first_name,
        child_name=child.full_name,
        held_on=review.held_on,
        # The decisions in the words written for the child, never the professional text.
        decisions=[
            DecisionLine(d.child_wording, d.owner_label, d.due_on)
            for d in review.decisions.exclude(child_wording="")
        ],
        next_review_due=child.next_review_due,
        omitted=["The record itself: the child receives a letter written to them"],
        body=child_letter_text(review),
    )


def build_record_version(review: Review, recipient: Recipient) -> RecordVersion | None:
    """The version itself, before the person's check (documents.release builds on this)."""
    if recipient.kind == "child":
        return _child_version(review, recipient)
    if is_excluded(review, recipient):
        # rules.md §7: no version for someone excluded unless a person releases one (not built).
        return None

    child = review.child
    omitted: list[str] = []
    guard = matcher_for(child, recipient)
    hidden_names = set(carer_names_hidden_from(child, recipient))

    def clean(text: str, where: str) -> str:
        if not guard:
            return text
        text, changed = guard.redact(text)
        if changed:
            omitted.append(f"Confidential placement address removed from {where}")
        return text

    # The placement and its address, from the child's latest episode.
    episode = latest_episode(child)
    placement = episode.placement_label if episode else ""
    address: str | None = (episode.placement_address.strip() or None) if episode else None
    if (
        address
        and episode
        and episode.address_confidential
        and not sees_confidential_address(recipient.kind)
    ):
        address = None
        omitted.append("Placement address (confidential from parents)")

    # The matters considered, in the order of Schedule 7, without those hidden from this person.
    matters: list[MatterView] = []
    considered = review.matters.prefetch_related("hidden_from")
    for mc in sorted(considered, key=lambda m: MATTER_ORDER.get(m.matter, len(MATTER_ORDER))):
        label = mc.get_matter_display()
        if recipient.person is not None and recipient.person in mc.hidden_from.all():
            omitted.append(f"Matter not shared with this person: {label}")
            continue
        matters.append(
            MatterView(mc.matter, label, clean(mc.iro_view, f"the IRO's view on {label}"))
        )

    decisions = [
        DecisionLine(
            clean(d.text, "a decision"),
            clean(d.owner_label, "who is responsible for a decision"),
            d.due_on,
        )
        for d in review.decisions.select_related("owner")
    ]
    invitations = list(review.invitations.select_related("person", "staff", "review__child"))

    def attendee(invitation: Invitation) -> str:
        if invitation.person_id and str(invitation.person) in hidden_names:
            return "The child's carer"
        return clean(_attendee(invitation), "who came")

    if hidden_names:
        omitted.append("The carer's name (the address is confidential from this person)")
    return RecordVersion(
        kind=recipient.kind,
        recipient=recipient,
        title=_title(review),
        child_name=child.full_name,
        held_on=review.held_on,
        attended=[
            attendee(i) for i in invitations if i.attendance == Invitation.Attendance.ATTENDED
        ],
        apologies=[
            attendee(i) for i in invitations if i.attendance == Invitation.Attendance.APOLOGIES
        ],
        participation_code=review.participation_code,
        participation_label=codes.PARTICIPATION.get(review.participation_code, ""),
        matters=matters,
        wishes_and_feelings=clean(review.wishes_and_feelings, "the child's wishes and feelings"),
        parents_views=clean(review.parents_views, "the parents' views"),
        decisions=decisions,
        placement=placement,
        placement_address=address,
        next_review_due=child.next_review_due,
        omitted=omitted,
    )


# --- rendering -----------------------------------------------------------------------------------


def render_record_html(version: RecordVersion) -> str:
    """The record version as HTML (the child's version is their letter). Refuses a version not
    yet released to its recipient (documents.redaction.NotReleased)."""
    _check_released(version)
    heading = _heading("record", version)
    if version.kind == "child":
        return letter_html(version.body, heading=heading)
    return render_to_string(
        "documents/record.html",
        {
            "version": version,
            "authority_name": authority_name(),
            "title": heading.title,
            "heading": heading.h1,
        },
    )


def _check_released(version: RecordVersion) -> None:
    if not version.released:
        raise NotReleased(not_released_message(version.recipient.name))


def render_record_pdf(version: RecordVersion) -> bytes:
    return html_to_pdf(render_record_html(version))


def render_decisions_html(version: RecordVersion) -> str:
    """Just the decisions of the review, from the recipient's version (decisions are sent before
    the full record)."""
    _check_released(version)
    heading = _heading("decisions", version)
    return render_to_string(
        "documents/decisions.html",
        {
            "version": version,
            "authority_name": authority_name(),
            "title": heading.title,
            "heading": heading.h1,
            "for_child": version.kind == "child",
        },
    )


def render_decisions_pdf(version: RecordVersion) -> bytes:
    return html_to_pdf(render_decisions_html(version))

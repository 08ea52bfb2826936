"""Writes for a review, from booking to sending the record (rules.md §3-4).

Views call these and nothing else writes reviews. Each runs in one transaction, records an audit
event, and refreshes the child's schedule where the clock may move.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from types import EllipsisType

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carereview.accounts.models import User
from carereview.children.models import Child, Person
from carereview.children.services import refresh_summary
from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import due_words, today, working_calendar
from carereview.engine.timescales import ssda903_participation_code_allowed
from carereview.reviews.models import (
    ChecklistEntry,
    Consultation,
    ConsultationAnswer,
    ConsultationForm,
    Decision,
    Dispatch,
    EarlierReviewRequirement,
    Exclusion,
    Invitation,
    MatterConsidered,
    Meeting,
    Review,
)
from carereview.reviews.selectors import (  # noqa: F401 (moved there; ADR 0013)
    child_wording_missing,
    known_as,
    send_blockers,
)


class ReviewRefused(Exception):
    """A write the rules do not allow; `reasons` say why, in words for the page."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


class DateHeldRefused(ReviewRefused):
    """The date held is not the date of the meeting that completed the review (rules.md §3)."""


class StaleRecord(Exception):
    """Someone else saved the record since this editor opened it (nothing was overwritten)."""

    def __init__(self, current: Review):
        super().__init__("The record was changed by someone else.")
        self.current = current


# --- booking ---------------------------------------------------------------------------------


def booking_warnings(child: Child, on: date) -> list[str]:
    """rules.md §1 and §3: a booking after the due date, or on a day that is not a working day."""
    calendar = working_calendar()
    warnings = []
    due = child.next_review_due
    if due and on > due:
        warnings.append(
            f"The review is due by {due_words(due)}: this date is {(on - due).days} days after it, "
            "so the review will be late."
        )
    if not calendar.is_working_day(on):
        kind = "a weekend" if on.weekday() >= 5 else "a bank holiday"
        warnings.append(f"{on:%A %-d %B %Y} is {kind}, not a working day.")
    if child.current_iro_id is None:
        warnings.append(
            f"No IRO is appointed for {child.first_name} yet: the review cannot be recorded "
            "until an IRO manager appoints one."
        )
    return warnings


def require_iro(child: Child, held_on: date | None = None) -> None:
    """rules.md §4 "IRO appointed": before the first review. A review is not recorded as held
    for a child with no IRO, nor on a day before any IRO of theirs was appointed (an IRO
    appointed today does not make last week's meeting a review)."""
    if child.current_iro_id is None:
        raise ReviewRefused(
            f"Appoint an IRO for {child.first_name} before recording a review: the IRO is "
            "appointed before the first review and chairs it."
        )
    if held_on is None:
        return
    from carereview.allocation.models import IROAllocation  # no cycle

    appointed = IROAllocation.objects.filter(child=child, started_on__lte=held_on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=held_on)
    )
    if not appointed.exists():
        first = (
            IROAllocation.objects.filter(child=child, started_on__gt=held_on)
            .order_by("started_on")
            .values_list("started_on", flat=True)
            .first()
        )
        since = f" (appointed on {first:%-d %B %Y})" if first else ""
        raise ReviewRefused(
            f"The meeting on {held_on:%-d %B %Y} was held before an IRO was appointed for "
            f"{child.first_name}{since}. The IRO is appointed before the first review and "
            "chairs it: record the review the IRO chaired."
        )


def open_review(child: Child) -> Review | None:
    """The review being prepared: booked and not yet held."""
    return child.reviews.filter(held_on__isnull=True).order_by("-id").first()


@transaction.atomic
def book_meeting(
    child: Child,
    *,
    by,
    on: date,
    at: time,
    venue: str = "",
    by_video: bool = False,
    video_details: str = "",
) -> Meeting:
    """Book a meeting of the child's next review (a new review if none is being prepared).

    The child's row is locked first, so that two people booking at once (an IRO and a
    colleague, or a double-click) make one review with two meetings, never two reviews being
    prepared. SQLite takes the database's write lock for the transaction instead."""
    Child.objects.select_for_update().only("pk").get(pk=child.pk)  # scoped: a lock, no read
    review = open_review(child)
    if review is None:
        review = Review.objects.create(
            child=child,
            due_when_booked=child.next_review_due,
            booked_by=by,
            chaired_by=child.current_iro,
        )
    meeting = Meeting.objects.create(
        review=review, on=on, at=at, venue=venue, by_video=by_video, video_details=video_details
    )
    audit.record_change(by, "review.book_meeting", meeting, {"on": str(on), "at": str(at)})
    return meeting


def postponement_warnings(meeting: Meeting, new_on: date | None) -> list[str]:
    """rules.md §3: postponing never moves the due date, so a new date after it makes the review
    late. Shown to the IRO asking (who confirms) and to the manager approving the request."""
    due = meeting.review.child.next_review_due
    if new_on is None or due is None or new_on <= due:
        return []
    return [f"This is after the review is due on {due_words(due)}. The review will be late."]


@transaction.atomic
def request_meeting_change(
    meeting: Meeting,
    *,
    by,
    change: str,
    reason: str,
    new_on: date | None = None,
    new_at: time | None = None,
) -> Meeting:
    """Ask to postpone or cancel. It never moves the due date (rules.md §3); by default an IRO
    manager approves it first (ours)."""
    reason = (reason or "").strip()
    problems = []
    if meeting.status != Meeting.Status.SCHEDULED:
        problems.append("Only a booked meeting can be postponed or cancelled.")
    if meeting.approval == Meeting.Approval.PENDING:
        problems.append("A change to this meeting is already waiting for a manager.")
    if not reason:
        problems.append("Enter the reason")
    if change == Meeting.Change.POSTPONE and (new_on is None or new_at is None):
        problems.append("Enter the new date and time")
    if problems:
        raise ReviewRefused(*problems)
    meeting.change = change
    meeting.change_reason = reason
    meeting.change_new_on = new_on
    meeting.change_new_at = new_at
    meeting.change_requested_by = by
    meeting.approval = Meeting.Approval.PENDING
    meeting.save()
    audit.record_change(by, f"meeting.request_{change}", meeting, {"reason": reason})
    if not authority().meeting_change_needs_approval:
        decide_meeting_change(meeting, by=by, approve=True, note="No approval needed (setting)")
    return meeting


@transaction.atomic
def decide_meeting_change(meeting: Meeting, *, by, approve: bool, note: str = "") -> Meeting:
    if meeting.approval != Meeting.Approval.PENDING:
        raise ReviewRefused("There is no change waiting for a decision on this meeting.")
    meeting.approval = Meeting.Approval.APPROVED if approve else Meeting.Approval.REFUSED
    meeting.approval_decided_by = by
    meeting.approval_decided_at = timezone.now()
    meeting.approval_note = note
    if approve:
        if meeting.change == Meeting.Change.POSTPONE:
            meeting.status = Meeting.Status.POSTPONED
            # A postponement is asked for with its new date and time.
            assert meeting.change_new_on is not None and meeting.change_new_at is not None
            Meeting.objects.create(
                review=meeting.review,
                on=meeting.change_new_on,
                at=meeting.change_new_at,
                venue=meeting.venue,
                by_video=meeting.by_video,
                video_details=meeting.video_details,
            )
        else:
            meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    audit.record_change(
        by,
        "meeting.approve_change" if approve else "meeting.refuse_change",
        meeting,
        {"change": meeting.change, "note": note},
    )
    return meeting


@transaction.atomic
def require_earlier_review(
    child: Child, *, by, reason: str, required_by: date, details: str = ""
) -> EarlierReviewRequirement:
    """CPPCR reg 33(3) / reg 32(2): the next review is due by the earlier of the two dates."""
    requirement = EarlierReviewRequirement.objects.create(
        child=child, reason=reason, required_by=required_by, details=details, recorded_by=by
    )
    refresh_summary(child)
    audit.record_change(
        by,
        "review.require_earlier",
        requirement,
        {"reason": reason, "required_by": str(required_by)},
    )
    return requirement


# --- before the review -------------------------------------------------------------------------


CHILD_ONLY_OUTCOMES = {
    ChecklistEntry.Outcome.SPOKE_ALONE,
    ChecklistEntry.Outcome.OBSERVED,
    ChecklistEntry.Outcome.REFUSED,
    ChecklistEntry.Outcome.AGE,
    ChecklistEntry.Outcome.UNDERSTANDING,
}


def observe_instead(child: Child, on: date) -> bool:
    """Seeds; rules.md §4: under 4 or with a profound disability, the IRO observes the child
    where they live instead of a conversation."""
    from carereview.engine.timescales import fourth_birthday

    return child.profound_disability or on < fourth_birthday(child.date_of_birth)


@transaction.atomic
def tick(review: Review, *, by, item: str, done_on: date, outcome: str = "done", note: str = ""):
    """Record one checklist item as done on `done_on`, by `by` (CPPCR reg 36; IRO Handbook)."""
    note = (note or "").strip()
    if item == ChecklistEntry.Item.CHILD_SEEN:
        observe = observe_instead(review.child, done_on)
        if outcome == ChecklistEntry.Outcome.OBSERVED and not observe:
            raise ReviewRefused(
                "Observing instead of talking is for a child under 4 or with a profound disability"
            )
        if outcome == ChecklistEntry.Outcome.SPOKE_ALONE and observe:
            raise ReviewRefused("Observe a child under 4 or with a profound disability instead")
        if outcome not in CHILD_ONLY_OUTCOMES:
            raise ReviewRefused(
                "Say whether you spoke with the child alone, observed them, or why not"
            )
        if (
            outcome
            in {
                ChecklistEntry.Outcome.REFUSED,
                ChecklistEntry.Outcome.AGE,
                ChecklistEntry.Outcome.UNDERSTANDING,
            }
            and not note
        ):
            raise ReviewRefused("Explain why you did not speak with the child alone")
    elif outcome != ChecklistEntry.Outcome.DONE:
        raise ReviewRefused("That outcome is only for speaking with the child")
    if done_on > today():
        raise ReviewRefused("The date cannot be in the future")
    entry, _ = ChecklistEntry.objects.update_or_create(
        review=review,
        item=item,
        defaults={"done_on": done_on, "outcome": outcome, "note": note, "recorded_by": by},
    )
    audit.record_change(by, "review.checklist", entry, {"item": item, "done_on": str(done_on)})
    return entry


def child_form_audience(child: Child, on: date) -> str:
    """Consultation forms by age band: under 8, 8-11, 12 and over (seeds)."""
    from carereview.engine.calendar import add_months

    dob = child.date_of_birth
    if on < add_months(dob, 96):
        return ConsultationForm.Audience.CHILD_UNDER_8
    if on < add_months(dob, 144):
        return ConsultationForm.Audience.CHILD_8_11
    return ConsultationForm.Audience.CHILD_12_PLUS


@transaction.atomic
def record_answers(
    consultation: Consultation,
    *,
    by,
    answers: dict[int, str],
    returned_on: date,
    share_with_social_worker: bool = False,
) -> Consultation:
    """Answers that came back (on paper, or later online), one per question."""
    questions = {q.pk: q for q in consultation.form.questions.all()}
    for pk, text in answers.items():
        if pk not in questions:
            raise ReviewRefused("An answer is for a question not on this form")
        ConsultationAnswer.objects.update_or_create(
            consultation=consultation,
            question=questions[pk],
            defaults={"answer": (text or "").strip()},
        )
    consultation.returned_on = returned_on
    consultation.share_with_social_worker = share_with_social_worker
    consultation.save(update_fields=["returned_on", "share_with_social_worker"])
    audit.record_change(by, "consultation.answers", consultation, {"returned_on": str(returned_on)})
    return consultation


class ChoicesChanged(Exception):
    """The choices were saved by someone else after this form was opened: `latest` is the review
    as it is now, to show before saving again."""

    def __init__(self, latest: Review):
        super().__init__("The choices changed after the form was opened")
        self.latest = latest


@transaction.atomic
def save_choices(
    review: Review,
    *,
    by,
    who: str,
    topics: str,
    where: str,
    when: str,
    chairing: str,
    cutoff: date | None | EllipsisType = ...,
    seen_version: int | None = None,
) -> Review:
    """The child's choices: who comes, what is talked about, where and when, who chairs. The IRO
    also sets the last day the child may change them in the portal (`cutoff`; left as it is when
    not given).

    `seen_version` is the `choices_version` the form was opened at: if the choices were saved
    since (the child in the portal while the IRO edits, or the other way round), nothing is
    saved and `ChoicesChanged` says what they are now, so that one person's change is never
    overwritten unseen. The review's row is locked while it is checked and saved."""
    current = Review.objects.select_for_update().get(pk=review.pk)  # scoped: the caller's review
    if seen_version is not None and current.choices_version != seen_version:
        raise ChoicesChanged(current)
    review.choice_who, review.choice_topics = who.strip(), topics.strip()
    review.choice_where, review.choice_when = where.strip(), when.strip()
    review.choice_chairing = chairing
    review.choices_version = current.choices_version + 1
    fields = ["choice_who", "choice_topics", "choice_where", "choice_when", "choice_chairing"]
    fields.append("choices_version")
    if cutoff is not ...:
        review.choices_cutoff = cutoff
        fields.append("choices_cutoff")
    review.save(update_fields=fields)
    audit.record_change(by, "review.choices", review, {"chairing": chairing})
    return review


# --- invitations and exclusions ---------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """Someone who may be invited: the child, a related person or a professional."""

    key: str
    name: str
    role: str
    person: Person | None = None
    staff: User | None = None
    for_child: bool = False
    email: str = ""


def possible_invitees(review: Review) -> list[Invitee]:
    child = review.child
    people = [Invitee("child", child.full_name, "The child", for_child=True, email=child.email)]
    for rel in child.relationships.select_related("person"):
        people.append(
            Invitee(
                f"person-{rel.person_id}",
                str(rel.person),
                rel.get_kind_display(),
                person=rel.person,
                email=rel.person.email,
            )
        )
    if child.current_social_worker:
        sw = child.current_social_worker
        people.append(Invitee(f"staff-{sw.pk}", str(sw), "Social worker", staff=sw, email=sw.email))
    return people


def excluded_people(review: Review) -> set[int]:
    return set(review.exclusions.values_list("person_id", flat=True))


@transaction.atomic
def invite(review: Review, *, by, keys: list[str], method: str) -> list[Invitation]:
    """Invite those chosen (attendance is limited to whom the child and the IRO agree).

    A parent who is excluded cannot be invited; the exclusion must be withdrawn first.
    """
    chosen = {i.key: i for i in possible_invitees(review) if i.key in set(keys)}
    excluded = excluded_people(review)
    refused = [i.name for i in chosen.values() if i.person and i.person.pk in excluded]
    if refused:
        raise ReviewRefused(
            *(f"{name} is not invited to this review (see the reason given)" for name in refused)
        )
    made = []
    existing = {(inv.for_child, inv.person_id, inv.staff_id) for inv in review.invitations.all()}
    for invitee in chosen.values():
        key = (
            invitee.for_child,
            invitee.person.pk if invitee.person else None,
            invitee.staff.pk if invitee.staff else None,
        )
        if key in existing:
            continue
        made.append(
            Invitation.objects.create(
                review=review,
                for_child=invitee.for_child,
                person=invitee.person,
                staff=invitee.staff,
                role=invitee.role,
                method=method,
            )
        )
    audit.record_change(by, "review.invite", review, {"invited": sorted(chosen)})
    return made


@transaction.atomic
def exclude_parent(
    review: Review, *, by, person: Person, reason: str, offered_on: date | None = None
) -> Exclusion:
    """A parent is invited unless excluded: the reason is given in writing and the IRO offers to
    meet them separately (seeds; rules.md §4 "parents")."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused("Enter the reason the parent is not invited")
    is_parent = review.child.relationships.filter(
        person=person, kind__in=["mother", "father", "parent"]
    ).exists()
    if not is_parent:
        raise ReviewRefused("Only a parent of the child can be excluded here")
    if review.exclusions.filter(person=person).exists():  # a second time: refused, not a 500
        raise ReviewRefused("This parent is already not invited to this review")
    exclusion = Exclusion.objects.create(
        review=review,
        person=person,
        reason=reason,
        decided_by=by,
        decided_on=today(),
        separate_meeting_offered_on=offered_on or today(),
    )
    review.invitations.filter(person=person).delete()
    Dispatch.objects.create(
        review=review,
        kind=Dispatch.Kind.EXCLUSION_LETTER,
        recipient=str(person),
        person=person,
        method="letter",
        sent_on=today(),
        sent_by=by,
    )
    audit.record_change(by, "review.exclude_parent", exclusion, {"person": person.pk})
    return exclusion


@transaction.atomic
def record_separate_meeting(exclusion: Exclusion, *, by, outcome: str, note: str = ""):
    exclusion.outcome = outcome
    exclusion.outcome_note = note.strip()
    exclusion.save(update_fields=["outcome", "outcome_note"])
    audit.record_change(by, "review.separate_meeting", exclusion, {"outcome": outcome})
    return exclusion


# --- the meeting record ---------------------------------------------------------------


@dataclass
class RecordInput:
    held_on: date
    participation_code: str
    wishes_and_feelings: str
    parents_views: str
    matters: dict[str, str]
    decisions: list[dict]
    attendance: dict[int, str]
    # Matter -> ids of people whose copy leaves that part out (rules.md §7).
    hidden_from: dict[str, list[int]] = field(default_factory=dict)


def check_participation(child: Child, code: str, held_on: date) -> None:
    """DfE rules 440/441 (ssda903.md): PN0 only under 4; PN1-PN7 only from the 4th birthday."""
    if not ssda903_participation_code_allowed(code, child.date_of_birth, held_on):
        if code == "PN0":
            raise ReviewRefused("PN0 is only for a child under 4 at the review")
        raise ReviewRefused(f"{code} is only for a child aged 4 or over at the review; use PN0")


#: The meetings a review may have been held at: booked (and now held), or already marked held.
TOOK_PLACE = (Meeting.Status.SCHEDULED, Meeting.Status.HELD)


def completing_meetings(review: Review) -> list[Meeting]:
    """The meetings that may have completed the review: booked or held, on or before today."""
    return list(review.meetings.filter(status__in=TOOK_PLACE, on__lte=today()).order_by("on", "at"))


def meeting_ahead(review: Review) -> Meeting | None:
    """The review's next meeting still to take place (booked, after today), if any: with no
    meeting yet to choose on the record page, the one it can be recorded from."""
    return (
        review.meetings.filter(status__in=TOOK_PLACE, on__gt=today()).order_by("on", "at").first()
    )


def review_dated_by() -> str:
    """rules.md §3 (ours): which meeting of a review held over several gives the review its date,
    `CAREREVIEW["REVIEW_DATED_BY_MEETING"]`: "last" (the meeting that completes it, the
    rulebook's default) or "first"."""
    return authority().review_dated_by_meeting


def check_date_held(review: Review, held_on: date) -> None:
    """rules.md §3 (ours): the date held is the date of one of the review's meetings: by default
    the meeting that completes the review, the last of its meetings (or, where the authority
    dates a review by its first meeting, the first). Refuses a date with no meeting of the review
    that day (none booked, or it was postponed or cancelled), a date in the future, and a date
    with a meeting still booked or held after it (before it, when dated by the first), for every
    caller (the record page, synth, an import)."""
    if held_on > today():
        raise DateHeldRefused("The date held cannot be in the future")
    meetings = review.meetings.filter(status__in=TOOK_PLACE)
    if not meetings.filter(on=held_on).exists():
        raise DateHeldRefused(
            f"There is no meeting of this review on {held_on:%A %-d %B %Y}. The date held is the "
            "date of the meeting that completed the review: choose that meeting, or book it first"
        )
    if review_dated_by() == "first":
        earlier = meetings.filter(on__lt=held_on).order_by("on").first()
        if earlier is not None:
            raise DateHeldRefused(
                f"The review's first meeting was on {earlier.on:%A %-d %B %Y}. This authority "
                "dates a review by its first meeting: record the review as held on that date"
            )
        return
    later = meetings.filter(on__gt=held_on).order_by("on").first()
    if later is not None:
        raise DateHeldRefused(
            f"The meeting on {later.on:%A %-d %B %Y} "
            + ("is still booked" if later.status == Meeting.Status.SCHEDULED else "was held")
            + ". A review is completed by its last meeting: cancel that meeting first, or record "
            "the review as held on its date"
        )


@transaction.atomic
def save_record(review: Review, *, by, version: int, data: RecordInput) -> Review:
    """Save the meeting record, refusing a save that started from an older version.

    The date held must be the date of the meeting that completed the review (`check_date_held`);
    that meeting and any earlier sessions of the review are marked held.

    The second of two editors is told, and nothing is lost: their input is returned to them with
    the saved record beside it (`StaleRecord.current`).
    """
    require_iro(review.child)
    check_date_held(review, data.held_on)
    require_iro(review.child, data.held_on)
    check_participation(review.child, data.participation_code, data.held_on)
    updated = Review.objects.filter(pk=review.pk, version=version).update(
        version=version + 1,
        held_on=data.held_on,
        participation_code=data.participation_code,
        wishes_and_feelings=data.wishes_and_feelings.strip(),
        parents_views=data.parents_views.strip(),
        record_updated_by=by,
        record_updated_at=timezone.now(),
    )
    if not updated:
        raise StaleRecord(Review.objects.select_related("record_updated_by").get(pk=review.pk))
    for matter, view in data.matters.items():
        view = (view or "").strip()
        if view:
            considered, _ = MatterConsidered.objects.update_or_create(
                review=review, matter=matter, defaults={"iro_view": view}
            )
            related = set(review.child.relationships.values_list("person_id", flat=True))
            considered.hidden_from.set(
                [pk for pk in data.hidden_from.get(matter, []) if pk in related]
            )
        else:
            MatterConsidered.objects.filter(review=review, matter=matter).delete()
    # Saving the record again keeps each decision already made, with its id, status and history
    # (issue 6). A row is matched by the id it carries, if any; else by the same text; else by
    # its place in the list as the form showed it (so an edited wording keeps its progress).
    # Decisions no row matched were removed from the record and go.
    existing = list(review.decisions.all())
    unmatched: dict[int | None, Decision] = {x.pk: x for x in existing}
    rows = [
        {
            **d,
            "text": d["text"].strip(),
            "owner_description": d.get("owner_description", "").strip(),
        }
        for d in data.decisions
    ]
    matched: list[Decision | None] = [unmatched.pop(d.get("id"), None) for d in rows]
    for i, d in enumerate(rows):
        if matched[i] is None:
            same = next((x for x in unmatched.values() if x.text == d["text"]), None)
            matched[i] = unmatched.pop(same.pk) if same else None
    for i in range(len(rows)):
        if matched[i] is None and i < len(existing) and existing[i].pk in unmatched:
            matched[i] = unmatched.pop(existing[i].pk)
    Decision.objects.filter(pk__in=list(unmatched)).delete()
    for d, decision in zip(rows, matched, strict=True):
        values = {
            "text": d["text"],
            "owner": d.get("owner"),
            "owner_description": d["owner_description"],
            "due_on": d["due_on"],
        }
        if decision is None:
            Decision.objects.create(review=review, **values)
            continue
        owner = values["owner"]
        changed = [
            k
            for k, v in values.items()
            if (
                decision.owner_id != (owner.pk if owner else None)
                if k == "owner"
                else getattr(decision, k) != v
            )
        ]
        for k in changed:
            setattr(decision, k, values[k])
        if "text" in changed and decision.child_wording:
            # The child's words were for the decision as it was: the IRO writes them again.
            decision.child_wording = ""
            changed.append("child_wording")
        if changed:
            decision.save(update_fields=changed)
    for invitation_id, status in data.attendance.items():
        review.invitations.filter(pk=invitation_id).update(attendance=status)
    # The completing meeting and the sessions before it took place; where a review is dated by
    # its first meeting, every session up to today has.
    up_to = data.held_on if review_dated_by() == "last" else today()
    review.meetings.filter(status=Meeting.Status.SCHEDULED, on__lte=up_to).update(
        status=Meeting.Status.HELD
    )
    review.refresh_from_db()
    refresh_summary(review.child)
    audit.record_change(
        by,
        "review.record",
        review,
        {
            "version": review.version,
            "held_on": str(data.held_on),
            "decisions": len(data.decisions),
            "decisions_kept": sum(m is not None for m in matched),
        },
    )
    return review


# --- after the review -----------------------------------------------------------------


@transaction.atomic
def save_child_wording(review: Review, *, by, wordings: dict[int, str]) -> list[Decision]:
    """The IRO writes (or confirms) each decision in the child's words. `wordings` maps a
    decision's id to its wording; each must say something."""
    decisions = list(review.decisions.order_by("due_on", "id"))
    place = {d.pk: i for i, d in enumerate(decisions, 1)}
    unknown = set(wordings) - set(place)
    if unknown:
        raise ReviewRefused("A wording is for a decision not in this review")
    empty = [place[pk] for pk, text in wordings.items() if not (text or "").strip()]
    if empty:
        raise ReviewRefused(
            *(f"Write decision {n} in {known_as(review.child)}'s words" for n in sorted(empty))
        )
    changed = []
    for decision in decisions:
        if decision.pk in wordings:
            text = wordings[decision.pk].strip()
            if decision.child_wording != text:
                decision.child_wording = text
                changed.append(decision)
    Decision.objects.bulk_update(changed, ["child_wording"])
    audit.record_change(
        by, "review.child_wording", review, {"decisions": sorted(d.pk for d in changed)}
    )
    return changed


@transaction.atomic
def save_child_letter(review: Review, *, by, text: str) -> Review:
    review.child_letter = text.strip()
    review.save(update_fields=["child_letter"])
    audit.record_change(by, "review.child_letter", review, {"length": len(review.child_letter)})
    return review


@transaction.atomic
def mark_care_plan(
    review: Review,
    *,
    by,
    explained_on: date | None,
    copied_on: date | None,
    for_parents: str | None = None,
):
    """The updated care plan explained to the parents, who get a copy (seeds), and the text of
    that copy, which they read in the portal."""
    review.care_plan_explained_on = explained_on
    review.care_plan_copied_on = copied_on
    fields = ["care_plan_explained_on", "care_plan_copied_on"]
    if for_parents is not None:
        review.care_plan_for_parents = for_parents.strip()
        fields.append("care_plan_for_parents")
    review.save(update_fields=fields)
    audit.record_change(
        by,
        "review.care_plan",
        review,
        {"explained_on": str(explained_on), "copied_on": str(copied_on)},
    )
    return review

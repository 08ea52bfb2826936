"""Writes between reviews (issue 6): decisions' progress, midway checks, significant events.

Views call these and nothing else writes them. Each runs in one transaction and records an audit
event whose snapshot holds dates, codes, ids and lengths: never what anyone wrote, which stays in
the record itself.

- `update_decision`: the owner (or the child's IRO, or an IRO manager) records progress on a
  decision of a review, or marks it done with a note and the date.
- `refresh_between_reviews`: run at the end of `children.services.refresh_summary`. Keeps the
  child's midway check in step with their latest review (`refresh_midway`) and turns recent
  changes of placement in the episodes into significant events (`record_episode_events`).
- `record_midway_check`: the IRO's outcome; "an earlier review is needed" records one.
- `report_event`, plus `record_social_worker_change` (a step after the allocation service's
  change, added in FollowupConfig.ready) and `record_complaint` (called by the representation
  service): what the IRO must be told of (rules.md §4).
- `mark_event_seen`: the IRO reads an event, notes it, and may require an earlier review.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import due_words, today, working_calendar
from carereview.engine.calendar import WorkingCalendar
from carereview.engine.midway import midway_check_due
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.reviews.models import Decision, DecisionUpdate, EarlierReviewRequirement

#: Longest note anyone may write in one box (the forms say so before this refuses).
TEXT_LIMIT = 5000
#: Episodes whose reason for a new episode (RNE, codes.RNE) is a change of placement. "S" starts a
#: new period of care and "L" changes the legal status only: neither is a placement change.
PLACEMENT_CHANGE_RNE = frozenset({"P", "B", "T", "U"})
#: With no review held yet, placement changes this many days back are told to the IRO; older
#: history is not (loading years of episodes must not flood the IRO's work list).
NO_REVIEW_LOOKBACK_DAYS = 60


class FollowupRefused(Exception):
    """A write the rules do not allow; `reasons` say why, in words for the page."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


def _text(value: str | None, label: str, *, required: bool = False) -> tuple[str, str | None]:
    value = (value or "").strip()
    if required and not value:
        return value, f"Enter {label}"
    if len(value) > TEXT_LIMIT:
        return value, f"{label[0].upper()}{label[1:]} must be {TEXT_LIMIT} characters or fewer"
    return value, None


def _refuse_if(problems) -> None:
    problems = [p for p in problems if p]
    if problems:
        raise FollowupRefused(*problems)


def _earlier_review_problems(required_by: date | None, next_due: date | None) -> list[str]:
    """What is wrong with asking for an earlier review by `required_by` (CPPCR reg 33(3))."""
    if next_due is not None and next_due < today():
        return [
            f"The next review is already overdue (it was due by {due_words(next_due)}): "
            "book it rather than ask for an earlier one"
        ]
    if required_by is None:
        return ["Enter the date the earlier review is needed by"]
    if required_by < today():
        return ["The date the earlier review is needed by cannot be in the past"]
    if next_due is not None and required_by >= next_due:
        return [f"The next review is already due by {due_words(next_due)}: choose an earlier date"]
    return []


# --- decisions -------------------------------------------------------------------------------


def can_update_decision(user, decision: Decision) -> bool:
    """The owner; the child's IRO (who updates those owned by people outside the system, such as
    the foster carer, and may update any); or an IRO manager over the child's IRO."""
    from carereview.children.models import Child
    from carereview.core import policy

    if not getattr(user, "is_authenticated", False):
        return False
    if decision.owner_id is not None and decision.owner_id == user.pk:
        return True
    child = decision.review.child
    if policy.is_iro(user):
        return child.current_iro_id == user.pk
    if policy.is_iro_manager(user):
        return Child.objects.visible_to(user).filter(pk=child.pk).exists()
    return False


@transaction.atomic
def update_decision(
    decision: Decision, *, by, status: str, note: str = "", done_on: date | None = None
) -> DecisionUpdate:
    """Record progress on a decision (its history keeps every update).

    Done needs a note saying what was done and the date it was done: not in the future, and not
    before the review that made the decision. Any other status clears the date done.
    """
    if not can_update_decision(by, decision):
        raise FollowupRefused(
            "Only the person responsible for this decision, or the child's IRO, can update it"
        )
    note, note_problem = _text(note, "a note", required=status == Decision.Status.DONE)
    if status == Decision.Status.DONE and note_problem == "Enter a note":
        note_problem = "Enter a note saying what was done"
    held = decision.review.held_on
    done = status == Decision.Status.DONE
    _refuse_if(
        [
            None if status in Decision.Status.values else "Choose how the decision stands",
            note_problem,
            "Enter the date it was done" if done and done_on is None else None,
            "The date it was done cannot be in the future"
            if done and done_on and done_on > today()
            else None,
            f"The date it was done cannot be before the review ({held:%-d %B %Y})"
            if done and done_on and held and done_on < held
            else None,
            "Nothing has changed: choose a different status or add a note"
            if status == decision.status and not note and not done
            else None,
        ]
    )
    decision.status = status
    decision.done_on = done_on if done else None
    if note:
        decision.progress_note = note
    decision.progress_updated_at = timezone.now()
    decision.progress_updated_by = by
    decision.save(
        update_fields=[
            "status",
            "done_on",
            "progress_note",
            "progress_updated_at",
            "progress_updated_by",
        ]
    )
    update = DecisionUpdate.objects.create(decision=decision, status=status, note=note, by=by)
    audit.record_change(
        by,
        "decision.update",
        decision,
        {
            "status": status,
            "done_on": done_on.isoformat() if done and done_on else None,
            "due_on": decision.due_on.isoformat(),
            "note_length": len(note),
        },
    )
    return update


# --- the midway check ----------------------------------------------------------------------


def _fraction():
    return authority().midway_fraction


def refresh_midway(
    child,
    as_at: date | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    reviews: list | None = None,
) -> MidwayCheck | None:
    """One midway check for the child's latest review held in their open period of care, due
    `engine.midway.midway_check_due` between it and the next review due. Idempotent: made once,
    its due date moved while it is not done (an earlier review, a bank holiday), never once done.

    Reads the child's summary as `refresh_summary` has just left it (next_review_due,
    looked_after_since) and the held reviews, each marked whether it counts.
    """
    calendar = calendar or working_calendar()
    as_at = as_at or today()
    next_due = child.next_review_due
    if next_due is None or not child.in_care:
        return None
    if reviews is None:
        reviews = list(child.reviews.filter(held_on__isnull=False).order_by("held_on", "id"))
    since = child.looked_after_since
    held = [
        r
        for r in reviews
        if r.counts and r.held_on <= as_at and (since is None or r.held_on >= since)
    ]
    if not held:
        return None
    latest = max(held, key=lambda r: (r.held_on, r.pk))
    # A review held before an earlier check fell due leaves nothing to check midway: that check
    # goes. One that fell due and was not done stays, and counts as not done.
    check = None
    for found in MidwayCheck.objects.filter(
        Q(after_review=latest) | Q(child=child, done_on__isnull=True, due_on__gte=latest.held_on)
    ):
        if found.after_review_id == latest.pk:
            check = found
            continue
        audit.record_change(None, "midway.withdraw", found, {"due_on": found.due_on.isoformat()})
        found.delete()
    if next_due <= latest.held_on:
        return check
    due = midway_check_due(latest.held_on, next_due, _fraction())
    if check is None:
        check = MidwayCheck.objects.create(child=child, after_review=latest, due_on=due)
        audit.record_change(
            None,
            "midway.create",
            check,
            {"child": child.pk, "review": latest.pk, "due_on": due.isoformat()},
        )
    elif check.done_on is None and check.due_on != due:
        before = check.due_on
        check.due_on = due
        check.save(update_fields=["due_on"])
        audit.record_change(
            None,
            "midway.move",
            check,
            {"from": before.isoformat(), "due_on": due.isoformat()},
        )
    return check


@transaction.atomic
def record_midway_check(
    check: MidwayCheck,
    *,
    by,
    outcome: str,
    progress_note: str,
    done_on: date,
    required_by: date | None = None,
) -> MidwayCheck:
    """The IRO's midway check: progress on the decisions, and the outcome. "An earlier review is
    needed" records one (CPPCR reg 33(3), the IRO's request) by `required_by`."""
    from carereview.reviews.services import require_earlier_review

    child = check.child
    note, note_problem = _text(progress_note, "the progress on the decisions", required=True)
    held = check.after_review.held_on
    earlier = outcome == MidwayCheck.Outcome.EARLIER_REVIEW
    next_due = child.next_review_due
    _refuse_if(
        [
            "This midway check is already recorded" if check.done_on else None,
            "Only the child's IRO can record the midway check"
            if child.current_iro_id != getattr(by, "pk", None)
            else None,
            None if outcome in MidwayCheck.Outcome.values else "Choose the outcome",
            note_problem,
            "Enter the date of the check" if done_on is None else None,
            "The date of the check cannot be in the future"
            if done_on and done_on > today()
            else None,
            f"The date of the check cannot be before the review ({held:%-d %B %Y})"
            if done_on and held and done_on < held
            else None,
            *(_earlier_review_problems(required_by, next_due) if earlier else []),
        ]
    )
    check.outcome = outcome
    check.progress_note = note
    check.done_on = done_on
    check.done_by = by
    if earlier:
        assert required_by is not None  # else _earlier_review_problems refused it above
        check.earlier_review = require_earlier_review(
            child,
            by=by,
            reason=EarlierReviewRequirement.Reason.IRO_REQUEST,
            required_by=required_by,
            details=f"The IRO's midway check on {done_on:%-d %B %Y}.",
        )
    check.save(update_fields=["outcome", "progress_note", "done_on", "done_by", "earlier_review"])
    audit.record_change(
        by,
        "midway.record",
        check,
        {
            "outcome": outcome,
            "done_on": done_on.isoformat(),
            "due_on": check.due_on.isoformat(),
            "earlier_review": check.earlier_review_id,
            "note_length": len(note),
        },
    )
    return check


# --- significant events --------------------------------------------------------------------


def _create_event(child, *, kind, source, occurred_on, details="", by=None, **extra):
    event = SignificantEvent.objects.create(
        child=child,
        kind=kind,
        source=source,
        occurred_on=occurred_on,
        details=details,
        reported_by=by,
        **extra,
    )
    audit.record_change(
        by,
        "event.report",
        event,
        {
            "child": child.pk,
            "kind": kind,
            "source": source,
            "occurred_on": occurred_on.isoformat(),
            "episode": event.episode_id,
            "details_length": len(details),
        },
    )
    return event


def record_episode_events(
    child, as_at: date | None = None, *, episodes: list | None = None, reviews: list | None = None
) -> list[SignificantEvent]:
    """A change of placement in the child's episodes tells the IRO by itself: one event for each
    episode whose RNE is P, B, T or U, started on or after the latest review held (or, with none,
    in the last 60 days) and not after `as_at`. Never for older history. Idempotent: an episode
    makes at most one event (`SignificantEvent.episode` is unique)."""
    from carereview.children import codes

    as_at = as_at or today()
    if episodes is None:
        episodes = list(child.episodes.order_by("decom", "id"))
    if reviews is None:
        reviews = list(child.reviews.filter(held_on__isnull=False))
    held = [r.held_on for r in reviews if r.held_on and r.held_on <= as_at]
    since = max(held) if held else as_at - timedelta(days=NO_REVIEW_LOOKBACK_DAYS)
    candidates = [
        e for e in episodes if e.rne in PLACEMENT_CHANGE_RNE and since <= e.decom <= as_at
    ]
    if not candidates:
        return []
    done = set(
        SignificantEvent.objects.filter(episode_id__in=[e.pk for e in candidates]).values_list(
            "episode_id", flat=True
        )
    )
    made = []
    for episode in candidates:
        if episode.pk in done:
            continue
        made.append(
            _create_event(
                child,
                kind=SignificantEvent.Kind.PLACEMENT_CHANGE,
                source=SignificantEvent.Source.EPISODE,
                occurred_on=episode.decom,
                details=(
                    f"New episode from {episode.decom:%-d %B %Y}: "
                    f"{codes.RNE.get(episode.rne, episode.rne)} "
                    f"(placement {episode.place}: {codes.PLACE.get(episode.place, '')})."
                ),
                episode=episode,
            )
        )
    return made


def after_refresh(refreshed) -> None:
    """Between reviews' step after `children.services.refresh_summary` (added in
    FollowupConfig.ready; ADR 0013)."""
    refresh_between_reviews(
        refreshed.child,
        as_at=refreshed.as_at,
        calendar=refreshed.calendar,
        episodes=refreshed.episodes,
        reviews=refreshed.reviews,
    )


def refresh_between_reviews(
    child,
    *,
    as_at: date | None = None,
    calendar: WorkingCalendar | None = None,
    episodes: list | None = None,
    reviews: list | None = None,
) -> None:
    """Run at the end of `children.services.refresh_summary`, with what it already read."""
    as_at = as_at or today()
    refresh_midway(child, as_at, calendar=calendar, reviews=reviews)
    record_episode_events(child, as_at, episodes=episodes, reviews=reviews)


@transaction.atomic
def report_event(child, *, by, kind: str, occurred_on: date | None, details: str):
    """A social worker (or team manager, or IRO) tells the IRO of a significant event (rules.md §4).

    It lands unseen on the IRO's work list; one the child's IRO reports is seen already.
    """
    details, details_problem = _text(details, "what happened", required=True)
    _refuse_if(
        [
            None if kind in SignificantEvent.Kind.values else "Choose what happened",
            "Enter the date it happened" if occurred_on is None else None,
            "The date it happened cannot be in the future"
            if occurred_on and occurred_on > today()
            else None,
            "The date it happened cannot be before the child was born"
            if occurred_on and occurred_on < child.date_of_birth
            else None,
            details_problem,
        ]
    )
    extra = {}
    if child.current_iro_id is not None and child.current_iro_id == by.pk:
        extra = {"seen_at": timezone.now(), "seen_by": by}
    return _create_event(
        child,
        kind=kind,
        source=SignificantEvent.Source.SOCIAL_WORKER,
        occurred_on=occurred_on,
        details=details,
        by=by,
        **extra,
    )


def record_social_worker_change(child, allocation, *, previous_id, by) -> SignificantEvent | None:
    """A change of social worker (after `allocation.services.allocate_social_worker`): an event
    only where the child had a social worker before."""
    if previous_id is None:
        return None
    return _create_event(
        child,
        kind=SignificantEvent.Kind.SOCIAL_WORKER_CHANGE,
        source=SignificantEvent.Source.ALLOCATION,
        occurred_on=allocation.started_on,
        details=f"{allocation.social_worker} is the social worker from "
        f"{allocation.started_on:%-d %B %Y}.",
        by=by,
    )


def record_complaint(representation) -> SignificantEvent | None:
    """A complaint (from `representations.services.make_representation`); comments and
    compliments are not significant events. What it says stays with the complaints manager."""
    if representation.kind != "complaint":
        return None
    return _create_event(
        representation.child,
        kind=SignificantEvent.Kind.COMPLAINT,
        source=SignificantEvent.Source.REPRESENTATION,
        occurred_on=representation.received_on,
        details=f"Complaint {representation.reference} made through the portal by "
        f"{representation.get_made_by_display().lower()}, received "
        f"{representation.received_on:%-d %B %Y}. The complaints manager has it.",
    )


def earlier_review_reason(event: SignificantEvent) -> str:
    """A change to the care plan needs a review before it takes effect (CPPCR reg 32(2));
    anything else is the IRO's request (reg 33(3))."""
    if event.kind == SignificantEvent.Kind.PLAN_CHANGE:
        return EarlierReviewRequirement.Reason.PLAN_CHANGE
    return EarlierReviewRequirement.Reason.IRO_REQUEST


@transaction.atomic
def mark_event_seen(
    event: SignificantEvent,
    *,
    by,
    note: str = "",
    earlier_review: bool = False,
    required_by: date | None = None,
) -> SignificantEvent:
    """The IRO reads the event and notes it; "an earlier review is needed" records one."""
    from carereview.reviews.services import require_earlier_review

    child = event.child
    note, note_problem = _text(note, "a note")
    next_due = child.next_review_due
    _refuse_if(
        [
            "Only the child's IRO can respond to this event"
            if child.current_iro_id != getattr(by, "pk", None)
            else None,
            note_problem,
            "An earlier review is already recorded for this event"
            if earlier_review and event.earlier_review_id
            else None,
            *(_earlier_review_problems(required_by, next_due) if earlier_review else []),
        ]
    )
    fields = ["iro_note"]
    event.iro_note = note
    if event.seen_at is None:
        event.seen_at = timezone.now()
        event.seen_by = by
        fields += ["seen_at", "seen_by"]
    if earlier_review:
        assert required_by is not None  # else _earlier_review_problems refused it above
        event.earlier_review = require_earlier_review(
            child,
            by=by,
            reason=earlier_review_reason(event),
            required_by=required_by,
            details=f"After {event.get_kind_display().lower()} on {event.occurred_on:%-d %B %Y}.",
        )
        fields.append("earlier_review")
    event.save(update_fields=fields)
    audit.record_change(
        by,
        "event.seen",
        event,
        {
            "kind": event.kind,
            "earlier_review": event.earlier_review_id,
            "required_by": required_by.isoformat() if earlier_review and required_by else None,
            "note_length": len(note),
        },
    )
    return event

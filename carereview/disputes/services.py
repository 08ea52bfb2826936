"""Writes for dispute resolution (rules.md §5). Views call these and nothing else writes disputes.

Each write is dated (today, on the working calendar), says by whom, runs in one transaction and
records an audit event whose snapshot holds codes, dates and ids, never what anyone wrote. A step
the rules do not allow is refused with `DisputeRefused`, whose reasons are words for the page.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from carereview.accounts.models import Role
from carereview.core import audit
from carereview.core.calendar import today, working_calendar
from carereview.disputes import ladder
from carereview.disputes.models import Dispute, DisputeStep, Theme

TEXT_LIMIT = 5000
SUMMARY_LIMIT = 200


class DisputeRefused(Exception):
    """A step the rules do not allow; `reasons` say why, in words for the page."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


def _name(user) -> str:
    return user.get_full_name() or user.username


def _text(value: str, what: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DisputeRefused(f"Enter {what}")
    if len(value) > limit:
        raise DisputeRefused(f"{what.capitalize()} must be {limit} characters or fewer")
    return value


def may_act_as_iro(dispute: Dispute, user) -> bool:
    """The IRO who raised it, or the child's current IRO, escalates, resolves and refers."""
    return getattr(user, "role", None) == Role.IRO and user.pk in (
        dispute.raised_by_id,
        dispute.child.current_iro_id,
    )


def _check_iro(dispute: Dispute, by) -> None:
    if not may_act_as_iro(dispute, by):
        raise DisputeRefused(
            "Only the IRO who raised this dispute, or the child's current IRO, can do this"
        )


def open_step(dispute: Dispute) -> DisputeStep | None:
    return dispute.steps.filter(closed_on__isnull=True).order_by("-opened_on", "-id").first()


def _open(dispute, stage, addressee, by, message, skipped, skip_reason, on) -> DisputeStep:
    step = DisputeStep.objects.create(
        dispute=dispute,
        stage=stage.code,
        addressee=addressee,
        opened_on=on,
        opened_by=by,
        message=message,
        respond_by=working_calendar().add_working_days(on, stage.working_days),
        skipped=skipped,
        skip_reason=skip_reason,
    )
    audit.record_change(
        by,
        "dispute.step_open",
        step,
        {
            "dispute": dispute.pk,
            "stage": stage.code,
            "addressee": addressee.pk,
            "opened_on": on.isoformat(),
            "respond_by": step.respond_by.isoformat(),
            "skipped": skipped,
        },
    )
    return step


def _addressee(child, target, *, after=None, previous=None):
    try:
        return ladder.addressee(child, target, after=after, previous=previous)
    except ladder.NoAddressee as missing:
        raise DisputeRefused(str(missing)) from missing


def raise_dispute(
    child,
    by,
    summary: str,
    message: str,
    themes: list[str],
    decision=None,
    start_stage: str = "informal",
    skip_reason: str = "",
) -> Dispute:
    """The IRO raises a concern: the dispute and its first step, at the bottom of the ladder or,
    with a reason (the child's welfare needs it), at a higher stage, recording what was skipped."""
    if getattr(by, "role", None) != Role.IRO or child.current_iro_id != by.pk:
        raise DisputeRefused("Only the child's IRO can raise a dispute")
    summary = _text(summary, "what the concern is about", limit=SUMMARY_LIMIT)
    message = _text(message, "your concern for the person it goes to")
    skip_reason = _text(skip_reason, "why stages are skipped", required=False)
    themes = list(dict.fromkeys(themes or []))
    if not themes:
        raise DisputeRefused("Choose at least one theme")
    unknown = [t for t in themes if t not in Theme.values]
    if unknown:
        raise DisputeRefused("Choose themes from the list")
    if decision is not None and decision.review.child_id != child.pk:
        raise DisputeRefused("Choose one of this child's decisions")
    stage = ladder.get(start_stage)
    if stage is None:
        raise DisputeRefused("Choose a stage from the ladder")
    bottom = ladder.first()
    skipped = [s.code for s in ladder.stages()[: stage.position]]
    if skipped and not skip_reason:
        raise DisputeRefused(
            f"Say why the dispute starts at {stage.label}, skipping {bottom.label.lower()}"
        )
    if not skipped:
        skip_reason = ""
    addressee = _addressee(child, stage)
    on = today()
    with transaction.atomic():
        dispute = Dispute.objects.create(
            child=child,
            raised_by=by,
            raised_on=on,
            summary=summary,
            themes=themes,
            decision=decision,
        )
        audit.record_change(
            by,
            "dispute.raise",
            dispute,
            {
                "child": child.pk,
                "raised_on": on.isoformat(),
                "themes": themes,
                "decision": decision.pk if decision else None,
                "stage": stage.code,
            },
        )
        _open(dispute, stage, addressee, by, message, skipped, skip_reason, on)
    return dispute


def _locked(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update().select_related("child").get(pk=dispute.pk)


def _refuse_if_resolved(dispute: Dispute, doing: str) -> None:
    if dispute.status == Dispute.Status.RESOLVED:
        raise DisputeRefused(
            f"This dispute was resolved on {dispute.resolved_on:%-d %B %Y}, so it cannot be {doing}"
        )


def escalate(
    dispute: Dispute, by, message: str, to_stage: str | None = None, skip_reason: str = ""
) -> DisputeStep:
    """Close the open step as escalated and open the next stage, or a higher one with a reason."""
    message = _text(message, "your concern for the person it goes to")
    skip_reason = _text(skip_reason, "why stages are skipped", required=False)
    with transaction.atomic():
        dispute = _locked(dispute)
        _check_iro(dispute, by)
        _refuse_if_resolved(dispute, "escalated")
        current = open_step(dispute)
        if current is None:
            raise DisputeRefused("This dispute has no open stage to escalate from")
        here = ladder.get(current.stage)
        if here is None:
            raise DisputeRefused(
                f"The current stage ({current.stage}) is no longer in the ladder, so the next "
                "stage cannot be worked out. Ask the administrator."
            )
        higher = ladder.above(here)
        if not higher:
            raise DisputeRefused(
                f"{here.label} is the top of the ladder: there is no stage to escalate to. "
                "You can refer the case to Cafcass."
            )
        target: ladder.Stage | None
        if to_stage in (None, ""):
            target = higher[0]
        else:
            target = ladder.get(to_stage)
            if target is None:
                raise DisputeRefused("Choose a stage from the ladder")
            if target.position <= here.position:
                raise DisputeRefused(
                    f"Choose a stage above {here.label}: a dispute only goes up the ladder"
                )
        skipped = [s.code for s in higher if s.position < target.position]
        if skipped and not skip_reason:
            raise DisputeRefused(
                f"Say why the dispute goes to {target.label}, skipping "
                + ", ".join(ladder.label(code) for code in skipped)
            )
        if not skipped:
            skip_reason = ""
        addressee = _addressee(dispute.child, target, after=here, previous=current.addressee)
        on = today()
        current.outcome = DisputeStep.Outcome.ESCALATED
        current.closed_on = on
        current.save(update_fields=["outcome", "closed_on"])
        audit.record_change(
            by,
            "dispute.escalate",
            current,
            {"dispute": dispute.pk, "from": here.code, "to": target.code, "on": on.isoformat()},
        )
        return _open(dispute, target, addressee, by, message, skipped, skip_reason, on)


def respond(step: DisputeStep, by, response: str) -> DisputeStep:
    """The addressee answers their stage, once."""
    response = _text(response, "your response")
    with transaction.atomic():
        step = (
            DisputeStep.objects.select_for_update()
            .select_related("dispute", "addressee")
            .get(pk=step.pk)
        )
        if by.pk != step.addressee_id:
            raise DisputeRefused(
                f"This stage is addressed to {_name(step.addressee)}: only they can respond"
            )
        if step.responded_on is not None:
            raise DisputeRefused(
                f"You already responded to this stage on {step.responded_on:%-d %B %Y}"
            )
        if step.closed_on is not None:
            how = "resolved" if step.outcome == DisputeStep.Outcome.RESOLVED else "escalated"
            raise DisputeRefused(
                f"This stage was {how} on {step.closed_on:%-d %B %Y}, so it cannot be "
                "responded to now"
            )
        on = today()
        step.response = response
        step.responded_on = on
        step.responded_by = by
        step.save(update_fields=["response", "responded_on", "responded_by"])
        audit.record_change(
            by,
            "dispute.respond",
            step,
            {"dispute": step.dispute_id, "stage": step.stage, "responded_on": on.isoformat()},
        )
    return step


def resolve(dispute: Dispute, by, resolution: str) -> Dispute:
    """The IRO is satisfied: the open step and the dispute close as resolved."""
    resolution = _text(resolution, "how the dispute was resolved")
    with transaction.atomic():
        dispute = _locked(dispute)
        _check_iro(dispute, by)
        _refuse_if_resolved(dispute, "resolved again")
        on = today()
        current = open_step(dispute)
        if current is not None:
            current.outcome = DisputeStep.Outcome.RESOLVED
            current.closed_on = on
            current.save(update_fields=["outcome", "closed_on"])
        dispute.status = Dispute.Status.RESOLVED
        dispute.resolved_on = on
        dispute.resolution = resolution
        dispute.save(update_fields=["status", "resolved_on", "resolution"])
        audit.record_change(
            by,
            "dispute.resolve",
            dispute,
            {"resolved_on": on.isoformat(), "stage": current.stage if current else None},
        )
    return dispute


def refer_to_cafcass(dispute: Dispute, by, on: date, note: str = "") -> Dispute:
    """Record the IRO's referral to Cafcass (s25B(3)), at any stage; once."""
    note = _text(note, "a note", required=False)
    with transaction.atomic():
        dispute = _locked(dispute)
        _check_iro(dispute, by)
        if dispute.cafcass_referred_on is not None:
            raise DisputeRefused(
                f"A referral to Cafcass was already recorded on "
                f"{dispute.cafcass_referred_on:%-d %B %Y}"
            )
        if on is None:
            raise DisputeRefused("Enter the date of the referral")
        if on > today():
            raise DisputeRefused("The date of the referral cannot be in the future")
        if on < dispute.raised_on:
            raise DisputeRefused(
                f"The referral cannot be before the dispute was raised "
                f"({dispute.raised_on:%-d %B %Y})"
            )
        current = open_step(dispute)
        dispute.cafcass_referred_on = on
        dispute.cafcass_note = note
        dispute.save(update_fields=["cafcass_referred_on", "cafcass_note"])
        audit.record_change(
            by,
            "dispute.cafcass",
            dispute,
            {"referred_on": on.isoformat(), "stage": current.stage if current else None},
        )
    return dispute


def response_date_records() -> int:
    """Dispute steps with a stored response date (for `recompute_response_dates`)."""
    return DisputeStep.objects.count()


def recompute_response_dates(calendar) -> int:
    """After a bank-holiday change (core.calendar): each step's response date worked out again,
    from the day it opened and its stage's working days (`DISPUTE_LADDER`, as now set). A step
    whose stage is no longer on the ladder keeps its date. Returns the steps gone through."""
    days = {stage.code: stage.working_days for stage in ladder.stages()}
    count = 0
    for step in DisputeStep.objects.only("pk", "stage", "opened_on", "respond_by").iterator(
        chunk_size=1000
    ):
        count += 1
        if step.stage not in days:
            continue
        due = calendar.add_working_days(step.opened_on, days[step.stage])
        if due != step.respond_by:
            audit.record_change(
                None,
                "dispute.step_recompute",
                step,
                {"from": step.respond_by.isoformat(), "respond_by": due.isoformat()},
            )
            DisputeStep.objects.filter(pk=step.pk).update(respond_by=due)
    return count

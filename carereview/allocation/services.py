"""Appointing IROs and social workers (rules.md §4). Views call these; nothing else writes."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from carereview.accounts.models import Role, User
from carereview.allocation.independence import (
    conflicts_if_social_worker,
    iro_appointment_conflicts,
)
from carereview.allocation.models import IROAllocation, IROServiceNotice, SocialWorkerAllocation
from carereview.children.models import Child
from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import due_words, today, working_calendar
from carereview.engine.calendar import WorkingCalendar
from carereview.engine.timescales import first_iro_appointments, iro_service_told_by
from carereview.notifications.outbox import notify


class AllocationRefused(Exception):
    #: The form field the reasons belong to on the appointment page.
    field = "person"

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class SiblingReasonNeeded(AllocationRefused):
    """rules.md §4: siblings share an IRO unless there is a conflict; another IRO needs a reason."""

    field = "sibling_reason"


@dataclass(frozen=True)
class _Kind:
    model: type[IROAllocation] | type[SocialWorkerAllocation]
    person_field: str
    child_field: str
    role: str
    label: str


IRO = _Kind(IROAllocation, "iro", "current_iro", Role.IRO, "IRO")
SOCIAL_WORKER = _Kind(
    SocialWorkerAllocation,
    "social_worker",
    "current_social_worker",
    Role.SOCIAL_WORKER,
    "social worker",
)


def _allocate(kind: _Kind, child: Child, person, *, by, reason: str, on: date | None, **extra):
    on = on or today()
    reason = (reason or "").strip()
    current = getattr(child, kind.child_field)
    problems = []
    if person.role != kind.role:
        problems.append(f"{person} is not a {kind.label}.")
    if current is not None and current.pk == person.pk:
        problems.append(f"{person} is already {child.first_name}'s {kind.label}.")
    if current is not None and not reason:
        problems.append(f"Enter why the {kind.label} is changing.")
    if problems:
        raise AllocationRefused(problems)
    kind.model.objects.filter(child=child, ended_on__isnull=True).update(ended_on=on)
    allocation = kind.model.objects.create(
        child=child,
        started_on=on,
        reason=reason,
        allocated_by=by,
        **{kind.person_field: person},
        **extra,
    )
    setattr(child, kind.child_field, person)
    child.save(update_fields=[kind.child_field])
    audit.record_change(
        by,
        f"allocate.{kind.person_field}",
        allocation,
        {
            "child": child.pk,
            kind.person_field: person.pk,
            "previous": current.pk if current else None,
            "reason": reason,
            **extra,
        },
    )
    return allocation


def _sibling_reason(child: Child, iro, given: str) -> str:
    """rules.md §4 "same IRO": siblings share an IRO unless there is a conflict. The reason kept
    on the allocation: none for a sibling's IRO; the conflict where every sibling's IRO has
    one; otherwise the one given, refused when there is none."""
    siblings = list(
        child.siblings.filter(in_care=True, current_iro__isnull=False).select_related("current_iro")
    )
    if not siblings or any(s.current_iro_id == iro.pk for s in siblings):
        return ""
    given = (given or "").strip()
    if given:
        return given
    conflicted = []
    for sibling in siblings:
        assert sibling.current_iro is not None  # filtered on current_iro__isnull=False
        reasons = iro_appointment_conflicts(sibling.current_iro, child)
        if not reasons and sibling.current_iro.is_active:
            names = " or ".join(sorted({s.first_name + "'s" for s in siblings}))
            raise SiblingReasonNeeded(
                [
                    f"Enter why {child.first_name}'s IRO is not {names}: brothers and sisters "
                    "share an IRO unless there is a conflict."
                ]
            )
        conflicted.append(
            f"{sibling.first_name}'s IRO, {sibling.current_iro}, cannot be: "
            + (" ".join(reasons) or "they no longer work here.")
        )
    return " ".join(conflicted)


@transaction.atomic
def appoint_iro(
    child: Child,
    iro,
    *,
    by,
    reason: str = "",
    on: date | None = None,
    sibling_reason: str = "",
):
    """Appoint `iro` as `child`'s IRO (rules.md §4), refusing one who is not independent of the
    case or is the IRO of a looked-after parent or child of theirs; an IRO other than a
    sibling's needs a reason. Records whether the first IRO of the period was appointed in time.
    """
    conflicts = iro_appointment_conflicts(iro, child)
    if conflicts:
        raise AllocationRefused(conflicts)
    kept = _sibling_reason(child, iro, sibling_reason)
    allocation = _allocate(IRO, child, iro, by=by, reason=reason, on=on, sibling_reason=kept)
    from carereview.children.services import periods_with_episodes  # no cycle

    periods = [p for p, _ in periods_with_episodes(list(child.episodes.order_by("decom", "id")))]
    mark_appointments(child, periods, working_calendar())
    allocation.refresh_from_db(fields=["appoint_by", "appointed_in_time"])
    return allocation


def mark_appointments(child: Child, periods, calendar: WorkingCalendar) -> None:
    """Store on each of `child`'s IRO allocations whether it was the first of a period of care
    and, if so, its target and whether it was met (engine.timescales.first_iro_appointments).
    Run on every appointment and every refresh of the child's schedule (a new period of care, a
    bank-holiday edit)."""
    allocations = list(IROAllocation.objects.filter(child=child))
    found = first_iro_appointments(
        [(p.start, p.end) for p in periods],
        [(a.pk, a.started_on, a.ended_on) for a in allocations],
        calendar,
        authority().iro_appointment_working_days,
    )
    changed = []
    for a in allocations:
        by, in_time = found.get(a.pk, (None, None))
        if (a.appoint_by, a.appointed_in_time) != (by, in_time):
            a.appoint_by, a.appointed_in_time = by, in_time
            changed.append(a)
    if changed:
        IROAllocation.objects.bulk_update(changed, ["appoint_by", "appointed_in_time"])


@dataclass(frozen=True)
class AppointmentCounts:
    appointed: int
    late: int


def appointment_counts(start: date, end: date) -> AppointmentCounts:
    """rules.md §8 "IRO appointed within 5 working days": the first IROs of periods of care
    appointed from `start` to `end`, and how many of them late (counts only, no rows)."""
    rows = IROAllocation.objects.filter(  # scoped: counts only, no rows
        appointed_in_time__isnull=False, started_on__gte=start, started_on__lte=end
    )
    return AppointmentCounts(rows.count(), rows.filter(appointed_in_time=False).count())


def notice_counts(start: date, end: date) -> AppointmentCounts:
    """rules.md §4 "IRO told": children who became looked after from `start` to `end`, and of
    those how many the IRO service was told of late (counts only, no rows)."""
    rows = IROServiceNotice.objects.filter(  # scoped: counts only, no rows
        looked_after_from__gte=start, looked_after_from__lte=end
    )
    return AppointmentCounts(rows.count(), rows.filter(told_on__gt=F("told_by")).count())


def after_refresh(refreshed) -> None:
    """Allocation's step after `children.services.refresh_summary` (added in
    AllocationConfig.ready; ADR 0013)."""
    after_periods_changed(
        refreshed.child,
        refreshed.periods,
        previous_start=refreshed.previous_start,
        calendar=refreshed.calendar,
    )


def after_periods_changed(
    child: Child, periods, *, previous_start: date | None, calendar: WorkingCalendar
) -> None:
    """Run after children.services.refresh_summary, whatever changed the child's episodes: tell
    the IRO service when the child has become looked after (a new open period of care), keep
    the notices' deadlines and the IRO appointments' timeliness in step with the calendar."""
    start = child.looked_after_since
    if child.in_care and start is not None and start != previous_start:
        tell_iro_service(child, start, calendar)
    days = authority().iro_told_working_days
    for notice in child.iro_service_notices.all():
        by = iro_service_told_by(notice.looked_after_from, calendar, days)
        if notice.told_by != by:
            notice.told_by = by
            notice.save(update_fields=["told_by"])
    mark_appointments(child, periods, calendar)


def tell_iro_service(child: Child, start: date, calendar: WorkingCalendar) -> IROServiceNotice:
    """rules.md §4 "IRO told": the notice to the IRO service that `child` became looked after on
    `start`, told today, against IRO_TOLD_WORKING_DAYS; each active IRO manager gets it through
    the outbox. Once for each period of care."""
    days = authority().iro_told_working_days
    notice, created = IROServiceNotice.objects.get_or_create(
        child=child,
        looked_after_from=start,
        defaults={"told_by": iro_service_told_by(start, calendar, days), "told_on": today()},
    )
    if not created:
        return notice
    site = settings.NOTIFICATIONS["SITE_URL"].rstrip("/")
    late = f" This is later than the {days} working days." if notice.late else ""
    # Those with somewhere to send it to; the notice is on the waiting page for all.
    managers = User.objects.filter(role=Role.IRO_MANAGER, is_active=True).exclude(
        email="", mobile=""
    )
    for manager in managers:
        notify(
            f"iro-told:{notice.pk}:{manager.pk}",
            user=manager,
            subject=f"New looked-after child: {child.first_name}, from {start:%-d %B %Y}",
            body="\n\n".join(
                [
                    f"{child.first_name} ({child.la_child_id}) became looked after on "
                    f"{start:%A %-d %B %Y}. The IRO service is told on "
                    f"{notice.told_on:%A %-d %B %Y}, to be told by "
                    f"{due_words(notice.told_by, 'l j F Y')}.{late}",
                    f"Appoint an IRO: {site}{reverse('allocation:unallocated')}",
                ]
            ),
        )
    return notice


@transaction.atomic
def link_looked_after_parent(child: Child, parent: Child, *, by) -> list[str]:
    """Record that `parent`, a looked-after child of this authority, is `child`'s mother or
    father (rules.md §4: they have different IROs). The link is a fact and is kept even where
    the two already share an IRO (given before it was known): what it says then is returned, and
    the pair is on the IRO managers' page (`selectors.looked_after_parents_sharing_an_iro`)
    until one of them has another IRO."""
    problems = []
    if parent.pk == child.pk:
        problems.append("A child cannot be their own parent.")
    elif child.looked_after_parents.filter(pk=parent.pk).exists():
        problems.append(f"{parent.first_name} is already recorded as a looked-after parent.")
    elif parent.looked_after_parents.filter(pk=child.pk).exists():
        problems.append(f"{child.first_name} is recorded as {parent.first_name}'s parent.")
    if problems:
        raise AllocationRefused(problems)
    child.looked_after_parents.add(parent)
    audit.record_change(
        by, "allocation.looked_after_parent", child, {"child": child.pk, "parent": parent.pk}
    )
    shared = (
        child.in_care
        and parent.in_care
        and child.current_iro_id is not None
        and child.current_iro_id == parent.current_iro_id
    )
    if not shared:
        return []
    return [
        f"{child.first_name} and {parent.first_name} both have {child.current_iro} as their "
        "IRO. A looked-after parent and their child have different IROs: an IRO manager "
        "appoints a different IRO for one of them (it is on the IRO managers' page)."
    ]


# What else a change of social worker records (ADR 0013): followup adds its step from its
# AppConfig.ready (`followup.services.record_social_worker_change`: a significant event, issue 6);
# nothing here imports it.
_AFTER_SOCIAL_WORKER_CHANGE: list[Callable[..., object]] = []


def after_social_worker_change(step: Callable[..., object]) -> None:
    """Declare a step run, in the same transaction, after `allocate_social_worker`, with
    `(child, allocation, *, previous_id, by)`."""
    if step not in _AFTER_SOCIAL_WORKER_CHANGE:
        _AFTER_SOCIAL_WORKER_CHANGE.append(step)


@transaction.atomic
def allocate_social_worker(child: Child, worker, *, by, reason: str = "", on: date | None = None):
    """Allocate `worker`; refused where it would leave the child's IRO without independence."""
    conflicts = conflicts_if_social_worker(worker, child)
    if conflicts:
        raise AllocationRefused(
            [f"The child's IRO would no longer be independent: {c}" for c in conflicts]
        )
    previous_id = child.current_social_worker_id
    allocation = _allocate(SOCIAL_WORKER, child, worker, by=by, reason=reason, on=on)
    for step in _AFTER_SOCIAL_WORKER_CHANGE:
        step(child, allocation, previous_id=previous_id, by=by)
    return allocation


@transaction.atomic
def unlink_looked_after_parent(child: Child, parent: Child, *, by) -> None:
    """Remove a link recorded in error (the audit log keeps that it was there)."""
    if not child.looked_after_parents.filter(pk=parent.pk).exists():
        raise AllocationRefused([f"{parent.first_name} is not recorded as a looked-after parent."])
    child.looked_after_parents.remove(parent)
    audit.record_change(
        by,
        "allocation.looked_after_parent_removed",
        child,
        {"child": child.pk, "parent": parent.pk},
    )

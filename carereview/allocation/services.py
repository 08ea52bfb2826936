"""Appointing IROs and social workers (rules.md §4). Views call these; nothing else writes."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from carereview.accounts.models import Role
from carereview.allocation.independence import (
    conflicts_if_social_worker,
    cppcr_part8_independence_conflicts,
)
from carereview.allocation.models import IROAllocation, SocialWorkerAllocation
from carereview.children.models import Child
from carereview.core import audit
from carereview.core.calendar import today


class AllocationRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class _Kind:
    model: type
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


def _allocate(kind: _Kind, child: Child, person, *, by, reason: str, on: date | None):
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
        child=child, started_on=on, reason=reason, allocated_by=by, **{kind.person_field: person}
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
        },
    )
    return allocation


@transaction.atomic
def appoint_iro(child: Child, iro, *, by, reason: str = "", on: date | None = None):
    """Appoint `iro` as `child`'s IRO, refusing one who is not independent of the case."""
    conflicts = cppcr_part8_independence_conflicts(iro, child)
    if conflicts:
        raise AllocationRefused(conflicts)
    return _allocate(IRO, child, iro, by=by, reason=reason, on=on)


@transaction.atomic
def allocate_social_worker(child: Child, worker, *, by, reason: str = "", on: date | None = None):
    """Allocate `worker`; refused where it would leave the child's IRO without independence."""
    conflicts = conflicts_if_social_worker(worker, child)
    if conflicts:
        raise AllocationRefused(
            [f"The child's IRO would no longer be independent: {c}" for c in conflicts]
        )
    from carereview.followup.services import record_social_worker_change  # issue 6

    previous_id = child.current_social_worker_id
    allocation = _allocate(SOCIAL_WORKER, child, worker, by=by, reason=reason, on=on)
    record_social_worker_change(child, allocation, previous_id=previous_id, by=by)
    return allocation

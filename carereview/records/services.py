"""Retention (rules.md §7): records past their date, and their deletion by two people.

1. An administrator proposes deleting the records past their retention date (`propose`): the
   proposal lists them by identifier, rule and date.
2. A different administrator approves it (`approve`). The proposer cannot approve their own
   proposal; nobody but an active administrator can propose or approve. (Administrators run the
   system for the authority's records management; IRO managers and others run the service, and
   have no say in deleting records.)
3. `carry_out` deletes the approved children's records, checking each again first (still there,
   same identifier, still past its date today): one no longer past its date is kept and named in
   the log. It writes a `DeletionLog`: who proposed and approved, when, the identifiers, the rows
   deleted per table. A proposal is carried out once.

Nothing else deletes a child's record: `erase.erase_children` is called from here only.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carereview.accounts.models import Role, User
from carereview.children.models import Child
from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import today

from . import erase
from .models import DeletionLog, ProposedChild, RetentionProposal, Via
from .retention import Retention, latest_birth_possibly_past, retention_for

#: Who may propose and approve deletions (see the module's docstring).
MAY_DECIDE = frozenset({Role.ADMINISTRATOR})


class RetentionRefused(Exception):
    """Why a proposal, approval or deletion was refused. Nothing was changed."""


@dataclass(frozen=True)
class Due:
    """A child's record past its retention date."""

    child_pk: int
    la_child_id: str
    retention: Retention


def past_retention(as_at: date, *, using: str = "default") -> list[Due]:
    """The records past their retention date on `as_at`, by identifier."""
    rows = (
        Child.objects.using(using)
        .filter(
            Q(date_of_birth__lte=latest_birth_possibly_past(as_at)) | Q(date_of_death__isnull=False)
        )
        .order_by("la_child_id")
        .values_list("pk", "la_child_id", "date_of_birth", "date_of_death")
    )
    due = []
    for pk, identifier, born, died in rows:
        retention = retention_for(born, died)
        if retention.past(as_at):
            due.append(Due(pk, identifier, retention))
    return due


def _decider(username: str, doing: str, using: str) -> User:
    user = User.objects.using(using).filter(username=username).first()
    if user is None:
        raise RetentionRefused(f"There is no user {username!r}")
    if not user.is_active or user.role not in MAY_DECIDE:
        raise RetentionRefused(
            f"{username} cannot {doing}: only an active administrator can propose or approve "
            "deleting records"
        )
    return user


def propose(by: str, as_at: date | None = None, *, using: str = "default") -> RetentionProposal:
    """Propose deleting every record past its retention date on `as_at` (default today; never a
    later day)."""
    now = today()
    as_at = as_at or now
    if as_at > now:
        raise RetentionRefused(
            f"{as_at:%d %B %Y} is after today: a proposal is of records already past their date"
        )
    with transaction.atomic(using=using):
        user = _decider(by, "propose deleting records", using)
        due = past_retention(as_at, using=using)
        if not due:
            raise RetentionRefused(
                f"No record is past its retention date on {as_at:%d %B %Y}: nothing to propose"
            )
        proposal = RetentionProposal.objects.using(using).create(
            as_at=as_at, proposed_by=user, proposed_at=timezone.now()
        )
        ProposedChild.objects.using(using).bulk_create(
            ProposedChild(
                proposal=proposal,
                child_pk=d.child_pk,
                la_child_id=d.la_child_id,
                rule=d.retention.rule,
                retention_until=d.retention.until,
            )
            for d in due
        )
        audit.record_change(
            user, "retention.propose", proposal, {"children": len(due), "as_at": as_at.isoformat()}
        )
    return proposal


def _proposal(proposal_id: int, using: str) -> RetentionProposal:
    proposal = (
        RetentionProposal.objects.using(using)
        .select_for_update(of=("self",))
        .select_related("proposed_by", "approved_by")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise RetentionRefused(f"There is no retention proposal {proposal_id}")
    return proposal


def approval_from_command_line() -> bool:
    """CAREREVIEW["RETENTION_APPROVAL"] (ours): "web" (the default) takes approvals only from an
    administrator signed in on the web, where the sign-in shows who they are; "web or command
    line" also takes a name typed with `carereview retention approve --by`."""
    return authority().retention_approval == "web or command line"


def approve(
    proposal_id: int, by: str, *, via: str = Via.COMMAND, using: str = "default"
) -> RetentionProposal:
    """A second administrator approves the proposal as it stands: signed in on the web (`via`
    "web", by the view), or named on the command line where the setting allows it."""
    if via == Via.COMMAND and not approval_from_command_line():
        raise RetentionRefused(
            f"Approve proposal {proposal_id} on the web, signed in as a different administrator "
            f"(Retention, /admin/retention/{proposal_id}/): a name typed here proves nobody's "
            'approval. CAREREVIEW["RETENTION_APPROVAL"] = "web or command line" allows it here.'
        )
    with transaction.atomic(using=using):
        proposal = _proposal(proposal_id, using)
        user = _decider(by, "approve deleting records", using)
        if proposal.status != RetentionProposal.Status.PROPOSED:
            raise RetentionRefused(
                f"Proposal {proposal.pk} is {proposal.get_status_display().lower()}: "
                "it cannot be approved again"
            )
        if proposal.proposed_by_id == user.pk:
            raise RetentionRefused(
                f"{user.username} proposed this: a different administrator must approve it"
            )
        proposal.approved_by = user
        proposal.approved_at = timezone.now()
        proposal.approved_via = via
        proposal.status = RetentionProposal.Status.APPROVED
        proposal.save(update_fields=["approved_by", "approved_at", "approved_via", "status"])
        audit.record_change(
            user,
            "retention.approve",
            proposal,
            {"children": proposal.children.count(), "via": via},
        )
    return proposal


def _check_again(proposal: RetentionProposal, on: date, using: str):
    """The proposal's children still to delete on `on`, and those kept with why."""
    items = list(proposal.children.all())
    current = {
        pk: (identifier, born, died)
        for pk, identifier, born, died in Child.objects.using(using)
        .select_for_update()
        .filter(pk__in=[i.child_pk for i in items])
        .values_list("pk", "la_child_id", "date_of_birth", "date_of_death")
    }
    going, kept = [], []
    for item in items:
        found = current.get(item.child_pk)
        if found is None:
            kept.append({"la_child_id": item.la_child_id, "reason": "no longer in the database"})
            continue
        identifier, born, died = found
        if identifier != item.la_child_id:
            kept.append({"la_child_id": item.la_child_id, "reason": "its identifier has changed"})
            continue
        retention = retention_for(born, died)
        if not retention.past(on):
            kept.append(
                {
                    "la_child_id": item.la_child_id,
                    "reason": f"not past its retention date: kept until "
                    f"{retention.until.isoformat()} ({retention.label})",
                }
            )
            continue
        going.append(item)
    return going, kept


def _approved(proposal_id: int, using: str) -> RetentionProposal:
    proposal = _proposal(proposal_id, using)
    if proposal.status == RetentionProposal.Status.PROPOSED:
        raise RetentionRefused(
            f"Proposal {proposal.pk} is not approved: nothing is deleted without a second "
            "administrator's approval"
        )
    if proposal.status == RetentionProposal.Status.CARRIED_OUT:
        raise RetentionRefused(
            f"Proposal {proposal.pk} was carried out on "
            f"{timezone.localtime(proposal.carried_out_at):%d %B %Y at %H:%M}"
        )
    return proposal


def preview(proposal_id: int, *, using: str = "default"):
    """What carrying out the approved proposal today would delete: (proposal, items, kept,
    plan). Changes nothing."""
    with transaction.atomic(using=using):
        proposal = _approved(proposal_id, using)
        going, kept = _check_again(proposal, today(), using)
        plan = erase.plan_erasure([i.child_pk for i in going], using=using)
    return proposal, going, kept, plan


def carry_out(proposal_id: int, *, run_by: str | None = None, using: str = "default"):
    """Delete the records of an approved proposal, each checked again, and log it."""
    if run_by is None:
        try:
            run_by = getpass.getuser()
        except (KeyError, OSError):
            run_by = ""
    with transaction.atomic(using=using):
        proposal = _approved(proposal_id, using)
        now = timezone.now()
        going, kept = _check_again(proposal, today(), using)
        erased = erase.erase_children([i.child_pk for i in going], using=using)
        # _approved: a second administrator approved it, then.
        assert proposal.approved_by is not None and proposal.approved_at is not None
        entry = DeletionLog.objects.using(using).create(
            proposal=proposal,
            proposed_by=proposal.proposed_by.username,
            proposed_at=proposal.proposed_at,
            approved_by=proposal.approved_by.username,
            approved_at=proposal.approved_at,
            approved_via=proposal.approved_via,
            deleted_at=now,
            run_by=run_by[:150],
            child_ids=[i.la_child_id for i in going],
            kept=kept,
            rows_deleted=dict(sorted(erased.rows_deleted.items())),
            links_cleared=dict(sorted(erased.links_cleared.items())),
            people_kept=erased.people_kept,
            accounts_kept=erased.accounts_kept,
        )
        proposal.status = RetentionProposal.Status.CARRIED_OUT
        proposal.carried_out_at = now
        proposal.save(update_fields=["status", "carried_out_at"])
        audit.record_change(
            None,
            "retention.delete",
            proposal,
            {"children": len(going), "kept": len(kept), "rows": entry.total_rows},
        )
    return entry

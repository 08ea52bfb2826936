"""Writes for break-glass access: open a grant, review it. Each audited, in one transaction.

`find_child` is the one deliberate lookup of a child outside the user's scope: by the exact 903
child identifier, giving only the child's key, never a list or a name.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carereview.breakglass.models import BREAK_GLASS_MARK, BreakGlassGrant
from carereview.children.models import Child
from carereview.core import audit
from carereview.core.policy import child_scope
from carereview.core.roles import Role


class BreakGlassRefused(Exception):
    """A write the rules do not allow; the message is for the page."""


def normalise_identifier(text: str) -> str:
    return (text or "").strip().upper()


def find_child(identifier: str) -> int | None:
    """The key of the child with this 903 identifier (exact, case-insensitive), or None."""
    identifier = normalise_identifier(identifier)
    if not identifier or len(identifier) > 20:
        return None
    return Child.objects.filter(la_child_id__iexact=identifier).values_list("pk", flat=True).first()


def in_own_scope(user, child_id: int) -> bool:
    """Whether the user sees the child without break-glass."""
    return Child.objects.filter(child_scope(user, "own"), pk=child_id).exists()


def live_grant(user, child_id: int) -> BreakGlassGrant | None:
    return BreakGlassGrant.objects.live().filter(user=user, child_id=child_id).first()


@transaction.atomic
def open_grant(user, child: Child, reason: str) -> BreakGlassGrant:
    reason = (reason or "").strip()
    grant = BreakGlassGrant(user=user, child=child, reason=reason, opened_at=timezone.now())
    grant.full_clean(exclude=["expires_at"])
    if live_grant(user, child.pk) is not None:
        raise BreakGlassRefused("You already have break-glass access to this record.")
    grant.save()
    # No personal text: who, which child (by key), until when, and how long the reason was.
    audit.record_change(
        user,
        "breakglass.open",
        grant,
        {
            "user": user.pk,
            "child": child.pk,
            "opened_at": grant.opened_at.isoformat(),
            "expires_at": grant.expires_at.isoformat(),
            "reason_length": len(reason),
        },
    )
    return grant


@transaction.atomic
def review_grant(grant: BreakGlassGrant, *, by, outcome: str, note: str) -> BreakGlassGrant:
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if by.pk == grant.user_id:
        raise BreakGlassRefused("Someone other than the person who opened it must review it.")
    if grant.reviewed_at is not None:
        raise BreakGlassRefused("This break-glass access has already been reviewed.")
    if outcome not in BreakGlassGrant.Outcome.values:
        raise BreakGlassRefused("Choose whether the access was appropriate.")
    grant.reviewed_by = by
    grant.reviewed_at = timezone.now()
    grant.outcome = outcome
    grant.review_note = (note or "").strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "outcome", "review_note"])
    audit.record_change(
        by,
        "breakglass.review",
        grant,
        {
            "outcome": outcome,
            "reads": grant.reads,
            "note_length": len(grant.review_note),
        },
    )
    return grant


def count_read(user, child) -> bool:
    """Count a read of `child` by `user` against their live grant, if only the grant allows it.

    One UPDATE: the live grant of this user for this child, unless the child is in the user's
    own scope. True where a grant was counted (the read is a break-glass read)."""
    own = Child.objects.filter(child_scope(user, "own"), pk=child.pk).values("pk")
    return bool(
        BreakGlassGrant.objects.live()
        .filter(user_id=user.pk, child_id=child.pk)
        .exclude(child_id__in=own)
        .update(reads=F("reads") + 1)
    )


def child_for_break_glass(pk: int) -> Child | None:
    """The child with this key, outside any scope, for the break-glass page only (which shows
    nothing of it but its identifier until a grant is opened)."""
    return Child.objects.filter(pk=pk).only("pk", "la_child_id").first()


def mark_read(user, child) -> str:
    """core.audit's mark for a read (core.audit.add_read_mark): a read by an IRO manager that only
    a live grant allows is counted on the grant and marked as a break-glass read; "" otherwise.
    (Moved from core.audit.record_access; ADR 0013.)"""
    if getattr(user, "role", None) == Role.IRO_MANAGER:
        if count_read(user, child):
            return BREAK_GLASS_MARK
    return ""

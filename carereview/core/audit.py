"""The access log and the audit log: explicit calls, no signals (see docs/adr/0004)."""

from carereview.core.models import AccessEvent, AuditEvent


def record_access(request, child, action: str) -> AccessEvent:
    """Write one access event for a read of `child`'s record by the signed-in user.

    A read by an IRO manager that only a live break-glass grant allows is marked as such, and
    counted on the grant (one UPDATE; see breakglass.services.count_read)."""
    from carereview.accounts.models import Role

    if getattr(request.user, "role", None) == Role.IRO_MANAGER:
        from carereview.breakglass.models import BREAK_GLASS_MARK
        from carereview.breakglass.services import count_read

        if count_read(request.user, child):
            action = f"{action[: 120 - len(BREAK_GLASS_MARK)]}{BREAK_GLASS_MARK}"
    return AccessEvent.objects.create(
        user=request.user, child=child, action=action, path=request.get_full_path()[:500]
    )


def record_change(actor, operation: str, obj, snapshot: dict) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        operation=operation,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        snapshot=snapshot,
    )

"""The access log and the audit log: explicit calls, no signals (see docs/adr/0004)."""

from carereview.core.models import AccessEvent, AuditEvent


def record_access(request, child, action: str) -> AccessEvent:
    """Write one access event for a read of `child`'s record by the signed-in user."""
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

"""The access log and the audit log: explicit calls, no signals (see docs/adr/0004)."""

from collections.abc import Callable

from carereview.core.models import AccessEvent, AuditEvent

# (user, child) -> the words that mark a read, or "" (ADR 0013: core names no app). An app adds
# one from its AppConfig.ready: break-glass marks, and counts on the grant, a read by an IRO
# manager that only a live grant allows (breakglass.services.mark_read).
_READ_MARKS: list[Callable[[object, object], str]] = []


def add_read_mark(mark: Callable[[object, object], str]) -> None:
    """Declare a mark for access events (`record_access`), from an app's AppConfig.ready."""
    if mark not in _READ_MARKS:
        _READ_MARKS.append(mark)


def record_access(request, child, action: str) -> AccessEvent:
    """Write one access event for a read of `child`'s record by the signed-in user.

    A read by an IRO manager that only a live break-glass grant allows is marked as such, and
    counted on the grant (one UPDATE; see breakglass.services.mark_read and count_read)."""
    for read_mark in _READ_MARKS:
        mark = read_mark(request.user, child)
        if mark:
            action = f"{action[: 120 - len(mark)]}{mark}"
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

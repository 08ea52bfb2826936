"""Reads for allocation: who is waiting for an IRO, and how full each IRO's caseload is."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q

from carereview.accounts.models import Role, User
from carereview.allocation.models import IROAllocation, IROServiceNotice
from carereview.children.models import Child
from carereview.core.authority import authority
from carereview.engine.calendar import WorkingCalendar


@dataclass(frozen=True)
class Caseload:
    person: User
    children: int
    overdue: int

    @property
    def per_fte(self) -> Decimal:
        fte = self.person.fte or Decimal("1")
        return (Decimal(self.children) / fte).quantize(Decimal("0.1"))

    @property
    def guide(self) -> str:
        """Against the IRO Handbook's 50-70 children per full-time IRO (rules.md §4)."""
        low = authority().caseload_guide_min
        high = authority().caseload_guide_max
        if self.per_fte > high:
            return "above"
        if self.per_fte < low:
            return "below"
        return "within"


def caseloads(role: str, today: date, people=None) -> list[Caseload]:
    """Each active person of `role` with their in-care children and overdue reviews."""
    field = "iro_children" if role == Role.IRO else "social_work_children"
    qs = people if people is not None else User.objects.filter(role=role, is_active=True)
    qs = qs.select_related("team").annotate(
        n_children=Count(field, filter=Q(**{f"{field}__in_care": True})),
        n_overdue=Count(
            field,
            filter=Q(**{f"{field}__in_care": True, f"{field}__next_review_due__lt": today}),
        ),
    )
    return [Caseload(p, p.n_children, p.n_overdue) for p in qs.order_by("last_name", "first_name")]


@dataclass(frozen=True)
class Waiting:
    child: Child
    target: date | None
    missed: bool
    working_days_waiting: int | None


def children_without_iro(user, today: date, calendar: WorkingCalendar) -> list[Waiting]:
    """In-care children with no IRO, oldest first, against the 5-working-day target (§4)."""
    days = authority().iro_appointment_working_days
    waiting = []
    children = (
        Child.objects.visible_to(user)
        .in_care()
        .filter(current_iro__isnull=True)
        .select_related("current_social_worker")
        .order_by("looked_after_since", "last_name")
    )
    for child in children:
        start = child.looked_after_since
        target = calendar.add_working_days(start, days) if start else None
        waited = calendar.working_days_between(start, today) if start else None
        waiting.append(Waiting(child, target, bool(target and today > target), waited))
    return waiting


def recent_notices(user, today: date, days: int = 92) -> list[IROServiceNotice]:
    """The IRO service's notices of children who became looked after in the last `days` days
    (rules.md §4 "IRO told"), newest first, of the children `user` may see."""
    return list(
        IROServiceNotice.objects.filter(  # scoped: of the children the user may see
            child__in=Child.objects.visible_to(user),
            looked_after_from__gte=today - timedelta(days=days),
        ).select_related("child")
    )


def looked_after_parents_sharing_an_iro(user) -> list[Child]:
    """Children in care `user` may see whose looked-after parent, in care too, has the same IRO
    (rules.md §4: they have different IROs): a link recorded after both were given one. Each
    with `parent_sharing` set to that parent."""
    children = (
        Child.objects.visible_to(user)  # scoped
        .in_care()
        .filter(
            current_iro__isnull=False,
            looked_after_parents__in_care=True,
            looked_after_parents__current_iro=F("current_iro"),
        )
        .select_related("current_iro")
        .distinct()
        .order_by("last_name", "first_name")
    )
    found = []
    for child in children:
        child.parent_sharing = child.looked_after_parents.filter(
            in_care=True, current_iro_id=child.current_iro_id
        ).first()
        found.append(child)
    return found


def siblings_with_different_iros(user) -> list[IROAllocation]:
    """Current IRO allocations made with a reason for not sharing a sibling's IRO (rules.md §4
    "same IRO"), of the children `user` may see."""
    return list(
        IROAllocation.objects.filter(  # scoped: of the children the user may see
            ended_on__isnull=True,
            child__in=Child.objects.visible_to(user).in_care(),
        )
        .exclude(sibling_reason="")
        .select_related("child", "iro")
        .order_by("child__last_name", "child__first_name")
    )

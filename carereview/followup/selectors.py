"""Reads between reviews (issue 6): decisions by how they stand, midway checks, events, counts.

Every query starts from `visible_to(user)` (core.policy) or a child already reached that way;
the owner of a decision also reaches it through `user.owned_decisions` (the decision names them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from carereview.children.models import Child
from carereview.engine.calendar import WorkingCalendar
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.reviews.models import Decision, Review

#: Decisions due within this many working days are "due soon" (ours).
DUE_SOON_WORKING_DAYS = 10
#: Midway checks due within this many working days appear on the IRO's work list (ours).
MIDWAY_HORIZON_WORKING_DAYS = 10
#: Decisions done within this many days are "done recently" on the owner's list.
DONE_RECENTLY_DAYS = 30

OPEN = [Decision.Status.NOT_STARTED, Decision.Status.IN_PROGRESS]


def overdue_decisions_count(today: date) -> Count:
    """An annotation for a Child queryset: that child's decisions not done and past their date.

    One join in the same query as the list, so a page of any length costs no extra queries.
    """
    return Count(
        "reviews__decisions",
        filter=Q(reviews__decisions__due_on__lt=today, reviews__decisions__status__in=OPEN),
    )


def overdue_decisions_by_iro(children: QuerySet, today: date) -> dict[int, int]:
    """IRO id -> overdue decisions across their children in `children` (already scoped)."""
    rows = (
        children.order_by()
        .values("current_iro")
        .annotate(n=overdue_decisions_count(today))
        .values_list("current_iro", "n")
    )
    return {iro: n for iro, n in rows if iro is not None}


def decisions_for(user) -> QuerySet:
    """Decisions `user` may read: those of children they may see, and those that name them."""
    visible = Decision.objects.visible_to(user)
    if not getattr(user, "is_authenticated", False):
        return visible  # nothing
    return visible | user.owned_decisions.all()


def decision_child(user, purpose: str, decision_id):
    """The child a decision belongs to, for someone who may read it (core.access): through the
    child's scope, or because the decision names them as its owner."""
    from carereview.core.access import scoped_child

    child = scoped_child(user, purpose, "reviews.Decision", decision_id)
    if child is None and getattr(user, "is_authenticated", False):
        owned = user.owned_decisions.filter(pk=decision_id).values("review__child")
        child = Child.objects.filter(pk__in=owned).first()  # scoped: decisions naming the user
    return child


# --- the owner's list ------------------------------------------------------------------------


@dataclass
class DecisionGroups:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    later: list = field(default_factory=list)
    done_recently: list = field(default_factory=list)
    outside: list = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.later)

    @property
    def empty(self) -> bool:
        return not (self.open_count or self.done_recently or self.outside)


def my_decisions(user, today: date, calendar: WorkingCalendar) -> DecisionGroups:
    """The decisions `user` owns, grouped: overdue, due soon, later, done recently. For an IRO,
    also the open decisions of their children owned by someone outside the system, which the IRO
    updates."""
    from carereview.core import policy

    soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    related = ("review__child", "owner", "progress_updated_by")
    groups = DecisionGroups()
    owned = user.owned_decisions.select_related(*related).order_by("due_on", "id")
    for d in owned.filter(status__in=OPEN):
        if d.due_on < today:
            groups.overdue.append(d)
        elif d.due_on <= soon:
            groups.due_soon.append(d)
        else:
            groups.later.append(d)
    groups.done_recently = list(
        owned.filter(
            status=Decision.Status.DONE, done_on__gte=today - timedelta(days=DONE_RECENTLY_DAYS)
        ).order_by("-done_on", "-id")
    )
    if policy.is_iro(user):
        groups.outside = list(
            Decision.objects.visible_to(user)
            .filter(owner__isnull=True, status__in=OPEN, review__child__current_iro=user)
            .select_related(*related)
            .order_by("due_on", "id")
        )
    return groups


# --- one child's decisions -----------------------------------------------------------------


@dataclass
class ChildDecisions:
    decisions: list
    today: date

    def _count(self, test) -> int:
        return sum(1 for d in self.decisions if test(d))

    @property
    def done(self) -> int:
        return self._count(lambda d: d.status == Decision.Status.DONE)

    @property
    def done_late(self) -> int:
        return self._count(
            lambda d: d.status == Decision.Status.DONE and d.done_on and d.done_on > d.due_on
        )

    @property
    def late(self) -> int:
        return self._count(lambda d: d.is_overdue(self.today))

    @property
    def in_progress(self) -> int:
        return self._count(
            lambda d: d.status == Decision.Status.IN_PROGRESS and not d.is_overdue(self.today)
        )

    @property
    def not_started(self) -> int:
        return self._count(
            lambda d: d.status == Decision.Status.NOT_STARTED and not d.is_overdue(self.today)
        )

    def rows(self):
        return [(d, d.is_overdue(self.today)) for d in self.decisions]


def child_decisions(user, child, today: date) -> ChildDecisions:
    """Every decision of the child's reviews, newest review first (the child already scoped)."""
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(review__child=child)
        .select_related("review", "owner", "progress_updated_by")
        .order_by("-review__held_on", "-review_id", "due_on", "id")
    )
    return ChildDecisions(decisions, today)


# --- the IRO's work list ------------------------------------------------------------------


def _superseded(user) -> Exists:
    """A later review was held since the one the check follows: the check no longer applies
    (it stays in the counts as not done where it fell due before that review)."""
    return Exists(
        Review.objects.visible_to(user).filter(
            child=OuterRef("child"),
            held_on__gt=OuterRef("after_review__held_on"),
        )
    )


@dataclass
class WorkList:
    today: date
    midway: list
    events: list
    decisions: list
    counts: MidwayCounts
    horizon: date
    period_start: date
    period_end: date

    @property
    def midway_overdue(self) -> int:
        return sum(1 for c in self.midway if c.due_on < self.today)

    @property
    def children_with_overdue_decisions(self) -> int:
        return len({d.review.child_id for d in self.decisions})

    @property
    def empty(self) -> bool:
        return not (self.midway or self.events or self.decisions)


def work_list(user, today: date, calendar: WorkingCalendar) -> WorkList:
    """The IRO's "Between reviews" list: midway checks due within 10 working days or overdue and
    not done, events not yet seen, and decisions overdue, across the IRO's children."""
    horizon = calendar.add_working_days(today, MIDWAY_HORIZON_WORKING_DAYS)
    midway = list(
        MidwayCheck.objects.visible_to(user)
        .filter(done_on__isnull=True, due_on__lte=horizon, child__in_care=True)
        .exclude(_superseded(user))
        .select_related("child", "after_review")
        .order_by("due_on", "id")
    )
    events = list(
        SignificantEvent.objects.visible_to(user)
        .filter(seen_at__isnull=True)
        .select_related("child", "reported_by")
        .order_by("occurred_on", "id")
    )
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(status__in=OPEN, due_on__lt=today)
        .select_related("review__child", "owner")
        .order_by("due_on", "id")
    )
    start, end = reporting_year(today)
    return WorkList(
        today=today,
        midway=midway,
        events=events,
        decisions=decisions,
        counts=midway_counts(user, start, end),
        horizon=horizon,
        period_start=start,
        period_end=end,
    )


# --- counts (rules.md §8) ------------------------------------------------------------------


def reporting_year(on: date) -> tuple[date, date]:
    """The reporting year (1 April to 31 March) that `on` falls in (rules.md §8)."""
    first = on.year if on.month >= 4 else on.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


@dataclass(frozen=True)
class MidwayCounts:
    """rules.md §8 "midway checks done": checks due in the period, done, and done on time."""

    due: int
    done: int
    done_on_time: int

    @property
    def not_done(self) -> int:
        return self.due - self.done


def midway_counts(user_or_queryset, period_start: date, period_end: date) -> MidwayCounts:
    """Midway checks whose due date falls in the period (inclusive): how many, how many done (at
    any date), and how many done on or before their due date. Given a user, their visible checks;
    given a queryset of MidwayCheck, those."""
    if isinstance(user_or_queryset, QuerySet):
        checks = user_or_queryset
    else:
        checks = MidwayCheck.objects.visible_to(user_or_queryset)
    totals = checks.filter(due_on__gte=period_start, due_on__lte=period_end).aggregate(
        due=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due_on"))),
    )
    return MidwayCounts(totals["due"], totals["done"], totals["on_time"])

"""What the child's page shows, worked out from the record (display logic only, no writes).
Moved from children.presenters (ADR 0013): it reads reviews, between reviews and disputes."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Exists, OuterRef

from carereview.children.models import Child
from carereview.children.services import periods_with_episodes
from carereview.engine.calendar import WorkingCalendar


def days_left(due: date | None, today: date) -> int | None:
    return (due - today).days if due else None


@dataclass
class ChildPresenter:
    child: Child
    today: date
    calendar: WorkingCalendar
    user: object

    @cached_property
    def disputes(self):
        from carereview.disputes.selectors import child_disputes

        return child_disputes(self.user, self.child, self.today)

    @cached_property
    def age(self) -> int:
        dob = self.child.date_of_birth
        t = self.today
        return t.year - dob.year - ((t.month, t.day) < (dob.month, dob.day))

    @cached_property
    def episodes(self):
        """The child's episodes in order (one query, for the periods and the latest placement)."""
        return list(self.child.episodes.order_by("decom", "id"))

    @cached_property
    def periods(self):
        return list(reversed(periods_with_episodes(self.episodes)))

    @cached_property
    def _all_reviews(self):
        """Every review of the child, held or not, in one query."""
        return list(self.child.reviews.all())

    @cached_property
    def reviews(self):
        held = [r for r in self._all_reviews if r.held_on is not None]
        return sorted(held, key=lambda r: (r.held_on, r.pk), reverse=True)

    @cached_property
    def open_review(self):
        preparing = [r for r in self._all_reviews if r.held_on is None]
        return max(preparing, key=lambda r: r.pk) if preparing else None

    @cached_property
    def relationships(self):
        return list(self.child.relationships.select_related("person"))

    @cached_property
    def siblings(self):
        """Each brother or sister, and whether the user may open their page (one query)."""
        visible = Child.objects.visible_to(self.user).filter(pk=OuterRef("pk"))
        siblings = self.child.siblings.select_related("current_iro").annotate(
            visible_to_user=Exists(visible)
        )
        return [(s, s.visible_to_user) for s in siblings]

    @cached_property
    def looked_after_family(self):
        """rules.md §4: the child's looked-after parents and, where the child is one, their
        children; each with whether the user may open their page and whether they wrongly share
        this child's IRO (a looked-after parent and their child have different IROs)."""
        visible = Child.objects.visible_to(self.user).filter(pk=OuterRef("pk"))
        rows = []
        for label, related in (
            ("Looked-after parent", self.child.looked_after_parents),
            ("Child of this looked-after parent", self.child.children_of_looked_after_parent),
        ):
            for other in related.select_related("current_iro").annotate(
                visible_to_user=Exists(visible)
            ):
                same = bool(
                    other.in_care
                    and other.current_iro_id
                    and other.current_iro_id == self.child.current_iro_id
                )
                rows.append((label, other, other.visible_to_user, same))
        return rows

    @cached_property
    def iro_history(self):
        return list(self.child.iro_allocations.select_related("iro", "allocated_by"))

    @cached_property
    def social_worker_history(self):
        return list(self.child.sw_allocations.select_related("social_worker", "allocated_by"))

    @cached_property
    def next_due(self) -> date | None:
        return self.child.next_review_due

    @cached_property
    def next_due_days_left(self) -> int | None:
        return days_left(self.next_due, self.today)

    @cached_property
    def overdue_days(self) -> int:
        return -(self.next_due_days_left or 0)

    @cached_property
    def overdue(self) -> bool:
        return bool(self.next_due and self.next_due < self.today)

    @cached_property
    def overdue_decisions(self) -> int:
        """Decisions of the child's reviews not done and past their date (issue 6): counted with
        the child where the view asked for it (`followup.selectors.overdue_decisions_count`)."""
        counted = getattr(self.child, "overdue_decisions", None)
        if counted is not None:
            return counted
        from carereview.reviews.models import Decision

        return (
            Decision.objects.visible_to(self.user)
            .filter(review__child=self.child, due_on__lt=self.today)
            .exclude(status=Decision.Status.DONE)
            .count()
        )

    @cached_property
    def midway_check(self):
        """The IRO's midway check still to do for the child, if any (issue 6)."""
        from carereview.followup.models import MidwayCheck

        return (
            MidwayCheck.objects.visible_to(self.user)
            .filter(child=self.child, done_on__isnull=True)
            .order_by("-after_review__held_on", "-id")
            .first()
        )

    @cached_property
    def placement_address(self):
        latest = self.episodes[-1] if self.episodes else None
        if latest is None or not self.child.in_care:
            return None
        return latest

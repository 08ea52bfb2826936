"""The demonstration's decisions (issue 6): each child's latest review decided a few things, with
an owner and a date, and most were done on time; some drift, so the between-reviews pages and the
overdue flags have something to show."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Subquery

from carereview.accounts.models import User
from carereview.children.models import Child
from carereview.reviews.models import Decision, Review

DECISIONS = [
    "Arrange a health assessment with the looked-after children's nurse",
    "Update the personal education plan with the new school",
    "Set up weekly family time with the child's grandmother",
    "Complete the life story work book with the child",
    "Refer for a child and adolescent mental health assessment",
    "Agree the plan for permanence at the next permanence planning meeting",
    "Arrange swimming lessons at the leisure centre",
    "Apply for the child's passport",
    "Arrange a dental check-up",
    "Review contact arrangements with the child's father",
    "Start the pathway plan with the personal adviser",
    "Find a mentor for the child at school",
]
CARER = "The foster carer"


def add_decisions(*, as_at: date, seed: int = 0) -> int:
    """Two to four decisions for the latest held review of each child in care."""
    rng = random.Random(f"decisions-{seed}")
    # Each child's latest held review (one query, in the reviews' own order, which the random
    # draws follow), with its child and their social worker and IRO.
    last_held = (
        Review.objects.filter(child=OuterRef("child"), held_on__isnull=False)
        .order_by()
        .values("child")
        .annotate(last=Max("held_on"))
        .values("last")[:1]
    )
    reviews = (
        Review.objects.filter(held_on__isnull=False, child__in_care=True)
        .filter(held_on=Subquery(last_held))
        .select_related("child__current_social_worker", "child__current_iro")
    )
    made: list[Decision] = []
    for review in reviews.iterator(chunk_size=5000):
        child: Child = review.child
        for text in rng.sample(DECISIONS, rng.choice([2, 3, 3, 4])):
            owner: User | None
            roll = rng.random()
            owner = child.current_social_worker if roll < 0.6 else None
            if 0.6 <= roll < 0.7:
                owner = child.current_iro
            assert review.held_on is not None  # filtered on held_on__isnull=False
            due = review.held_on + timedelta(days=rng.choice([14, 28, 42, 56, 84]))
            status = Decision.Status.NOT_STARTED
            done_on: date | None = None
            chance = rng.random()
            if due < as_at:
                if chance < 0.7:
                    status = Decision.Status.DONE
                    done_on = min(as_at, due - timedelta(days=rng.choice([-6, 0, 3, 7, 10])))
                elif chance < 0.85:
                    status = Decision.Status.IN_PROGRESS
            elif chance < 0.3:
                status = Decision.Status.IN_PROGRESS
            elif chance < 0.4:
                status = Decision.Status.DONE
                done_on = min(as_at, review.held_on + timedelta(days=rng.choice([3, 7, 10])))
            made.append(
                Decision(
                    review=review,
                    text=text,
                    owner=owner,
                    owner_description="" if owner else CARER,
                    due_on=due,
                    status=status,
                    done_on=done_on,
                    progress_note="Done." if done_on else "",
                )
            )
    Decision.objects.bulk_create(made, batch_size=2000)
    return len(made)


def complete_midway_checks(*, as_at: date, seed: int = 0) -> int:
    """Most midway checks already due were done, by their IRO, about on time; a few were not.

    Written as one UPDATE per (date done, outcome), whatever the number of checks: each check's
    IRO is read from its child in the same statement."""
    from carereview.followup.models import MidwayCheck

    rng = random.Random(f"midway-{seed}")
    groups: dict[tuple[date, MidwayCheck.Outcome], list[int]] = defaultdict(list)
    due = MidwayCheck.objects.filter(done_on__isnull=True, due_on__lt=as_at)
    for pk, due_on in due.order_by("due_on", "id").values_list("pk", "due_on").iterator(5000):
        if rng.random() < 0.15:
            continue
        done_on = min(as_at, due_on + timedelta(days=rng.choice([-5, -2, 0, 0, 3, 9])))
        outcome = rng.choice([MidwayCheck.Outcome.ON_TRACK] * 5 + [MidwayCheck.Outcome.CONCERNS])
        groups[(done_on, outcome)].append(pk)
    iro = Child.objects.filter(pk=OuterRef("child_id")).values("current_iro_id")[:1]
    for (done_on, outcome), ids in groups.items():
        for start in range(0, len(ids), 5000):
            MidwayCheck.objects.filter(pk__in=ids[start : start + 5000]).update(
                done_on=done_on,
                outcome=outcome,
                done_by=Subquery(iro),
                progress_note="Decisions progressing; spoke with the social worker.",
            )
    return sum(len(ids) for ids in groups.values())

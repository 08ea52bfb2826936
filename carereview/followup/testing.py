"""Builders for tests (issue 6): a child's held review with a decision, its midway check and a
significant event, made the way the service would make them. Only synthetic people."""

from dataclasses import dataclass
from datetime import date, timedelta

from carereview.children.services import refresh_summary
from carereview.followup import services
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.reviews.models import Decision, Review


@dataclass
class FollowupObjects:
    review: Review
    decision: Decision
    midway: MidwayCheck
    event: SignificantEvent


def make_followup_objects(
    child,
    *,
    reporter,
    owner=None,
    owner_description: str = "",
    held_on: date | None = None,
    decision_due: date | None = None,
) -> FollowupObjects:
    """A review of `child` held `held_on` (30 days ago by default, inside the child's period of
    care) with one decision owned by `owner` (or by `owner_description`, someone outside the
    system), the midway check `refresh_summary` makes for it, and a significant event that
    `reporter` (the child's social worker, say) told the IRO of."""
    held_on = held_on or date.today() - timedelta(days=30)
    review = Review.objects.create(
        child=child,
        held_on=held_on,
        participation_code="PN1",
        decisions_sent_on=held_on,
        record_sent_on=held_on,
    )
    decision = Decision.objects.create(
        review=review,
        text="Arrange a visit to the new school",
        owner=owner,
        owner_description=owner_description if owner is None else "",
        due_on=decision_due or held_on + timedelta(days=20),
    )
    refresh_summary(child)
    event = services.report_event(
        child,
        by=reporter,
        kind=SignificantEvent.Kind.SCHOOL_EXCLUSION,
        occurred_on=date.today() - timedelta(days=2),
        details="Excluded for two days.",
    )
    return FollowupObjects(review, decision, MidwayCheck.objects.get(after_review=review), event)

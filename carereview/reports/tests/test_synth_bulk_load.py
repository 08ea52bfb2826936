"""The bulk loader the national-scale benchmark depends on (`carereview synth`, issue 7) leaves
every child exactly as `children.services.refresh_summary` would: the same schedule on each
review, the same summary on the child, the same midway check and placement-change events. It
works the schedule out in memory and writes each table in bulk instead of child by child."""

from datetime import date

import pytest
from django.core.management import call_command

from carereview.children.models import Child
from carereview.children.services import refresh_summary
from carereview.core.models import AuditEvent
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.reviews.models import Review

AS_AT = date(2026, 11, 20)
CHILD_FIELDS = [
    "in_care",
    "looked_after_since",
    "current_legal_status",
    "current_placement",
    "next_review_due",
]
REVIEW_FIELDS = ["counts", "due_on", "on_time", "regime", "sequence", "data_error"]


def _state():
    return (
        list(Child.objects.order_by("pk").values_list("pk", *CHILD_FIELDS)),
        list(Review.objects.order_by("pk").values_list("pk", *REVIEW_FIELDS)),
        list(MidwayCheck.objects.order_by("pk").values_list("pk", "after_review", "due_on")),
        list(SignificantEvent.objects.order_by("pk").values_list("pk", "episode", "details")),
    )


@pytest.mark.django_db
def test_bulk_load_matches_refresh_summary_child_by_child():
    call_command("synth", children=80, seed=5, as_at=AS_AT, password="pw-x")
    loaded = _state()
    audits = AuditEvent.objects.filter(operation__in=["midway.create", "event.report"]).count()
    assert audits == len(loaded[2]) + len(loaded[3]) > 0
    for child in Child.objects.order_by("pk"):
        refresh_summary(child, as_at=AS_AT)
    assert _state() == loaded
    assert any(r[1] for r in loaded[1]) and any(c[1] for c in loaded[0])

"""Figures worked out once and kept for a few minutes (`reports.Snapshot`), for pages that add
up the whole service: at 100,000 children no page can count every review or decision on each
view and still answer in 100 ms (issue 7)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from carereview.reports.models import Snapshot


def kept(
    key: str, minutes: int, compute: Callable[[], dict], *, refresh: bool = False
) -> tuple[dict, datetime]:
    """The figures kept under `key` if worked out less than `minutes` ago (one query); else
    `compute()`d now and kept (two more queries: snapshots a day old go, this one is written).
    Returns the figures and when they were worked out."""
    now = timezone.now()
    if not refresh:
        found = (
            Snapshot.objects.filter(key=key, computed_at__gte=now - timedelta(minutes=minutes))
            .only("computed_at", "figures")
            .first()
        )
        if found is not None:
            return found.figures, found.computed_at
    figures = compute()
    Snapshot.objects.filter(computed_at__lt=now - timedelta(days=1)).delete()
    Snapshot.objects.bulk_create(
        [Snapshot(key=key, computed_at=now, figures=figures)],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["computed_at", "figures"],
    )
    return figures, now


def kept_records() -> int:
    """Kept figures (for `forget_kept`): few, and each one row."""
    return Snapshot.objects.count()


def forget_kept(calendar=None) -> int:
    """After a bank-holiday change (core.calendar): the kept figures were added up from dates
    now worked out again, so they go, and the next view adds them up anew."""
    return Snapshot.objects.all().delete()[0]

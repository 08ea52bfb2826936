"""Shared by the dispute tests: a fixed day, a child with a drifting decision, and a way to move
the clock (core.calendar.today reads timezone.localdate)."""

from datetime import date

import pytest
from django.utils import timezone

from carereview.core.testing import make_child

#: A Monday with no bank holiday within ten working days: a stage opened today is due 16 Feb 2026.
DAY = date(2026, 2, 2)
DUE = date(2026, 2, 16)
HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def on_day(monkeypatch):
    def move(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    move(DAY)
    return move


@pytest.fixture
def child(service, on_day):
    """A child of the IRO and of Sam (Tara's team), reviewed on 1 Dec 2025."""
    return make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=date(2025, 6, 1),
        reviews=[date(2025, 12, 1)],
        first_name="Robin",
        last_name="Wrenfield",
        as_at=DAY,
    )


@pytest.fixture
def drifting(child, service):
    """A decision of the review, due 15 Jan 2026, not started: it has drifted."""
    review = child.reviews.get()
    return review.decisions.create(
        text="Start life-story work with Robin",
        due_on=date(2026, 1, 15),
        owner=service.social_worker,
    )

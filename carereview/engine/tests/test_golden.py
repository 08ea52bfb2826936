"""The twelve worked examples of ../shared/fixtures/ssda903/golden/ through compute_schedule."""

import pytest

from carereview.engine.schedule import ChildSchedule, compute_schedule

from .golden import AS_AT, expected_children, golden_children

CHILDREN = golden_children()
EXPECTED = expected_children()


def as_json(schedule: ChildSchedule) -> dict:
    """The schedule as ``carereview ssda903 check --format json`` prints it for one child."""
    return {
        "next_due": schedule.next_due.isoformat() if schedule.next_due else None,
        "overdue": schedule.overdue,
        "reviews": [
            {
                "date": r.date.isoformat(),
                "due": r.due.isoformat(),
                "on_time": r.on_time,
                "regime": r.regime,
                "sequence": r.sequence,
            }
            for r in schedule.reviews
        ],
    }


def test_fixture_has_every_expected_child():
    assert sorted(CHILDREN) == sorted(EXPECTED)


@pytest.mark.parametrize("child", sorted(EXPECTED))
def test_golden_child(child):
    data = CHILDREN[child]
    schedule = compute_schedule(data.episodes, data.reviews, AS_AT)
    assert as_json(schedule) == EXPECTED[child]


def test_golden_data_errors():
    """G04 and G05: a second review on one day; G07: a review between two periods."""
    errors = {
        child: [(e.kind, e.review_date and e.review_date.isoformat()) for e in schedule.errors]
        for child, data in CHILDREN.items()
        if (schedule := compute_schedule(data.episodes, data.reviews, AS_AT)).errors
    }
    assert errors == {
        "G04": [("same_day", "2024-09-28")],
        "G05": [("same_day", "2024-05-10")],
        "G07": [("outside_period", "2023-12-15")],
    }

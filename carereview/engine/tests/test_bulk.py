"""compute_schedules_bulk agrees exactly with compute_schedule, child by child."""

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from carereview.engine.bulk import (
    COUNTED,
    OUTSIDE_PERIOD,
    REGIMES,
    SAME_DAY,
    UNREADABLE,
    BulkSchedules,
    EpisodeColumns,
    ReviewColumns,
    compute_schedules_bulk,
)
from carereview.engine.periods import Episode
from carereview.engine.schedule import compute_schedule

from .golden import AS_AT, golden_children
from .strategies import as_at_dates, child_cases

Child = tuple[list[Episode], list[date | None]]
ERROR_KINDS = {OUTSIDE_PERIOD: "outside_period", SAME_DAY: "same_day", UNREADABLE: "unreadable"}


def to_columns(children: list[Child], seed: int) -> tuple[EpisodeColumns, ReviewColumns, list]:
    """Column arrays of the children's rows, interleaved across children, and each review
    row's (child, row within child)."""
    rng = np.random.default_rng(seed)
    ep_rows = _shuffle_keeping_child_order([len(eps) for eps, _ in children], rng)
    rv_rows = _shuffle_keeping_child_order([len(rvs) for _, rvs in children], rng)
    eps = [children[c][0][i] for c, i in ep_rows]
    episodes = EpisodeColumns(
        child=np.array([c for c, _ in ep_rows], dtype=np.int64),
        decom=np.array([e.decom for e in eps], dtype="datetime64[D]"),
        dec=np.array([e.dec or "NaT" for e in eps], dtype="datetime64[D]"),
        rne=np.array([e.rne for e in eps], dtype=str),
        ls=np.array([e.ls for e in eps], dtype=str),
        place=np.array([e.place for e in eps], dtype=str),
        rec=np.array([e.rec or "" for e in eps], dtype=str),
    )
    reviews = ReviewColumns(
        child=np.array([c for c, _ in rv_rows], dtype=np.int64),
        date=np.array([children[c][1][i] or "NaT" for c, i in rv_rows], dtype="datetime64[D]"),
    )
    return episodes, reviews, rv_rows


def _shuffle_keeping_child_order(lengths: list[int], rng: np.random.Generator) -> list:
    labels = np.repeat(np.arange(len(lengths)), lengths)
    rng.shuffle(labels)
    taken = [0] * len(lengths)
    rows = []
    for child in labels.tolist():
        rows.append((child, taken[child]))
        taken[child] += 1
    return rows


def _day(value: np.datetime64) -> date | None:
    return None if np.isnat(value) else value.astype(date)


def assert_agrees(children: list[Child], as_at: date, seed: int = 0) -> BulkSchedules:
    episodes, reviews, rv_rows = to_columns(children, seed)
    bulk = compute_schedules_bulk(episodes, reviews, len(children), as_at)
    for child, (eps, held) in enumerate(children):
        expected = compute_schedule(eps, held, as_at)
        rows = [r for r, (c, _) in enumerate(rv_rows) if c == child]
        counted = sorted(
            (
                held[rv_rows[r][1]],
                _day(bulk.review_due[r]),
                bool(bulk.review_on_time[r]),
                REGIMES[bulk.review_regime[r]],
                int(bulk.review_sequence[r]),
            )
            for r in rows
            if bulk.review_status[r] == COUNTED
        )
        assert counted == [
            (r.date, r.due, r.on_time, r.regime, r.sequence) for r in expected.reviews
        ]
        errors = [
            (ERROR_KINDS[bulk.review_status[r]], held[rv_rows[r][1]])
            for r in sorted(rows, key=lambda r: rv_rows[r][1])
            if bulk.review_status[r] in ERROR_KINDS
        ]
        assert errors == [(e.kind, e.review_date) for e in expected.errors]
        assert _day(bulk.next_due[child]) == expected.next_due
        assert _day(bulk.next_due_practical[child]) == expected.next_due_practical
        assert bool(bulk.overdue[child]) == expected.overdue
        regime = bulk.next_regime[child]
        assert (REGIMES[regime] if regime >= 0 else None) == expected.next_regime
        assert (int(bulk.next_sequence[child]) or None) == expected.next_sequence
    return bulk


@settings(max_examples=300, deadline=None)
@given(
    children=st.lists(child_cases(), min_size=1, max_size=6),
    as_at=as_at_dates,
    seed=st.integers(0, 9),
)
def test_bulk_agrees_with_compute_schedule(children, as_at, seed):
    assert_agrees(children, as_at, seed)


def test_golden_fixture_through_bulk():
    children = golden_children()
    assert_agrees([(c.episodes, c.reviews) for c in children.values()], AS_AT)


def test_no_rows():
    assert_agrees([], AS_AT)
    assert_agrees([([], [])], AS_AT)

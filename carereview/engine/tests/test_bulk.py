"""compute_schedules_bulk agrees exactly with compute_schedule, child by child."""

from collections.abc import Sequence
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from carereview.engine.bulk import (
    AFTER_AS_AT,
    COUNTED,
    OUTSIDE_PERIOD,
    REGIMES,
    SAME_DAY,
    UNREADABLE,
    BulkSchedules,
    EpisodeColumns,
    ReviewColumns,
    _stable_sort,
    compute_schedules_bulk,
)
from carereview.engine.periods import Episode
from carereview.engine.schedule import compute_schedule

from .golden import AS_AT, expected_children, golden_children
from .strategies import as_at_dates, child_cases

Child = tuple[list[Episode], Sequence[date | None]]
ERROR_KINDS = {OUTSIDE_PERIOD: "outside_period", SAME_DAY: "same_day", UNREADABLE: "unreadable"}


def to_columns(children: Sequence[Child], seed: int) -> tuple[EpisodeColumns, ReviewColumns, list]:
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
    """(child, row within child) for every row, children shuffled together, each child's own
    rows in their order (the order decides which of two same-day reviews counts)."""
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


def assert_agrees(children: Sequence[Child], as_at: date, seed: int = 0) -> BulkSchedules:
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
    """The twelve worked examples through the bulk path give exactly expected.json."""
    children = golden_children()
    cases = [(c.episodes, c.reviews) for c in children.values()]
    assert_agrees(cases, AS_AT)
    expected = expected_children()
    episodes, reviews, rv_rows = to_columns(cases, seed=1)
    bulk = compute_schedules_bulk(episodes, reviews, len(cases), AS_AT)
    for index, name in enumerate(children):
        rows = [r for r, (c, _) in enumerate(rv_rows) if c == index and bulk.review_counted[r]]
        rows.sort(key=lambda r: cases[index][1][rv_rows[r][1]])
        due = bulk.next_due[index]
        assert {
            "next_due": None if np.isnat(due) else str(due),
            "overdue": bool(bulk.overdue[index]),
            "reviews": [
                {
                    "date": cases[index][1][rv_rows[r][1]].isoformat(),
                    "due": str(bulk.review_due[r]),
                    "on_time": bool(bulk.review_on_time[r]),
                    "regime": REGIMES[bulk.review_regime[r]],
                    "sequence": int(bulk.review_sequence[r]),
                }
                for r in rows
            ],
        } == expected[name]


def test_no_rows():
    assert_agrees([], AS_AT)
    assert_agrees([([], [])], AS_AT)


def test_review_status_codes_and_object_code_columns():
    """G07 with an unreadable review, one held after the as-at date and one twice; codes as
    Python objects with None for a blank REC."""
    episodes = EpisodeColumns(
        child=np.array([0, 0]),
        decom=np.array(["2023-04-01", "2024-03-01"], dtype="datetime64[D]"),
        dec=np.array(["2023-09-30", "NaT"], dtype="datetime64[D]"),
        rne=np.array(["S", "S"], dtype=object),
        ls=np.array(["V2", "C1"], dtype=object),
        place=np.array(["U1", "U1"], dtype=object),
        rec=np.array(["E13", None], dtype=object),
    )
    held = ["2023-04-28", "2023-12-15", "NaT", "2024-03-28", "2024-03-28", "2026-12-01"]
    reviews = ReviewColumns(child=np.zeros(6, int), date=np.array(held, dtype="datetime64[D]"))
    bulk = compute_schedules_bulk(episodes, reviews, 1, AS_AT)
    assert bulk.review_status.tolist() == [
        COUNTED,
        OUTSIDE_PERIOD,
        UNREADABLE,
        COUNTED,
        SAME_DAY,
        AFTER_AS_AT,
    ]
    assert bulk.review_counted.tolist() == [True, False, False, True, False, False]
    assert bulk.review_due[[0, 3]].tolist() == [date(2023, 5, 3), date(2024, 4, 2)]
    assert bulk.review_sequence.tolist() == [1, 0, 0, 1, 0, 0]
    assert bulk.next_due.tolist() == [date(2024, 6, 28)]
    assert bulk.overdue.tolist() == [True]


@given(keys=st.lists(st.integers(0, 2**62), max_size=50) | st.lists(st.integers(0, 5), max_size=50))
def test_stable_sort_is_a_stable_argsort(keys):
    key = np.array(keys, dtype=np.int64)
    order, sorted_key = _stable_sort(key)
    assert order.tolist() == np.argsort(key, kind="stable").tolist()
    assert sorted_key.tolist() == sorted(keys)


def test_a_period_ending_on_the_as_at_date_is_closed_in_bulk_too():
    """rules.md §3: a period whose end is the as-at date is closed: no next due date, in bulk
    as child by child (a short-breaks period's end is six months after its last stay)."""
    from .build import d, ep

    as_at = d("20/11/2026")
    children = [
        ([ep("01/04/2026", "20/11/2026", ls="C2")], [d("28/04/2026")]),
        ([ep("01/04/2026", "20/05/2026", ls="V3")], [d("28/04/2026")]),
        ([ep("01/04/2026", "21/11/2026", ls="C2")], [d("28/04/2026")]),
    ]
    bulk = assert_agrees(children, as_at)
    assert [_day(v) for v in bulk.next_due] == [None, None, d("28/07/2026")]

"""Time compute_schedules_bulk on a synthetic national return.

    uv run python -m carereview.engine.tests.bench_bulk [children] [--shuffled]

Each child has 5 episodes (mostly continuous placements, some returns to care, short breaks and
placements for adoption) and 10 reviews, a few of them repeated or unreadable. Rows are grouped
by child as in a 903 file unless ``--shuffled``.
"""

import sys
import time
from datetime import date

import numpy as np

from carereview.engine.bulk import EpisodeColumns, ReviewColumns, compute_schedules_bulk
from carereview.engine.calendar import default_calendar

EPISODES_PER_CHILD = 5
REVIEWS_PER_CHILD = 10
AS_AT = date(2026, 3, 31)


def synthetic_return(
    n_children: int, rng: np.random.Generator
) -> tuple[EpisodeColumns, ReviewColumns]:
    """Column arrays of a synthetic return, rows grouped by child."""
    e, r = EPISODES_PER_CHILD, REVIEWS_PER_CHILD
    start = np.datetime64("2016-01-01") + rng.integers(0, 3500, n_children).astype("m8[D]")
    length = rng.integers(1, 300, (n_children, e)).astype("m8[D]")
    gap = np.where(rng.random((n_children, e)) < 0.1, rng.integers(1, 200, (n_children, e)), 0)
    steps = np.cumsum(length + gap.astype("m8[D]"), axis=1)
    decom = start[:, None] + np.concatenate(
        [np.zeros((n_children, 1), "m8[D]"), steps[:, :-1]], axis=1
    )
    dec = decom + length
    dec[:, -1] = np.where(rng.random(n_children) < 0.7, np.datetime64("NaT"), dec[:, -1])
    next_gap = np.concatenate([gap[:, 1:], np.ones((n_children, 1), int)], axis=1)
    rec = np.where(next_gap == 0, "X1", "E13")
    rne = np.where(gap > 0, "S", rng.choice(["P", "L", "T"], (n_children, e)))
    rne[:, 0] = "S"
    ls = rng.choice(
        ["C2", "C1", "V2", "E1", "V3", "V4"], (n_children, e), p=[0.4, 0.2, 0.2, 0.1, 0.07, 0.03]
    )
    place = rng.choice(
        ["U1", "U3", "R1", "K2", "A5", "A6"], (n_children, e), p=[0.4, 0.3, 0.1, 0.1, 0.05, 0.05]
    )
    review_gap = rng.integers(0, 190, (n_children, r)).astype("m8[D]")
    held = start[:, None] + np.cumsum(review_gap, axis=1)
    held[rng.random((n_children, r)) < 0.01] = np.datetime64("NaT")
    child = np.arange(n_children)
    return (
        EpisodeColumns(
            child=np.repeat(child, e),
            decom=decom.ravel(),
            dec=dec.ravel(),
            rne=rne.ravel(),
            ls=ls.ravel(),
            place=place.ravel(),
            rec=np.where(np.isnat(dec), "", rec).ravel(),
        ),
        ReviewColumns(child=np.repeat(child, r), date=held.ravel()),
    )


def _shuffled(columns, rng: np.random.Generator):
    order = rng.permutation(columns.child.size)
    return type(columns)(**{name: getattr(columns, name)[order] for name in columns.__slots__})


def main(argv: list[str]) -> None:
    n_children = int(next((a for a in argv if a.isdigit()), 200_000))
    rng = np.random.default_rng(903)
    episodes, reviews = synthetic_return(n_children, rng)
    if "--shuffled" in argv:
        episodes, reviews = _shuffled(episodes, rng), _shuffled(reviews, rng)
    calendar = default_calendar()
    wall, cpu = [], []
    for _ in range(5):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = compute_schedules_bulk(episodes, reviews, n_children, AS_AT, calendar)
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    print(
        f"{n_children} children, {episodes.child.size} episodes, {reviews.child.size} reviews: "
        f"wall best {min(wall):.3f}s median {sorted(wall)[2]:.3f}s, "
        f"CPU best {min(cpu):.3f}s median {sorted(cpu)[2]:.3f}s of 5 runs; "
        f"{int(result.review_counted.sum())} reviews counted, {int(result.overdue.sum())} overdue"
    )


if __name__ == "__main__":
    main(sys.argv[1:])

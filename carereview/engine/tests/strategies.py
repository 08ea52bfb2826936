"""Hypothesis strategies: a child's episodes and review dates, with the awkward cases."""

from datetime import date, timedelta

from hypothesis import strategies as st

from carereview.engine.periods import Episode

FIRST = date(2019, 1, 1)
LAST = date(2027, 12, 31)

dates = st.dates(min_value=FIRST, max_value=LAST)

# How an episode ends and the next begins.
LINKS = ("x1_same_day", "x1_gap", "ended_gap", "ended_same_day", "overlap")


@st.composite
def episodes(draw: st.DrawFn, max_episodes: int = 5) -> list[Episode]:
    """A child's episodes in DECOM order: continuations, gaps, short-break stays, placements
    for adoption, RNE S mid-period, open or closed last episode."""
    n = draw(st.integers(1, max_episodes))
    decom = draw(st.dates(min_value=FIRST, max_value=date(2026, 6, 30)))
    result = []
    for i in range(n):
        ls = draw(st.sampled_from(["C1", "C2", "V2", "V3", "V3", "V4", "E1"]))
        place = draw(st.sampled_from(["U1", "U3", "R1", "A5", "A6"]))
        rne = "S" if i == 0 else draw(st.sampled_from(["S", "P", "L", "T"]))
        length = draw(st.integers(0, 400))
        dec = decom + timedelta(days=length)
        last = i == n - 1
        if last and draw(st.booleans()):
            result.append(Episode(decom, None, rne, ls, place, None))
            break
        link = draw(st.sampled_from(LINKS))
        rec = "X1" if link.startswith("x1") else draw(st.sampled_from(["E13", "E11", "E4A"]))
        result.append(Episode(decom, dec, rne, ls, place, rec))
        match link:
            case "x1_same_day" | "ended_same_day":
                decom = dec
            case "x1_gap" | "ended_gap":
                decom = dec + timedelta(days=draw(st.integers(1, 300)))
            case "overlap":
                decom = dec - timedelta(days=draw(st.integers(0, length)))
    return result


@st.composite
def review_dates(draw: st.DrawFn, around: list[Episode]) -> list[date | None]:
    """Review dates near a child's episodes: mostly a run of reviews every few weeks or months
    from the first episode, plus stray dates (often outside every period), a repeated date and
    an unreadable one."""
    held: list[date | None] = []
    day = around[0].decom
    for gap in draw(st.lists(st.integers(0, 200), max_size=10)):
        day += timedelta(days=gap)
        held.append(day)
    start = around[0].decom - timedelta(days=60)
    near = st.dates(min_value=start, max_value=min(LAST, start + timedelta(days=1800)))
    held += draw(st.lists(near, max_size=2))
    if draw(st.booleans()):
        held.append(None)
    if held:
        if draw(st.booleans()):
            held.append(draw(st.sampled_from(held)))
    return draw(st.permutations(held))


@st.composite
def child_cases(draw: st.DrawFn) -> tuple[list[Episode], list[date | None]]:
    """A child's episodes and review dates."""
    eps = draw(episodes())
    return eps, draw(review_dates(eps))


as_at_dates = st.just(LAST) | st.dates(min_value=date(2019, 6, 1), max_value=LAST)

"""Synthetic SSDA903 folders (Header, Episodes, Reviews as CSV) for tests and benchmarks.

``write_folder(folder, n_children, seed)`` writes a realistic return: each child has one or two
periods of care over several years (about 5 episodes and 8 reviews a child on average), reviews
held roughly on the statutory timetable (sometimes late), participation codes by age, a few
children on short breaks (LS V3) and a few placed for adoption. ``faults`` (0 to 1) mixes in
the data errors the DfE review rules look for: unreadable and blank dates, PN0 after the 4th
birthday and PN1 before it, reviews on the 4th birthday, missing Header rows, DOB mismatches,
short-breaks-only children with reviews or MOTHER, reviews of children with no episode, blank
CHILD, invalid and lower-case codes, duplicate rows.

Plain Python and deterministic for a seed; no Django.
"""

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..engine.calendar import add_months
from .tables import COLUMNS

PLACES = ("U1", "U2", "U3", "U4", "U5", "U6", "R1", "K2", "P1", "S1", "T1", "R2", "Z14")
ADOPTION_PLACES = ("A3", "A4", "A5", "A6")
LEGAL = ("C2", "C2", "C2", "C1", "V2", "V2", "E1", "J1", "L1")
NEED = tuple(f"N{i}" for i in range(1, 9))
CHANGES = ("P", "T", "L", "U", "B")
ENDINGS = ("E11", "E12", "E13", "E4A", "E41", "E8", "E17")
PLACE_CHANGE = ("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CHILD", "LAREQ", "OTHER")
OVER_FOUR = ("PN1", "PN1", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
BAD_DATES = (
    "",
    "31/02/2021",
    "2021-05-01",
    "13/13/2013",
    "00/01/2020",
    "29/02/2021",
    "1/2/2020",
    "01/02/20",
    "32/01/2020",
    "not a date",
    "05/5/2022",
)
BAD_CODES = ("", "PN8", "pn1", "PN", "X")


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@dataclass
class _Child:
    id: str
    dob: date
    mother: str = ""
    episodes: list[list[str]] = field(default_factory=list)
    reviews: list[list[str]] = field(default_factory=list)


class _Maker:
    def __init__(self, seed: int, as_at: date, faults: float) -> None:
        self.rng = random.Random(seed)
        self.as_at = as_at
        self.faults = faults

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def fault(self, weight: float = 1.0) -> bool:
        return self.faults > 0 and self.rng.random() < self.faults * weight

    def day_between(self, first: date, last: date) -> date:
        span = max((last - first).days, 0)
        return first + timedelta(days=self.rng.randint(0, span))

    def child(self, child_id: str) -> _Child:
        rng = self.rng
        dob = self.day_between(self.as_at - timedelta(days=17 * 365), self.as_at - timedelta(30))
        if self.fault(0.05):
            dob = date(rng.choice((2012, 2016, 2020)), 2, 29)
        child = _Child(child_id, dob)
        if self.chance(0.03):
            self.short_breaks(child)
        else:
            self.in_care(child)
        if self.chance(0.05):
            child.mother = rng.choice(("0", "1"))
        return child

    def short_breaks(self, child: _Child) -> None:
        """A series of short-break stays (LS V3), a few days each, months apart."""
        rng = self.rng
        start = self.day_between(max(child.dob, self.as_at - timedelta(days=4 * 365)), self.as_at)
        while start < self.as_at - timedelta(days=7):
            end = start + timedelta(days=rng.randint(1, 6))
            child.episodes.append(
                [child.id, _d(start), "S", "V3", "N1", "U1", "PR1", _d(end), "E13", "", "", "", ""]
            )
            start = end + timedelta(days=rng.randint(20, 240))
        if child.episodes and self.fault(2.0):
            self.held_reviews(child, _parse(child.episodes[0][1]), 3)

    def in_care(self, child: _Child) -> None:
        rng = self.rng
        # Years in care so far, skewed long: a return counts every child looked after in the
        # year, and those in care for years have most of the reviews.
        years = 8 * rng.random() ** 0.8
        start = max(child.dob, self.as_at - timedelta(days=int(years * 365) + 20))
        periods = 2 if self.chance(0.15) else 1
        for period in range(periods):
            if start >= self.as_at:
                break
            n_episodes = max(1, round(rng.gauss(5 if periods == 1 else 3, 2)))
            end = self.period(child, start, n_episodes, last=period == periods - 1)
            if end is None:
                break
            start = end + timedelta(days=rng.randint(30, 500))

    def period(self, child: _Child, start: date, n_episodes: int, last: bool) -> date | None:
        """Episodes of one period joined by X1, and its reviews; the period's end or None."""
        rng = self.rng
        legal = rng.choice(LEGAL)
        adoption_at = rng.randint(1, n_episodes) if legal == "E1" and self.chance(0.5) else None
        ends_open = last and self.chance(0.8)
        decom: date | None = start
        stop = self.as_at if ends_open else self.day_between(start, self.as_at)
        days = max((stop - start).days, n_episodes)
        cuts = sorted(rng.sample(range(1, days), min(n_episodes - 1, days - 1)))
        dates = [start + timedelta(days=c) for c in cuts]
        for index in range(len(dates) + 1):
            dec = dates[index] if index < len(dates) else (None if ends_open else stop)
            rne = "S" if index == 0 else rng.choice(CHANGES)
            if rne in ("L", "U", "B"):
                legal = rng.choice(LEGAL)
            adopted = adoption_at is not None and index >= adoption_at
            place = rng.choice(ADOPTION_PLACES if adopted else PLACES)
            rec = "" if dec is None else ("X1" if index < len(dates) else rng.choice(ENDINGS))
            reason = rng.choice(PLACE_CHANGE) if rne in ("P", "T", "U", "B") else ""
            child.episodes.append(
                [
                    child.id,
                    _d(decom),
                    rne,
                    "E1" if adopted else legal,
                    rng.choice(NEED),
                    place,
                    "" if place.startswith(("T", "Z")) else rng.choice(("PR0", "PR1", "PR2")),
                    _d(dec),
                    rec,
                    reason,
                    "",
                    "",
                    str(rng.randint(1000000, 9999999)) if place.startswith("K") else "",
                ]
            )
            decom = dec
        self.held_reviews(child, start, None, until=None if ends_open else stop)
        return None if ends_open else stop

    def held_reviews(
        self, child: _Child, start: date, limit: int | None, until: date | None = None
    ) -> None:
        """Reviews roughly on the standard timetable (20 working days, 3 months, then 6)."""
        rng = self.rng
        last = min(until or self.as_at, self.as_at)
        held = start + timedelta(days=rng.randint(21, 34))
        count = 0
        while held <= last and (limit is None or count < limit):
            child.reviews.append([child.id, _d(child.dob), _d(held), self.code(child.dob, held)])
            count += 1
            months = 3 if count == 1 else 6
            held = add_months(held, months) + timedelta(days=rng.randint(-25, 4))

    def code(self, dob: date, held: date) -> str:
        fourth = add_months(dob, 48)
        if self.fault(0.3):
            return "PN1" if held < fourth else "PN0"  # 441 / 440
        return "PN0" if held < fourth else self.rng.choice(OVER_FOUR)

    def spoil(self, child: _Child) -> None:
        """Mix in the data errors of the review rules."""
        rng = self.rng
        for review in child.reviews:
            if self.fault(0.05):
                review[2] = rng.choice(BAD_DATES)
            if self.fault(0.05):
                review[3] = rng.choice(BAD_CODES)
            if self.fault(0.03):
                review[1] = _d(child.dob + timedelta(days=rng.choice((-400, -1, 1, 31))))
            if self.fault(0.02):
                fourth = add_months(child.dob, 48)
                review[1:4] = [_d(child.dob), _d(fourth), rng.choice(("PN0", "PN1", "PN3"))]
        if child.reviews and self.fault(0.05):
            child.reviews.append(list(rng.choice(child.reviews)))
        if self.fault(0.02):
            child.reviews.append([child.id, "", "", ""])
        if self.fault(0.02):
            child.reviews.append([child.id, _d(child.dob), "", "PN1"])
        if child.episodes and self.fault(0.03):
            del child.episodes[:]  # reviews without episodes (1012)
        if self.fault(0.02):
            for row in child.episodes:
                row[3] = rng.choice(("V3", "V4"))  # short breaks only (399)


def _parse(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def write_folder(
    folder: Path | str,
    n_children: int,
    seed: int = 0,
    *,
    as_at: date = date(2026, 3, 31),
    faults: float = 0.0,
) -> dict[str, int]:
    """Write ``header.csv``, ``episodes.csv`` and ``reviews.csv`` for ``n_children`` children
    into ``folder``; return the row count of each file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    maker = _Maker(seed, as_at, faults)
    rng = maker.rng
    ids = rng.sample(range(100000, 100000 + 10 * n_children), n_children)
    counts = {"header": 0, "episodes": 0, "reviews": 0}
    with (
        open(folder / "header.csv", "w", newline="", encoding="utf-8") as h,
        open(folder / "episodes.csv", "w", newline="", encoding="utf-8") as e,
        open(folder / "reviews.csv", "w", newline="", encoding="utf-8") as r,
    ):
        header, episodes, reviews = csv.writer(h), csv.writer(e), csv.writer(r)
        header.writerow(COLUMNS["Header"])
        episodes.writerow(COLUMNS["Episodes"])
        reviews.writerow(COLUMNS["Reviews"])
        for number in ids:
            child = maker.child(str(number))
            if faults:
                maker.spoil(child)
            if not maker.fault(0.03):  # missing Header row (INT08)
                dob = child.dob
                if maker.fault(0.02):
                    dob += timedelta(days=rng.choice((-1, 1, 365)))  # INT17
                sex = rng.choice(("M", "F", "1", "2"))
                header_id = "" if maker.fault(0.005) else child.id
                header.writerow([header_id, sex, _d(dob), "WBRI", "", child.mother, ""])
                counts["header"] += 1
                if maker.fault(0.01):  # a second Header row with another DOB
                    header.writerow(
                        [child.id, sex, _d(dob + timedelta(days=2)), "WBRI", "", "", ""]
                    )
                    counts["header"] += 1
            if maker.fault(0.005):
                for row in child.reviews:
                    row[0] = ""
            episodes.writerows(child.episodes)
            reviews.writerows(child.reviews)
            counts["episodes"] += len(child.episodes)
            counts["reviews"] += len(child.reviews)
    return counts

"""Write a generated authority as SSDA903 CSV files (Header, Episodes, Reviews)."""

import csv
from pathlib import Path

from carereview.ssda903.tables import COLUMNS

from .generator import Authority


def _d(d) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def write(authority: Authority, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"header": 0, "episodes": 0, "reviews": 0}
    with (
        open(folder / "header.csv", "w", newline="") as h,
        open(folder / "episodes.csv", "w", newline="") as e,
        open(folder / "reviews.csv", "w", newline="") as r,
    ):
        header = csv.writer(h)
        episodes = csv.writer(e)
        reviews = csv.writer(r)
        header.writerow(COLUMNS["Header"])
        episodes.writerow(COLUMNS["Episodes"])
        reviews.writerow(COLUMNS["Reviews"])
        for c in authority.children:
            header.writerow([c.key, c.sex, _d(c.dob), c.ethnicity, c.upn, "", ""])
            counts["header"] += 1
            for ep in c.episodes:
                episodes.writerow(
                    [
                        c.key,
                        _d(ep.decom),
                        ep.rne,
                        ep.ls,
                        ep.cin,
                        ep.place,
                        ep.place_provider,
                        _d(ep.dec),
                        ep.rec,
                        ep.reason_place_change,
                        ep.home_post,
                        ep.pl_post,
                        ep.urn,
                    ]
                )
                counts["episodes"] += 1
            for rv in c.reviews:
                reviews.writerow([c.key, _d(c.dob), _d(rv.held_on), rv.code])
                counts["reviews"] += 1
    return counts

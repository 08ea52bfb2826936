"""The golden SSDA903 fixture (../shared/fixtures/ssda903/golden/), read with the csv module."""

import csv
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from carereview.engine.periods import Episode

REPO = Path(__file__).resolve().parents[3]
GOLDEN = Path(os.environ.get("CAREREVIEW_SHARED", REPO.parent / "shared")) / (
    "fixtures/ssda903/golden"
)
AS_AT = date(2026, 11, 20)


def parse_date(text: str) -> date | None:
    """A dd/mm/YYYY date, or None where blank or unreadable."""
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


@dataclass
class GoldenChild:
    episodes: list[Episode] = field(default_factory=list)
    reviews: list[date | None] = field(default_factory=list)


def _rows(name: str) -> list[dict[str, str]]:
    with (GOLDEN / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def golden_children() -> dict[str, GoldenChild]:
    """Each child of header.csv with its episodes and review dates, in file order."""
    children = {row["CHILD"]: GoldenChild() for row in _rows("header.csv")}
    for row in _rows("episodes.csv"):
        decom = parse_date(row["DECOM"])
        assert decom is not None, row
        children[row["CHILD"]].episodes.append(
            Episode(
                decom=decom,
                dec=parse_date(row["DEC"]),
                rne=row["RNE"],
                ls=row["LS"],
                place=row["PLACE"],
                rec=row["REC"] or None,
            )
        )
    for row in _rows("reviews.csv"):
        children[row["CHILD"]].reviews.append(parse_date(row["REVIEW"]))
    return children


def expected_children() -> dict[str, dict]:
    """expected.json's ``children``: reviews, next_due and overdue per child."""
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    assert expected["as_at"] == AS_AT.isoformat()
    return expected["children"]

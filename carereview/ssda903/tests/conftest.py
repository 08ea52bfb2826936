"""Fixtures of the SSDA903 tests: folders of 903 files written on the fly, the shared fixtures,
and the ``validator`` marker for tests that run the DfE validator (tools/be903_validator.py)."""

import csv
import io
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from carereview.ssda903.check import run_check, write_json
from carereview.ssda903.folder import read_folder
from carereview.ssda903.reader import Return
from carereview.ssda903.tables import COLUMNS

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("CAREREVIEW_SHARED", REPO.parent / "shared"))
FIXTURES = SHARED / "fixtures" / "ssda903"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "validator: runs csc-validator-be-903 through tools/be903_validator.py (its venv is "
        "made under var/ on first use)",
    )


def write_table(folder: Path, name: str, table: str, rows: list[dict[str, str]]) -> Path:
    """A CSV of ``table`` with the given rows (missing columns blank)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS[table], restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


MakeFolder = Callable[..., Path]


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """``make_folder(header=[...], episodes=[...], reviews=[...])``: a folder of those tables
    (a table given as None is left out)."""
    count = 0

    def make(
        header: list[dict] | None = None,
        episodes: list[dict] | None = None,
        reviews: list[dict] | None = None,
    ) -> Path:
        nonlocal count
        count += 1
        folder = tmp_path / f"return{count}"
        folder.mkdir()
        for name, table, rows in (
            ("header.csv", "Header", header),
            ("episodes.csv", "Episodes", episodes),
            ("reviews.csv", "Reviews", reviews),
        ):
            if rows is not None:
                write_table(folder, name, table, rows)
        return folder

    return make


@pytest.fixture
def make_return(make_folder: MakeFolder) -> Callable[..., Return]:
    """``make_return(header=..., episodes=..., reviews=...)``: such a folder, read."""

    def make(**tables: list[dict] | None) -> Return:
        return read_folder(make_folder(**tables))

    return make


def check_json(folder: Path, as_at: date = date(2026, 3, 31)) -> dict:
    """The JSON ``check`` prints for a folder, in process."""
    import json

    out = io.StringIO()
    write_json(run_check(folder, as_at), out)
    return json.loads(out.getvalue())


def finding_rows(result: dict) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["table"], f["row"]) for f in result["findings"]}


def flagged(rule, data: Return) -> dict[str, list[int]]:
    """A rule's flagged rows as plain lists, tables with none left out."""
    return {table: rows.tolist() for table, rows in rule.flags(data).items() if rows.size}


def to_xml(folder: Path) -> str:
    """The folder's Header, Episodes and Reviews as an EXPSSDA903 document."""

    def rows(name: str) -> list[dict]:
        with (folder / name).open(newline="") as f:
            return list(csv.DictReader(f))

    episodes, reviews = rows("episodes.csv"), rows("reviews.csv")
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>"]
    for child in rows("header.csv"):
        parts.append("<CHILD><HEADER>")
        for column, value in child.items():
            name = "CHILDID" if column == "CHILD" else column
            parts.append(f"<{name}>{value}</{name}>" if value else f"<{name}/>")
        for review in reviews:
            if review["CHILD"] == child["CHILD"]:
                parts.append(
                    f"<AREVIEW><REVIEW>{review['REVIEW']}</REVIEW>"
                    f"<REVIEW_CODE>{review['REVIEW_CODE']}</REVIEW_CODE></AREVIEW>"
                )
        parts.append("</HEADER>")
        for episode in episodes:
            if episode["CHILD"] == child["CHILD"]:
                parts.append("<EPISODE>")
                for column, value in episode.items():
                    if column != "CHILD":
                        name = "PL" if column == "PLACE" else column
                        parts.append(f"<{name}>{value}</{name}>")
                parts.append("</EPISODE>")
        parts.append("</CHILD>")
    parts.append("</EXPSSDA903>\n")
    return "".join(parts)

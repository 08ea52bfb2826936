"""Our findings agree with csc-validator-be-903 0.1.17, row for row (spec/ssda903.md).

Runs the validator itself through ``tools/be903_validator.py`` (its venv is made under var/ on
first use, from Python 3.11) on the DfE's public sample, the golden examples, and synthetic
returns full of the errors the rules look for.
"""

import importlib.util
import random
from pathlib import Path

import pytest

from carereview.ssda903.synthetic import write_folder

from .conftest import FIXTURES, REPO, check_json, finding_rows, to_xml, write_table

pytestmark = pytest.mark.validator

USED = {"Header", "Episodes", "Reviews"}


def _tool():
    spec = importlib.util.spec_from_file_location(
        "be903_validator", REPO / "tools/be903_validator.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def validator_rows(folder: Path) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["table"], f["row"]) for f in _tool().run(folder) if f["table"] in USED}


def assert_agree(folder: Path) -> set:
    ours = finding_rows(check_json(folder))
    theirs = validator_rows(folder)
    assert sorted(ours - theirs) == [] and sorted(theirs - ours) == []
    return ours


def test_be903_fake_sample():
    rows = assert_agree(FIXTURES / "be903-fake")
    assert len(rows) == 6837


def test_golden_examples():
    assert len(assert_agree(FIXTURES / "golden")) == 14


@pytest.mark.parametrize(
    ("children", "seed", "faults"),
    [(1500, 11, 0.0), (800, 12, 0.15), (600, 13, 0.4), (400, 14, 0.8), (300, 15, 1.0)],
)
def test_synthetic_returns(tmp_path: Path, children: int, seed: int, faults: float):
    write_folder(tmp_path, children, seed=seed, faults=faults)
    rows = assert_agree(tmp_path)
    if faults >= 0.4:  # every rule has something to find
        assert {rule for rule, _, _ in rows} == {
            "166", "167", "399", "440", "441", "1012", "INT08", "INT17"
        }  # fmt: skip


def test_edge_cases(tmp_path: Path):
    """Blank children, odd date forms, lower case, duplicate Header rows, MOTHER 0, blank
    review rows, leap-day and 4th-birthday reviews, children missing from tables."""
    rng = random.Random(5)
    ids = ["A1", "a2", "B3", "", "C4", "D5", "E6"]
    dobs = ["29/02/2020", "1/3/2019", "10/10/2010", "", "31/12/2021", "01/01/2022", "bad"]
    header, episodes, reviews = [], [], []
    for child, dob in zip(ids, dobs, strict=True):
        if child != "E6":
            header.append({"CHILD": child, "DOB": dob, "MOTHER": rng.choice(["", "0", "1"])})
        if child in ("C4",):
            header.append({"CHILD": child, "DOB": "30/12/2021"})
        for ls in rng.sample(["V3", "V4", "C2", "V3"], rng.randint(0, 3)):
            episodes.append({"CHILD": child, "DECOM": "01/04/2024", "RNE": "S", "LS": ls})
        for review, code in [
            ("29/02/2024", "PN0"),
            ("28/02/2024", "PN1"),
            ("1/3/2023", "pn1"),
            ("01/03/2023", "PN0"),
            ("31/12/2025", "PN3"),
            ("", ""),
            ("", "PN2"),
            ("05/05/2025", ""),
            ("30/02/2024", "PN0"),
        ]:
            if rng.random() < 0.7:
                reviews.append(
                    {"CHILD": child, "DOB": rng.choice([dob, dob, "01/01/2015"]),
                     "REVIEW": review, "REVIEW_CODE": code}
                )  # fmt: skip
    write_table(tmp_path, "header.csv", "Header", header)
    write_table(tmp_path, "episodes.csv", "Episodes", episodes)
    write_table(tmp_path, "reviews.csv", "Reviews", reviews)
    (tmp_path / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\nA1,1,29/02/2020,01/01/2038\n")
    assert len(assert_agree(tmp_path)) > 10


def test_missing_tables(tmp_path: Path):
    write_folder(tmp_path / "full", 200, seed=21, faults=0.5)
    only_reviews = tmp_path / "only_reviews"
    only_reviews.mkdir()
    (only_reviews / "reviews.csv").write_bytes((tmp_path / "full/reviews.csv").read_bytes())
    assert_agree(only_reviews)
    (only_reviews / "header.csv").write_bytes((tmp_path / "full/header.csv").read_bytes())
    assert_agree(only_reviews)


def test_xml(tmp_path: Path):
    """The same return as XML. The validator's rule 1012 cannot run on XML (it merges the
    empty tables an XML upload makes, which have no CHILD column), so it is left out."""
    write_folder(tmp_path / "csv", 300, seed=31, faults=0.5)
    (tmp_path / "xml").mkdir()
    (tmp_path / "xml" / "return.xml").write_text(to_xml(tmp_path / "csv"))
    ours = {f for f in finding_rows(check_json(tmp_path / "xml")) if f[0] != "1012"}
    theirs = {f for f in validator_rows(tmp_path / "xml") if f[0] != "1012"}
    assert sorted(ours - theirs) == [] and sorted(theirs - ours) == []
    assert {rule for rule, _, _ in ours} >= {"166", "167", "399", "440", "441"}

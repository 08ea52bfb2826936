"""The golden worked examples: ``carereview ssda903 check`` prints expected.json (spec/ssda903.md).

Compared for every child's reviews, next_due and overdue, and the findings as
(rule, table, row) sets; messages are not compared.
"""

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from .conftest import FIXTURES, REPO, check_json, finding_rows

GOLDEN = FIXTURES / "golden"
AS_AT = "2026-11-20"


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))


def assert_matches(result: dict, expected: dict) -> None:
    assert result["as_at"] == expected["as_at"]
    assert set(result["children"]) == set(expected["children"])
    for child, want in expected["children"].items():
        got = result["children"][child]
        assert {k: got[k] for k in ("reviews", "next_due", "overdue")} == want, child
    assert finding_rows(result) == finding_rows(expected)


def test_the_command_prints_expected_json(expected: dict):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "carereview", "ssda903", "check", str(GOLDEN)]
    run = subprocess.run(  # noqa: S603
        [*command, "--as-at", AS_AT, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert_matches(json.loads(run.stdout), expected)
    # README.md and expected.json are not 903 tables: named on stderr and skipped.
    assert "README.md" in run.stderr and "expected.json" in run.stderr


def test_check_in_process_matches(expected: dict):
    assert_matches(check_json(GOLDEN, date.fromisoformat(AS_AT)), expected)


def test_every_finding_has_child_and_message():
    result = check_json(GOLDEN, date.fromisoformat(AS_AT))
    for finding in result["findings"]:
        assert set(finding) == {"rule", "table", "row", "child", "message"}
        assert finding["child"].startswith("G") and finding["message"]


def test_reviews_that_do_not_count_are_reported():
    result = check_json(GOLDEN, date.fromisoformat(AS_AT))
    errors = {(e["check"], e["child"], e["row"]) for e in result["data_errors"]}
    # G07's review between its two periods; G04's and G05's second reviews on one day.
    assert errors == {("outside_period", "G07", 15), ("same_day", "G04", 5), ("same_day", "G05", 8)}

"""The command-line contract: exit statuses, messages, the text form."""

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES, REPO


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "carereview", "ssda903", "check", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


def test_findings_still_exit_zero():
    result = run(str(FIXTURES / "be903-fake"), "--as-at", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["findings"]) == 6837


def test_a_missing_folder_exits_two_naming_it(tmp_path: Path):
    result = run(str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and result.stdout == ""


def test_an_unreadable_file_exits_two_naming_file_row_and_column(tmp_path: Path):
    (tmp_path / "reviews.csv").write_bytes(
        b"CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/01/2015,01/06/2025,PN1\nB,01/01/2015,\xff,PN1\n"
    )
    result = run(str(tmp_path))
    assert result.returncode == 2
    assert "reviews.csv, row 1, column REVIEW" in result.stderr


def test_a_bad_as_at_exits_two(tmp_path: Path):
    result = run(str(tmp_path), "--as-at", "20/11/2026")
    assert result.returncode == 2 and "--as-at" in result.stderr


def test_text_format_is_readable():
    result = run(str(FIXTURES / "golden"), "--as-at", "2026-11-20", "--format", "text")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "SSDA903 check as at 20/11/2026" in text
    assert "README.md: skipped: not a 903 table" in text
    assert "G01" in text and "next review due 30/11/2026" in text
    assert "G02" in text and "22/10/2026 due 21/10/2026 LATE" in text
    assert "Findings: 14" in text and "440   Reviews row 11 (G06)" in text


def test_today_is_the_default_as_at():
    from django.utils import timezone

    result = run(str(FIXTURES / "golden"))
    assert json.loads(result.stdout)["as_at"] == timezone.localdate().isoformat()


def test_the_plain_entry_without_django_prints_the_same():
    args = [str(FIXTURES / "golden"), "--as-at", "2026-11-20"]
    plain = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "carereview.ssda903.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert plain.returncode == 0
    assert plain.stdout == run(*args).stdout

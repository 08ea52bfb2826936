"""The layers of ADR 0013 are checked: `lint-imports` (CI's stage "import layers") passes on the
code as it is, and fails on a copy of it given an upward import, a cycle inside an app, or a new
app with no layer."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _keep_python(folder: str, names: list[str]) -> set[str]:
    return {
        n
        for n in names
        if n == "__pycache__" or (not n.endswith(".py") and not (Path(folder) / n).is_dir())
    }


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The package and its contracts, copied where they can be broken."""
    where = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "carereview", where / "carereview", ignore=_keep_python)
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    return where


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    # The copy comes first on the path, before the installed (editable) carereview.
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]
        + ["--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _broken_by(copy: Path, path: str, line: str) -> subprocess.CompletedProcess:
    module = copy / path
    kept = module.read_text() if module.exists() else None
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text((kept or "") + "\n" + line + "\n")
    try:
        return lint_imports(copy)
    finally:
        if kept is None:
            module.unlink()
        else:
            module.write_text(kept)


def test_the_code_keeps_every_contract(copy):
    run = lint_imports(copy)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_an_upward_import_fails(copy):
    # core knows no domain app: even an import inside a function counts.
    run = _broken_by(
        copy,
        "carereview/core/errors.py",
        "def _reach_up():\n    from carereview.portal.models import PortalAccess  # noqa\n",
    )
    assert run.returncode == 1
    assert "carereview.core is not allowed to import carereview.portal" in run.stdout
    assert "carereview.core.errors -> carereview.portal.models" in run.stdout


def test_a_cycle_inside_an_app_fails(copy):
    # ssda903.fastcsv reads with ssda903.reader's tables: reader importing it back is a cycle.
    run = _broken_by(copy, "carereview/ssda903/reader.py", "from . import fastcsv  # noqa")
    assert run.returncode == 1
    assert "No cycles are allowed in carereview.ssda903" in run.stdout


def test_a_type_only_import_is_not_a_dependency(copy):
    run = _broken_by(
        copy,
        "carereview/core/errors.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from carereview.portal.models import PortalAccess  # noqa\n",
    )
    assert run.returncode == 0, run.stdout


def test_a_new_app_needs_a_layer(copy):
    run = _broken_by(copy, "carereview/newapp/__init__.py", "")
    assert run.returncode == 1
    assert "The following modules are not listed as layers" in run.stdout
    assert "- carereview.newapp" in run.stdout


def test_documents_check_sits_above_the_copy_it_checks(copy):
    # The record is built below the check (documents.release): reaching up to it is refused.
    run = _broken_by(
        copy,
        "carereview/documents/records.py",
        "def _gate():\n    from carereview.documents.release import released_to  # noqa\n",
    )
    assert run.returncode == 1
    assert "carereview.documents.records -> carereview.documents.release" in run.stdout


def test_no_known_upward_import_is_left():
    """Each contract ignores only the tests and the test helpers (ADR 0013): no upward import is
    let through by name."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    allowed = {
        "carereview.*.tests.* -> carereview.**",
        "carereview.*.testing -> carereview.**",
        "carereview.engine.tests.* -> carereview.**",
        "carereview.documents.tests.* -> carereview.**",
    }
    for contract in config["contracts"]:
        assert set(contract.get("ignore_imports", [])) <= allowed, contract["id"]

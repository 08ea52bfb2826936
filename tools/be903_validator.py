"""Run the DfE's community validator (csc-validator-be-903) on an SSDA903 folder.

    python tools/be903_validator.py DIR [--rules 166,167,...] [--python PATH]

Prints the rows it flags for the review rules (166, 167, 399, 440, 441, 1012, INT08, INT17 by
default) as one JSON list of ``{"rule", "table", "row"}``, sorted; ``row`` is the 0-based data row
of the table's file, as in ``carereview ssda903 check``.

The validator needs Python < 3.13 and pandas 1.5, so it lives in its own virtual environment,
``var/be903-venv`` under the repository root, made on first use from Python 3.11
(``$(pyenv prefix 3.11.7)/bin/python``; ``--python`` or ``BE903_PYTHON`` overrides it) and
``pip install csc-validator-be-903==0.1.17``. Nothing is installed by hand: a fresh machine gets
the same environment. The script runs itself inside that environment (``--inner``) to do the
work, so this file is read by two Pythons and keeps to what 3.11 understands.

Files are chosen as the validator itself recognises them: a CSV whose header is exactly the
column set of a 903 table (a UTF-8 BOM allowed), or, where the folder has XML files, the first
XML file. Other files are named on stderr and left out (the validator would refuse the upload).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

VALIDATOR = "csc-validator-be-903==0.1.17"
PYTHON_VERSION = "3.11.7"
RULES = ("166", "167", "399", "440", "441", "1012", "INT08", "INT17")
RULESET = "lac2025_26"
REPO = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("BE903_VENV", REPO / "var" / "be903-venv"))
READY = ".carereview-ready"

#: The validator's own table recognition (lac_validator/config.py), for choosing files.
TABLES = {
    "Header": {"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"},
    "Episodes": {
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    },
    "Reviews": {"CHILD", "DOB", "REVIEW", "REVIEW_CODE"},
    "UASC": {"CHILD", "SEX", "DOB", "DUC"},
    "OC2": {
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    },
    "OC3": {"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"},
    "AD1": {
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    },
    "PlacedAdoption": {
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    },
    "PrevPerm": {"CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"},
    "Missing": {"CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"},
    "SWEpisodes": {"CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"},
    "DoLo": {"CHILD", "DOB", "DOLO_START", "DOLO_END"},
}


class ToolError(Exception):
    """The validator's environment could not be made, or the validator could not run."""


def base_python(explicit: str | None = None) -> str:
    """The Python 3.11 the environment is made from."""
    for candidate in (explicit, os.environ.get("BE903_PYTHON")):
        if candidate:
            return candidate
    pyenv = shutil.which("pyenv") or next(
        (
            p
            for p in (Path.home() / ".pyenv/bin/pyenv", Path("/root/.pyenv/bin/pyenv"))
            if p.exists()
        ),
        None,
    )
    if pyenv:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [str(pyenv), "prefix", PYTHON_VERSION], capture_output=True, text=True, check=False
        )
        prefix = result.stdout.strip()
        if result.returncode == 0 and prefix and Path(prefix, "bin/python").exists():
            return str(Path(prefix, "bin/python"))
    found = shutil.which("python3.11")
    if found:
        return found
    raise ToolError(
        f"no Python {PYTHON_VERSION} for the validator: install it with "
        f"`pyenv install {PYTHON_VERSION}` or pass --python / set BE903_PYTHON"
    )


def venv_python(venv: Path = VENV) -> Path:
    return venv / "bin" / "python"


def ensure_venv(venv: Path = VENV, python: str | None = None, quiet: bool = True) -> Path:
    """Make the validator's environment if it is missing or half made; return its Python.

    A lock file keeps two processes from building it at once; a marker written last tells a
    finished environment from one whose install was interrupted.
    """
    if (venv / READY).exists():
        return venv_python(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / (venv.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (venv / READY).exists():
            return venv_python(venv)
        if venv.exists():
            shutil.rmtree(venv)
        base = base_python(python)
        print(f"be903_validator: making {venv} from {base} ...", file=sys.stderr)
        quiet_flags = ["-q"] if quiet else []
        steps = [
            [base, "-m", "venv", str(venv)],
            [
                str(venv_python(venv)),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                *quiet_flags,
                VALIDATOR,
            ],
        ]
        for step in steps:
            result = subprocess.run(step, check=False, stdout=sys.stderr)  # noqa: S603
            if result.returncode != 0:
                raise ToolError(f"failed ({result.returncode}): {' '.join(step)}")
        (venv / READY).write_text(VALIDATOR + "\n")
    return venv_python(venv)


def _csv_table(path: Path) -> str | None:
    """The 903 table a CSV's header names, as the validator recognises it, or None."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            header = next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError):
        return None
    for name, columns in TABLES.items():
        if set(header) == columns:
            return name
    return None


def choose_files(folder: Path) -> list[Path]:
    """The files of ``folder`` the validator is given (see the module docstring)."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    xml = [p for p in files if p.suffix.lower() == ".xml"]
    if xml:
        for skipped in xml[1:]:
            print(f"be903_validator: skipped {skipped.name} (one XML file only)", file=sys.stderr)
        return xml[:1]
    chosen = []
    for path in files:
        if path.suffix.lower() == ".csv" and _csv_table(path):
            chosen.append(path)
        else:
            print(f"be903_validator: skipped {path.name} (not a 903 table)", file=sys.stderr)
    return chosen


def run(folder: Path, rules: tuple[str, ...] = RULES, python: str | None = None) -> list[dict]:
    """The validator's findings on ``folder`` for ``rules`` (made environment on first use)."""
    interpreter = ensure_venv(python=python)
    command = [str(interpreter), str(Path(__file__).resolve()), "--inner", str(folder)]
    command += ["--rules", ",".join(rules)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ToolError(f"validator failed on {folder}:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout)


def _inner(folder: Path, rules: tuple[str, ...]) -> list[dict]:
    """Inside the validator's environment: run it and collect the flagged rows."""
    import logging

    logging.disable(logging.CRITICAL)
    import importlib

    from lac_validator import lac_validator

    registry = importlib.import_module(f"lac_validator.rules.{RULESET}").registry
    missing = [rule for rule in rules if rule not in registry]
    if missing:
        raise SystemExit(f"rules not in the validator's {RULESET}: {missing}")
    files = [
        {"name": str(path), "description": "This year", "file_content": path.read_bytes()}
        for path in choose_files(folder)
    ]
    metadata = {"collectionYear": "2026", "localAuthority": "E09000027"}
    validator = lac_validator.LacValidator(
        metadata=metadata, files=files, registry=registry, selected_rules=list(rules)
    )
    if validator.fails:
        print(f"be903_validator: rules failed to run: {validator.fails}", file=sys.stderr)
    findings = []
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for rule in rules:
            column = f"ERR_{rule}"
            if column in frame.columns:
                flagged = frame.index[frame[column].eq(True)]
                findings.extend({"rule": rule, "table": table, "row": int(i)} for i in flagged)
    findings.sort(key=lambda f: (f["rule"], f["table"], f["row"]))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rules", default=",".join(RULES), help="comma-separated rule codes")
    parser.add_argument("--python", help=f"the Python {PYTHON_VERSION} to make the venv from")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--setup-only", action="store_true", help="make the venv and stop")
    args = parser.parse_args(argv)
    rules = tuple(r.strip() for r in args.rules.split(",") if r.strip())
    if args.inner:
        json.dump(_inner(args.folder, rules), sys.stdout)
        sys.stdout.write("\n")
        return 0
    try:
        if args.setup_only:
            print(ensure_venv(python=args.python, quiet=False))
            return 0
        if not args.folder.is_dir():
            raise ToolError(f"{args.folder} is not a folder")
        findings = run(args.folder, rules, args.python)
    except ToolError as error:
        print(f"be903_validator: {error}", file=sys.stderr)
        return 2
    with contextlib.suppress(BrokenPipeError):
        json.dump(findings, sys.stdout)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``ssda903 check`` as a plain function, shared by the Django management command and by any
caller that wants the check without starting Django (it needs no database).

``carereview/cli.py`` may route ``carereview ssda903 check ...`` here directly
(``sys.exit(carereview.ssda903.cli.main(argv[3:]))``) to save Django's start-up time; the
output and exit statuses are the same either way.
"""

import argparse
import sys
from datetime import date, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from .check import run_check, write_json, write_text
from .reader import ReadError

#: Where "today" is, for the default as-at date (the settings' TIME_ZONE).
TIME_ZONE = ZoneInfo("Europe/London")


class CheckFailed(Exception):
    """The folder or a file cannot be read, or an argument is wrong: exit status 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="a folder of SSDA903 CSV or XML files")
    parser.add_argument(
        "--as-at",
        dest="as_at",
        metavar="YYYY-MM-DD",
        default=None,
        help="the date the schedule is worked out at (default: today)",
    )
    parser.add_argument("--format", choices=("json", "text"), default="json")


def as_at_date(text: str | None, today: date | None = None) -> date:
    if not text:
        return today or datetime.now(TIME_ZONE).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CheckFailed(f"--as-at {text!r} is not a date YYYY-MM-DD") from None


def check(
    folder: str,
    as_at: str | None,
    output_format: str,
    out: TextIO,
    err: TextIO,
    today: date | None = None,
) -> None:
    """Check ``folder`` and print the result; raises ``CheckFailed`` (exit status 2)."""
    when = as_at_date(as_at, today)
    try:
        result = run_check(folder, when)
    except ReadError as error:
        raise CheckFailed(str(error)) from error
    if output_format == "json":
        for note in result.data.files:
            if note.table is None or note.note != "read":
                err.write(f"ssda903 check: {note.path.name}: {note.note}\n")
        write_json(result, out)
    else:
        write_text(result, out)


def main(argv: list[str] | None = None) -> int:
    """``carereview ssda903 check`` without Django: 0, or 2 with a message on stderr."""
    parser = argparse.ArgumentParser(prog="carereview ssda903 check")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        check(args.folder, args.as_at, args.format, sys.stdout, sys.stderr)
    except CheckFailed as error:
        sys.stderr.write(f"CommandError: {error}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

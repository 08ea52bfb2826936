"""``ssda903 check`` as a plain function, shared by the Django management command and by any
caller that wants the check without starting Django (it needs no database).

``carereview/cli.py`` may route ``carereview ssda903 check ...`` here directly
(``sys.exit(carereview.ssda903.cli.main(argv[3:]))``) to save Django's start-up time; the
output and exit statuses are the same either way.

Bank holidays (issue 12 item 10): standalone, the check counts working days over the package's
list (``holidays``); inside a deployment, known by DATABASE_URL in the environment (which
production settings require), or with ``--bank-holidays authority``, over the authority's own
table, with its short-breaks window. The management command, run inside Django, always uses
the authority's.
"""

import argparse
import os
import sys
from collections.abc import Mapping
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


def add_bank_holidays_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bank-holidays",
        dest="bank_holidays",
        choices=("package", "authority"),
        default=None,
        help="whose bank holidays count: the package's list, or the authority's table in the "
        "deployment's database (default: the authority's where DATABASE_URL is set, as in a "
        "deployment; else the package's)",
    )


def bank_holidays_from(environment: Mapping[str, str]) -> str:
    """The bank holidays to count: the authority's inside a deployment (its environment names
    its database: production settings require DATABASE_URL), else the package's."""
    return "authority" if environment.get("DATABASE_URL") else "package"


def authority_schedule_settings() -> dict:
    """The authority's calendar and short-breaks window, read through Django (set up here if
    it is not yet: production settings unless DJANGO_SETTINGS_MODULE names others). Raises
    ``CheckFailed`` where the settings cannot start."""
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carereview.config.settings.production")
        try:
            django.setup()
        except ImproperlyConfigured as problem:
            raise CheckFailed(
                f"{problem} The authority's bank holidays are read through the deployment's "
                "settings; --bank-holidays package checks with the package's list instead."
            ) from problem
    from carereview.children.services import adoption_ended_resumes, short_break_window_months
    from carereview.core.calendar import working_calendar

    return {
        "calendar": working_calendar(),
        "short_break_window_months": short_break_window_months(),
        "adoption_ended_resumes": adoption_ended_resumes(),
    }


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
    schedule_settings: dict | None = None,
) -> None:
    """Check ``folder`` and print the result; raises ``CheckFailed`` (exit status 2).
    ``schedule_settings``: the calendar and short-breaks window (default: the package's)."""
    when = as_at_date(as_at, today)
    try:
        result = run_check(folder, when, **(schedule_settings or {}))
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
    add_bank_holidays_argument(parser)
    args = parser.parse_args(argv)
    source = args.bank_holidays or bank_holidays_from(os.environ)
    try:
        schedule = authority_schedule_settings() if source == "authority" else None
        check(args.folder, args.as_at, args.format, sys.stdout, sys.stderr, None, schedule)
    except CheckFailed as error:
        sys.stderr.write(f"CommandError: {error}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

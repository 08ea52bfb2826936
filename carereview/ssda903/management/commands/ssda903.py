"""``carereview ssda903 check DIR [--as-at YYYY-MM-DD] [--format json|text]`` (spec/ssda903.md).

A thin layer over ``carereview.ssda903.cli``: an unreadable folder or file, or a bad argument,
is a ``CommandError`` with exit status 2 and a message naming the file, row and column.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from carereview.ssda903 import cli


class Command(BaseCommand):
    help = "Work with SSDA903 returns (the children looked after return)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        cli.add_arguments(
            actions.add_parser(
                "check",
                help="Check a folder of 903 files (CSV or XML): each child's review schedule "
                "and the DfE review rules' findings. Changes nothing.",
            )
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            try:
                cli.check(
                    options["folder"],
                    options["as_at"],
                    options["format"],
                    options.get("stdout") or sys.stdout,
                    options.get("stderr") or sys.stderr,
                    today=timezone.localdate(),
                    # Inside Django: the authority's bank holidays and short-breaks window.
                    schedule_settings=cli.authority_schedule_settings(),
                )
            except cli.CheckFailed as error:
                raise CommandError(str(error), returncode=2) from error

"""The `carereview` console command: Django's management commands under one name.

`carereview demo`, `carereview synth`, `carereview ssda903 check DIR`, and every Django command
(`carereview migrate`, `carereview check --deploy`, ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carereview.config.settings.local")

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "carereview"
    if argv[1:3] == ["ssda903", "check"]:
        # The check reads files and touches no database: it runs without starting Django, which
        # is most of its time on a small return. Same output and exit statuses either way.
        from carereview.ssda903.cli import main as check

        sys.exit(check(argv[3:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

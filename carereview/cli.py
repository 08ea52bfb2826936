"""The `carereview` console command: Django's management commands under one name.

`carereview demo`, `carereview synth`, `carereview ssda903 check DIR`, and every Django command
(`carereview migrate`, `carereview check --deploy`, ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carereview.config.settings.local")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "carereview"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

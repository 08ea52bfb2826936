"""The `carereview` console command: Django's management commands under one name.

`carereview demo`, `carereview synth`, `carereview ssda903 check DIR`, and every Django command
(`carereview migrate`, `carereview check --deploy`, ...).

Settings (issue 12, item 8): every command runs with production settings unless
DJANGO_SETTINGS_MODULE names others, so a deployment never runs with debug pages on and messages
printed instead of sent. Production settings refuse to start without their environment, and the
command line says so plainly (exit status 2). Only commands that touch no deployment choose the
local settings themselves: `demo`, `synth --no-load`, and help.
"""

import os
import sys

PRODUCTION = "carereview.config.settings.production"
LOCAL = "carereview.config.settings.local"

#: Commands (or the lack of one) that choose the local settings themselves.
_HELP = {"help", "--help", "-h", "--version", "version"}


def settings_for(argv: list[str]) -> str:
    """The settings module a command runs with where DJANGO_SETTINGS_MODULE names none."""
    command = argv[1] if len(argv) > 1 else "help"
    if command == "demo" or command in _HELP:
        return LOCAL
    if command == "synth" and "--no-load" in argv[2:]:
        return LOCAL
    return PRODUCTION


def _refuse_without_settings(module: str) -> None:
    """Load the settings now, so that a missing environment is one clear message."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings module)
    except ImproperlyConfigured as problem:
        sys.stderr.write(
            f"carereview: {problem}\n"
            f"The command line runs with {module} unless DJANGO_SETTINGS_MODULE names other "
            "settings.\nTo try the system on this machine, run `carereview demo`; to run a "
            f"command on the demo's database, set DJANGO_SETTINGS_MODULE={LOCAL}.\n"
        )
        sys.exit(2)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "carereview"
    if argv[1:3] == ["ssda903", "check"]:
        # The check reads files and touches no database: it runs without starting Django, which
        # is most of its time on a small return. Same output and exit statuses either way.
        # Inside a deployment it reads the authority's bank holidays (ssda903/cli.py).
        from carereview.ssda903.cli import main as check

        sys.exit(check(argv[3:]))
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_for(argv)
    _refuse_without_settings(os.environ["DJANGO_SETTINGS_MODULE"])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

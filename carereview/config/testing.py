"""For the tests: run the `carereview` command line in a new process, as a deployment would."""

import os
import subprocess  # noqa: S404 - runs this project's own command line
import sys

#: What production settings read to start: none of it is passed on unless a test gives it.
PRODUCTION_VARIABLES = {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m carereview ARGS` with this environment less PRODUCTION_VARIABLES, plus `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "carereview", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

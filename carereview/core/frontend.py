"""Install and build the GOV.UK Frontend assets (npm), only when they are missing or stale."""

import fcntl
import shutil
import subprocess  # noqa: S404 - runs npm, a fixed program with fixed arguments
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.PACKAGE_DIR) / "core" / "frontend" / "app.scss"
BUILT = Path(settings.PACKAGE_DIR) / "core" / "static" / "build" / "app.css"
# GOV.UK Frontend's script, copied beside the stylesheet by the same `npm run build`.
SCRIPT = BUILT.parent / "govuk-frontend.min.js"
PACKAGE = Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "package.json"
LOCK = Path(settings.BASE_DIR) / "package-lock.json"
# Held while installing or building, so two processes at once (the test suite's workers under
# pytest-xdist, or `demo` started while the tests run) wait for each other instead of both running
# npm over the same files. A dot file: collectstatic leaves it out.
BUILD_LOCK = BUILT.parent / ".build.lock"


class FrontendUnavailable(RuntimeError):
    pass


def _npm(*args: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise FrontendUnavailable(
            "npm is not installed. Install Node.js and npm (Debian: apt-get install -y npm), "
            "then run this again."
        )
    result = subprocess.run(  # noqa: S603
        [npm, *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise FrontendUnavailable(f"npm {' '.join(args)} failed:\n{result.stderr[-2000:]}")


def _stale() -> bool:
    return (
        not BUILT.exists() or not SCRIPT.exists() or BUILT.stat().st_mtime < SOURCE.stat().st_mtime
    )


def ensure_frontend(log=print) -> None:
    if PACKAGE.exists() and not _stale():
        return
    BUILT.parent.mkdir(parents=True, exist_ok=True)
    with BUILD_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        # Looked at again: another process may have done it while this one waited.
        if not PACKAGE.exists():
            log("Installing the GOV.UK Frontend package with npm…")
            # `npm ci`: exactly the versions in package-lock.json, which it never changes.
            _npm("ci" if LOCK.exists() else "install", "--no-audit", "--no-fund")
        if _stale():
            log("Building the stylesheet…")
            _npm("run", "build")

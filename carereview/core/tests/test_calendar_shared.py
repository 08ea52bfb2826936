"""Issue 12 item 9: a bank-holiday change reaches every process (web workers and the worker),
not only the one that made it. Two real processes on one database file."""

import os
import subprocess
import sys
import textwrap
from typing import Any

HOLIDAY = "2031-11-17"  # a Monday, no bank holiday

WORKER = textwrap.dedent(
    f"""
    import sys, django
    django.setup()
    from datetime import date
    from carereview.core.calendar import working_calendar
    day = date.fromisoformat("{HOLIDAY}")
    print("before", working_calendar().is_working_day(day), flush=True)
    sys.stdin.readline()  # the other process changes the table meanwhile
    print("after", working_calendar().is_working_day(day), flush=True)
    """
)

EDITOR = textwrap.dedent(
    f"""
    import django
    django.setup()
    from datetime import date
    from carereview.core.services import add_bank_holiday
    add_bank_holiday(None, date.fromisoformat("{HOLIDAY}"), "Proclaimed holiday")
    """
)


def test_a_bank_holiday_added_in_one_process_reaches_another(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "carereview.config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    }
    run: dict[str, Any] = {
        "env": env,
        "capture_output": True,
        "text": True,
        "timeout": 300,
        "check": False,
    }
    migrated = subprocess.run([sys.executable, "-m", "carereview", "migrate", "-v0"], **run)  # noqa: S603
    assert migrated.returncode == 0, migrated.stderr
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WORKER],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    try:
        assert worker.stdout.readline().split() == ["before", "True"]
        edited = subprocess.run([sys.executable, "-c", EDITOR], **run)  # noqa: S603
        assert edited.returncode == 0, edited.stderr
        out, err = worker.communicate("go\n", timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert out.split() == ["after", "False"], err

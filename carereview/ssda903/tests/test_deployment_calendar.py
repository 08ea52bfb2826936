"""Issue 12 item 10: `ssda903 check` inside a deployment uses the authority's bank-holiday table
(and its short-breaks window); standalone it uses the package's list."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from carereview.core.models import BankHoliday
from carereview.ssda903 import cli

HEADER = [{"CHILD": "C1", "SEX": "1", "DOB": "01/01/2015", "ETHNIC": "WBRI"}]
# In care from Monday 3 Nov 2025: first review due 1 Dec 2025 (20 working days), or 2 Dec where
# Monday 17 November is a bank holiday.
EPISODES = [
    {"CHILD": "C1", "DECOM": "03/11/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1"}
]


def next_due(text: str) -> str:
    return json.loads(text)["children"]["C1"]["next_due"]


def test_standalone_the_package_list(make_folder, capsys):
    folder = make_folder(header=HEADER, episodes=EPISODES)
    assert cli.main([str(folder), "--as-at", "2025-11-20", "--bank-holidays", "package"]) == 0
    assert next_due(capsys.readouterr().out) == "2025-12-01"


@pytest.mark.django_db
def test_asked_for_the_authoritys_table_on_the_command_line(make_folder, capsys):
    BankHoliday.objects.create(date=date(2025, 11, 17), name="Proclaimed holiday")
    folder = make_folder(header=HEADER, episodes=EPISODES)
    assert cli.main([str(folder), "--as-at", "2025-11-20", "--bank-holidays", "authority"]) == 0
    assert next_due(capsys.readouterr().out) == "2025-12-02"


@pytest.mark.django_db
def test_in_a_deployment_the_authoritys_table(make_folder):
    BankHoliday.objects.create(date=date(2025, 11, 17), name="Proclaimed holiday")
    folder = make_folder(header=HEADER, episodes=EPISODES)
    out = io.StringIO()
    call_command("ssda903", "check", str(folder), "--as-at", "2025-11-20", stdout=out)
    assert next_due(out.getvalue()) == "2025-12-02"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "package"),
        ({"DATABASE_URL": "postgres://u@127.0.0.1:5432/carereview"}, "authority"),
        ({"DJANGO_SETTINGS_MODULE": "carereview.config.settings.test"}, "package"),
    ],
)
def test_the_command_line_knows_a_deployment_by_its_environment(environment, expected):
    assert cli.bank_holidays_from(environment) == expected


def test_a_deployment_without_its_settings_is_told_plainly(make_folder):
    import os
    import subprocess
    import sys

    folder = make_folder(header=HEADER, episodes=EPISODES)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env["DATABASE_URL"] = "postgres://u@127.0.0.1:5432/nowhere"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "carereview", "ssda903", "check", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr and "--bank-holidays package" in result.stderr
    assert "Traceback" not in result.stderr

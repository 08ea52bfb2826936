import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from carereview.accounts.models import Role
from carereview.config.testing import run_cli


def run(code: str, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_environment(missing):
    env = {
        "DJANGO_SETTINGS_MODULE": "carereview.config.settings.production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/carereview",
        "ALLOWED_HOSTS": "iro.example.org",
    }
    del env[missing]
    result = run(SETUP, **env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_starts_with_its_environment():
    result = run(
        SETUP,
        DJANGO_SETTINGS_MODULE="carereview.config.settings.production",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u@127.0.0.1:5432/carereview",
        ALLOWED_HOSTS="iro.example.org, www.iro.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_console_command_lists_the_projects_commands():
    result = run("from carereview.cli import main; main(['carereview', 'help'])")
    assert result.returncode == 0, result.stderr
    for command in ("demo", "synth", "migrate"):
        assert command in result.stdout


@pytest.mark.django_db
def test_demo_sets_up_and_prints_a_sign_in_for_each_role(tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("demo", no_serve=True, children=12)
    out = capsys.readouterr().out
    password = (tmp_path / "demo-password.txt").read_text().strip()
    for role in Role:
        if role.value in {"child", "parent", "carer"}:
            continue
        assert role.label in out
    # One sign-in for each staff role, and one for each portal user the demo made.
    from carereview.accounts.models import STAFF_ROLES, User

    portal = User.objects.filter(username__startswith="demo.").count()
    assert out.count(password) == len(STAFF_ROLES) + portal
    # Run again: nothing is loaded twice.
    call_command("demo", no_serve=True, children=12)
    from carereview.children.models import Child

    assert Child.objects.count() == 12


SHOW = (
    "from django.conf import settings; "
    "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.MAILERS['default']['BACKEND'], "
    "settings.NOTIFICATIONS['BACKEND'])"
)


@pytest.mark.parametrize("command", [["worker", "--once"], ["migrate"], ["shell", "-c", SHOW]])
def test_the_command_line_with_only_a_database_refuses_instead_of_running_locally(
    tmp_path, command
):
    """Issue 12 item 8: with only DATABASE_URL set, no command runs with debug on and messages
    printed (and marked as sent): the command line defaults to production settings, which say
    what is missing."""
    db = tmp_path / "only-a-database.sqlite3"
    result = run_cli(*command, DATABASE_URL=f"sqlite:///{db}")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "carereview.config.settings.production" in result.stderr
    assert "True" not in result.stdout and "console" not in result.stdout
    assert not db.exists()  # nothing was migrated or written


def test_the_command_line_runs_production_settings_by_default(tmp_path):
    result = run_cli(
        "shell",
        "-c",
        SHOW,
        DATABASE_URL=f"sqlite:///{tmp_path / 'deployed.sqlite3'}",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="iro.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "carereview.config.settings.production",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "notify",
    ]


def test_an_explicit_settings_module_is_used(tmp_path):
    result = run_cli(
        "shell",
        "-c",
        SHOW,
        DJANGO_SETTINGS_MODULE="carereview.config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'local.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    shown = result.stdout.splitlines()[-1].split()
    assert shown[:2] == ["carereview.config.settings.local", "True"]


@pytest.mark.django_db
def test_the_cache_is_shared_by_every_process_through_the_database():
    """Issue 12 item 9: no process-local cache; the database cache's table is migrated."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.set("carereview:probe", 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM carereview_cache")
        assert cursor.fetchone()[0] >= 1


def test_redis_is_the_cache_where_configured():
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = run(
        show,
        DJANGO_SETTINGS_MODULE="carereview.config.settings.production",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u@127.0.0.1:5432/carereview",
        ALLOWED_HOSTS="iro.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["carereview", "demo", "--no-serve"], "local"),
        (["carereview", "synth", "--no-load", "--ssda903", "out"], "local"),
        (["carereview", "help"], "local"),
        (["carereview"], "local"),
        (["carereview", "synth", "--children", "10"], "production"),
        (["carereview", "worker", "--once"], "production"),
        (["carereview", "retention", "list"], "production"),
        (["carereview", "runserver"], "production"),
    ],
)
def test_only_commands_that_touch_no_deployment_choose_local_settings(argv, expected):
    from carereview.cli import settings_for

    assert settings_for(argv) == f"carereview.config.settings.{expected}"

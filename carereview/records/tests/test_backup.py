"""`carereview backup` and `carereview restore`: a round trip that gives back every table, row for
row, on SQLite always and on PostgreSQL when the tests run on it; and the refusals."""

import os
import sqlite3
import stat
import subprocess
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from carereview.accounts.models import Role, User
from carereview.children.models import Child
from carereview.core.models import AccessEvent
from carereview.core.testing import make_child
from carereview.disputes.models import Dispute
from carereview.notifications.models import Message
from carereview.portal.models import PortalAccess
from carereview.records import backup
from carereview.records.erase import tables
from carereview.reviews.models import Review

from .builders import full_record
from .tables import model_rows, raw_tables


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def sequences() -> dict:
    """Where each table's ids go on from: sqlite_sequence, or PostgreSQL's sequences."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        else:
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
                "ORDER BY sequencename"
            )
        return dict(cursor.fetchall())


def _authority():
    """A small synthetic authority, then a record with one of everything (portal, disputes,
    messages, access events, audit entries, second factors) on top."""
    call_command("synth", children=30, seed=1, password="x", stdout=StringIO())
    iro = User.objects.filter(role=Role.IRO).order_by("pk").first()
    social_worker = User.objects.filter(role=Role.SOCIAL_WORKER).order_by("pk").first()
    full_record(SimpleNamespace(iro=iro, social_worker=social_worker))


def _scramble():
    """Delete, change and add rows across the apps."""
    children = list(Child.objects.order_by("pk")[:3])
    Child.objects.filter(pk__in=[c.pk for c in children]).update(first_name="Scrambled")
    Message.objects.all().delete()
    AccessEvent.objects.all().delete()
    Dispute.objects.all().delete()
    first_review = Review.objects.order_by("pk").first()
    assert first_review is not None
    Review.objects.filter(pk=first_review.pk).delete()
    PortalAccess.objects.update(revoke_reason="scrambled")
    User.objects.filter(role=Role.IRO).update(email="changed@example.org")
    make_child(first_name="Newcomer")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_table_row_for_row(tmp_path):
    _authority()
    before_raw, before_models, before_sequences = raw_tables(), model_rows(), sequences()
    # Every installed model's table (and each many-to-many table) is among those compared.
    model_tables = {m._meta.db_table for m in tables()}
    assert model_tables <= set(before_raw)
    assert "django_migrations" in before_raw
    filled = {label for label, rows in before_models.items() if rows}
    for label in (
        "children.Child",
        "children.Child_siblings",
        "reviews.Review",
        "reviews.Decision",
        "portal.PortalAccess",
        "portal.VisitRequest",
        "representations.Representation",
        "disputes.Dispute",
        "disputes.DisputeStep",
        "notifications.Message",
        "core.AccessEvent",
        "core.AuditEvent",
        "otp_totp.TOTPDevice",
    ):
        assert label in filled, f"{label} has no rows to compare"

    path = tmp_path / "carereview.backup"
    out = _call("backup", "--output", str(path))
    size = path.stat().st_size
    assert str(path) in out and f"{size} bytes" in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no partial file left"

    _scramble()
    scrambled = raw_tables()
    assert scrambled != before_raw

    out = _call("restore", str(path), "--yes")
    assert "Restored" in out
    after_raw = raw_tables()
    assert set(after_raw) == set(before_raw)
    for table, rows in before_raw.items():
        assert after_raw[table] == rows, f"{table} differs after the restore"
    assert model_rows() == before_models
    assert sequences() == before_sequences
    # New rows go on after the restored ones.
    newest = max(before_models["children.Child"])
    assert make_child(first_name="After").pk > newest


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_naming_the_database(tmp_path, monkeypatch):
    make_child(first_name="Kept")
    path = tmp_path / "b.backup"
    _call("backup", "-o", str(path))
    Child.objects.update(first_name="Changed")
    asked = []

    def answer(prompt):
        asked.append(prompt)
        return "no"

    monkeypatch.setattr("builtins.input", answer)
    with pytest.raises(CommandError, match="Nothing was restored") as declined:
        _call("restore", str(path))
    assert declined.value.returncode == 1
    assert connection.settings_dict["NAME"] in asked[0]
    assert set(Child.objects.values_list("first_name", flat=True)) == {"Changed"}
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    _call("restore", str(path))
    assert set(Child.objects.values_list("first_name", flat=True)) == {"Kept"}


@pytest.mark.django_db(transaction=True)
def test_a_backup_never_replaces_a_file(tmp_path):
    path = tmp_path / "taken"
    path.write_text("something else")
    with pytest.raises(CommandError, match="already exists") as refused:
        _call("backup", "--output", str(path))
    assert refused.value.returncode == 2
    assert path.read_text() == "something else"
    with pytest.raises(CommandError, match="no folder"):
        _call("backup", "--output", str(tmp_path / "missing" / "b"))


@pytest.mark.django_db(transaction=True)
def test_the_default_backup_goes_under_var_backups_with_a_timestamp(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    out = _call("backup")
    made = list((tmp_path / "backups").iterdir())
    assert len(made) == 1
    name = made[0].name
    assert name.startswith("carereview-") and name.endswith(
        ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    )
    assert str(made[0]) in out


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_of_the_wrong_kind(tmp_path):
    make_child(first_name="Stays")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    files = {
        "missing": (tmp_path / "missing", "There is no file"),
        "junk": (tmp_path / "junk", "not a backup made by carereview backup"),
        "sql": (tmp_path / "dump.sql", "a plain SQL file"),
        "other": (
            tmp_path / "other",
            "a PostgreSQL backup" if other == "postgresql" else "an SQLite backup",
        ),
    }
    files["junk"][0].write_bytes(os.urandom(2048))
    files["sql"][0].write_text("--\n-- PostgreSQL database dump\n--\nCREATE TABLE x ();\n")
    if other == "postgresql":
        files["other"][0].write_bytes(b"PGDMP\x01\x0f\x00" + os.urandom(100))
    else:
        db = sqlite3.connect(files["other"][0])
        db.execute("CREATE TABLE django_migrations (id integer)")
        db.commit()
        db.close()
    for path, message in files.values():
        with pytest.raises(CommandError, match=message) as refused:
            _call("restore", str(path), "--yes")
        assert refused.value.returncode == 2
    assert Child.objects.filter(first_name="Stays").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_another_application(tmp_path):
    make_child(first_name="Stays")
    path = tmp_path / "foreign"
    if connection.vendor == "sqlite":
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE shop (id integer)")
        db.commit()
        db.close()
    else:
        _foreign_postgresql_dump(path)
    with pytest.raises(CommandError, match="not a carereview backup") as refused:
        _call("restore", str(path), "--yes")
    assert refused.value.returncode == 2
    assert Child.objects.filter(first_name="Stays").exists()


def _foreign_postgresql_dump(path: Path) -> None:
    """A pg_dump of another application's database, made on the same server."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    server = connections["default"]  # `connection` is a proxy to it
    assert isinstance(server, DatabaseWrapper)
    name = f"{connection.settings_dict['NAME']}_foreign"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        other = backup.Target("default", "postgresql", {**connection.settings_dict, "NAME": name})
        env = backup._pg_env(other)
        psql = backup.find_pg_tool("psql", server.pg_version // 10000)
        subprocess.run(  # noqa: S603
            [str(psql), "--no-password", "-c", "CREATE TABLE shop (id integer)"],
            env=env,
            check=True,
            capture_output=True,
        )
        pg_dump = backup.find_pg_tool("pg_dump", server.pg_version // 10000)
        subprocess.run(  # noqa: S603
            [str(pg_dump), "--format=custom", "--no-password", f"--file={path}"],
            env=env,
            check=True,
            capture_output=True,
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


# --- SQLite: the online backup API ----------------------------------------------------------


def test_the_sqlite_copy_takes_what_is_committed_while_another_writes(tmp_path):
    live = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live)
    setup.execute("CREATE TABLE django_migrations (id integer primary key, app text)")
    setup.execute("INSERT INTO django_migrations (app) VALUES ('committed')")
    setup.commit()
    # Another connection is half way through a write.
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO django_migrations (app) VALUES ('not yet committed')")
    copy = tmp_path / "copy.sqlite3"
    backup.sqlite_copy(setup, copy)
    writer.execute("COMMIT")
    rows = sqlite3.connect(copy).execute("SELECT app FROM django_migrations").fetchall()
    assert rows == [("committed",)]
    assert len(setup.execute("SELECT * FROM django_migrations").fetchall()) == 2


# --- PostgreSQL: the tools and their connection ---------------------------------------------


def _fake_tool(folder: Path, name: str, version: str) -> None:
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    script.chmod(0o755)


def test_a_missing_or_old_pg_dump_is_refused_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREREVIEW_PG_BINDIR", str(tmp_path))
    with pytest.raises(backup.BackupError, match="pg_dump was not found") as missing:
        backup.find_pg_tool("pg_dump", 15)
    assert "postgresql-client-15" in str(missing.value)
    _fake_tool(tmp_path, "pg_dump", "9.6.24")
    with pytest.raises(backup.BackupError, match="version 9, older than the server"):
        backup.find_pg_tool("pg_dump", 15)
    _fake_tool(tmp_path, "pg_dump", "16.4 (Debian 16.4-1)")
    assert backup.find_pg_tool("pg_dump", 15) == tmp_path / "pg_dump"


def test_the_password_goes_in_the_environment_never_on_the_command_line(tmp_path, monkeypatch):
    settings_dict = {
        "NAME": "carereview",
        "USER": "app",
        "PASSWORD": "s3cret-pw",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }
    monkeypatch.setattr(
        backup, "target", lambda alias: backup.Target(alias, "postgresql", settings_dict)
    )
    monkeypatch.setattr(backup, "_server_major", lambda t: 15)
    monkeypatch.setattr(backup, "find_pg_tool", lambda name, major: Path(f"/opt/pg/{name}"))
    calls = []

    def run(command, **kwargs):
        calls.append((command, kwargs["env"]))
        for arg in command:
            if arg.startswith("--file="):
                Path(arg.removeprefix("--file=")).write_bytes(b"PGDMP fake")
        return subprocess.CompletedProcess(command, 0, stdout="; list\n", stderr="")

    monkeypatch.setattr(backup.subprocess, "run", run)
    _, path, size = backup.backup("default", tmp_path / "b.dump")
    assert size == len(b"PGDMP fake")
    assert [c[0][0] for c in calls] == ["/opt/pg/pg_dump", "/opt/pg/pg_restore"]
    assert "--format=custom" in calls[0][0]
    for command, env in calls:
        assert not any("s3cret" in arg for arg in command)
        assert env["PGPASSWORD"] == "s3cret-pw"
        assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
            "db.internal",
            "5433",
            "app",
            "carereview",
        )
        assert env["PGSSLMODE"] == "require"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_tool_problem_exits_with_status_2(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the tests run on SQLite")
    monkeypatch.setenv("CAREREVIEW_PG_BINDIR", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found") as refused:
        _call("backup", "-o", str(tmp_path / "b.dump"))
    assert refused.value.returncode == 2
    _fake_tool(tmp_path, "pg_dump", "10.1")
    with pytest.raises(CommandError, match="older than the server") as refused:
        _call("backup", "-o", str(tmp_path / "b.dump"))
    assert refused.value.returncode == 2
    assert not (tmp_path / "b.dump").exists()

"""Backing up and restoring the configured database (`carereview backup`, `carereview restore`).

- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner`, in one
  transaction. The connection comes from `settings.DATABASES[alias]`, read when the command runs;
  the password goes to the tools in the PGPASSWORD environment variable, never on their command
  line. The tools are looked for in CAREREVIEW_PG_BINDIR (environment) or
  `authority().pg_bindir`, then in Debian's /usr/lib/postgresql/<server major>/bin, then
  on PATH; a pg_dump older than the server is refused (it cannot dump it).
- SQLite: the online backup API (`sqlite3.Connection.backup`): a consistent copy, page by page,
  safe while the app is using the database; restoring copies the other way.

A backup is written to a hidden file beside its final name, readable by its owner only (0600), and
put in place with a hard link, which fails rather than replace a file already there.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess  # noqa: S404 - fixed argument lists, no shell
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from carereview.core.authority import authority

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_TEXT = b"--\n-- PostgreSQL database dump"
#: libpq settings Django may carry in OPTIONS, and their environment variables.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslpassword": "PGSSLPASSWORD",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that could not be done, and why, for the person running it."""


@dataclass(frozen=True)
class Target:
    alias: str
    vendor: str  # "postgresql" or "sqlite"
    settings: dict

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])

    def describe(self) -> str:
        if self.vendor == "postgresql":
            where = self.settings.get("HOST") or "the local socket"
            if self.settings.get("PORT"):
                where = f"{where}:{self.settings['PORT']}"
            return f'the PostgreSQL database "{self.name}" on {where}'
        return f"the SQLite database {self.name}"

    @property
    def suffix(self) -> str:
        return ".dump" if self.vendor == "postgresql" else ".sqlite3"


def target(alias: str = "default") -> Target:
    if alias not in settings.DATABASES:
        raise BackupError(f"There is no database {alias!r} in settings.DATABASES")
    connection = connections[alias]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups of {connection.vendor} databases are not supported")
    # The running connection's settings: under tests, the test database, not the configured one.
    return Target(alias, connection.vendor, dict(connection.settings_dict))


def size_words(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


def default_output(t: Target, now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    return Path(settings.VAR_DIR) / "backups" / f"carereview-{now:%Y%m%dT%H%M%SZ}{t.suffix}"


# --- PostgreSQL tools -----------------------------------------------------------------------


def _tool_version(path: Path) -> int | None:
    try:
        done = subprocess.run(  # noqa: S603
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", done.stdout)
    return int(found.group(1)) if found else None


def find_pg_tool(name: str, server_major: int) -> Path:
    """The pg_dump or pg_restore to use with a server of `server_major`, or BackupError."""
    configured = os.environ.get("CAREREVIEW_PG_BINDIR") or authority().pg_bindir
    install = (
        f"Install the PostgreSQL {server_major} client tools (Debian: apt install "
        f"postgresql-client-{server_major}), or set CAREREVIEW_PG_BINDIR to the folder that "
        "holds them."
    )
    if configured:
        candidates = [Path(configured) / name]
    else:
        candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin") / name]
        on_path = shutil.which(name)
        if on_path:
            candidates.append(Path(on_path))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            major = _tool_version(path)
            if major is None:
                raise BackupError(f"{path} did not say which version it is. {install}")
            if major < server_major:
                raise BackupError(
                    f"{path} is version {major}, older than the server (PostgreSQL "
                    f"{server_major}): it cannot work with it. {install}"
                )
            return path
    where = candidates[0].parent if configured else "/usr/lib/postgresql or on PATH"
    raise BackupError(f"{name} was not found ({where}). {install}")


def _pg_env(t: Target) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("NAME", "PGDATABASE"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if t.settings.get(key):
            env[variable] = str(t.settings[key])
    for option, variable in LIBPQ_OPTIONS.items():
        value = (t.settings.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[variable] = str(value)
    env["PGAPPNAME"] = "carereview backup"
    return env


def _server_major(t: Target) -> int:
    connection = connections[t.alias]
    try:
        connection.ensure_connection()
    except Exception as error:
        raise BackupError(f"Could not connect to {t.describe()}: {error}") from error
    # Backups are of PostgreSQL only (Target); its wrapper knows the server's version.
    from django.db.backends.postgresql.base import DatabaseWrapper

    if not isinstance(connection, DatabaseWrapper):
        raise BackupError(f"{t.describe()} is not a PostgreSQL database")
    return connection.pg_version // 10000


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, env=env, check=False
        )
    except OSError as error:
        raise BackupError(f"{what} could not be started: {error}") from error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise BackupError(f"{what} failed (exit status {done.returncode}): {detail}")
    return done.stdout


# --- Writing a backup ---------------------------------------------------------------------


def _partial(final: Path) -> Path:
    return final.with_name(f".{final.name}.partial-{secrets.token_hex(4)}")


def _put_in_place(partial: Path, final: Path) -> None:
    try:
        os.link(partial, final)
    except FileExistsError as error:
        raise BackupError(f"{final} already exists: choose another name") from error
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_check(path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = source.execute("PRAGMA quick_check").fetchone()[0]
        has_migrations = source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from error
    finally:
        source.close()
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's check: {result}")
    if not has_migrations:
        raise BackupError(f"{path} is an SQLite database, but not a carereview backup")


def sqlite_copy(source: sqlite3.Connection, destination: Path) -> None:
    """Copy an open SQLite database to a file with the online backup API: a consistent copy of
    what is committed, while others go on reading and writing."""
    copy = sqlite3.connect(destination)
    try:
        source.backup(copy)
    finally:
        copy.close()
    _sqlite_check(destination)


def backup(alias: str = "default", output: Path | None = None) -> tuple[Target, Path, int]:
    """Back up the database to `output` (default: var/backups/carereview-<UTC time>.<suffix>).
    Returns the target, the file and its size in bytes."""
    t = target(alias)
    final = Path(output) if output else default_output(t)
    if final.exists():
        raise BackupError(f"{final} already exists: a backup never replaces a file")
    if output is None:
        final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not final.parent.is_dir():
        raise BackupError(f"There is no folder {final.parent}")
    partial = _partial(final)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    try:
        if t.vendor == "postgresql":
            server = _server_major(t)
            pg_dump = find_pg_tool("pg_dump", server)
            pg_restore = find_pg_tool("pg_restore", server)
            env = _pg_env(t)
            _run(
                [str(pg_dump), "--format=custom", "--no-password", f"--file={partial}"],
                env,
                "pg_dump",
            )
            # Read the archive back: a backup that cannot be listed is not a backup.
            _run([str(pg_restore), "--list", str(partial)], env, "Reading the backup back")
        else:
            connection = connections[alias]
            connection.ensure_connection()
            sqlite_copy(connection.connection, partial)
        os.chmod(partial, 0o600)
        _put_in_place(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return t, final, final.stat().st_size


# --- Restoring ----------------------------------------------------------------------------


def _kind(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(64)
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_TEXT) or head.startswith(b"--"):
        return "sql"
    return "unknown"


KIND_WORDS = {
    "postgresql": "a PostgreSQL backup (pg_dump custom format)",
    "sqlite": "an SQLite backup",
    "sql": "a plain SQL file, not a backup made by carereview backup",
    "unknown": "not a backup made by carereview backup",
}


def check_file(t: Target, path: Path) -> None:
    """Refuse a file that is missing, or not a backup of the configured database's kind."""
    if not path.is_file():
        raise BackupError(f"There is no file {path}")
    kind = _kind(path)
    if kind != t.vendor:
        raise BackupError(
            f"{path} is {KIND_WORDS[kind]}; the configured database is "
            f"{'PostgreSQL' if t.vendor == 'postgresql' else 'SQLite'}: nothing was restored"
        )
    if t.vendor == "sqlite":
        if Path(t.name).exists() and Path(t.name).resolve() == path.resolve():
            raise BackupError(f"{path} is the database itself: nothing was restored")
        _sqlite_check(path)
    else:
        pg_restore = find_pg_tool("pg_restore", _server_major(t))
        listing = _run([str(pg_restore), "--list", str(path)], _pg_env(t), "Reading the backup")
        if " django_migrations " not in listing:
            raise BackupError(f"{path} is a PostgreSQL backup, but not a carereview backup")


def restore(alias: str, path: Path) -> Target:
    """Replace everything in the database with the backup at `path`. The caller has asked."""
    t = target(alias)
    path = Path(path)
    check_file(t, path)
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction")
    if t.vendor == "postgresql":
        pg_restore = find_pg_tool("pg_restore", _server_major(t))
        env = _pg_env(t)
        # Our own connection holds no locks while pg_restore drops and recreates the tables.
        connection.close()
        _run(
            [
                str(pg_restore),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={t.name}",
                str(path),
            ],
            env,
            "pg_restore",
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        except sqlite3.Error as error:
            raise BackupError(f"The restore failed: {error}") from error
        finally:
            source.close()
    return t

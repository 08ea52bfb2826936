"""`carereview backup [--output FILE] [--database ALIAS]`: a backup of the configured database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from carereview.records.backup import BackupError, backup, size_words


class Command(BaseCommand):
    help = (
        "Back up the configured database: pg_dump (custom format) for PostgreSQL, the online "
        "backup API for SQLite (safe while the app runs). Writes var/backups/"
        "carereview-<UTC time>.dump|.sqlite3 unless --output is given; never replaces a file."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", type=Path, default=None, metavar="FILE", help="Where to write it."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            metavar="ALIAS",
            help="Which of settings.DATABASES to back up (default: default).",
        )

    def handle(self, *args, output, database, **options):
        try:
            target, path, size = backup(database, output)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {target.describe()} to {path}")
            + f" ({size_words(size)}, {size} bytes)."
        )

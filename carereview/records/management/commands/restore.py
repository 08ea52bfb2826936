"""`carereview restore FILE [--yes] [--database ALIAS]`: replace the database with a backup."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from carereview.records.backup import BackupError, check_file, restore, size_words, target


class Command(BaseCommand):
    help = (
        "Restore a backup made by `carereview backup`, replacing everything in the configured "
        "database (pg_restore --clean --if-exists --no-owner for PostgreSQL, in one transaction; "
        "the online backup API for SQLite). Asks first, naming the database, unless --yes."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: restore over the database at once."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            metavar="ALIAS",
            help="Which of settings.DATABASES to restore into (default: default).",
        )

    def handle(self, *args, file, yes, database, **options):
        try:
            t = target(database)
            check_file(t, file)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        if not yes:
            stat = file.stat()
            made = datetime.fromtimestamp(stat.st_mtime).astimezone()
            self.stdout.write(
                f"This replaces everything in {t.describe()} with the backup {file} "
                f"({size_words(stat.st_size)}, written {made:%d %B %Y at %H:%M %Z}). "
                "What is in the database now and not in the backup is lost."
            )
            self.stdout.flush()
            try:
                answer = input(f'Type "yes" to restore into "{t.name}": ')
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.", returncode=1)
        try:
            restore(database, file)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {t.describe()} from {file}."))
        self.stdout.write(
            "If the backup is from an earlier version of carereview, run `carereview migrate`."
        )

"""`carereview worker`: reminders, the outbox and every other background task (see
`carereview.notifications.worker`).

The command hands the worker its daily jobs (followup.tasks.DAILY_JOBS): the worker is
infrastructure and knows no domain app, and followup, which owns the jobs, is above every app
they read (ADR 0013)."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from carereview.followup.tasks import DAILY_JOBS
from carereview.notifications.worker import Worker


class Command(BaseCommand):
    help = (
        "Run the background worker: each day's reminders and schedule refresh, the outbox "
        "every few seconds, and any other queued task. Stop it with Ctrl+C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do one pass (daily jobs if due, the outbox, every queued task) and exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between passes (default: NOTIFICATIONS['WORKER_INTERVAL_SECONDS']).",
        )

    def handle(self, *args, once: bool, interval: float | None, verbosity: int, **options):
        # Each task's start and end is logged at INFO: every few seconds, for the outbox. Shown
        # with -v 2; this command's own lines say what happened.
        level = logging.INFO if verbosity >= 2 else logging.WARNING
        for name in ("django.tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
        if interval is None:
            interval = float(settings.NOTIFICATIONS["WORKER_INTERVAL_SECONDS"])
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds")

        def write(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        Worker(interval=interval, daily_jobs=DAILY_JOBS, write=write).run(once=once)

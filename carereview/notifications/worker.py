"""`carereview worker`: the background worker's loop (the management command is a thin shell).

Each pass:

1. **Daily jobs.** Once a day, after its local time (settings), each daily job is enqueued: those
   the worker is given (the `worker` command gives followup.tasks.DAILY_JOBS: the schedule
   refresh, then the reminders), in their order. A `ScheduledRun`
   row per job, moved on by a compare-and-set in the same transaction as the enqueue, makes that
   once a day across restarts and however many workers run. Finished task results older than
   `KEEP_TASK_RESULTS_DAYS` are pruned once a day too (successful ones only).
2. **The outbox.** `deliver_outbox` is enqueued (unless one is already waiting).
3. **Tasks.** Everything queued is run by django-tasks-db's own `Worker`, in batch mode (it
   stops when the queue is empty), so tasks enqueued by the web app run here as well.

Then it sleeps `interval` seconds. SIGINT or SIGTERM stops it after the task it is running (a
second one stops it at once). `--once` does one pass and exits: for the tests, and for running
it from cron instead of as a service.

A daily job that fails is not run again that day: the next day's reminders include whatever a
missed day left (followup.reminders: "on the day or, if missed, on the next run").

The worker is infrastructure and knows no domain app (ADR 0013): its daily jobs are handed to it
by the command, in the top layer, not found by importing up.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import close_old_connections, transaction
from django.tasks import task_backends
from django.tasks.signals import task_finished
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker
from django_tasks_db.models import DBTaskResult

from . import tasks
from .models import ScheduledRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    at_setting: str
    enqueue: Callable[[date], object]

    def starts_at(self) -> clock:
        hours, _, minutes = str(settings.NOTIFICATIONS[self.at_setting]).partition(":")
        return clock(int(hours), int(minutes or 0))


def _prune(today: date) -> None:
    keep = timedelta(days=settings.NOTIFICATIONS["KEEP_TASK_RESULTS_DAYS"])
    DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lte=timezone.now() - keep
    ).delete()


# The worker's own daily job, after those it is given.
PRUNE = DailyJob("prune_task_results", "NIGHTLY_REFRESH_AT", _prune)


def claim_daily_run(name: str, today: date) -> bool:
    """True, once per day, for the one caller that gets to run the job `name` today."""
    ScheduledRun.objects.get_or_create(
        name=name, defaults={"last_run_on": today - timedelta(days=1)}
    )
    claimed = ScheduledRun.objects.filter(name=name, last_run_on__lt=today).update(
        last_run_on=today, last_run_at=timezone.now()
    )
    return bool(claimed)


def schedule_daily(jobs: Sequence[DailyJob], now: datetime | None = None) -> list[str]:
    """Enqueue each of `jobs` whose time has come and which has not run today; their names."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for job in jobs:
        if local.time() < job.starts_at():
            continue
        with transaction.atomic():
            if claim_daily_run(job.name, local.date()):
                job.enqueue(local.date())
                started.append(job.name)
    return started


def enqueue_outbox() -> bool:
    """Enqueue a delivery of the outbox, unless one is already waiting to run."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=tasks.deliver_outbox.module_path
    ).exists()
    if waiting:
        return False
    tasks.deliver_outbox.enqueue()
    return True


class Worker:
    def __init__(
        self,
        *,
        interval: float,
        daily_jobs: Sequence[DailyJob] = (),
        write: Callable[[str], None] = print,
    ):
        self.interval = interval
        self.daily_jobs = (*daily_jobs, PRUNE)
        self.write = write
        self.worker_id = f"carereview-{get_random_string(12)}"
        self.stopping = False
        self.task_worker: TaskWorker | None = None

    # --- signals ------------------------------------------------------------------------------

    def _stop(self, signum, frame) -> None:
        if self.stopping:
            self.write(f"{signal.strsignal(signum)} again: stopping now.")
            self._restore_signals()
            sys.exit(1)
        self.write(f"{signal.strsignal(signum)}: stopping after the task that is running.")
        self.stopping = True
        if self.task_worker is not None:
            self.task_worker.running = False

    def _install_signals(self) -> None:
        self._previous = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._stop)

    def _restore_signals(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}

    # --- one pass -------------------------------------------------------------------------------

    def _finished(self, sender, task_result, **kwargs) -> None:
        name = task_result.task.name
        if task_result.status == TaskResultStatus.SUCCESSFUL:
            value = task_result.return_value
            if name == tasks.deliver_outbox.name and not any((value or {}).values()):
                return  # an empty outbox, every few seconds: nothing to say
            self.write(f"  {name}: done ({value})")
        else:
            errors = getattr(task_result, "errors", None) or []
            what = errors[-1].exception_class_path if errors else "unknown error"
            self.write(f"  {name}: FAILED ({what})")

    def run_queued(self) -> None:
        """Run every task that is ready, then return (django-tasks-db's worker, batch mode)."""
        backend = task_backends["default"]
        self.task_worker = TaskWorker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=backend.alias,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        task_finished.connect(self._finished)
        try:
            self.task_worker.run()
        finally:
            task_finished.disconnect(self._finished)
            self.task_worker = None

    def one_pass(self) -> None:
        close_old_connections()
        for name in schedule_daily(self.daily_jobs):
            self.write(f"Daily job started: {name}")
        enqueue_outbox()
        if not self.stopping:
            self.run_queued()
        close_old_connections()

    # --- the loop -------------------------------------------------------------------------------

    def run(self, *, once: bool = False) -> None:
        self._install_signals()
        backend = settings.NOTIFICATIONS["BACKEND"]
        self.write(
            f"Worker {self.worker_id} started: messages by {backend!r}, "
            + ("one pass." if once else f"the outbox every {self.interval:g}s.")
        )
        try:
            while not self.stopping:
                self.one_pass()
                if once:
                    break
                self._sleep(self.interval)
        finally:
            self._restore_signals()
        self.write("Worker stopped.")

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping:
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.5))

"""`carereview worker`: the daily jobs once a day, the outbox, and the tasks run by
django-tasks-db's own worker; `--once` end to end."""

import io
import os
import signal
import threading
from datetime import date

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from carereview.core.testing import make_child
from carereview.notifications import backends, tasks
from carereview.notifications import worker as worker_module
from carereview.notifications.models import Message, ScheduledRun
from carereview.reviews.models import Decision, Review

from .helpers import at_london

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """A worker closes stale database connections between passes; inside a test's transaction
    that would end the test's transaction, so here it does nothing."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(worker_module, "close_old_connections", lambda: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def decision(staff):
    """A decision the social worker owns, due Tue 5 Jan 2027: a reminder on Thu 24 Dec."""
    child = make_child(iro=staff.iro, social_worker=staff.social_worker)
    # The IRO service's notice of the child coming into care (issue 12) is not a reminder.
    Message.objects.filter(key__startswith="iro-told:").delete()
    review = Review.objects.create(
        child=child,
        held_on=date(2026, 12, 14),
        chaired_by=staff.iro,
        participation_code="PN1",
        decisions_sent_on=date(2026, 12, 15),
        record_sent_on=date(2026, 12, 15),
    )
    return Decision.objects.create(
        review=review,
        text="Arrange family time",
        owner=staff.social_worker,
        due_on=date(2027, 1, 5),
    )


def worker_once() -> str:
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


def test_once_runs_the_days_jobs_and_delivers_the_reminders(staff, decision):
    with at_london(2026, 12, 24, 8, 0):
        output = worker_once()
    # The day's jobs, in order, then the outbox: the reminder was made and delivered.
    assert "Daily job started: nightly_refresh" in output
    assert "Daily job started: send_reminders" in output
    assert "send_reminders: done" in output and "deliver_outbox: done" in output
    message = Message.objects.get(key=f"decision-due:{decision.pk}:2027-01-05")
    assert message.status == "sent" and message.to == "sam.worker@northmoor.example.org"
    assert [m.pk for m in backends.outbox] == [message.pk]
    results = DBTaskResult.objects.all()
    assert {r.task_path.rsplit(".", 1)[1] for r in results} == {
        "nightly_refresh",
        "send_reminders",
        "deliver_outbox",
    }
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert output.strip().endswith("Worker stopped.")


def test_the_daily_jobs_run_once_a_day_even_across_restarts(staff, decision):
    with at_london(2026, 12, 24, 8, 0):
        worker_once()
        again = worker_once()  # a restart, or cron's next run
    assert "Daily job started" not in again
    assert len(backends.outbox) == 1
    assert set(ScheduledRun.objects.values_list("name", "last_run_on")) == {
        ("nightly_refresh", date(2026, 12, 24)),
        ("send_reminders", date(2026, 12, 24)),
        ("prune_task_results", date(2026, 12, 24)),
    }
    with at_london(2026, 12, 29, 8, 0):
        next_day = worker_once()
    assert "Daily job started: send_reminders" in next_day
    assert len(backends.outbox) == 1  # the decision's reminder was not made again


def test_the_reminders_wait_for_their_time_of_day(staff, decision):
    with at_london(2026, 12, 24, 6, 59):
        early = worker_once()
    assert "Daily job started: nightly_refresh" in early
    assert "send_reminders" not in early
    assert not Message.objects.exists()
    with at_london(2026, 12, 24, 7, 0):
        assert "Daily job started: send_reminders" in worker_once()
    assert Message.objects.count() == 1


def test_the_outbox_is_not_queued_twice_while_one_is_waiting(db):
    assert worker_module.enqueue_outbox() is True
    assert worker_module.enqueue_outbox() is False
    assert DBTaskResult.objects.filter(task_path=tasks.deliver_outbox.module_path).count() == 1


def test_a_failing_task_is_reported_and_the_worker_carries_on(staff, monkeypatch):
    def broken(as_at=None):
        raise RuntimeError("reminders broke")

    monkeypatch.setattr("carereview.followup.reminders.run", broken)
    with at_london(2026, 12, 24, 8, 0):
        output = worker_once()
    assert "send_reminders: FAILED (builtins.RuntimeError)" in output
    assert output.strip().endswith("Worker stopped.")
    outbox_run = DBTaskResult.objects.get(task_path=tasks.deliver_outbox.module_path)
    assert outbox_run.status == "SUCCESSFUL"  # the pass went on after the failure


def test_sigterm_stops_the_loop_cleanly(db):
    """A real signal to this process: the worker finishes its pass and returns."""
    lines: list[str] = []
    worker = worker_module.Worker(interval=0.2, write=lines.append)
    timer = threading.Timer(0.6, os.kill, (os.getpid(), signal.SIGTERM))
    before = signal.getsignal(signal.SIGTERM)
    timer.start()
    try:
        worker.run()
    finally:
        timer.cancel()
    assert any("stopping after the task that is running" in line for line in lines)
    assert lines[-1] == "Worker stopped."
    assert signal.getsignal(signal.SIGTERM) is before  # the old handler is back


def test_the_interval_must_be_positive(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("worker", "--once", "--interval", "0")


def test_the_worker_runs_the_daily_jobs_it_is_given_and_its_own(db):
    """The worker knows no domain job (ADR 0013): given none, it prunes its results and nothing
    else; the `worker` command gives it followup's, which store their own task paths."""
    with at_london(2026, 12, 24, 8, 0):
        started = worker_module.schedule_daily(worker_module.Worker(interval=1).daily_jobs)
    assert started == ["prune_task_results"]
    assert not DBTaskResult.objects.exists()
    from carereview.followup.tasks import DAILY_JOBS

    with at_london(2026, 12, 25, 8, 0):
        for job in DAILY_JOBS:
            job.enqueue(date(2026, 12, 25))
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "carereview.followup.tasks.nightly_refresh",
        "carereview.followup.tasks.send_reminders",
    ]

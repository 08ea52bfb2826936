"""Two people booking the same child's review at the same moment (issue 7: trustworthy under load).

Each booking runs in its own thread with its own database connection, both released together;
the read of "the review being prepared" is slowed so that, without the lock book_meeting takes,
both would find none and each make a review. With it the second waits for the first, finds the
review the first made, and adds its meeting to it: one review, two meetings. Runs on PostgreSQL
(select_for_update on the child's row), as CI runs the suite. The tests' SQLite database is in
memory with a shared cache, where a second writer fails at once ("database table is locked")
instead of waiting as it does on a file (settings.base.database: IMMEDIATE transactions, 20 s
timeout), so there the test is skipped and the setting itself is checked.
"""

import threading
import time as clock
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.db import connections

from carereview.children.models import Child
from carereview.config.settings.base import database
from carereview.core.calendar import today
from carereview.core.testing import make_child
from carereview.reviews import services
from carereview.reviews.models import Meeting, Review


def test_sqlite_transactions_take_the_write_lock_when_they_begin():
    sqlite = database({"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"})
    assert sqlite["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}
    postgres = database({"ENGINE": "django.db.backends.postgresql", "NAME": "x"})
    assert "OPTIONS" not in postgres


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the tests' SQLite database is in memory: see the module's docstring",
)
# Committed for real (two threads, two connections).
@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_once_make_one_review(service, monkeypatch):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    assert services.open_review(child) is None
    read = services.open_review

    def slow_open_review(c):
        found = read(c)
        clock.sleep(0.3)  # the window in which the other booking reads too
        return found

    monkeypatch.setattr(services, "open_review", slow_open_review)
    start = threading.Barrier(2)
    errors = []

    def book(by, hour):
        try:
            start.wait()
            services.book_meeting(
                Child.objects.get(pk=child.pk),  # scoped: the test's own child
                by=by,
                on=today() + timedelta(days=10),
                at=time(hour),
            )
        except Exception as error:  # noqa: BLE001 - reported below, with the thread's name
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=book, args=(service.iro, 10)),
        threading.Thread(target=book, args=(service.social_worker, 14)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    reviews = Review.objects.filter(child=child)  # scoped: the test's own child
    assert reviews.count() == 1, "two reviews being prepared for one child"
    assert Meeting.objects.filter(review__child=child).count() == 2

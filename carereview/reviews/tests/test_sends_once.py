"""Issue 12, item 2: a review's documents are sent once, however many presses arrive at once.

Six people (or one person pressing six times) send the decisions, the record or the invitations
at the same moment. The first takes the review (or each invitation) with a conditional update,
which on PostgreSQL waits for any other transaction holding the row and then finds it already
sent: the other five are told "already sent" and write nothing. Every email is an outbox message
with an idempotency key made from what it is (kind, review, recipient, version), unique in the
database, so even a second enqueue of the same message makes nothing.

The concurrent tests run on PostgreSQL (each thread its own connection, committed for real), as
CI runs the suite; the tests' SQLite database is in memory with a shared cache, where a second
writer fails at once instead of waiting (see test_booking_at_once.py). The stale-copy tests run
on both: they are the same race, played one press after the other.
"""

import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse

from carereview.documents import services as document_services
from carereview.documents.tests.conftest import (
    case,  # noqa: F401 - the held review, all kinds
    word_every_decision_for_the_child,
)
from carereview.notifications import outbox
from carereview.notifications.models import Message
from carereview.reviews import services
from carereview.reviews.models import Dispatch, Review

PRESSES = 6

on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the tests' SQLite database is in memory: see the module's docstring",
)


@pytest.fixture(autouse=True)
def _decisions_in_the_childs_words(request):
    """Each decision is written in the child's words before anything is sent (item 24)."""
    if "case" in request.fixturenames:
        word_every_decision_for_the_child(request.getfixturevalue("case"))


def _at_once(n, work):
    """Run `work(i)` in n threads released together; the errors they raised."""
    start = threading.Barrier(n)
    errors = []

    def run(i):
        try:
            start.wait()
            work(i)
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _emailed(invitation, kind):
    """Whether this invitee is emailed the document: the invitation by the method chosen, the
    decisions and record wherever there is an address."""
    chose = kind != "invitation" or invitation.method in {"email", "both"}
    return bool(chose and invitation.email)


def _recipients_by_email(review, kind):
    return sorted(i.email for i in review.invitations.all() if _emailed(i, kind))


def _assert_once_each(review, kind):
    invitations = list(review.invitations.all())
    dispatches = Dispatch.objects.filter(review=review, kind=kind)
    assert dispatches.count() == len(invitations), (
        f"{dispatches.count()} dispatches of the {kind} for {len(invitations)} recipients"
    )
    made = Message.objects.filter(key__startswith=f"{kind}:{review.pk}:")
    assert sorted(made.values_list("to", flat=True)) == _recipients_by_email(review, kind)
    # Delivered by the outbox: each recipient gets exactly one email, with its PDF.
    mail.outbox = []
    outbox.deliver_due()
    assert sorted(m.to[0] for m in mail.outbox) == _recipients_by_email(review, kind)
    assert all(len(m.attachments) == 1 for m in mail.outbox)


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["decisions", "record"])
def test_six_presses_of_send_at_once_send_once(case, kind):  # noqa: F811
    review = case.review
    url = reverse("reviews:send", args=[review.pk, kind])
    statuses = []

    def press(i):
        client = Client()
        client.force_login(case.service.iro)
        statuses.append(client.post(url).status_code)

    errors = _at_once(PRESSES, press)
    assert errors == []
    # One press sent (redirected to the review); the others were shown "already sent".
    assert sorted(statuses) == [200] * (PRESSES - 1) + [302]
    review = Review.objects.get(pk=review.pk)
    assert getattr(review, f"{kind}_sent_on") is not None
    _assert_once_each(review, kind)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_six_sends_of_the_invitations_at_once_send_each_once(case):  # noqa: F811
    review = case.review
    counts = []

    def send(i):
        counts.append(
            document_services.send_invitations(
                Review.objects.get(pk=review.pk), by=case.service.iro
            )
        )

    assert _at_once(PRESSES, send) == []
    invitations = review.invitations.count()
    assert sorted(counts) == [0] * (PRESSES - 1) + [invitations]
    _assert_once_each(review, "invitation")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_six_presses_of_send_the_consultation_form_by_email_send_once(case):  # noqa: F811
    review, mother = case.review, case.mother
    url = reverse("reviews:consultation-send", args=[review.pk])
    statuses = []

    def press(i):
        client = Client()
        client.force_login(case.service.iro)
        data = {"recipient": f"mother-{mother.pk}", "method": "email"}
        statuses.append(client.post(url, data).status_code)

    assert _at_once(PRESSES, press) == []
    assert statuses == [302] * PRESSES  # each press is told it went: it did, once
    [consultation] = review.consultations.all()
    [message] = Message.objects.filter(key__startswith="consultation:")
    assert (message.key, message.to) == (f"consultation:{consultation.pk}", mother.email)


@pytest.mark.django_db
def test_a_second_press_of_send_the_consultation_form_sends_nothing_more(case):  # noqa: F811
    send = document_services.send_consultation
    kwargs = {"person": case.mother, "audience": "parent", "method": "email"}
    first = send(case.review, by=case.service.iro, **kwargs)
    again = send(Review.objects.get(pk=case.review.pk), by=case.service.iro, **kwargs)
    assert again == first
    assert Message.objects.filter(key__startswith="consultation:").count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_message_enqueued_at_once_is_stored_once(db):
    made = []

    def enqueue(i):
        made.append(outbox.notify("same:1", to="a@example.org", subject="S", body=f"B{i}"))

    assert _at_once(8, enqueue) == []
    assert Message.objects.filter(key="same:1").count() == 1
    assert sum(m is not None for m in made) == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_send_each_message_once(db):
    from carereview.notifications import backends

    backends.outbox.clear()
    for n in range(40):
        outbox.notify(f"w:{n}", to=f"p{n}@example.org", subject="S", body=f"B{n}")
    sent = []

    def work(i):
        sent.append(outbox.deliver_due(limit=7).sent)

    assert _at_once(4, work) == []
    while outbox.deliver_due().sent:
        pass
    assert sorted(m.key for m in backends.outbox) == sorted(f"w:{n}" for n in range(40))
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    backends.outbox.clear()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "send, field",
    [
        (document_services.send_decisions, "decisions_sent_on"),
        (document_services.send_record, "record_sent_on"),
    ],
)
def test_a_second_send_from_a_stale_copy_is_refused_and_writes_nothing(case, send, field):  # noqa: F811
    stale = Review.objects.get(pk=case.review.pk)  # read before the first send
    send(Review.objects.get(pk=case.review.pk), by=case.service.iro)
    dispatches, messages = Dispatch.objects.count(), Message.objects.count()
    assert getattr(stale, field) is None
    with pytest.raises(services.ReviewRefused, match="not sent twice"):
        send(stale, by=case.service.iro)
    assert (Dispatch.objects.count(), Message.objects.count()) == (dispatches, messages)


@pytest.mark.django_db
def test_every_outgoing_document_has_a_key_that_names_what_it_is(case):  # noqa: F811
    review = case.review
    document_services.send_invitations(review, by=case.service.iro)
    document_services.send_decisions(Review.objects.get(pk=review.pk), by=case.service.iro)
    document_services.send_record(Review.objects.get(pk=review.pk), by=case.service.iro)
    version = Review.objects.get(pk=review.pk).version
    keys = set(Message.objects.values_list("key", flat=True))
    for invitation in review.invitations.all():
        if _emailed(invitation, "invitation"):
            assert f"invitation:{review.pk}:{invitation.pk}" in keys
        if invitation.email:
            assert f"decisions:{review.pk}:{invitation.pk}:v{version}" in keys
            assert f"record:{review.pk}:{invitation.pk}:v{version}" in keys

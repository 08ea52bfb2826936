"""The notifications interface and the outbox: stored once, sent once, retried with back-off."""

import logging
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from carereview.notifications import backends, notify, outbox
from carereview.notifications.models import Message

pytestmark = pytest.mark.django_db

FLAKY = "carereview.notifications.tests.test_outbox.FlakyBackend"


class FlakyBackend(backends.Backend):
    """Fails while `failures` is above 0, then sends (into `backends.outbox`)."""

    failures = 0

    def send(self, message):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError(f"Connection refused while sending to {message.to}")
        backends.outbox.append(message)
        return f"flaky-{message.pk}"


@pytest.fixture
def flaky(settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BACKEND": FLAKY}
    FlakyBackend.failures = 0
    return FlakyBackend


def _notify(user, key="k1", **kwargs):
    return notify(key, user=user, subject="A subject", body="A body", **kwargs)


# --- notify ---------------------------------------------------------------------------------


def test_notify_stores_a_message_once_per_key(staff):
    first = _notify(staff.iro)
    assert first.status == "queued" and first.to == "ian.iro@northmoor.example.org"
    assert first.channel == "email" and first.user == staff.iro
    assert _notify(staff.iro) is None
    assert _notify(staff.iro2) is None  # the key, not the person, makes it the same message
    assert Message.objects.count() == 1
    assert backends.outbox == []  # stored, not sent: the worker sends


def test_the_person_chooses_email_or_text_where_they_have_both(staff):
    iro = staff.iro
    iro.mobile = "07700900001"
    iro.contact_by = "text"
    iro.save()
    assert _notify(iro, "a").channel == "text" and Message.objects.get(key="a").to == "07700900001"
    iro.contact_by = "email"
    iro.save()
    assert _notify(iro, "b").channel == "email"


def test_without_a_choice_it_goes_where_they_can_be_reached(staff):
    iro = staff.iro
    iro.email, iro.mobile, iro.contact_by = "", "07700900001", "email"
    iro.save()
    assert _notify(iro, "a").channel == "text"


def test_someone_with_no_email_or_mobile_is_skipped_with_a_log_line(staff, caplog):
    iro = staff.iro
    iro.email = ""
    iro.save()
    with caplog.at_level(logging.WARNING, logger="carereview.notifications.outbox"):
        assert _notify(iro, "unbooked:1:2027-01-22") is None
    assert not Message.objects.exists()
    assert "unbooked:1:2027-01-22 not stored" in caplog.text


def test_a_backend_without_texts_gets_email_where_the_person_has_it(staff, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BACKEND": "smtp"}
    iro = staff.iro
    iro.mobile, iro.contact_by = "07700900001", "text"
    iro.save()
    assert _notify(iro).channel == "email"


def test_an_address_can_be_given_instead_of_a_user(db):
    message = notify("x", to="someone@example.org", subject="S", body="B")
    assert message.channel == "email" and message.user is None
    assert notify("y", to="07700900002", subject="", body="B").channel == "text"


# --- deliver_due ----------------------------------------------------------------------------


def test_deliver_due_sends_and_records_it(staff):
    message = _notify(staff.iro)
    delivery = outbox.deliver_due()
    assert (delivery.sent, delivery.failed) == (1, 0)
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1 and message.sent_at
    assert message.provider_reference == "locmem-1"
    assert [m.pk for m in backends.outbox] == [message.pk]
    assert outbox.deliver_due().sent == 0  # nothing twice
    assert len(backends.outbox) == 1


def test_a_failed_send_backs_off_1_2_4_minutes_and_is_never_dropped(staff, flaky):
    message = _notify(staff.iro)
    flaky.failures = 3
    start = timezone.now()
    waits = []
    now = start
    for _ in range(3):
        assert outbox.deliver_due(now=now).failed == 1
        message.refresh_from_db()
        assert message.status == "retrying"
        waits.append(message.next_attempt_at - now)
        # Not before its time.
        assert outbox.deliver_due(now=message.next_attempt_at - timedelta(seconds=1)).failed == 0
        now = message.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    # No personal data in the error: the address is masked.
    assert (
        message.last_error
        == "ConnectionRefusedError: Connection refused while sending to [recipient]"
    )
    assert outbox.deliver_due(now=now).sent == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 4
    assert len(backends.outbox) == 1


def test_the_back_off_is_capped_by_the_setting(settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "OUTBOX_MAX_BACKOFF_MINUTES": 360}
    assert outbox.backoff(9) == timedelta(minutes=256)
    assert outbox.backoff(10) == timedelta(minutes=360)
    assert outbox.backoff(500) == timedelta(minutes=360)


def test_the_error_is_kept_short():
    long = ValueError("x" * 1000)
    text = outbox.describe_error(long, Message(to="a@b.example"))
    assert len(text) == 300 and text.startswith("ValueError: xxx")


def test_a_claimed_message_is_not_claimed_again(staff):
    """Two workers: the second finds the message already "sending" and leaves it."""
    _notify(staff.iro)
    now = timezone.now()
    [claimed] = outbox.claim(now, 100)
    assert claimed.status == "sending"
    assert outbox.claim(now, 100) == []
    assert outbox.deliver_due(now=now).sent == 0
    assert backends.outbox == []


def test_a_message_stuck_sending_after_a_stopped_worker_is_sent_again_later(staff):
    message = _notify(staff.iro)
    now = timezone.now()
    outbox.claim(now, 100)  # ... and the worker is killed before it sends
    assert outbox.deliver_due(now=now + timedelta(minutes=9)).sent == 0
    delivery = outbox.deliver_due(now=now + timedelta(minutes=10))
    assert (delivery.released, delivery.sent) == (1, 1)
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2
    assert message.last_error.startswith("Interrupted while sending")


def test_at_most_limit_messages_a_pass_and_the_rest_next_time(staff):
    for n in range(5):
        notify(f"k{n}", user=staff.iro, subject="S", body=f"B{n}")
    assert outbox.deliver_due(limit=3).sent == 3
    assert outbox.deliver_due(limit=3).sent == 2
    assert sorted(m.body for m in backends.outbox) == [f"B{n}" for n in range(5)]


def test_messages_are_never_deleted(staff, flaky):
    _notify(staff.iro, "a")
    _notify(staff.iro, "b")
    flaky.failures = 1
    outbox.deliver_due()
    outbox.deliver_due(now=timezone.now() + timedelta(hours=1))
    assert Message.objects.count() == 2
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_a_prompt_message_goes_straight_after_commit_and_its_link_is_not_kept(
    db, django_capture_on_commit_callbacks
):
    link = "http://testserver/portal/invitation/secret-token/"
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(
            "portal-link:1",
            to="07700900123",
            subject="",
            body=f"Your link: {link}\nIt works once.",
            promptly=True,
            forget_once_sent=link,
        )
        assert backends.outbox == []  # not before the commit
    [sent] = backends.outbox
    assert link in sent.body  # the person got the link
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1
    assert link not in message.body and message.forget_once_sent == ""
    assert message.body == f"Your link: {outbox.FORGOTTEN}\nIt works once."


def test_a_prompt_delivery_sends_only_its_own_message(db):
    notify("other", to="a@example.org", subject="S", body="Waiting for the worker")
    mine = notify("mine", to="b@example.org", subject="S", body="Now")
    delivery = outbox.deliver([mine.pk])
    assert delivery is not None and delivery.sent == 1
    assert [m.key for m in backends.outbox] == ["mine"]
    assert Message.objects.get(key="other").status == "queued"


def test_an_email_carries_its_documents_as_stored(db):
    from django.core import mail

    message = notify(
        "record:1:2:v0",
        to="a@example.org",
        subject="Record",
        body="Here it is",
        attachments=[outbox.File("review-record.pdf", b"%PDF-1.7 stored bytes")],
    )
    assert outbox.deliver_due().sent == 1
    [email] = mail.outbox
    assert email.attachments == [("review-record.pdf", b"%PDF-1.7 stored bytes", "application/pdf")]
    assert email.extra_headers["Message-ID"] == backends.message_id(message)
    with pytest.raises(ValueError, match="Only an email"):
        notify("t", to="07700900123", subject="", body="B", attachments=[outbox.File("x", b"")])


def test_the_smtp_backend_refuses_a_text_with_a_clear_error(db, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BACKEND": "smtp"}
    message = notify("t", to="07700900123", subject="", body="B")
    delivery = outbox.deliver_due()
    assert delivery.failed == 1
    message.refresh_from_db()
    assert message.status == "retrying"
    assert message.last_error.startswith("CannotSend: The SMTP backend sends email only")


def test_the_console_backend_prints(db, settings, capsys):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BACKEND": "console"}
    notify("c", to="a@example.org", subject="Hello", body="The body")
    assert outbox.deliver_due().sent == 1
    printed = capsys.readouterr().out
    assert "Email to a@example.org" in printed and "Subject: Hello" in printed


def test_an_unknown_backend_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BACKEND": "pigeon"}
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        backends.get_backend()


def test_message_ids_are_stable_across_attempts():
    message = Message(pk=7, key="unbooked:1:2027-01-22", created_at=datetime(2026, 1, 1))
    assert backends.message_id(message) == backends.message_id(message)
    assert backends.message_id(message).startswith("<carereview.7.")


def test_a_prompt_delivery_that_fails_is_kept_for_the_worker_without_the_number(db, flaky):
    flaky.failures = 1
    message = notify("portal-link:2", to="07700900123", subject="", body="B", promptly=True)
    delivery = outbox.deliver([message.pk])
    assert delivery is not None and delivery.failed == 1  # no exception reaches the page
    message.refresh_from_db()
    assert message.status == "retrying"
    assert message.last_error == (
        "ConnectionRefusedError: Connection refused while sending to [recipient]"
    )
    assert outbox.deliver_due(now=message.next_attempt_at).sent == 1


def test_a_message_failing_for_hours_is_an_error_for_a_person(staff, flaky, caplog, settings):
    """Still not sent after OUTBOX_STUCK_AFTER_ATTEMPTS: an ERROR in the log (for whoever watches
    the service), still tried, never dropped."""
    settings.CAREREVIEW = {**settings.CAREREVIEW, "OUTBOX_STUCK_AFTER_ATTEMPTS": 3}
    message = _notify(staff.iro)
    flaky.failures = 10
    now = timezone.now()
    levels = []
    for _ in range(4):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="carereview.notifications.outbox"):
            assert outbox.deliver_due(now=now).failed == 1
        levels.append(caplog.records[-1].levelname)
        message.refresh_from_db()
        now = message.next_attempt_at
    assert levels == ["WARNING", "WARNING", "ERROR", "ERROR"]
    assert "still not sent after 4 attempts" in caplog.records[-1].getMessage()
    assert message.status == "retrying" and message.next_attempt_at is not None

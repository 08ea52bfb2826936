"""The outbox against a real SMTP server started by the test (aiosmtpd on 127.0.0.1): down at
first, then refusing, then recovering. Every message arrives exactly once."""

import email
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from carereview.notifications import notify, outbox
from carereview.notifications.models import Message

pytestmark = pytest.mark.django_db


class RefusesThenAccepts:
    """An SMTP handler that answers "451 try again" to the first `refuse` messages."""

    def __init__(self, refuse: int):
        self.refuse = refuse
        self.refused = 0
        self.received: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.received.append(email.message_from_bytes(envelope.original_content))
        return "250 2.0.0 OK"


def _decoded_text(message) -> str:
    """A one-part message's text, decoded from its transfer encoding."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode().strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    port = free_port()
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "BACKEND": "smtp",
        "SMTP": {"host": "127.0.0.1", "port": port, "timeout": 5},
        "FROM_EMAIL": "iro-service@northmoor.example.org",
    }
    return port


def test_every_message_arrives_exactly_once_through_a_server_that_refuses_and_recovers(
    smtp_settings,
):
    port = smtp_settings
    made = [
        notify(
            f"smtp-test:{n}",
            to=f"person{n}@example.org",
            subject=f"Reminder {n}",
            body=f"Marker body-{n}",
        )
        for n in range(6)
    ]
    now = timezone.now()

    # 1. No server listening: every send fails, nothing is lost.
    assert outbox.deliver_due(now=now).failed == 6
    assert set(Message.objects.values_list("status", flat=True)) == {"retrying"}
    oldest = Message.objects.first()
    assert oldest is not None
    first_error = oldest.last_error
    assert first_error.startswith("ConnectionRefusedError")

    handler = RefusesThenAccepts(refuse=2)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        # 2. Too soon: the back-off (1 minute) has not passed.
        assert outbox.deliver_due(now=now + timedelta(seconds=30)).failed == 0
        # 3. The server is up but refuses the first two messages ("451 try again").
        now += timedelta(minutes=1)
        delivery = outbox.deliver_due(now=now)
        assert (delivery.sent, delivery.failed) == (4, 2)
        retrying = Message.objects.filter(status="retrying")
        assert retrying.count() == 2
        assert all("SMTPDataError" in m.last_error and "451" in m.last_error for m in retrying)
        assert all(m.next_attempt_at == now + timedelta(minutes=2) for m in retrying)
        # 4. After their back-off (2 minutes, the second failure): the server has recovered.
        now += timedelta(minutes=2)
        assert outbox.deliver_due(now=now).sent == 2
        # 5. Later passes send nothing more.
        for later in (5, 60, 600):
            assert outbox.deliver_due(now=now + timedelta(minutes=later)).sent == 0
    finally:
        controller.stop()

    assert handler.refused == 2
    received_ids = [m["Message-ID"] for m in handler.received]
    markers = sorted(_decoded_text(m) for m in handler.received)
    assert len(received_ids) == len(set(received_ids)) == 6  # each exactly once
    assert markers == [f"Marker body-{n}" for n in range(6)]  # none lost
    for message in made:
        message.refresh_from_db()
        assert message.status == "sent"
        assert message.provider_reference in received_ids  # the Message-ID, the same each try
    assert sorted(m.attempts for m in Message.objects.all()) == [2, 2, 2, 2, 3, 3]
    first = handler.received[0]
    assert first["From"] == "iro-service@northmoor.example.org"
    assert first["Subject"].startswith("Reminder ")


def test_a_document_arrives_attached_through_a_real_smtp_server(smtp_settings):
    handler = RefusesThenAccepts(refuse=0)
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_settings)
    controller.start()
    try:
        pdf = b"%PDF-1.7 the decisions, as made for this recipient"
        message = notify(
            "decisions:1:2:v0",
            to="morgan@example.org",
            subject="Decisions of Robin's Child in Care Review",
            body="Dear Morgan,",
            attachments=[outbox.File("review-decisions.pdf", pdf)],
        )
        assert outbox.deliver_due().sent == 1
    finally:
        controller.stop()
    [received] = handler.received
    parts = [p for p in received.walk() if p.get_filename()]
    assert [(p.get_filename(), p.get_content_type()) for p in parts] == [
        ("review-decisions.pdf", "application/pdf")
    ]
    assert parts[0].get_payload(decode=True) == pdf
    message.refresh_from_db()
    assert message.provider_reference == received["Message-ID"]

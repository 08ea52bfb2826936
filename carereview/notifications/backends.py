"""The ways a message leaves the system. Each backend has one method, `send(message)`, which sends
one `Message` (email or text) and returns the provider's reference for it, or raises.

`NOTIFICATIONS["BACKEND"]` chooses one: "console" (local: printed), "locmem" (tests: kept in
`outbox`), "smtp" (email through an SMTP server) or "notify" (GOV.UK Notify, email and text), or
the dotted path of a class.
"""

from __future__ import annotations

import hashlib
import sys
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as DjangoSmtpBackend
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import Message

EMAIL = "email"
TEXT = "text"

# The locmem backend's messages, as django.core.mail.outbox is for email.
outbox: list[Message] = []


class CannotSend(Exception):
    """The backend cannot send this message at all (for example a text through SMTP)."""


def _config() -> dict:
    return settings.NOTIFICATIONS


class Backend:
    #: The channels this backend can deliver; notify() prefers one of them.
    channels: ClassVar[frozenset[str]] = frozenset({EMAIL, TEXT})

    def send(self, message: Message) -> str:
        raise NotImplementedError


class ConsoleBackend(Backend):
    """Prints each message, as Django's console mail backend prints each email."""

    def send(self, message: Message) -> str:
        kind = "Email" if message.channel == EMAIL else "Text message"
        lines = [f"{kind} to {message.to}"]
        if message.channel == EMAIL:
            lines.append(f"Subject: {message.subject}")
        lines += [message.body, "-" * 79]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        return "console"


class LocmemBackend(Backend):
    """Keeps each message in `outbox`, for the tests."""

    def send(self, message: Message) -> str:
        outbox.append(message)
        return f"locmem-{len(outbox)}"


def message_id(message: Message) -> str:
    """The email's Message-ID: the same on every attempt, so a receiving system that drops
    duplicates by Message-ID drops a second copy sent after a worker was stopped mid-send."""
    domain = _config().get("FROM_EMAIL", settings.DEFAULT_FROM_EMAIL).rpartition("@")[2]
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:16]
    return f"<carereview.{message.pk}.{digest}@{domain or 'localhost'}>"


class SmtpBackend(Backend):
    """Email through an SMTP server (`NOTIFICATIONS["SMTP"]`: host, port, username, password,
    use_tls, use_ssl, timeout), by Django's SMTP email backend. Email only: SMTP has no texts.

    SMTP has no idempotency key: a server that accepted a message and then lost the connection
    before answering cannot be asked whether it did. The stable Message-ID is the only help."""

    channels = frozenset({EMAIL})

    def __init__(self) -> None:
        options = {
            "host": "localhost",
            "port": 25,
            "timeout": 30,
            **_config().get("SMTP", {}),
        }
        self.options = options

    def send(self, message: Message) -> str:
        if message.channel != EMAIL:
            raise CannotSend(
                "The SMTP backend sends email only. Texts need the Notify backend "
                '(NOTIFICATIONS["BACKEND"] = "notify").'
            )
        reference = message_id(message)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=_config().get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": reference},
        )
        # A connection per message: a failed conversation never spoils the next message's.
        connection = DjangoSmtpBackend(alias="notifications", **self.options)
        sent = connection.send_messages([email])
        if sent != 1:
            raise CannotSend("The SMTP server did not take the message.")
        return reference


class NotifyBackend(Backend):
    """GOV.UK Notify, through its Python client: one email template with the placeholders
    ((subject)) and ((body)), one text template with ((body))."""

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        config = _config()
        if not config.get("NOTIFY_API_KEY"):
            raise ImproperlyConfigured('NOTIFICATIONS["NOTIFY_API_KEY"] is not set.')
        kwargs = {"base_url": config["NOTIFY_BASE_URL"]} if config.get("NOTIFY_BASE_URL") else {}
        self.client = NotificationsAPIClient(config["NOTIFY_API_KEY"], **kwargs)
        self.email_template = config.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
        self.text_template = config.get("NOTIFY_TEXT_TEMPLATE_ID", "")

    def send(self, message: Message) -> str:
        # Notify does not drop duplicates by reference, but it can be searched by it.
        reference = f"carereview-{message.pk}" if message.pk else None
        if message.channel == EMAIL:
            if not self.email_template:
                raise ImproperlyConfigured('NOTIFICATIONS["NOTIFY_EMAIL_TEMPLATE_ID"] is not set.')
            response = self.client.send_email_notification(
                email_address=message.to,
                template_id=self.email_template,
                personalisation={"subject": message.subject, "body": message.body},
                reference=reference,
            )
        else:
            if not self.text_template:
                raise ImproperlyConfigured('NOTIFICATIONS["NOTIFY_TEXT_TEMPLATE_ID"] is not set.')
            response = self.client.send_sms_notification(
                phone_number=message.to,
                template_id=self.text_template,
                personalisation={"body": message.body},
                reference=reference,
            )
        if not isinstance(response, dict) or not response.get("id"):
            raise CannotSend("GOV.UK Notify did not return a notification id.")
        return str(response["id"])


BACKENDS = {
    "console": ConsoleBackend,
    "locmem": LocmemBackend,
    "smtp": SmtpBackend,
    "notify": NotifyBackend,
}


def backend_class() -> type[Backend]:
    name = _config().get("BACKEND", "console")
    if name in BACKENDS:
        return BACKENDS[name]
    if "." in name:
        return import_string(name)
    raise ImproperlyConfigured(
        f'NOTIFICATIONS["BACKEND"] is {name!r}: choose one of {", ".join(BACKENDS)} '
        "or give the dotted path of a backend class."
    )


def get_backend() -> Backend:
    return backend_class()()

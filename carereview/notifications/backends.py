"""The ways a message leaves the system. Each backend has one method, `send(message)`, which sends
one `Message` (email or text, an email with its attachments) and returns the provider's
reference for it, or raises. Nothing else in the system sends: every email and text is an outbox
message first (outbox.py), sent by the worker or straight after commit.

`NOTIFICATIONS["BACKEND"]` chooses one: "console" (local: printed), "locmem" (tests: kept in
`outbox`, and each email in Django's `mail.outbox` as it would go by SMTP), "smtp" (email
through an SMTP server) or "notify" (GOV.UK Notify, email and text; a document by Notify's file
sending), or the dotted path of a class.
"""

from __future__ import annotations

import copy
import hashlib
import io
import sys
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend as DjangoLocmemBackend
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
        lines += [message.body]
        lines += [
            f"Attached: {a.filename} ({len(a.content):,} bytes)" for a in attachments(message)
        ]
        lines += ["-" * 79]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        return "console"


class LocmemBackend(Backend):
    """Keeps each message in `outbox`, for the tests; an email also in Django's `mail.outbox`,
    built as the SMTP backend builds it (with its attachments and Message-ID)."""

    def send(self, message: Message) -> str:
        outbox.append(copy.copy(message))  # as sent: the stored row may change afterwards
        if message.channel == EMAIL:
            DjangoLocmemBackend(alias="notifications").send_messages([email_message(message)])
        return f"locmem-{len(outbox)}"


def message_id(message: Message) -> str:
    """The email's Message-ID: the same on every attempt, so a receiving system that drops
    duplicates by Message-ID drops a second copy sent after a worker was stopped mid-send."""
    domain = _config().get("FROM_EMAIL", settings.DEFAULT_FROM_EMAIL).rpartition("@")[2]
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:16]
    return f"<carereview.{message.pk}.{digest}@{domain or 'localhost'}>"


def attachments(message: Message) -> list:
    """The message's documents (none for a message not yet stored)."""
    return list(message.attachments.all()) if message.pk else []


def email_message(message: Message) -> EmailMessage:
    """The email for a message: from the service's address, with a Message-ID that is the same on
    every attempt, and its documents attached."""
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=_config().get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message_id(message)},
    )
    for attachment in attachments(message):
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return email


def notify_reference(message: Message) -> str | None:
    """The reference given to GOV.UK Notify: the outbox row and a digest of its idempotency key,
    the same on every attempt (no personal data: a key names what a message is, not whom)."""
    if not message.pk:
        return None
    return f"carereview-{message.pk}-{hashlib.sha256(message.key.encode()).hexdigest()[:16]}"


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
        email = email_message(message)
        reference = email.extra_headers["Message-ID"]
        # A connection per message: a failed conversation never spoils the next message's.
        connection = DjangoSmtpBackend(alias="notifications", **self.options)
        sent = connection.send_messages([email])
        if sent != 1:
            raise CannotSend("The SMTP server did not take the message.")
        return reference


class NotifyBackend(Backend):
    """GOV.UK Notify, through its Python client: one email template with the placeholders
    ((subject)) and ((body)), one text template with ((body)), and for an email carrying a
    document one template with ((subject)), ((body)) and ((link_to_file)): Notify's file sending
    (the recipient downloads it from Notify, confirming their email address first). Notify takes
    one file of at most 2 MB per placeholder.

    Each message's `reference` is made from its idempotency key (`notify_reference`), the same on
    every attempt, so a message sent twice after a stopped worker is found by it in Notify."""

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        config = _config()
        if not config.get("NOTIFY_API_KEY"):
            raise ImproperlyConfigured('NOTIFICATIONS["NOTIFY_API_KEY"] is not set.')
        kwargs = {"base_url": config["NOTIFY_BASE_URL"]} if config.get("NOTIFY_BASE_URL") else {}
        self.client = NotificationsAPIClient(config["NOTIFY_API_KEY"], **kwargs)
        self.email_template = config.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
        self.text_template = config.get("NOTIFY_TEXT_TEMPLATE_ID", "")
        self.file_template = config.get("NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID", "")
        self.file_retention = config.get("NOTIFY_FILE_RETENTION", "26 weeks")

    def _file(self, message: Message) -> dict:
        from notifications_python_client import prepare_upload

        if not self.file_template:
            raise ImproperlyConfigured(
                'NOTIFICATIONS["NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID"] is not set: an email with a '
                "document needs a template with ((link_to_file))."
            )
        files = attachments(message)
        if len(files) != 1:
            raise CannotSend("GOV.UK Notify sends one document per email.")
        return prepare_upload(
            io.BytesIO(bytes(files[0].content)),
            filename=files[0].filename,
            confirm_email_before_download=True,
            retention_period=self.file_retention,
        )

    def send(self, message: Message) -> str:
        # Notify does not drop duplicates by reference, but it can be searched by it.
        reference = notify_reference(message)
        if message.channel == EMAIL:
            personalisation: dict[str, Any] = {"subject": message.subject, "body": message.body}
            template = self.email_template
            if attachments(message):
                personalisation["link_to_file"] = self._file(message)
                template = self.file_template
            if not template:
                raise ImproperlyConfigured('NOTIFICATIONS["NOTIFY_EMAIL_TEMPLATE_ID"] is not set.')
            response = self.client.send_email_notification(
                email_address=message.to,
                template_id=template,
                personalisation=personalisation,
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

"""The outbox (issue 6, issue 12): every email and text message the system sends is stored
before it is sent, with its status; a failed send is retried with back-off and never lost; a
message's `key` is its idempotency key, unique in the database and made from what the message is
(for example `decisions:<review>:<invitation>:v<version>`), so the same message is never made
(or sent) twice. An email's documents are stored with it (`Attachment`)."""

from django.conf import settings
from django.db import models


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed; will try again"

    # The idempotency key: what the message is, never who it is to (no personal data).
    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # Who it is for, when it is for someone in the system.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    # Waiting (queued or retrying): not before this. Sending: when the worker's claim lapses and
    # the message is taken to be lost with a stopped worker (outbox.py).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    # Text in the body that must not be kept once the message has gone (a single-use sign-in
    # link: only its hash is kept, ADR 0007). Removed from the body, and emptied, once sent.
    forget_once_sent = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to} ({self.get_status_display()})"


class Attachment(models.Model):
    """A document an email carries (a review's PDF for one recipient), exactly as made when the
    message was stored, so every attempt sends the same bytes."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="application/pdf")
    content = models.BinaryField()

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.filename


class ScheduledRun(models.Model):
    """When the worker last ran each periodic job, so a day's run happens once."""

    name = models.CharField(max_length=100, unique=True)
    last_run_on = models.DateField()
    last_run_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} last run {self.last_run_on:%d/%m/%Y}"

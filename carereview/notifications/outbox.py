"""The outbox: `notify` stores a message; `deliver_due` sends what is waiting.

**One way out.** Every email and text the system sends is a message here first (issue 12): the
review's documents (their PDFs stored beside them, `Attachment`), portal sign-in links,
consultation forms, the complaints team's emails and the reminders. Nothing else sends.

**Once only.** A message's `key` is its idempotency key, unique in the database and made from
what the message is: `notify` with a key already used makes nothing, so a reminder run twice, a
button pressed twice, or two workers at once, make one message.

**Promptly.** A sign-in link is sent straight after the commit that stored it (`deliver`), by
the same claim as the worker's, so the two never both send it; if that fails, the worker tries
again. Text that must not be kept (the link itself) is removed from the body once sent.

**Never lost.** A message is stored before anything is sent and is never deleted. A failed send
is tried again after 1, 2, 4 ... minutes (at most `OUTBOX_MAX_BACKOFF_MINUTES`), for as long as
it takes: the outbox page shows each message's attempts and last error.

**Not sent twice.** `deliver_due` claims each message (status "sending") and commits that
*before* the network call, so no other worker takes it: rows are locked with `SKIP LOCKED` where
the database has it, and every claim is a compare-and-set on the status (which is all SQLite
needs). While a message is "sending", `next_attempt_at` is when the claim lapses
(`SENDING_LEASE_MINUTES`, far longer than a send may take: the SMTP and Notify timeouts are 30s).

**The one gap, decided.** If the worker dies after the provider took the message but before
"sent" is written, the claim lapses and the message is sent again: *at least once* in that
window, which is milliseconds wide. For statutory reminders a lost message is the worse failure
(the brief: "never lost"), so a message is never given up on. SMTP offers no idempotency (a
server that took the message and dropped the connection cannot be asked), so this cannot be
closed: the Message-ID stays the same on every attempt, so a mail system that drops duplicates by
Message-ID drops it, and Notify's `reference` (carereview-<id>) finds both in Notify's records.
The message's last error says it may have gone already.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from carereview.core.authority import authority

from .backends import EMAIL, TEXT, Backend, backend_class, get_backend
from .models import Attachment, Message

log = logging.getLogger(__name__)

CLAIMABLE = (Message.Status.QUEUED, Message.Status.RETRYING)
FORGOTTEN = "[the link is not kept once sent]"
INTERRUPTED = (
    "Interrupted while sending (the worker stopped): it may have gone already. Sending again."
)


def choose_address(user, channels: frozenset[str]) -> tuple[str, str] | None:
    """(channel, address) for a user: their choice where they have both an email address and a
    mobile; otherwise whichever they have. A channel the backend cannot deliver comes second."""
    have = {EMAIL: (user.email or "").strip(), TEXT: (user.mobile or "").strip()}
    preferred = getattr(user, "contact_by", EMAIL) or EMAIL
    order = [preferred] + [c for c in (EMAIL, TEXT) if c != preferred]
    available = [c for c in order if have.get(c)]
    if not available:
        return None
    supported = [c for c in available if c in channels]
    channel = (supported or available)[0]
    return channel, have[channel]


@dataclass(frozen=True)
class File:
    """A document to attach to an email: its name, its bytes and their type."""

    filename: str
    content: bytes
    content_type: str = "application/pdf"


def notify(
    key: str,
    *,
    user=None,
    to: str | None = None,
    channel: str | None = None,
    subject: str,
    body: str,
    attachments: Sequence[File] = (),
    promptly: bool = False,
    forget_once_sent: str = "",
) -> Message | None:
    """Store a message to send; None when `key` was used before (nothing twice) or there is
    nowhere to send it (logged). `to` (with `channel`, or guessed: an address with "@" is email)
    overrides the user's own details; `channel` alone picks which of the user's details.

    `key` is the message's idempotency key: made from what the message is, so that doing the
    same thing twice (two presses, two workers, a retried request) makes one message. It is
    unique in the database: of two callers storing the same key at once, one stores it and the
    other gets None. `attachments` go with an email (a text cannot carry one). `promptly` sends
    it straight after the transaction commits (a sign-in link), as well as by the worker.
    `forget_once_sent` is text of the body removed once the message has gone."""
    if Message.objects.filter(key=key).exists():
        return None
    if to:
        channel = channel or (EMAIL if "@" in to else TEXT)
    elif user is not None:
        if channel:
            to = (user.email if channel == EMAIL else user.mobile or "").strip()
        else:
            found = choose_address(user, backend_class().channels)
            channel, to = found if found else (None, "")
    if not to or channel not in (EMAIL, TEXT):
        log.warning(
            "Message %s not stored: user %s has no %s to send it to",
            key,
            getattr(user, "pk", None),
            channel or "email address or mobile",
        )
        return None
    if attachments and channel != EMAIL:
        raise ValueError("Only an email can carry a document")
    try:
        with transaction.atomic():
            message = Message.objects.create(
                key=key,
                channel=channel,
                to=to,
                subject=subject[:200],
                body=body,
                user=user,
                forget_once_sent=forget_once_sent,
            )
            Attachment.objects.bulk_create(
                Attachment(
                    message=message,
                    filename=f.filename,
                    content_type=f.content_type,
                    content=f.content,
                )
                for f in attachments
            )
    except IntegrityError:  # stored by another caller between the check and now
        return None
    if promptly:
        transaction.on_commit(partial(deliver, [message.pk]), robust=True)
    return message


def stuck_after() -> int:
    """Attempts after which a message still not sent needs a person
    (CAREREVIEW["OUTBOX_STUCK_AFTER_ATTEMPTS"])."""
    return authority().outbox_stuck_after_attempts


def backoff(attempts: int) -> timedelta:
    """After the n-th failed attempt: 2**(n-1) minutes, at most OUTBOX_MAX_BACKOFF_MINUTES."""
    limit = authority().outbox_max_backoff_minutes
    return timedelta(minutes=min(2 ** min(max(attempts - 1, 0), 30), limit))


def describe_error(error: BaseException, message: Message) -> str:
    """The exception's class and message, without the address it was going to, truncated."""
    text = f"{type(error).__name__}: {error}"
    for personal in {message.to, message.to.strip()} - {""}:
        text = text.replace(personal, "[recipient]")
    return text if len(text) <= 300 else text[:299] + "…"


def release_stale(now: datetime) -> int:
    """Messages whose claim lapsed (a worker stopped mid-send) wait to be tried again now."""
    return Message.objects.filter(status=Message.Status.SENDING, next_attempt_at__lte=now).update(
        status=Message.Status.RETRYING,
        attempts=F("attempts") + 1,
        next_attempt_at=now,
        last_error=INTERRUPTED,
    )


def claim(now: datetime, limit: int, only: Sequence[int] | None = None) -> list[Message]:
    """Mark up to `limit` due messages (of the ids `only`, if given) "sending", committed, and
    return them."""
    lease = now + timedelta(minutes=settings.NOTIFICATIONS["SENDING_LEASE_MINUTES"])
    due = Q(status__in=CLAIMABLE) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if only is not None:
        due &= Q(pk__in=list(only))
    claimed = []
    with transaction.atomic():
        candidates = Message.objects.filter(due).order_by("created_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        for pk in list(candidates.values_list("pk", flat=True)[:limit]):
            # Compare-and-set: only one worker moves a message out of queued/retrying.
            won = Message.objects.filter(pk=pk, status__in=CLAIMABLE).update(
                status=Message.Status.SENDING, next_attempt_at=lease
            )
            if won:
                claimed.append(pk)
    return list(
        Message.objects.filter(pk__in=claimed)
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    released: int = 0

    def __str__(self) -> str:
        text = f"{self.sent} sent, {self.failed} failed (will try again)"
        return text + (f", {self.released} interrupted sends to retry" if self.released else "")


def send_one(backend: Backend, message: Message, now: datetime | None = None) -> bool:
    """Send one claimed message and record how it went. True when sent."""
    attempts = message.attempts + 1
    try:
        reference = backend.send(message)
    except Exception as error:  # any failure: keep it and try again later
        at = now or timezone.now()
        message.status = Message.Status.RETRYING
        message.attempts = attempts
        message.next_attempt_at = at + backoff(attempts)
        message.last_error = describe_error(error, message)
        if attempts >= stuck_after():
            # Failing for hours: a wrong address, or the provider refusing. A person must look.
            log.error(
                "Message %s still not sent after %s attempts (%s): see the outbox page",
                message.pk,
                attempts,
                type(error).__name__,
            )
        else:
            log.warning("Message %s not sent (attempt %s): %s", message.pk, attempts, type(error))
        ok = False
    else:
        at = now or timezone.now()
        message.status = Message.Status.SENT
        message.attempts = attempts
        message.sent_at = at
        message.next_attempt_at = None
        message.provider_reference = str(reference or "")[:200]
        if message.forget_once_sent:
            message.body = message.body.replace(message.forget_once_sent, FORGOTTEN)
            message.forget_once_sent = ""
        ok = True
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        body=message.body,
        forget_once_sent=message.forget_once_sent,
        status=message.status,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        last_error=message.last_error,
        sent_at=message.sent_at,
        provider_reference=message.provider_reference,
    )
    return ok


def deliver_due(
    now: datetime | None = None, limit: int = 100, only: Sequence[int] | None = None
) -> Delivery:
    """Send up to `limit` messages that are waiting and due (of the ids `only`, if given). Call
    it outside a transaction, so each claim is committed before its message goes out."""
    at = now or timezone.now()
    backend = get_backend()  # before claiming: a backend that cannot start claims nothing
    delivery = Delivery(released=release_stale(at) if only is None else 0)
    messages = claim(at, limit, only)
    for message in messages:
        if send_one(backend, message, now):
            delivery.sent += 1
        else:
            delivery.failed += 1
    return delivery


def deliver(ids: Sequence[int]) -> Delivery | None:
    """Send these messages now (straight after the commit that stored them), through the same
    claim as the worker, so neither can send one twice. A failure is kept on the message and
    the worker tries again: it never reaches the person who pressed the button as an error."""
    try:
        return deliver_due(limit=len(ids), only=ids)
    except Exception as error:  # the backend could not even start: the worker will try
        log.warning("Prompt delivery of %s message(s) failed: %s", len(ids), type(error).__name__)
        return None

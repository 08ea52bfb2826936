"""Text message backends (see the package's docstring)."""

import logging
import sys
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


# The locmem backend's messages, as django.core.mail.outbox is for email.
outbox: list[TextMessage] = []


class ConsoleTextBackend:
    """Prints each text, as Django's console mail backend prints each email."""

    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"Text message to {to}\n{body}\n{'-' * 79}\n")
        sys.stdout.flush()


class LocmemTextBackend:
    """Keeps each text in `outbox`, for the tests."""

    def send(self, to: str, body: str) -> None:
        outbox.append(TextMessage(to, body))

"""Email printed for people to read (issue 12, item 25): locally and in the demo, email is printed
rather than sent. Django's console backend prints the raw message, quoted-printable, so a long
link is split across lines with "=" and every non-ASCII letter is an escape; it cannot be clicked
or copied. This backend prints the same message decoded: its headers, each text part as text,
and each attachment by name, type and size."""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

RULE = "-" * 79
HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-ID")


def readable(message) -> str:
    """An `email.message.EmailMessage` as a person reads it."""
    lines = [f"{name}: {message[name]}" for name in HEADERS if message[name] is not None]
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename or part.get_content_maintype() != "text":
            size = len(part.get_payload(decode=True) or b"")
            lines.append(
                f"[Attachment: {filename or 'unnamed'} ({part.get_content_type()}, {size:,} bytes)]"
            )
        else:
            lines += ["", part.get_content().rstrip("\n")]
    return "\n".join(lines)


class EmailBackend(DjangoConsoleBackend):
    """Django's console backend, printing each message decoded (`readable`)."""

    def write_message(self, message):
        self.stream.write(readable(message.message()) + "\n" + RULE + "\n")

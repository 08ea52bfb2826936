"""Email and text messages (issue 6): one interface, a stored outbox, and reminders.

* `notify(key, user=..., subject=..., body=...)` stores a message in the outbox (`Message`) to be
  sent by the worker (`carereview worker`): never twice for one key, retried until it goes
  (`outbox.py`). Reminders (`reminders.py`) go this way.
* `send_text(to, body)` sends one text at once and stores nothing. The portal's invitations use
  it: their body carries a single-use sign-in link, and the database keeps only the link's hash,
  so the text must not sit in the outbox.

Both go through the backend `NOTIFICATIONS["BACKEND"]` names (`backends.py`): printed locally,
kept in `backends.outbox` in the tests, GOV.UK Notify or SMTP in production.
"""


def notify(key, *, user=None, to=None, channel=None, subject, body):
    from .outbox import notify as store

    return store(key, user=user, to=to, channel=channel, subject=subject, body=body)


class NotSent(Exception):
    """`send_text` could not send the text; the message says why, without the number."""


def send_text(to: str, body: str) -> str:
    """Send a text now, unstored, through the configured backend; the provider's reference.
    Raises `NotSent` when the backend fails (nothing is kept to try again)."""
    from .backends import TEXT, get_backend
    from .models import Message
    from .outbox import describe_error

    message = Message(key="", channel=TEXT, to=to, body=body)
    try:
        return get_backend().send(message)
    except Exception as error:
        raise NotSent(describe_error(error, message)) from error

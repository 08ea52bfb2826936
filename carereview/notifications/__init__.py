"""Email and text messages (issue 6, issue 12): one interface, a stored outbox, and reminders.

`notify(key, user=... or to=..., subject=..., body=..., attachments=...)` stores a message in the
outbox (`Message`), to be sent by the worker (`carereview worker`) or, with `promptly=True`,
straight after the transaction commits (a sign-in link): never twice for one key, retried until
it goes (`outbox.py`). It is the only way out: reminders, portal links, the review's documents
with their PDFs, consultation forms and the complaints team's emails all go this way, and show
on the administrators' Messages page.

The outbox sends through the backend `NOTIFICATIONS["BACKEND"]` names (`backends.py`): printed
locally, kept in `backends.outbox` in the tests, GOV.UK Notify or SMTP in production.
"""


def notify(key, *, user=None, to=None, channel=None, subject, body, **options):
    """See `outbox.notify`: options are `attachments`, `promptly` and `forget_once_sent`."""
    from .outbox import notify as store

    return store(key, user=user, to=to, channel=channel, subject=subject, body=body, **options)

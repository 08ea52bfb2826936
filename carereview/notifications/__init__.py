"""Sending a text message, through a backend named by the TEXT_BACKEND setting.

Email goes through Django's mailer. Texts go through here: locally the console backend prints
them, the tests keep them in `outbox`. GOV.UK Notify and the stored outbox with retries come with
issue 6, behind this same `send_text`.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def send_text(to: str, body: str) -> None:
    backend = import_string(settings.TEXT_BACKEND)()
    backend.send(to, body)

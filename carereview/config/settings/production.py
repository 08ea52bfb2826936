"""Production settings: everything secret or site-specific comes from the environment.

The process refuses to start when DATABASE_URL, SECRET_KEY or ALLOWED_HOSTS is missing.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production settings read it from the environment and will not "
            "start without it."
        )
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
DATABASES = {
    "default": database(
        dj_database_url.parse(_required("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)
    )
}

# Cookies only over HTTPS, out of reach of scripts, and named __Host- so that no other site on the
# domain can set them (HttpOnly, SameSite, X-Frame-Options, nosniff, Referrer-Policy and the
# Content Security Policy come from base.py).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Issue 7: the second step is required of staff (accounts/checks.py fails the deploy check
# otherwise). Behind the proxy that SECURE_PROXY_SSL_HEADER trusts, the person's address for
# django-axes is the one that proxy adds to X-Forwarded-For; TRUSTED_PROXY_COUNT=0 when nothing
# stands in front of the application.
CAREREVIEW = CAREREVIEW | {  # noqa: F405
    "STAFF_SECOND_FACTOR": "required",
    "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT", "1")),
}

# Messages (issue 6): GOV.UK Notify or SMTP, configured from the environment.
NOTIFICATIONS = NOTIFICATIONS | {  # noqa: F405
    "BACKEND": os.environ.get("NOTIFICATIONS_BACKEND", "notify"),
    "NOTIFY_API_KEY": os.environ.get("NOTIFY_API_KEY", ""),
    "NOTIFY_EMAIL_TEMPLATE_ID": os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", ""),
    "NOTIFY_TEXT_TEMPLATE_ID": os.environ.get("NOTIFY_TEXT_TEMPLATE_ID", ""),
    "NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID": os.environ.get("NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID", ""),
    "SITE_URL": os.environ.get("SITE_URL", ""),
}
if os.environ.get("SMTP_HOST"):
    NOTIFICATIONS["SMTP"] = {
        **NOTIFICATIONS.get("SMTP", {}),
        "host": os.environ["SMTP_HOST"],
        "port": int(os.environ.get("SMTP_PORT", "587")),
        "username": os.environ.get("SMTP_USERNAME", ""),
        "password": os.environ.get("SMTP_PASSWORD", ""),
        "use_tls": os.environ.get("SMTP_USE_TLS", "true").lower() != "false",
    }

# Django's own mailer: the same SMTP server as the notifications' SMTP backend. The system sends
# nothing through it (every email is an outbox message, issue 12); without it, Django's deploy
# check fails (mail.E001: MAILERS would still be base.py's console backend).
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": dict(NOTIFICATIONS.get("SMTP", {})),
    }
}

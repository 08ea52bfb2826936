"""Production settings: everything secret or site-specific comes from the environment.

The process refuses to start when DATABASE_URL, SECRET_KEY or ALLOWED_HOSTS is missing, or when a
variable has a bad value (a port that is not a number, say); the message names each one.
"""

from marshmallow.validate import Range

from carereview.config.environment import NOT_BLANK, Env, hosts, names_a_host, sealed

from .base import *  # noqa: F403
from .base import STATIC_ROOT, database

env = Env(eager=False)  # every variable is read first; sealed() then names all that are wrong

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", validate=NOT_BLANK)
_hosts: list[str] = env.list("ALLOWED_HOSTS", validate=names_a_host)
_database = env.dj_db_url("DATABASE_URL", conn_max_age=60, conn_health_checks=True)
_ssl_redirect = env.bool("SECURE_SSL_REDIRECT", True)
_proxies = env.int("TRUSTED_PROXY_COUNT", 1, validate=Range(min=0))
_notifications = {
    "BACKEND": env.str("NOTIFICATIONS_BACKEND", "notify"),
    "NOTIFY_API_KEY": env.str("NOTIFY_API_KEY", ""),
    "NOTIFY_EMAIL_TEMPLATE_ID": env.str("NOTIFY_EMAIL_TEMPLATE_ID", ""),
    "NOTIFY_TEXT_TEMPLATE_ID": env.str("NOTIFY_TEXT_TEMPLATE_ID", ""),
    "NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID": env.str("NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID", ""),
    "SITE_URL": env.str("SITE_URL", ""),
}
_smtp = {
    "host": env.str("SMTP_HOST", ""),
    "port": env.int("SMTP_PORT", 587, validate=Range(min=1, max=65535)),
    "username": env.str("SMTP_USERNAME", ""),
    "password": env.str("SMTP_PASSWORD", ""),
    "use_tls": env.bool("SMTP_USE_TLS", True),
}
_static_root = env.path("STATIC_ROOT", None)
sealed(env, "Production settings")

ALLOWED_HOSTS = hosts(_hosts)
DATABASES = {"default": database(_database)}

# Static files (issue 13, item 3): `carereview collectstatic --noinput` writes them here (var/static
# unless STATIC_ROOT is set), with hashed names and compressed copies (core/storage.py, from
# base.py's STORAGES), and WhiteNoise serves them from the application's own processes.
STATIC_ROOT = _static_root or STATIC_ROOT

# Logs (issue 13, item 6): one JSON object a line, with the request id (core/logs.py).
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        **LOGGING["handlers"],  # noqa: F405
        "console": {**LOGGING["handlers"]["console"], "formatter": "json"},  # noqa: F405
    },
}

# Cookies only over HTTPS, out of reach of scripts, and named __Host- so that no other site on the
# domain can set them (HttpOnly, SameSite, X-Frame-Options, nosniff, Referrer-Policy and the
# Content Security Policy come from base.py).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = _ssl_redirect
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
    "TRUSTED_PROXY_COUNT": _proxies,
}

# Messages (issue 6): GOV.UK Notify or SMTP, configured from the environment.
NOTIFICATIONS = NOTIFICATIONS | _notifications  # noqa: F405
if _smtp["host"]:
    NOTIFICATIONS["SMTP"] = {**NOTIFICATIONS.get("SMTP", {}), **_smtp}

# Django's own mailer: the same SMTP server as the notifications' SMTP backend. The system sends
# nothing through it (every email is an outbox message, issue 12); without it, Django's deploy
# check fails (mail.E001: MAILERS would still be base.py's console backend).
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": dict(NOTIFICATIONS.get("SMTP", {})),
    }
}

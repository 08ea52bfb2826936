"""Settings shared by every environment. Local, test and production settings build on these."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from dj_database_url import DBConfig
from django.utils.csp import CSP

from carereview.config.environment import Env

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "carereview"
VAR_DIR = BASE_DIR / "var"


def database(config: DBConfig) -> DBConfig:
    """A database's settings as the web app needs them. SQLite: every transaction takes the write
    lock when it begins (IMMEDIATE), so two requests writing at once wait their turn (up to 20 s)
    instead of one failing with "database is locked", and a lock taken to serialise a write (a
    booking, say) holds on SQLite as select_for_update holds on PostgreSQL."""
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    return config


INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own form templates, for the GOV.UK form renderer's TemplatesSetting (ADR 0014).
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "carereview.core",
    "carereview.accounts",
    "carereview.children",
    "carereview.allocation",
    "carereview.reviews",
    "carereview.documents",
    "carereview.caseload",
    "carereview.synth",
    "carereview.ssda903",
    "carereview.portal",
    "carereview.representations",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "carereview.followup",
    "carereview.disputes",
    "carereview.notifications",
    "django_tasks_db",
    "carereview.breakglass",
    "carereview.reports",
    "carereview.records",
    "django_guid",
]

MIDDLEWARE = [
    # First: every record logged while a request is handled carries its id (core/logs.py).
    # An X-Request-ID that is not a plain UUID is dropped before django-guid reads it.
    "carereview.core.logs.plain_request_id",
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (issue 13, item 3): before everything else that could touch the session or
    # the database, after SecurityMiddleware (whose headers they get too).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "carereview.core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "carereview.core.policy.PolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "carereview.accounts.middleware.SessionTimeoutMiddleware",
    "carereview.accounts.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carereview.config.urls"
WSGI_APPLICATION = "carereview.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carereview.core.context_processors.authority",
                "carereview.core.context_processors.navigation",
            ],
        },
    },
]

# Forms render as GOV.UK components: carereview/core/govuk_forms.py (ADR 0014).
FORM_RENDERER = "carereview.core.govuk_forms.GovUKFormRenderer"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before any password is checked
# (every authenticate() call passes the request, which it needs).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Argon2 first: new passwords are hashed with it, and older hashes are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Django's validators with their defaults (at least 8 characters, not common, not all numbers, not
# like the person's name), for staff and portal users alike: children choose their own passwords,
# and staff also need the second step (STAFF_SECOND_FACTOR), so the length is not raised for them.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
# GOV.UK Frontend's fonts and images; its script is copied into build/ by `npm run build` (with
# the stylesheet), so the rest of the package (Sass, templates, sources) is never collected.
STATICFILES_DIRS = [
    ("govuk/assets", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"),
]
STATIC_ROOT: Path | None = VAR_DIR / "static"
# Production and the demo: `collectstatic` into STATIC_ROOT with hashed names and compressed
# copies (core/storage.py), served by WhiteNoise. The test settings use plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "carereview.core.storage.StaticStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sessions, cookies and headers (issue 7) ---------------------------------------------------
# The session ends after CAREREVIEW["SESSION_IDLE_MINUTES"] without a request and after
# CAREREVIEW["SESSION_MAX_HOURS"] in all (accounts.middleware.SessionTimeoutMiddleware); the cookie
# itself lasts no longer than that, and not past closing the browser.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # Lax, not Strict: links in reminder emails keep the session
CSRF_COOKIE_HTTPONLY = True  # the session warning's script reads the token from the page instead
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "carereview.core.errors.csrf_failure"  # the GOV.UK 403 page (issue 12)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Load balancers probe liveness and readiness over plain HTTP (core/health.py): not redirected
# where production's SECURE_SSL_REDIRECT is on. Paths without their leading slash.
SECURE_REDIRECT_EXEMPT = [r"^healthz/(live|ready)$"]

# Django's Content Security Policy: only this site's own files, no inline script or style (no
# template has a <script> without src, an on...= handler or a style= attribute), no plugins, no
# framing. On in every environment, tests included, so the browser tests prove it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Failed sign-ins (django-axes, issue 7) ------------------------------------------------------
# Counted per account and, separately, per address: an account is locked after AXES_FAILURE_LIMIT
# failures from anywhere, an address after CAREREVIEW["SIGN_IN_ADDRESS_FAILURE_LIMIT"] failures on
# any accounts (higher, because a council office signs in from one address), each for
# AXES_COOLOFF_TIME after the last failure. A wrong code at the second step counts as a failure.
# The lockout page is accounts.views.locked_out; administrators unlock at accounts:locked.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
# django-axes' default, named here because the sign-in views build its credentials with it.
AXES_USERNAME_FORM_FIELD = "username"
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_HANDLER = "carereview.accounts.middleware.SignInThrottle"
AXES_LOCKOUT_CALLABLE = "carereview.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "carereview.accounts.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
# A try while locked out does not restart the 30 minutes, so the lockout page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# --- The authority and the choices rules.md marks "(ours)" ---------------------------------
# Each is a setting, never a constant in code. Their names, types, defaults and meanings are in
# carereview/core/authority.py (read with `authority()`; the README's settings section has the
# table). CAREREVIEW holds only what this deployment changes; an unknown key, a wrong type or a
# value out of range fails the system check carereview.E001.
CAREREVIEW: dict[str, Any] = {}

# Logs (issue 13, item 6; core/logs.py): readable text locally, one JSON object a line in
# production (its settings switch the console handler to "json"). Every record carries the
# request's id, and secret URL keywords (a portal sign-in token) are scrubbed from messages.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
        "scrub_secret_paths": {"()": "carereview.core.logs.ScrubSecretPaths"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "carereview.core.logs.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "scrub_secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
}
# The request id (django-guid): taken from X-Request-ID when it is a UUID, else made; returned in
# the response. Its own logger says INFO at every request and, at WARNING, quotes a refused header
# (which may be anything a client sent): ERROR only.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}


MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Local and demo: messages are printed. Production configures its own mailer (issue 6).
MAILERS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "carereview.core.mail.EmailBackend"}  # printed decoded
}
DEFAULT_FROM_EMAIL = "iro-service@northmoor.example.org"

# The portal's optional second step (issue 5): the authenticator app shows the authority's name.
# django-otp calls it for each device; read then, so that a deployment's AUTHORITY_NAME counts.


def OTP_TOTP_ISSUER(device) -> str:  # noqa: N802 (a setting, so upper case)
    from carereview.core.authority import authority

    return authority().authority_name


# django-axes says "INFO" at every sign-in and sign-out; failures and lockouts are WARNINGs, with
# the username and address masked (AXES_SENSITIVE_PARAMETERS' default).
LOGGING["loggers"] = {**LOGGING.get("loggers", {}), "axes": {"level": "WARNING"}}
LOGGING["loggers"]["django_guid"] = {"level": "ERROR"}
# WeasyPrint says "INFO ... Fetching and parsing CSS" for every stylesheet it reads.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}


# Messages (issue 6): the notifications interface's backend. Locally they are printed; production
# sets "notify" (GOV.UK Notify, NOTIFY_API_KEY and template ids) or "smtp" (EMAIL_HOST etc.).
# Each template has the placeholders ((subject)) and ((body)) (email) or ((body)) (text).
NOTIFICATIONS: dict[str, Any] = {
    "BACKEND": "console",  # "console", "locmem" (tests), "smtp" or "notify"
    "NOTIFY_API_KEY": "",
    "NOTIFY_BASE_URL": "",  # empty: the client's own default
    "NOTIFY_EMAIL_TEMPLATE_ID": "",
    "NOTIFY_TEXT_TEMPLATE_ID": "",
    # An email carrying a document (a review's PDF): ((subject)), ((body)) and ((link_to_file)),
    # by Notify's file sending; the file stays downloadable for this long (issue 12).
    "NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID": "",
    "NOTIFY_FILE_RETENTION": "26 weeks",
    # The SMTP backend's server: options of Django's SMTP EmailBackend (Django 6.1 mailers; the old
    # EMAIL_HOST settings are deprecated). Email only: a text on this backend is refused, and the
    # error is kept on the message. Keep the timeout well under SENDING_LEASE_MINUTES.
    "SMTP": {
        "host": "localhost",
        "port": 25,
        "username": "",
        "password": "",
        "use_tls": False,
        "use_ssl": False,
        "timeout": 30,
    },
    "FROM_EMAIL": DEFAULT_FROM_EMAIL,
    # Reminders link to pages here.
    "SITE_URL": "http://127.0.0.1:8000",
    # A message being sent for longer than this is taken to be lost with a stopped worker, and
    # is tried again (so it may arrive twice: see notifications/outbox.py).
    "SENDING_LEASE_MINUTES": 10,
    # A reminder whose day was missed (the worker was down) is still sent on the next run, up to
    # this many working days late; older ones are left to the pages that show what is late.
    "CATCH_UP_WORKING_DAYS": 10,
    # `carereview worker`: how often it sends what is waiting in the outbox; the local time after
    # which each day's jobs run; how long finished background task results are kept.
    "WORKER_INTERVAL_SECONDS": 15,
    "NIGHTLY_REFRESH_AT": "01:00",
    "REMINDERS_AT": "07:00",
    "KEEP_TASK_RESULTS_DAYS": 14,
}

# A cache every process shares (issue 12 item 9): the database cache (its table is made by the
# core migration 0003, or `carereview createcachetable`), or Redis where REDIS_URL is set (then
# the `redis` package must be installed). Bank holidays do not rely on it: each process checks
# the table's version (core.calendar).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "carereview_cache",
    }
}
_redis = Env().str("REDIS_URL", "")
if _redis:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis,
    }

# Background work: Django's tasks framework with the database backend (`carereview worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Logs hold no personal data (issue 7): at DEBUG these two log each SQL statement with its values
# and each template's whole context (the child's name, address ...). They stay at INFO even where
# the root logger is turned down to DEBUG.
LOGGING["loggers"] = {
    **LOGGING.get("loggers", {}),
    "django.db.backends": {"level": "INFO"},
    "django.template": {"level": "INFO"},
}

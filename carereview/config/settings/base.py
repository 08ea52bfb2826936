"""Settings shared by every environment. Local, test and production settings build on these."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from dj_database_url import DBConfig
from django.utils.csp import CSP

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STATIC_ROOT = VAR_DIR / "static"

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
# Each is a setting, never a constant in code.
# Values of many kinds, read by name (str, int, bool, Decimal ...).
CAREREVIEW: dict[str, Any] = {
    "AUTHORITY_NAME": "Northmoor Borough Council",
    "IRO_SERVICE_PHONE": "01632 960000",
    # rules.md §4: an IRO is appointed within 5 working days of the child becoming looked after.
    "IRO_APPOINTMENT_WORKING_DAYS": 5,
    # rules.md §4: the IRO service is told within 2 working days (ours, default).
    "IRO_TOLD_WORKING_DAYS": 2,
    # rules.md §4: 50-70 children per full-time IRO (IRO Handbook).
    "CASELOAD_GUIDE_MIN": 50,
    "CASELOAD_GUIDE_MAX": 70,
    "CASELOAD_PAGE_SIZE": 25,
    # rules.md §2 (ours): a short-break stay (LS V3) beginning within this many months of the
    # previous stay's end continues its period, which stays open this long after the last stay.
    "SHORT_BREAK_WINDOW_MONTHS": 6,
    # rules.md §3 (ours): a review held over several meetings is dated by its "last" meeting (the
    # one that completes it) or its "first".
    "REVIEW_DATED_BY_MEETING": "last",
    # Business support's workspace ("Your reviews"): rows a page.
    "SUPPORT_PAGE_SIZE": 50,
    # rules.md §3 (ours): when an adoption placement ends and the child stays looked after, the
    # standard regime resumes from the previous review held (True) or starts afresh (False).
    "ADOPTION_ENDED_RESUMES_FROM_LAST_REVIEW": True,
    # After a bank-holiday change every stored date counted in working days is worked out again
    # (core.calendar): in the request up to this many records, above it by the background worker.
    "RECOMPUTE_IN_REQUEST_MAX_RECORDS": 2000,
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

CAREREVIEW.update(
    {
        # rules.md §4 "record": decisions within 5 and the full record within 20 working days
        # (ours, defaults).
        "DECISIONS_WITHIN_WORKING_DAYS": 5,
        "RECORD_WITHIN_WORKING_DAYS": 20,
        # rules.md §3: postponing or cancelling needs an IRO manager's approval (ours, default).
        "MEETING_CHANGE_NEEDS_APPROVAL": True,
        # IRO Handbook: social worker contact 15, papers 3 working days before the review.
        "SOCIAL_WORKER_CONTACT_WORKING_DAYS": 15,
        "PAPERS_WORKING_DAYS": 3,
    }
)

CAREREVIEW.update(
    {
        # The portal (issue 5). A child may be invited from this age; younger only with an adult's
        # help, which the member of staff confirms (ours).
        "PORTAL_CHILD_MIN_AGE": 8,
        # An invitation link works once, for this many days (ours).
        "PORTAL_INVITATION_DAYS": 7,
        # Unless the IRO sets another, a child may change their choices until this many working
        # days before the first meeting (ours).
        "PORTAL_CHOICES_CUTOFF_WORKING_DAYS": 3,
        # Who arranges advocacy (s26A) and how a child reaches them (ours: the authority's
        # commissioned service, reached through the complaints and representations team).
        "ADVOCACY_SERVICE_NAME": "Northmoor Advocacy for Children",
        "ADVOCACY_SERVICE_PHONE": "01632 960111",
        # The advocacy service gets in touch with a child who asks within this many working days
        # (ours; s26A sets no time).
        "ADVOCACY_REFERRAL_WORKING_DAYS": 2,
        "COMPLAINTS_PHONE": "01632 960222",
        "COMPLAINTS_EMAIL": "complaints@northmoor.example.org",
    }
)

MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Images people upload (issue 12, item 7; core/images.py): refused above this size in bytes or this
# many pixels (read from the header, before decoding); kept at most this many pixels a side.
CAREREVIEW["IMAGE_UPLOAD_MAX_BYTES"] = 5 * 1024 * 1024
CAREREVIEW["IMAGE_UPLOAD_MAX_PIXELS"] = 40_000_000
CAREREVIEW["IMAGE_STORED_MAX_SIDE"] = 600

# Local and demo: messages are printed. Production configures its own mailer (issue 6).
MAILERS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "carereview.core.mail.EmailBackend"}  # printed decoded
}
DEFAULT_FROM_EMAIL = "iro-service@northmoor.example.org"

# The portal's optional second step (issue 5): the authenticator app shows the authority's name.
OTP_TOTP_ISSUER = CAREREVIEW["AUTHORITY_NAME"]

CAREREVIEW.update(
    {
        # Issue 7. Staff sign in with a password and a code from an app (TOTP) or a recovery code:
        # "required" makes every member of staff set the app up before any other page; "relaxed"
        # (local demo and the test settings only) asks for a code only from those who set one up.
        # `carereview check --deploy` fails if it is not "required" (accounts/checks.py).
        "STAFF_SECOND_FACTOR": "required",
        # Sessions end after this long without a request, and after this long in all; a warning
        # shows this many seconds before (core/static/js/session-warning.js).
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        "SESSION_WARNING_SECONDS": 120,
        # Failed sign-ins from one address, on any accounts, before that address is locked out
        # (AXES_FAILURE_LIMIT is the limit per account).
        "SIGN_IN_ADDRESS_FAILURE_LIMIT": 20,
        # Proxies in front of the application that add to X-Forwarded-For: 0 reads the address
        # from the connection (REMOTE_ADDR). Production reads it from the environment.
        "TRUSTED_PROXY_COUNT": 0,
        # Figures that take about a second to work out at 100,000 children are kept this long
        # (reports.kept): the timeliness report, and the managers' caseload totals.
        "REPORT_FRESH_MINUTES": 10,
        "CASELOAD_TOTALS_FRESH_MINUTES": 2,
        # Who may approve deleting records past their retention date (rules.md §7): "web" takes
        # approvals only from a second administrator signed in on the web; "web or command line"
        # also takes a name typed with `carereview retention approve --by`, which proves nothing.
        "RETENTION_APPROVAL": "web",
    }
)
# django-axes says "INFO" at every sign-in and sign-out; failures and lockouts are WARNINGs, with
# the username and address masked (AXES_SENSITIVE_PARAMETERS' default).
LOGGING["loggers"] = {**LOGGING.get("loggers", {}), "axes": {"level": "WARNING"}}
# WeasyPrint says "INFO ... Fetching and parsing CSS" for every stylesheet it reads.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}

CAREREVIEW.update(
    {
        # Between reviews (issue 6). rules.md §4 "follow-up": the IRO's midway check falls at this
        # fraction of the time between a review and the next due date (ours: the midpoint).
        "MIDWAY_FRACTION": 0.5,
        # rules.md §5: the dispute resolution ladder, each stage addressed to a person and with a
        # response time in working days (ours: 10 per stage). "addressee" is how the person is
        # found: the child's social worker, their team manager, then up the line management.
        "DISPUTE_LADDER": [
            {
                "code": "informal",
                "label": "Informal: the social worker",
                "addressee": "social_worker",
                "working_days": 10,
            },
            {
                "code": "team_manager",
                "label": "Stage 1: team manager",
                "addressee": "team_manager",
                "working_days": 10,
            },
            {
                "code": "service_manager",
                "label": "Stage 2: service manager",
                "addressee": "line_manager",
                "working_days": 10,
            },
            {
                "code": "head_of_service",
                "label": "Stage 3: head of service",
                "addressee": "line_manager",
                "working_days": 10,
            },
            {
                "code": "director",
                "label": "Stage 4: director of children's services",
                "addressee": "line_manager",
                "working_days": 10,
            },
        ],
        # Reminders (ours): working days before a review is due that an unbooked one is flagged;
        # before a decision is due that its owner is reminded; before a dispute response is due.
        "REMIND_UNBOOKED_WORKING_DAYS": 20,
        "REMIND_DECISION_WORKING_DAYS": 5,
        "REMIND_DISPUTE_WORKING_DAYS": 2,
        # The outbox: a failed send is tried again after 1, 2, 4 ... minutes, at most this many.
        "OUTBOX_MAX_BACKOFF_MINUTES": 360,
        # A message still not sent after this many attempts (about 8 hours of trying at the
        # default back-off) needs a person: the worker logs an ERROR at each further failure,
        # and the outbox page lists it at the top. It is still tried, and never dropped.
        "OUTBOX_STUCK_AFTER_ATTEMPTS": 10,
    }
)

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
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Background work: Django's tasks framework with the database backend (`carereview worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Break-glass (issue 7): an IRO manager's access to a record outside their scope lasts this many
# hours from giving the reason (ours).
CAREREVIEW["BREAK_GLASS_HOURS"] = 4

# Logs hold no personal data (issue 7): at DEBUG these two log each SQL statement with its values
# and each template's whole context (the child's name, address ...). They stay at INFO even where
# the root logger is turned down to DEBUG.
LOGGING["loggers"] = {
    **LOGGING.get("loggers", {}),
    "django.db.backends": {"level": "INFO"},
    "django.template": {"level": "INFO"},
}

# rules.md §7 (ours, default on): where a placement address is confidential from a parent, that
# parent's versions (record, letters, portal) leave out the carer's name too (documents.release).
CAREREVIEW["HIDE_CARER_NAME_FROM_PARENT_WHEN_ADDRESS_CONFIDENTIAL"] = True

"""Settings shared by every environment. Local, test and production settings build on these."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "carereview"
VAR_DIR = BASE_DIR / "var"

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "carereview.core.policy.PolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- The authority and the choices rules.md marks "(ours)" ---------------------------------
# Each is a setting, never a constant in code.
CAREREVIEW = {
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
}

LOGGING = {
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
# Text messages: printed locally; issue 6 adds GOV.UK Notify and the outbox.
TEXT_BACKEND = "carereview.notifications.backends.ConsoleTextBackend"

# Local and demo: messages are printed. Production configures its own mailer (issue 6).
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = "iro-service@northmoor.example.org"

# The portal's optional second step (issue 5): the authenticator app shows the authority's name.
OTP_TOTP_ISSUER = CAREREVIEW["AUTHORITY_NAME"]

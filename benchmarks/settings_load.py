"""Settings for the load and fault run (benchmarks/load_faults.py): the local settings, with
production's debug page off and persistent connections, on the throwaway PostgreSQL the run
starts, and with the sign-in guards that would stop 50 scripted users relaxed.

    CAREREVIEW_LOAD_DATABASE_URL   postgres://postgres@127.0.0.1:PORT/carereview_load (required)
    CAREREVIEW_LOAD_CONN_MAX_AGE   seconds a connection is kept (default 60, as production)
    CAREREVIEW_LOAD_HEALTH_CHECKS  1 to check a kept connection before use (default 0, as
                                   production): with 0, the first request on each worker after
                                   PostgreSQL restarts meets the dead connection and gets the 503
"""

from carereview.config.environment import Env, sealed
from carereview.config.settings.local import *  # noqa: F403
from carereview.config.settings.local import CAREREVIEW

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

env = Env(eager=False)
_database = env.dj_db_url(
    "CAREREVIEW_LOAD_DATABASE_URL",
    conn_max_age=env.int("CAREREVIEW_LOAD_CONN_MAX_AGE", 60),
    conn_health_checks=env.bool("CAREREVIEW_LOAD_HEALTH_CHECKS", False),
)
sealed(env, "The load run's settings")
DATABASES = {"default": _database}

# The scripted staff sign in with a password alone, as in the demo; django-axes would lock the
# shared loopback address out after a few failed tries during the fault (its own tests cover it).
CAREREVIEW = {**CAREREVIEW, "STAFF_SECOND_FACTOR": "relaxed"}
AXES_ENABLED = False

# Messages and emails (portal invitations, review documents) are kept in memory, not printed:
# the run's output is its counts. PDF rendering's progress lines are left out of the log.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
NOTIFICATIONS = {**NOTIFICATIONS, "BACKEND": "locmem"}  # noqa: F405
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING.get("loggers", {}),  # noqa: F405
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Pages are measured, not static files: plain names, nothing collected, nothing served from
# STATIC_ROOT (local settings name the hashed copies `collectstatic` makes; issue 13, item 3).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None

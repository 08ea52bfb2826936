"""Settings for benchmarks/pages_at_scale.py: the local settings as production runs them (debug
off, persistent connections), on the benchmark's own PostgreSQL database, with the staff second
factor relaxed (the scripted users sign in with a password) and `ServerTiming` outermost.

    CAREREVIEW_BENCH_DATABASE_URL   postgres://postgres@127.0.0.1:5432/carereview_bench_100000
                                    (required)
"""

from carereview.config.environment import Env, sealed
from carereview.config.settings.local import *  # noqa: F403
from carereview.config.settings.local import CAREREVIEW, MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
env = Env(eager=False)
_database = env.dj_db_url("CAREREVIEW_BENCH_DATABASE_URL", conn_max_age=60)
sealed(env, "The benchmark's settings")
DATABASES = {"default": _database}
CAREREVIEW = {**CAREREVIEW, "STAFF_SECOND_FACTOR": "relaxed"}
MIDDLEWARE = ["benchmarks.pages_at_scale_timing.ServerTiming", *MIDDLEWARE]
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Pages are measured, not static files: plain names, nothing collected, nothing served from
# STATIC_ROOT (local settings name the hashed copies `collectstatic` makes; issue 13, item 3).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None

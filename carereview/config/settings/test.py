"""Test settings. SQLite by default; set CAREREVIEW_TEST_DATABASE_URL to run on PostgreSQL."""

from carereview.config.environment import Env, sealed

from .base import *  # noqa: F403
from .base import VAR_DIR, database

env = Env(eager=False)

DEBUG = False
VAR_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = "test-only-not-secret-" + "0" * 40  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

_database = env.dj_db_url("CAREREVIEW_TEST_DATABASE_URL", f"sqlite:///{VAR_DIR / 'test.sqlite3'}")
sealed(env, "Test settings")
DATABASES = {"default": database(_database)}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Nothing is collected for the tests: pages name static files plainly, and the live server serves
# them from where they are. (core/tests/test_static_files.py collects into a folder of its own.)
STATIC_ROOT = None
NOTIFICATIONS = NOTIFICATIONS | {"BACKEND": "locmem"}  # noqa: F405

# Issue 7. The suite signs staff in with force_login; the second step's own tests set "required".
# django-axes and the Content Security Policy stay on, as in production.
CAREREVIEW = CAREREVIEW | {"STAFF_SECOND_FACTOR": "relaxed"}  # noqa: F405

"""Test settings. SQLite by default; set CAREREVIEW_TEST_DATABASE_URL to run on PostgreSQL."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import VAR_DIR, database

DEBUG = False
VAR_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = "test-only-not-secret-" + "0" * 40  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {
    "default": database(
        dj_database_url.parse(
            os.environ.get("CAREREVIEW_TEST_DATABASE_URL", f"sqlite:///{VAR_DIR / 'test.sqlite3'}"),
        )
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NOTIFICATIONS = NOTIFICATIONS | {"BACKEND": "locmem"}  # noqa: F405

# Issue 7. The suite signs staff in with force_login; the second step's own tests set "required".
# django-axes and the Content Security Policy stay on, as in production.
CAREREVIEW = CAREREVIEW | {"STAFF_SECOND_FACTOR": "relaxed"}  # noqa: F405

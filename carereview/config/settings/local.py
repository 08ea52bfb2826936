"""Local and demo settings: an SQLite file under var/, debug pages on, loopback only."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import VAR_DIR, database

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "local-only-not-secret-" + "0" * 40)  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

DATABASES = {
    "default": database(
        dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'carereview.sqlite3'}"),
            conn_max_age=0,
        )
    )
}

# The demo signs staff in with a password alone (issue 7): a member of staff who sets up the app
# is still asked for its code. Never in production: `carereview check --deploy` fails on it.
CAREREVIEW = CAREREVIEW | {"STAFF_SECOND_FACTOR": "relaxed"}  # noqa: F405

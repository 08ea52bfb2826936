"""Local and demo settings: an SQLite file under var/, debug pages on, loopback only."""

from carereview.config.environment import Env, sealed

from .base import *  # noqa: F403
from .base import VAR_DIR, database

env = Env(eager=False)

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = env.str("SECRET_KEY", "local-only-not-secret-" + "0" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
_database = env.dj_db_url(
    "DATABASE_URL", f"sqlite:///{VAR_DIR / 'carereview.sqlite3'}", conn_max_age=0
)
sealed(env, "Local settings")

DATABASES = {"default": database(_database)}

# The demo signs staff in with a password alone (issue 7): a member of staff who sets up the app
# is still asked for its code. Never in production: `carereview check --deploy` fails on it.
CAREREVIEW = CAREREVIEW | {"STAFF_SECOND_FACTOR": "relaxed"}  # noqa: F405

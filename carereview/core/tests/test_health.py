"""Liveness and readiness (core/health.py, issue 13, item 6).

The database cases run the application in a process of its own, pointed at a database that
cannot be reached or at a new empty one, and ask it through Django's test client: no part of the
checks is replaced.
"""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

ASK = """
import json, django
django.setup()
from django.test import Client
client, answers = Client(), {}
for name in ("live", "ready"):
    response = client.get("/healthz/" + name)
    answers[name] = [response.status_code, response["Content-Type"], json.loads(response.content)]
print(json.dumps(answers))
"""


def ask_with(database_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "carereview.config.settings.test",
        "CAREREVIEW_TEST_DATABASE_URL": database_url,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", ASK],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_ready_and_live_with_every_migration_applied(client):
    response = client.get(reverse("healthz-ready"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert "no-cache" in response["Cache-Control"]
    live = client.get(reverse("healthz-live"))
    assert (live.status_code, live.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_database_unreachable_is_not_ready_but_still_live(tmp_path, engine):
    url = {
        "sqlite": f"sqlite:///{tmp_path}/no-such-folder/carereview.sqlite3",
        "postgres": f"postgres://postgres@127.0.0.1:{free_port()}/carereview",  # nothing listens
    }[engine]
    answers = ask_with(url)
    status, content_type, body = answers["ready"]
    assert status == 503
    assert content_type == "application/json"  # not the outage page meant for people
    assert body == {
        "status": "unavailable",
        "checks": {"database": "unreachable", "migrations": "not checked"},
    }
    assert answers["live"] == [200, "application/json", {"status": "ok"}]


def test_a_database_without_this_codes_migrations_is_not_ready(tmp_path):
    answers = ask_with(f"sqlite:///{tmp_path}/empty.sqlite3")
    status, _, body = answers["ready"]
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    count, words = body["checks"]["migrations"].split(" ", 1)
    assert int(count) > 50 and words == "not applied"
    assert answers["live"][0] == 200


@pytest.mark.django_db
def test_probes_over_plain_http_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("accessibility")).status_code == 301  # people are
    assert client.get(reverse("healthz-live")).status_code == 200
    assert client.get(reverse("healthz-ready")).status_code == 200


@pytest.mark.django_db
def test_allowed_hosts_still_applies(client):
    assert (
        client.get(reverse("healthz-live"), headers={"host": "elsewhere.example"}).status_code
        == 400
    )


@pytest.mark.django_db
def test_no_sign_in_and_nothing_but_get(client):
    assert client.post(reverse("healthz-ready")).status_code == 405
    assert client.head(reverse("healthz-live")).status_code == 200

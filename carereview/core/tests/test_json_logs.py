"""Production logs (issue 13, item 6): one JSON object a line with the request's id, and no
personal data from the request, nor a portal sign-in token from its path (core/logs.py).

The records go through production's own LOGGING (its settings module, loaded with the
environment it needs), written to a buffer instead of stderr.
"""

import copy
import importlib
import io
import json
import logging
import logging.config
import re
import secrets
import sys
import uuid

import pytest
from django.conf import settings
from django.tasks import task
from django.urls import reverse

from carereview.core.logs import ScrubSecretPaths

SYNTHETIC = ("Zebedee", "Quillfeather", "Marigold", "NM9 9ZZ")


@pytest.fixture
def production_logging(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/never-opened.sqlite3")
    name = "carereview.config.settings.production"
    sys.modules.pop(name, None)
    production = importlib.import_module(name)
    sys.modules.pop(name, None)
    config = copy.deepcopy(production.LOGGING)
    assert config["handlers"]["console"]["formatter"] == "json"
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        logging.config.dictConfig(settings.LOGGING)


def records(stream) -> list[dict]:
    lines = stream.getvalue().splitlines()
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]  # every line is one JSON object


@pytest.mark.django_db
def test_a_request_logs_json_with_its_id_and_none_of_the_personal_data_it_carried(
    client, service, production_logging
):
    request_id = uuid.uuid4().hex
    client.force_login(service.iro)
    response = client.post(
        "/children/999999/?surname=Quillfeather&postcode=NM9+9ZZ",
        {"first_name": "Zebedee", "last_name": "Quillfeather", "address": "77 Marigold Crescent"},
        headers={"x-request-id": request_id},
    )
    assert response.status_code == 404
    assert response["X-Request-ID"] == request_id
    logged = records(production_logging)
    assert {
        "level": "WARNING",
        "logger": "django.request",
        "message": "Not Found: /children/999999/",
        "request_id": request_id,
        "status_code": 404,
    }.items() <= next(r for r in logged if r["logger"] == "django.request").items()
    assert all(r["request_id"] == request_id for r in logged)
    text = production_logging.getvalue()
    for value in SYNTHETIC:
        assert value not in text
    assert "surname" not in text and "<WSGIRequest" not in text


@pytest.mark.django_db
def test_a_request_id_header_that_is_not_a_uuid_is_replaced_and_not_logged(
    client, production_logging
):
    response = client.get("/no-such-page/", headers={"x-request-id": "Zebedee-Quillfeather"})
    assert response.status_code == 404
    made = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    logged = records(production_logging)
    assert [r["request_id"] for r in logged if r["logger"] == "django.request"] == [made]
    assert "Zebedee" not in production_logging.getvalue()


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    first, second = (client.get(reverse("healthz-live"))["X-Request-ID"] for _ in range(2))
    assert first != second


@pytest.mark.django_db
def test_a_portal_sign_in_token_in_the_path_is_never_logged(client, production_logging):
    token = secrets.token_urlsafe(32)
    response = client.get(reverse("portal:accept", kwargs={"token": token}))
    assert response.status_code == 410  # no such invitation: Django logs the path
    logged = records(production_logging)
    gone = next(r for r in logged if r["logger"] == "django.request")
    assert gone["message"] == "Gone: /portal/invitation/[secret]/"
    assert token not in production_logging.getvalue()


def test_the_scrubber_finds_the_token_wherever_the_path_is_quoted():
    scrub = ScrubSecretPaths()
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s %s HTTP/1.1" 200',
        ("GET", "/portal/invitation/Ab-12_cD/?next=/portal/"),
        None,
    )
    assert scrub.filter(record)
    assert record.getMessage() == '"GET /portal/invitation/[secret]/?next=/portal/ HTTP/1.1" 200'
    plain = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "Not Found: %s", ("/children/7/",), None
    )
    scrub.filter(plain)
    assert plain.getMessage() == "Not Found: /children/7/"


@task
def log_a_line():
    logging.getLogger("carereview.notifications.outbox").warning("Message %s not sent", 12)


def test_a_background_task_logs_with_its_own_id(production_logging, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    result = log_a_line.enqueue()  # run at once, outside any request
    logging.getLogger("carereview.notifications.outbox").warning("After the task")
    during, after = (
        r for r in records(production_logging) if r["logger"] == "carereview.notifications.outbox"
    )
    assert during["request_id"] == str(result.id).replace("-", "")
    assert after["request_id"] is None


def test_local_logs_stay_readable_text():
    from carereview.config.settings import local

    assert local.LOGGING["handlers"]["console"]["formatter"] == "plain"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        # uuid.UUID() (django-guid's check) takes all of these: braces and "urn:uuid:" around
        # the digits, and any number of hyphens anywhere. They were echoed and logged as sent.
        "urn:uuid:{{{" + "-" * 5000 + "12345678123412341234123456789abc}}}",
        "{12345678-1234-1234-1234-123456789abc}",
        "1-2-3-4-5-6-7-8-1-2-3-4-1-2-3-4-1-2-3-4-1-2-3-4-5-6-7-8-9-a-b-c",
    ],
)
def test_a_request_id_header_is_taken_only_as_a_plain_uuid(client, production_logging, header):
    response = client.get("/no-such-page/", headers={"x-request-id": header})
    made = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    logged = records(production_logging)
    assert [r["request_id"] for r in logged if r["logger"] == "django.request"] == [made]
    assert "12345678" not in production_logging.getvalue()


@pytest.mark.django_db
def test_a_request_id_with_hyphens_in_their_places_is_kept(client):
    request_id = str(uuid.uuid4())
    assert (
        client.get(reverse("healthz-live"), headers={"x-request-id": request_id})["X-Request-ID"]
        == request_id
    )

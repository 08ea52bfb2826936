"""Sessions end after 30 minutes without activity and after 12 hours in all (issue 7), with a
warning before (base.html's dialog, kept alive by accounts:keep-alive)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import timezone

from carereview.core.testing import PASSWORD, make_child
from carereview.portal.testing import make_portal_user

pytestmark = pytest.mark.django_db

KEEP_ALIVE = "/account/keep-alive/"
IDLE_MESSAGE = "You were signed out after 30 minutes without activity"
MAX_MESSAGE = "You were signed out because you had been signed in for 12 hours"


@pytest.fixture
def now():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_thirty_minutes_idle_signs_out_with_the_reason(client, service, now):
    client.force_login(service.iro)
    assert client.get("/caseload/").status_code == 200
    now.shift(timedelta(minutes=29))
    assert client.get("/caseload/").status_code == 200
    now.shift(timedelta(minutes=30, seconds=1))
    response = client.get("/caseload/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/caseload/%3Fpage%3D2"
    assert not get_user(client).is_authenticated
    page = client.get(response["Location"])
    assert IDLE_MESSAGE in page.content.decode()


def test_activity_keeps_the_session_until_twelve_hours(client, service, now):
    client.force_login(service.iro)
    client.get("/caseload/")
    for _ in range(23):
        now.shift(timedelta(minutes=29))
        assert client.get("/caseload/").status_code == 200
    now.shift(timedelta(minutes=29))  # 11 h 36 min of work, then 12 h 05 min
    assert client.get("/caseload/").status_code == 200
    now.shift(timedelta(minutes=29))
    response = client.get("/caseload/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert MAX_MESSAGE in client.get(response["Location"]).content.decode()


def test_a_portal_user_goes_back_to_the_portal_sign_in(client, service, now):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    _access, user = make_portal_user(child, by=service.iro)
    client.post("/portal/sign-in/", {"username": user.username, "password": PASSWORD})
    assert get_user(client) == user
    home = client.get("/portal/", follow=True)
    assert home.status_code == 200
    # The same warning as staff, in the portal's words, kept alive by the portal's own route.
    dialog = home.content.decode()
    assert 'id="session-warning"' in dialog
    assert 'data-keep-alive-url="/portal/keep-alive/"' in dialog
    assert "keep your information safe" in dialog and "records you can see" not in dialog
    assert 'action="/portal/sign-out/"' in dialog
    now.shift(timedelta(minutes=20))
    status = client.get("/portal/keep-alive/", HTTP_ACCEPT="application/json").json()
    assert status == {"signed_in": True, "seconds_left": 600, "reason": "idle"}  # not extended
    assert client.get(KEEP_ALIVE).status_code == 403  # the staff route is not theirs
    assert (
        client.post("/portal/keep-alive/", HTTP_ACCEPT="application/json").json()["seconds_left"]
        == 30 * 60
    )  # "Stay signed in"
    now.shift(timedelta(minutes=31))
    response = client.get(home.redirect_chain[-1][0] if home.redirect_chain else "/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/sign-in/")
    assert IDLE_MESSAGE in client.get(response["Location"]).content.decode()


def test_a_post_after_the_time_is_not_acted_on(client, service, now):
    client.force_login(service.administrator)
    client.get("/admin/bank-holidays/")
    now.shift(timedelta(minutes=31))
    response = client.post("/admin/bank-holidays/", {"date": "2030-01-02", "name": "Extra"})
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    from carereview.core.models import BankHoliday

    assert not BankHoliday.objects.filter(name="Extra").exists()


def test_the_page_carries_the_warning_with_the_seconds_left(client, service, now):
    client.force_login(service.iro)
    client.get("/caseload/")
    now.shift(timedelta(minutes=10))
    page = client.get("/caseload/").content.decode()
    found = re.search(r"<dialog id=\"session-warning\"[^>]*>", page, re.S)
    assert found is not None
    dialog = found.group(0)
    assert 'role="alertdialog"' in dialog
    assert 'data-seconds-left="1800"' in dialog
    assert 'data-warning-seconds="120"' in dialog
    assert f'data-keep-alive-url="{KEEP_ALIVE}"' in dialog
    assert "Stay signed in" in page
    assert '<script type="module" src="/static/js/session-warning.js"></script>' in page
    # No inline script: every <script> has a src.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))


def test_keep_alive_get_tells_the_time_left_without_extending(client, service, now):
    client.force_login(service.iro)
    client.get("/caseload/")
    now.shift(timedelta(minutes=20))
    data = client.get(KEEP_ALIVE, HTTP_ACCEPT="application/json").json()
    assert data == {"signed_in": True, "seconds_left": 600, "reason": "idle"}
    now.shift(timedelta(minutes=10, seconds=1))
    response = client.get(KEEP_ALIVE, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["signed_in"] is False
    assert not get_user(client).is_authenticated


def test_stay_signed_in_extends_the_session(client, service, now):
    client.force_login(service.iro)
    client.get("/caseload/")
    now.shift(timedelta(minutes=28))
    response = client.post(KEEP_ALIVE, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["seconds_left"] == 1800
    assert response["Cache-Control"] == "no-store"
    now.shift(timedelta(minutes=28))
    assert client.get("/caseload/").status_code == 200


def test_stay_signed_in_without_javascript_goes_back_to_the_page(client, service, now):
    client.force_login(service.iro)
    client.get("/caseload/")
    response = client.post(KEEP_ALIVE, {"next": "/caseload/"})
    assert response["Location"] == "/caseload/"
    response = client.post(KEEP_ALIVE, {"next": "https://elsewhere.example.org/"})
    assert response["Location"] == reverse("home")


def test_keep_alive_needs_the_csrf_token(service, now):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(service.iro)
    page = strict.get("/caseload/").content.decode()
    assert strict.post(KEEP_ALIVE, HTTP_ACCEPT="application/json").status_code == 403
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    token = found.group(1)
    response = strict.post(
        KEEP_ALIVE, {"csrfmiddlewaretoken": token}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200


def test_near_twelve_hours_the_warning_says_so(client, service, now):
    client.force_login(service.iro)
    client.get("/caseload/")
    for _ in range(24):
        now.shift(timedelta(minutes=29, seconds=50))
        client.get("/caseload/")
    data = client.post(KEEP_ALIVE, HTTP_ACCEPT="application/json").json()
    assert data["reason"] == "max"
    assert data["seconds_left"] == 12 * 3600 - 24 * (29 * 60 + 50)


def test_anonymous_pages_are_untouched(client, now):
    assert client.get("/sign-in/").status_code == 200
    now.shift(timedelta(hours=13))
    assert client.get("/sign-in/").status_code == 200


def test_the_idle_limit_is_a_setting(client, service, settings, now):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "SESSION_IDLE_MINUTES": 5}
    client.force_login(service.iro)
    client.get("/caseload/")
    now.shift(timedelta(minutes=6))
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert "after 5 minutes without activity" in client.get(response["Location"]).content.decode()

"""Staff's second step at sign-in (issue 7): the app (TOTP) and recovery codes, required of every
member of staff when CAREREVIEW["STAFF_SECOND_FACTOR"] is "required"."""

import re
import subprocess  # noqa: S404 - runs this project's own command
import sys
from datetime import timedelta

import pytest
import time_machine
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carereview.accounts import second_factor
from carereview.accounts.checks import second_factor_required_in_deployment
from carereview.core.models import AuditEvent
from carereview.core.policy import PUBLIC, ROUTES
from carereview.core.testing import PASSWORD, make_child, make_review_objects
from carereview.portal.testing import make_portal_user

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
VERIFY = "/account/two-factor/verify/"
SET_UP = "/account/two-factor/"
CODES = "/account/two-factor/recovery-codes/"


@pytest.fixture
def required(settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "STAFF_SECOND_FACTOR": "required"}


@pytest.fixture
def now():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def code_for(device, *, steps: int = 0) -> str:
    """The code the app shows now (or `steps` periods of 30 seconds later)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0 - steps * device.step)
    return f"{value:0{device.digits}d}"


def wrong_code(device) -> str:
    near = {code_for(device, steps=n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def with_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone app", confirmed=True)


def password(client, user, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(SIGN_IN, data)


def signed_in_as(client):
    from django.contrib.auth import get_user

    user = get_user(client)
    return user if user.is_authenticated else None


# --- password, then the code ----------------------------------------------------------------------


def test_password_then_app_code_signs_in_and_marks_the_session_verified(
    client, service, required, now
):
    device = with_app(service.iro)
    response = password(client, service.iro, "/caseload/")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:two-factor-verify"
    )
    assert signed_in_as(client) is None, "the password alone does not sign in"

    page = client.get(VERIFY)
    assert page.status_code == 200
    assert b"Type the code from the app" in page.content

    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/caseload/"
    assert signed_in_as(client) == service.iro
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/caseload/").status_code == 200


def test_a_wrong_code_does_not_sign_in(client, service, required, now):
    device = with_app(service.iro)
    password(client, service.iro)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert b"The code is not right" in response.content
    assert signed_in_as(client) is None


@pytest.mark.parametrize("junk", ["", "12345", "1234567", "<script>", "x" * 5000, "abc"])
def test_malformed_codes_get_a_message_not_an_error(client, service, required, now, junk):
    with_app(service.iro)
    password(client, service.iro)
    response = client.post(VERIFY, {"code": junk})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"<script>" not in response.content


def test_the_code_must_follow_the_password_within_5_minutes(client, service, required, now):
    device = with_app(service.iro)
    password(client, service.iro)
    now.shift(timedelta(minutes=6))
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert b"more than 5 minutes" in response.content
    assert signed_in_as(client) is None


def test_verify_without_a_password_first_asks_to_sign_in(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert b"Type your username and password first" in response.content


def test_an_unsafe_next_is_not_followed(client, service, required, now):
    device = with_app(service.iro)
    password(client, service.iro, "https://evil.example.org/")
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == reverse("home")


def test_a_recovery_code_signs_in_once(client, service, required, now):
    with_app(service.iro)
    codes = second_factor.new_recovery_codes(service.iro)
    assert len(codes) == 10 and len(set(codes)) == 10
    password(client, service.iro)
    response = client.post(VERIFY, {"code": second_factor.show_code(codes[0]).upper()})
    assert response.status_code == 302
    assert signed_in_as(client) == service.iro
    assert second_factor.recovery_codes_left(service.iro) == 9
    follow = client.get(response["Location"], follow=True)
    assert b"You signed in with a recovery code" in follow.content
    assert client.get("/caseload/").status_code == 200  # verified with the recovery code

    client.post(reverse("sign-out"))
    password(client, service.iro)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert b"The code is not right" in response.content
    assert signed_in_as(client) is None


def test_an_app_code_is_refused_a_second_time(client, service, required, now):
    device = with_app(service.iro)
    code = code_for(device)
    password(client, service.iro)
    client.post(VERIFY, {"code": code})
    client.post(reverse("sign-out"))
    password(client, service.iro)
    response = client.post(VERIFY, {"code": code})
    assert b"The code is not right" in response.content


# --- staff without the app must set it up ---------------------------------------------------------


def _staff_get_routes():
    """Every staff route without arguments, but the set-up pages themselves."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}{p.name}", p

    for name, pattern in walk(get_resolver().url_patterns):
        if ROUTES.get(name) in (None, PUBLIC) or name.startswith("portal:"):
            continue
        if name in {"accounts:two-factor", "accounts:keep-alive", "sign-out"}:
            continue
        yield name, pattern


def test_unverified_staff_are_sent_to_set_up_from_every_staff_page(client, service, required):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    objects = make_review_objects(child, service.iro)
    values = {
        "pk": child.pk,
        "child_id": child.pk,
        "review_id": objects.review.pk,
        "user_id": service.iro.pk,
    }
    checked = 0
    for user in service.by_role().values():
        client.force_login(user)
        for name, pattern in _staff_get_routes():
            names = set(pattern.pattern.converters)
            if not names <= set(values):
                continue  # pages of one object: the same middleware, checked by one below
            url = reverse(name, kwargs={n: values[n] for n in names})
            response = client.get(url)
            if response.status_code == 403:
                continue  # not this role's page at all: the policy says so first
            assert response.status_code == 302, (user.role, name, response.status_code)
            assert response["Location"].startswith(SET_UP), (user.role, name)
            checked += 1
        client.logout()
    assert checked > 30
    # And a page of one object, with the way back.
    client.force_login(service.iro)
    url = reverse("reviews:detail", kwargs={"review_id": objects.review.pk})
    response = client.get(url)
    assert response["Location"] == f"{SET_UP}?next={url.replace('/', '%2F')}"


def test_relaxed_lets_staff_without_the_app_in(client, service):
    client.force_login(service.iro)
    assert client.get("/caseload/").status_code == 200


def test_staff_with_the_app_but_not_verified_sign_in_again_even_when_relaxed(client, service):
    with_app(service.iro)
    client.force_login(service.iro)  # a session from before the app was set up
    response = client.get("/caseload/")
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
    assert signed_in_as(client) is None


def test_setting_up_the_app_then_recovery_codes_shown_once(client, service, required, now):
    client.force_login(service.iro)
    response = client.get("/caseload/")
    assert response["Location"] == f"{SET_UP}?next=%2Fcaseload%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content and b'id="manual-key"' in page.content
    assert b' style="' not in page.content
    device = TOTPDevice.objects.get(user=service.iro, confirmed=False)

    wrong = client.post(SET_UP, {"code": wrong_code(device), "next": "/caseload/"})
    assert b"The code is not right" in wrong.content
    now.shift(timedelta(seconds=2))  # django-otp makes the next try wait a second
    response = client.post(SET_UP, {"code": code_for(device), "next": "/caseload/"})
    assert response.status_code == 302
    assert response["Location"] == f"{CODES}?next=%2Fcaseload%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(operation="accounts.second_factor.on").count() == 1

    shown = client.get(response["Location"])
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", shown.content.decode())
    assert len(codes) == 10
    assert shown["Cache-Control"].count("no-store")
    assert b'href="/caseload/"' in shown.content
    again = client.get(CODES)
    assert re.findall(r"<code>[a-z2-7]{4}-[a-z2-7]{4}</code>", again.content.decode()) == []
    assert b"You have 10 recovery codes left" in again.content

    # Verified in this session: every page is open now.
    assert client.get("/caseload/").status_code == 200


def test_new_recovery_codes_replace_the_old(client, service, required, now):
    device = with_app(service.iro)
    old = second_factor.new_recovery_codes(service.iro)
    password(client, service.iro)
    client.post(VERIFY, {"code": code_for(device)})
    response = client.post(CODES)
    assert response["Location"] == CODES
    shown = client.get(CODES).content.decode()
    new = [c.replace("-", "") for c in re.findall(r"<code>([a-z2-7-]{9})</code>", shown)]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_a_new_phone_replaces_the_old_one(client, service, required, now):
    old = with_app(service.iro)
    password(client, service.iro)
    client.post(VERIFY, {"code": code_for(old)})
    page = client.get(SET_UP)
    assert b"The app is set up" in page.content
    client.get(SET_UP + "?new-phone=1")
    new = TOTPDevice.objects.get(user=service.iro, confirmed=False)
    response = client.post(SET_UP, {"code": code_for(new), "action": "new-phone"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=service.iro)) == [new]
    assert client.get("/caseload/").status_code == 200


def test_portal_users_are_not_asked_for_the_staff_second_step(client, service, required):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    _access, user = make_portal_user(child, by=service.iro)
    response = client.post("/portal/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert not response["Location"].startswith("/account/")
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert signed_in_as(client) == user
    assert client.get(SET_UP).status_code == 403  # a staff page


def test_an_administrator_resets_a_lost_phone(client, service, required, now):
    device = with_app(service.iro)
    second_factor.new_recovery_codes(service.iro)
    other = client_class_for(client)
    password(other, service.iro)
    other.post(VERIFY, {"code": code_for(device)})
    assert other.get("/caseload/").status_code == 200

    admin_device = with_app(service.administrator)
    password(client, service.administrator)
    client.post(VERIFY, {"code": code_for(admin_device)})
    response = client.post(
        reverse("accounts:unlock"),
        {"action": "reset-second-factor", "username": service.iro.username},
    )
    assert response["Location"] == reverse("accounts:locked")
    assert not TOTPDevice.objects.filter(user=service.iro).exists()
    assert second_factor.recovery_codes_left(service.iro) == 0
    assert AuditEvent.objects.filter(operation="accounts.second_factor.reset").exists()
    # Their session ended; at the next sign-in they set the app up again.
    assert other.get("/caseload/")["Location"].startswith(SIGN_IN)
    password(other, service.iro)
    assert other.get("/caseload/")["Location"].startswith(SET_UP)

    bad = client.post(
        reverse("accounts:unlock"), {"action": "reset-second-factor", "username": "nobody"}
    )
    assert bad.status_code == 200
    assert b"There is no member of staff with that username" in bad.content


def client_class_for(client):
    return type(client)()


# --- the deployment check -------------------------------------------------------------------------


def test_the_deploy_check_refuses_relaxed(settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "STAFF_SECOND_FACTOR": "relaxed"}
    errors = second_factor_required_in_deployment(None)
    assert [e.id for e in errors] == ["carereview.E702"]
    assert "carereview.E702" in {e.id for e in run_checks(include_deployment_checks=True)}
    settings.CAREREVIEW = {**settings.CAREREVIEW, "STAFF_SECOND_FACTOR": "required"}
    assert second_factor_required_in_deployment(None) == []


def test_check_deploy_with_production_settings_is_clean(tmp_path):
    """What CI runs: `carereview check --deploy --fail-level WARNING` with production settings."""
    import os
    import secrets

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "carereview.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "carereview.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests; an error in deployment
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "carereview", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout

    relaxed = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django, os; from django.conf import settings; django.setup();"
            "from django.test import override_settings;"
            "override_settings(CAREREVIEW={'STAFF_SECOND_FACTOR': 'relaxed'}).enable();"
            "from django.core.management import call_command;"
            "call_command('check', deploy=True)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert relaxed.returncode != 0
    assert "carereview.E702" in relaxed.stderr + relaxed.stdout

"""Failed sign-ins are throttled by django-axes (issue 7): an account after 5 failures, an address
after CAREREVIEW["SIGN_IN_ADDRESS_FAILURE_LIMIT"], for 30 minutes; a clear page; administrators
unlock. The staff and the portal sign-in alike."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from carereview.accounts.middleware import client_ip
from carereview.accounts.views import clock
from carereview.core.authority import authority
from carereview.core.models import AuditEvent
from carereview.core.testing import PASSWORD, make_child
from carereview.portal.testing import make_portal_user

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
PORTAL_SIGN_IN = "/portal/sign-in/"
LOCKED = "/account/locked/"


@pytest.fixture
def now():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def fail(client, username, times=1, url=SIGN_IN, address="10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(
            url, {"username": username, "password": "not-the-password"}, REMOTE_ADDR=address
        )
    return response


def sign_in(client, user, url=SIGN_IN, address="10.0.0.1"):
    return client.post(url, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address)


def test_four_failures_then_the_right_password_signs_in(client, service, now):
    response = fail(client, service.iro.username, 4)
    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content
    assert sign_in(client, service.iro).status_code == 302
    assert get_user(client) == service.iro
    # A success clears the count (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username=service.iro.username).exists()


def test_the_fifth_failure_locks_the_account_with_a_clear_page(client, service, now):
    fail(client, service.iro.username, 4)
    response = fail(client, service.iro.username)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Signing in is stopped for now" in text
    assert "stopped for 30 minutes" in text
    assert "ask your administrator to unlock your account" in text
    assert f"try again after <strong>{clock(timezone.now() + timedelta(minutes=30))} on" in text
    assert "Content-Security-Policy" in response.headers

    # Now even the right password is refused, from anywhere, until the 30 minutes are up.
    locked = sign_in(client, service.iro, address="10.9.9.9")
    assert locked.status_code == 429
    assert not get_user(client).is_authenticated
    now.shift(timedelta(minutes=29))
    assert sign_in(client, service.iro).status_code == 429
    now.shift(timedelta(minutes=2))
    assert sign_in(client, service.iro).status_code == 302
    assert get_user(client) == service.iro


def test_other_accounts_from_the_same_address_are_not_locked_by_one(client, service, now):
    fail(client, service.iro.username, 5)
    assert sign_in(client, service.iro2).status_code == 302


def test_a_colleague_signing_in_from_the_same_address_unlocks_nothing(client, service, now):
    fail(client, service.iro.username, 5)
    assert sign_in(client, service.iro2).status_code == 302
    client.logout()
    assert sign_in(client, service.iro).status_code == 429


def test_a_success_does_not_wipe_guesses_from_elsewhere(client, service, now):
    fail(client, service.iro.username, 3, address="198.51.100.1")  # someone else, guessing
    sign_in(client, service.iro)
    client.logout()
    fail(client, service.iro.username, 2, address="198.51.100.1")
    assert sign_in(client, service.iro).status_code == 429


def test_an_address_is_locked_after_its_own_limit(client, service, settings, now):
    limit = authority().sign_in_address_failure_limit
    assert limit == 20
    for n in range(limit - 1):
        assert fail(client, f"guess-{n}").status_code == 200
    assert fail(client, "guess-last").status_code == 429
    assert sign_in(client, service.iro).status_code == 429
    assert sign_in(client, service.iro, address="10.0.0.2").status_code == 302


def test_a_wrong_code_at_the_second_step_counts(client, service, settings, now):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "STAFF_SECOND_FACTOR": "required"}
    device = TOTPDevice.objects.create(user=service.iro, name="Phone app", confirmed=True)
    right = f"{totp(device.bin_key):06d}"
    wrong = next(c for c in ("000000", "111111", "222222") if c != right)
    fail(client, service.iro.username, 3)
    sign_in(client, service.iro)  # the right password: on to the code
    verify = reverse("accounts:two-factor-verify")
    for _ in range(2):
        now.shift(timedelta(seconds=70))  # past django-otp's own wait after a wrong code
        response = client.post(verify, {"code": wrong}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert b"Signing in is stopped for now" in response.content
    assert not get_user(client).is_authenticated


def test_the_portal_sign_in_is_locked_too(client, service, now):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    _access, user = make_portal_user(child, by=service.iro)
    fail(client, user.username, 4, url=PORTAL_SIGN_IN)
    response = fail(client, user.username, url=PORTAL_SIGN_IN)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Signing in is stopped for now" in text
    assert "nobody can sign in to it from here for 30 minutes" in text
    assert "ask your IRO or social worker for a new link" in text
    assert 'href="/portal/sign-in/"' in text
    assert sign_in(client, user, url=PORTAL_SIGN_IN).status_code == 429


def test_the_administrator_sees_and_unlocks(client, service, now):
    fail(client, service.iro.username, 5)
    for n in range(20):
        fail(client, f"spray-{n}", address="192.0.2.7")
    client.force_login(service.administrator)
    page = client.get(LOCKED)
    assert page.status_code == 200
    text = page.content.decode()
    assert service.iro.username in text and "Ian Applewood" in text
    assert "192.0.2.7" in text
    assert "No account is locked" not in text

    response = client.post(
        reverse("accounts:unlock"), {"kind": "account", "value": service.iro.username}
    )
    assert response["Location"] == LOCKED
    assert not AccessAttempt.objects.filter(username=service.iro.username).exists()
    event = AuditEvent.objects.get(operation="accounts.unlock.account")
    assert event.actor == service.administrator
    client.post(reverse("accounts:unlock"), {"kind": "address", "value": "192.0.2.7"})
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.7").exists()
    page = client.get(LOCKED).content.decode()
    assert "No account is locked" in page and "No address is locked" in page

    client.logout()
    assert sign_in(client, service.iro).status_code == 302


def test_only_administrators_unlock(client, service):
    for user in (service.iro, service.iro_manager):
        client.force_login(user)
        assert client.get(LOCKED).status_code == 403
        assert client.post(reverse("accounts:unlock"), {"kind": "account"}).status_code == 403


def test_unlock_by_get_just_shows_the_list(client, service):
    client.force_login(service.administrator)
    assert client.get(reverse("accounts:unlock"))["Location"] == LOCKED


def test_the_address_behind_a_trusted_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.1.1.1"
    settings.CAREREVIEW = {**settings.CAREREVIEW, "TRUSTED_PROXY_COUNT": 1}
    assert client_ip(request) == "203.0.113.9"  # what the person sent first is never believed
    settings.CAREREVIEW = {**settings.CAREREVIEW, "TRUSTED_PROXY_COUNT": 2}
    assert client_ip(request) == "6.6.6.6"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"

"""Staff's second step at sign-in (issue 7): a code from an authenticator app (TOTP), or a
single-use recovery code when the phone is not to hand.

The app is the same kind of device as the portal's optional second step (portal/second_factor.py,
whose set-up, QR code and checking this reuses): one confirmed TOTPDevice per person. Recovery codes
are django-otp's static tokens: one StaticDevice per person holding RECOVERY_CODES tokens; a token
is deleted when used. Codes are shown once, when made; making new ones replaces them all.

Checking a code goes through django-otp, which refuses a TOTP code used before and makes the next
try wait 1, 2, 4, 8... seconds after each wrong code; a wrong code also counts as a failed sign-in
for django-axes (accounts.views.two_factor_verify).
"""

from __future__ import annotations

import re

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carereview.core import second_factor as app

RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "Recovery codes"

# Reused as they are from the portal's second step.
confirmed_device = app.confirmed_device
pending_device = app.pending_device
start_device = app.start_device
confirm_device = app.confirm_device
qr_svg = app.qr_svg
manual_key = app.manual_key
throttle_message = app.throttle_message


def has_app(user) -> bool:
    """Has the person set up the app (a confirmed TOTP device)?"""
    if user is None or user.pk is None:
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_codes(user) -> list[str]:
    """Replace the person's recovery codes with RECOVERY_CODES new ones, and return them (the
    only time they can be seen). The device itself is kept, so a session signed in with a
    recovery code stays signed in."""
    with transaction.atomic():
        device = recovery_device(user)
        if device is None:
            device = StaticDevice.objects.create(
                user=user, name=RECOVERY_DEVICE_NAME, confirmed=True
            )
        device.token_set.all().delete()
        codes: set[str] = set()
        while len(codes) < RECOVERY_CODES:
            codes.add(StaticToken.random_token())
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return sorted(codes)


def show_code(code: str) -> str:
    """A recovery code as shown: "abcd-efgh", easier to read out and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def normalise(code: str) -> str:
    """What the person typed, without spaces and dashes, in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def is_app_code(code: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{6}", code))


def is_recovery_code(code: str) -> bool:
    return bool(re.fullmatch(r"[a-z2-7]{8}", code))


def check(user, code: str):
    """The device that accepts `code` (already normalised) for `user`, or None. A recovery code is
    used up by this. Wrong codes are counted by django-otp (throttling)."""
    with transaction.atomic():
        if is_app_code(code):
            device = (
                TOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("pk")
                .first()
            )
        elif is_recovery_code(code):
            device = (
                StaticDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("pk")
                .first()
            )
        else:
            return None
        if device is not None and device.verify_token(code):
            return device
    return None


def waiting_message(user, code: str) -> str:
    """django-otp's "wait before trying again" message for the device `code` would go to."""
    if is_recovery_code(code):
        return throttle_message(recovery_device(user))
    return throttle_message(confirmed_device(user))


def reset(user) -> None:
    """An administrator's reset for a member of staff who lost their phone: the app and the
    recovery codes are removed, and every session the person has is ended, so that only someone
    who knows the password sets the app up again, at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        end_sessions(user)


def end_sessions(user) -> int:
    """Delete every live session of `user` (database sessions: each is decoded, which is fine for
    the few thousand sessions a council has at once)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended

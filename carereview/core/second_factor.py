"""The portal's optional second step at sign-in: a 6-number code from an app on the person's phone
(issue 5, item 1). Staff use the same devices (accounts.second_factor), and the policy checks a
portal user's step (core.policy), so it lives in core (moved from portal; ADR 0013).

One time-based (TOTP) device per person, from django-otp. Setting it up makes an unconfirmed
device; the person scans its QR code (or types its key) into their app and proves it works with a
code, which confirms it. Only a confirmed device counts. Checking a code goes through django-otp's
`TOTPDevice.verify_token`, which refuses a code used before and slows down guessing: after each
wrong code the next try must wait 1, 2, 4, 8... seconds (`throttle_message` says so).
"""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Phone app"
WRONG_CODE = "The code is not right. Check your app and try again."
QR_TITLE = "QR code to scan with the app on your phone"


def confirmed_device(user) -> TOTPDevice | None:
    """The person's working device, or None when the second step is off."""
    if user is None or user.pk is None:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice | None:
    """The device being set up (shown but not yet proved with a code), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def has_second_factor(user) -> bool:
    return confirmed_device(user) is not None


def start_device(user) -> TOTPDevice:
    """A new unconfirmed device with a fresh key, replacing any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_device(user, code: str) -> bool:
    """Turn the second step on if `code` is right for the device being set up. Any other device
    the person had is removed: one phone at a time."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None or not device.verify_token(code):
            return False
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def remove_devices(user) -> None:
    """Turn the second step off (and forget any half set-up device)."""
    TOTPDevice.objects.filter(user=user).delete()


def verify(user, code: str) -> bool:
    """Is `code` right for the person's confirmed device? Wrong codes are counted (throttling)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        return device is not None and device.verify_token(code)


def throttle_message(device: TOTPDevice | None) -> str:
    """django-otp's message when too many wrong codes mean the person must wait; else ""."""
    if device is None:
        return ""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return ""
    messages = OTPAuthenticationFormMixin.otp_error_messages
    if (data or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return str(messages["n_failed_attempts"] % {"failure_count": data["failure_count"]})
    return str(messages["verification_not_allowed"])


def qr_svg(device: TOTPDevice) -> str:
    """The device's set-up link as an inline SVG QR code, named for screen readers (a <title>,
    and role="img" with aria-label for browsers that ignore an inline SVG's title). Dark squares
    on a white ground with the standard quiet zone, so that phones can read it in dark mode."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, border=4, dark="#000", light="#fff", title=QR_TITLE)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{QR_TITLE}" ', 1)


def manual_key(device: TOTPDevice) -> str:
    """The key to type into the app by hand: base32, in groups of four ("ABCD EFGH ...")."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

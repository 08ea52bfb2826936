"""The optional second step at sign-in (issue 5, item 1): turning a code from a phone app on and
off, and typing the code after the password.

The portal's sign-in (views.access.sign_in) checks the password. When the person has a second step
on, it does not sign them in: it leaves "portal_pending_user", "portal_pending_next" and
"portal_pending_at" in the session and sends them to `sign_in_code`, which signs them in only with
a right code, within 5 minutes of the password.
"""

import django_otp
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from carereview.accounts.pending import PORTAL as PENDING
from carereview.core import audit
from carereview.core import second_factor as factor
from carereview.portal.forms import CodeForm
from carereview.portal.views.common import render_portal

BACKEND = "django.contrib.auth.backends.ModelBackend"

WRONG_CODE = factor.WRONG_CODE


def _check(form: CodeForm, device, check) -> bool:
    """Run `check(code)` for a valid form unless the device must wait; put the error on the form."""
    if not form.is_valid():
        return False
    wait = factor.throttle_message(device)
    if wait:
        form.add_error("code", wait)
        return False
    if check(form.cleaned_data["code"]):
        return True
    form.add_error("code", WRONG_CODE)
    return False


# --- turning it on and off (signed in) ----------------------------------------------------------


def second_factor(request):
    """Whether the second step is on; set it up (QR code, key, code to prove it) or turn it off.
    With ?welcome=1 this is the step straight after choosing a password, and may be skipped."""
    user = request.user
    welcome = request.GET.get("welcome") == "1"
    here = reverse("portal:second-factor")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    device = factor.confirmed_device(user)

    if device is not None:
        if action == "off" or request.GET.get("turn-off") == "1":
            return _turn_off(request, device)
        if request.method == "POST":
            return redirect(here)
        return render_portal(request, "portal/second_factor.html", None, {"is_on": True})

    if request.method == "POST" and action != "on":
        return redirect(here)  # e.g. "turn off" from an old page: nothing to turn off
    pending = factor.pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if pending is None:
            return redirect(request.get_full_path())  # set-up was replaced meanwhile: start again
        if _check(form, pending, lambda code: factor.confirm_device(user, code)):
            django_otp.login(request, factor.confirmed_device(user))
            audit.record_change(user, "portal.second_factor.on", user, {})
            messages.success(
                request, "The code from your phone is on. You will need it each time you sign in."
            )
            return redirect("portal:home" if welcome else here)
    if pending is None:
        pending = factor.start_device(user)
    context = {
        "is_on": False,
        "welcome": welcome,
        "form": form,
        "qr_svg": factor.qr_svg(pending),
        "manual_key": factor.manual_key(pending),
        "config_url": pending.config_url,
    }
    return render_portal(request, "portal/second_factor.html", None, context)


def _turn_off(request, device):
    """Are you sure? A session that was not signed in with a code must also give one."""
    user = request.user
    needs_code = not getattr(user, "is_verified", lambda: False)()
    form = CodeForm(request.POST if request.method == "POST" else None) if needs_code else None
    if request.method == "POST" and request.POST.get("action") == "off":
        if form is None or _check(form, device, lambda code: factor.verify(user, code)):
            factor.remove_devices(user)
            request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
            audit.record_change(user, "portal.second_factor.off", user, {})
            messages.success(
                request, "The code from your phone is off. You will only need your password."
            )
            return redirect("portal:second-factor")
    return render_portal(request, "portal/second_factor_off.html", None, {"form": form})


# --- the code after the password (not signed in yet) ---------------------------------------------


def sign_in_code(request):
    user, expired = PENDING.user(request, lambda u: u.is_portal_user)
    device = factor.confirmed_device(user) if user is not None else None
    if device is None:
        PENDING.clear(request)
        if expired:
            messages.info(request, "You took too long to type the code. Sign in again.")
        return redirect("portal:sign-in")

    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _check(form, device, lambda code: factor.verify(user, code)):
        next_url = PENDING.next_url(request)
        PENDING.clear(request)
        login(request, user, backend=BACKEND)
        django_otp.login(request, device)
        safe = isinstance(next_url, str) and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(next_url if safe else "portal:home")
    return render_portal(request, "portal/sign_in_code.html", None, {"form": form})

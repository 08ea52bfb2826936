"""Signing in safely (issue 7): staff's second step, recovery codes, keeping a session alive, and
failed sign-ins (django-axes): the lockout page, and the administrator's list and unlock.

The staff sign-in (SignInView) checks the password. A member of staff who has set up
the app is not signed in there: `begin_second_step` leaves "staff_pending_user",
"staff_pending_next" and "staff_pending_at" in the session and sends them to `two_factor_verify`,
which signs them in only with a right code within 5 minutes of the password.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.db.models import Count, Max, Q, Sum
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from carereview.accounts import second_factor as factor
from carereview.accounts.forms import (
    AppCodeForm,
    ResetSecondFactorForm,
    SignInCodeForm,
    UnlockForm,
)
from carereview.accounts.middleware import address_failure_limit, second_factor_required
from carereview.accounts.models import Team, User
from carereview.accounts.pending import STAFF as PENDING
from carereview.core.forms import SignInForm
from carereview.core.models import AuditEvent

BACKEND = "django.contrib.auth.backends.ModelBackend"
NEW_CODES = "staff_new_recovery_codes"

WRONG_CODE = "The code is not right. Check the app, or your recovery codes, and try again."


def _safe(request, url) -> str:
    # A path on this site only: redirect() would take "-1" or "home" for a view name (and a
    # name that is not one is a NoReverseMatch, a 500).
    ok = (
        isinstance(url, str)
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
    return url if url and ok else ""


def _audit(actor, operation: str, object_type: str, object_id, snapshot: dict) -> None:
    AuditEvent.objects.create(
        actor=actor,
        operation=operation,
        object_type=object_type,
        object_id=str(object_id)[:40],
        snapshot=snapshot,
    )


# --- the second step at sign-in ------------------------------------------------------------------


def begin_second_step(request, user, next_url: str):
    """After the right password: ask for the code (not signed in yet)."""
    PENDING.begin(request, user, _safe(request, next_url))
    return redirect("accounts:two-factor-verify")


@never_cache
def two_factor_verify(request):
    """The code after the password: from the app, or a recovery code."""
    if request.user.is_authenticated:
        return redirect("home")
    user, expired = PENDING.user(request, lambda u: u.is_staff_member and factor.has_app(u))
    if user is None:
        PENDING.clear(request)
        return render(request, "accounts/sign_in_again.html", {"expired": expired})
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        PENDING.clear(request)
        return locked_out(request, None, credentials)

    form = SignInCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        wait = factor.waiting_message(user, code)
        device = None if wait else factor.check(user, code)
        if device is not None:
            next_url = PENDING.next_url(request)
            PENDING.clear(request)
            login(request, user, backend=BACKEND)
            django_otp.login(request, device)
            if factor.is_recovery_code(code):
                left = factor.recovery_codes_left(user)
                messages.info(
                    request,
                    f"You signed in with a recovery code. It cannot be used again: you have {left} "
                    "left. Make new ones on the recovery codes page when you run low.",
                )
            return redirect(_safe(request, next_url) or "home")
        if wait:
            form.add_error("code", wait)
        else:
            form.add_error("code", WRONG_CODE)
            # A wrong code counts against the account, as a wrong password does (django-axes).
            # AxesMiddleware shows the lockout page when this one reaches the limit.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(request, "accounts/two_factor_verify.html", {"form": form})


# --- setting up the app (signed in) --------------------------------------------------------------


def two_factor(request):
    """Set up the app (QR code and key, then a code to prove it), or see that it is set up and
    set it up again on a new phone."""
    user = request.user
    next_url = _safe(request, request.POST.get("next") or request.GET.get("next", ""))
    device = factor.confirmed_device(user)
    replacing = request.GET.get("new-phone") == "1" or request.POST.get("action") == "new-phone"

    if device is not None and not replacing:
        if request.method == "POST":
            return redirect("accounts:two-factor")
        return render(
            request,
            "accounts/two_factor_on.html",
            {"codes_left": factor.recovery_codes_left(user), "device": device},
        )

    pending = factor.pending_device(user)
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if pending is None:
            return redirect(request.get_full_path())  # replaced meanwhile in another tab
        if form.is_valid():
            wait = factor.throttle_message(pending)
            if wait:
                form.add_error("code", wait)
            elif factor.confirm_device(user, form.cleaned_data["code"]):
                django_otp.login(request, factor.confirmed_device(user))
                _audit(user, "accounts.second_factor.on", "accounts.User", user.pk, {})
                request.session[NEW_CODES] = factor.new_recovery_codes(user)
                messages.success(request, "The app is set up. You will need it each time.")
                url = reverse("accounts:recovery-codes")
                if next_url:
                    url += "?" + urlencode({"next": next_url})
                return redirect(url)
            else:
                form.add_error("code", "The code is not right. Check the app and try again.")
    if pending is None:
        pending = factor.start_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "next": next_url,
            "replacing": device is not None,
            "required": second_factor_required(),
            "qr_svg": factor.qr_svg(pending),
            "manual_key": factor.manual_key(pending),
            "config_url": pending.config_url,
        },
    )


@never_cache
def recovery_codes(request):
    """New codes are shown once, straight after they are made; afterwards only how many are left.
    Making new ones stops the old ones working."""
    user = request.user
    if not factor.has_app(user):
        return redirect("accounts:two-factor")
    next_url = _safe(request, request.GET.get("next", ""))
    if request.method == "POST":
        request.session[NEW_CODES] = factor.new_recovery_codes(user)
        _audit(user, "accounts.recovery_codes.new", "accounts.User", user.pk, {})
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(NEW_CODES, None)
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": [factor.show_code(c) for c in codes] if codes else None,
            "codes_left": factor.recovery_codes_left(user),
            "next": next_url,
        },
    )


# --- the session warning --------------------------------------------------------------------------


def keep_alive(request):
    """GET: how long the session has left, without extending it. POST: "Stay signed in" (the
    request itself is the activity, see accounts.middleware)."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    timeout = getattr(request, "session_timeout", None) or {}
    data = {
        "signed_in": True,
        "seconds_left": timeout.get("seconds_left"),
        "reason": timeout.get("reason"),
    }
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST" and not wants_json:
        return redirect(_safe(request, request.POST.get("next", "")) or "home")
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


# --- failed sign-ins (django-axes) ----------------------------------------------------------------


def _cool_off() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def clock(moment) -> str:
    """A time as GOV.UK writes it: "9:05am", "2:30pm"."""
    local = timezone.localtime(moment)
    return f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a page in plain words, on the portal's
    frame for the portal's sign-in."""
    portal = request.path.startswith("/portal/")
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or request.POST.get(
        settings.AXES_USERNAME_FORM_FIELD, ""
    )
    since = timezone.now() - _cool_off()
    address = getattr(request, "axes_ip_address", None)
    # The lockout ends AXES_COOLOFF_TIME after the last failure of the account or the address.
    latest = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .filter(Q(username=username) | Q(ip_address=address))
        .aggregate(at=Max("attempt_time"))["at"]
    )
    until = (latest or timezone.now()) + _cool_off()
    return render(
        request,
        "accounts/locked_out.html",
        {
            "base_template": "portal/base.html" if portal else "base.html",
            "portal": portal,
            "until": timezone.localtime(until),
            "until_time": clock(until),
            "minutes": int(_cool_off().total_seconds() // 60),
            "sign_in_url": reverse("portal:sign-in" if portal else "sign-in"),
        },
        status=429,
    )


def current_lockouts() -> dict:
    """The accounts and addresses locked out now, by the same counts django-axes uses."""
    since = timezone.now() - _cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    limit = settings.AXES_FAILURE_LIMIT
    accounts = list(
        recent.exclude(username__isnull=True)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last")
    )
    addresses = list(
        recent.exclude(ip_address__isnull=True)
        .values("ip_address")
        .annotate(
            failures=Sum("failures_since_start"),
            last=Max("attempt_time"),
            accounts=Count("username", distinct=True),
        )
        .filter(failures__gte=max(limit, address_failure_limit()))
        .order_by("-last")
    )
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[a["username"] for a in accounts])
    }
    for row in accounts + addresses:
        row["until"] = timezone.localtime(row["last"] + _cool_off())
        row["until_time"] = clock(row["until"])
    for row in accounts:
        row["user"] = users.get(row["username"])
    return {"accounts": accounts, "addresses": addresses}


def locked(request):
    """The administrator's list of locked accounts and addresses, each with an unlock button; and
    a reset of a member of staff's second step (a lost phone)."""
    return render(
        request,
        "accounts/locked.html",
        {
            **current_lockouts(),
            "limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": address_failure_limit(),
            "minutes": int(_cool_off().total_seconds() // 60),
            "reset_form": ResetSecondFactorForm(),
        },
    )


def unlock(request):
    """POST: unlock one account or address; or (action=reset-second-factor) remove a member of
    staff's app and recovery codes and end their sessions."""
    if request.method != "POST":
        return redirect("accounts:locked")
    if request.POST.get("action") == "reset-second-factor":
        form = ResetSecondFactorForm(request.POST)
        if not form.is_valid():
            context = {
                **current_lockouts(),
                "limit": settings.AXES_FAILURE_LIMIT,
                "address_limit": address_failure_limit(),
                "minutes": int(_cool_off().total_seconds() // 60),
                "reset_form": form,
            }
            return render(request, "accounts/locked.html", context)
        person = form.user
        factor.reset(person)
        _audit(request.user, "accounts.second_factor.reset", "accounts.User", person.pk, {})
        messages.success(
            request,
            f"{person.get_full_name() or person.username}'s app and recovery codes are removed, "
            "and they are signed out. They will set up the app again when they next sign in.",
        )
        return redirect("accounts:locked")
    unlock_form = UnlockForm(request.POST)
    if unlock_form.is_valid():
        kind, value = unlock_form.cleaned_data["kind"], unlock_form.cleaned_data["value"].strip()
        if kind == "account":
            count = axes_reset(username=value)
        else:
            count = axes_reset(ip=value)
        if count:
            _audit(
                request.user,
                f"accounts.unlock.{kind}",
                "axes.AccessAttempt",
                value,
                {"attempts_removed": count},
            )
            what = f"The account {value}" if kind == "account" else f"The address {value}"
            messages.success(request, f"{what} is unlocked and can be used to sign in again.")
        else:
            messages.info(request, "That was not locked any more.")
    return redirect("accounts:locked")


# Moved from core.views (ADR 0013: core names no app).
class SignInView(auth_views.LoginView):
    """Staff sign in with their password; then, if they have set up the app, with its code
    (accounts.views.two_factor_verify). Failed passwords are counted by django-axes, which the
    form's authenticate() call reaches with the request."""

    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        from carereview.accounts import second_factor

        user = form.get_user()
        if second_factor.has_app(user):
            return begin_second_step(self.request, user, self.get_redirect_url())
        return super().form_valid(form)


def staff(request):
    teams = Team.objects.select_related("manager").prefetch_related("members").order_by("name")
    unteamed = User.objects.filter(team__isnull=True, is_active=True).exclude(
        role__in=["child", "parent", "carer"]
    )
    return render(request, "core/staff.html", {"teams": teams, "unteamed": unteamed})

"""Sign-in protection on every request (issue 7).

* `SessionTimeoutMiddleware`: a session ends after CAREREVIEW["SESSION_IDLE_MINUTES"] without a
  request and after CAREREVIEW["SESSION_MAX_HOURS"] in all, whatever the cookie says. The person is
  signed out and sent to their sign-in page (the portal's for children, parents and carers) with a
  message saying why. It also tells the page how long is left, for the warning in base.html.
* `StaffSecondFactorMiddleware`: runs after core.policy.PolicyMiddleware. A member of staff who has
  set up the app must have used it in this session; with CAREREVIEW["STAFF_SECOND_FACTOR"] at
  "required", one who has not set it up is sent to set it up before any other staff page.
  Portal users are left to the portal's own, optional, second step.
* `SignInThrottle` and `client_ip`: django-axes' database handler with a separate, higher limit
  for an address than for an account, and the person's address behind a trusted proxy.
"""

from __future__ import annotations

import math
import time
from urllib.parse import urlencode

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from carereview.accounts import second_factor
from carereview.core.authority import authority
from carereview.core.policy import PUBLIC, ROUTES

STARTED = "carereview_session_started"
SEEN = "carereview_session_seen"
# The last request is written to the session at most this often (seconds), so that not every page
# writes the session; the idle limit is kept to within this much.
SEEN_GRANULARITY = 30


def idle_seconds() -> int:
    return authority().session_idle_minutes * 60


def max_seconds() -> int:
    return authority().session_max_hours * 60 * 60


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def keep_alive_paths() -> tuple[str, str]:
    """The session warning's routes: staff and portal (the same view)."""
    return reverse("accounts:keep-alive"), reverse("portal:keep-alive")


class SessionTimeoutMiddleware:
    """Ends idle and over-long sessions; sets `request.session_timeout` for the page's warning."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._check(request, user)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request, user):
        session = request.session
        now = time.time()
        started, seen = _number(session.get(STARTED)), _number(session.get(SEEN))
        if started is None or seen is None:
            # A session signed in before this middleware, or by force_login: it starts now.
            started = seen = now
            session[STARTED] = session[SEEN] = now
        elif now - seen > idle_seconds():
            return self._end(request, user, "idle")
        elif now - started > max_seconds():
            return self._end(request, user, "max")
        keep_alive = request.path in keep_alive_paths()
        if keep_alive and request.method == "GET":
            pass  # the warning asking how long is left: not activity
        elif (keep_alive and request.method == "POST") or now - seen >= SEEN_GRANULARITY:
            seen = now
            session[SEEN] = now
        idle_left = seen + idle_seconds() - now
        max_left = started + max_seconds() - now
        request.session_timeout = {
            # Rounded up, so that the page never thinks the session ended before it did.
            "seconds_left": max(0, math.ceil(min(idle_left, max_left))),
            "reason": "idle" if idle_left <= max_left else "max",
            "warning_seconds": authority().session_warning_seconds,
        }
        return None

    def _end(self, request, user, why: str):
        portal = user.is_portal_user
        logout(request)
        if why == "idle":
            text = (
                f"You were signed out after {_plural(authority().session_idle_minutes, 'minute')} "
                "without activity. Sign in again to carry on."
            )
        else:
            text = (
                "You were signed out because you had been signed in for "
                f"{_plural(authority().session_max_hours, 'hour')}. Sign in again to carry on."
            )
        messages.info(request, text)
        sign_in = "portal:sign-in" if portal else "sign-in"
        if request.path in keep_alive_paths():
            return JsonResponse({"signed_in": False, "sign_in_url": reverse(sign_in)}, status=401)
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), sign_in)
        return redirect(sign_in)


# Pages a member of staff may use before the second step is done.
SET_UP_ROUTES = {"accounts:two-factor", "accounts:keep-alive", "sign-out"}


def second_factor_required() -> bool:
    return authority().staff_second_factor != "relaxed"


class StaffSecondFactorMiddleware:
    """Staff pages need the second step done in this session (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff_member:
            return None
        name = request.resolver_match.view_name if request.resolver_match else None
        if name not in ROUTES or ROUTES[name] == PUBLIC or name == "sign-out":
            return None  # PolicyMiddleware has dealt with these
        verified = getattr(user, "is_verified", None)
        if verified is not None and verified():
            return None
        if second_factor.has_app(user):
            # Signed in some other way than with the code (a session from before the app was set
            # up): sign in again, with the code.
            logout(request)
            messages.info(request, "Sign in again, with the code from your app.")
            return redirect_to_login(request.get_full_path() if request.method == "GET" else "")
        if name in SET_UP_ROUTES or not second_factor_required():
            return None
        url = reverse("accounts:two-factor")
        if request.method == "GET" and request.get_full_path() != reverse("home"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


# --- django-axes ---------------------------------------------------------------------------------


def client_ip(request) -> str | None:
    """The person's address: from the connection, or, behind CAREREVIEW["TRUSTED_PROXY_COUNT"]
    proxies, the one the outermost trusted proxy put in X-Forwarded-For (the entries before it
    are whatever the person sent, and are never believed)."""
    count = authority().trusted_proxy_count
    if count > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def address_failure_limit() -> int:
    return authority().sign_in_address_failure_limit


def _is_address_only(parameter) -> bool:
    return parameter == "ip_address" or list(parameter) == ["ip_address"]


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' database handler, with the address counted against its own limit.

    Axes compares one number (the most failures of any lockout parameter) with one limit. Here the
    failures from an address are scaled so that they reach AXES_FAILURE_LIMIT only at
    CAREREVIEW["SIGN_IN_ADDRESS_FAILURE_LIMIT"]: an account is locked after 5, an address after 20.
    """

    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        address_limit = max(limit, address_failure_limit())
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if _is_address_only(parameter):
                failures = failures * limit // address_limit
            worst = max(worst, failures)
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful sign-in (AXES_RESET_ON_SUCCESS): forget the failures of this account
        from this address only. Axes would forget every failure of the account and of the address,
        so one colleague signing in from the office would unlock an account someone is guessing
        at from the same address, and a success here would wipe guesses made from elsewhere."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        ).delete()
        return count

"""Between the right password and the code: who gave the password, where they were going and
when, kept in the session (not signed in yet) for 5 minutes. Staff (accounts.views) and the
portal (portal.views.security) each have their own keys, so one cannot finish the other's."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

SECONDS = 5 * 60


@dataclass(frozen=True)
class PendingSignIn:
    #: The session keys' prefix: "<prefix>_pending_user", "_next" and "_at".
    prefix: str

    @property
    def keys(self) -> tuple[str, str, str]:
        return (
            f"{self.prefix}_pending_user",
            f"{self.prefix}_pending_next",
            f"{self.prefix}_pending_at",
        )

    def begin(self, request, user, next_url: str) -> None:
        user_key, next_key, at_key = self.keys
        request.session[user_key] = user.pk
        request.session[next_key] = next_url
        request.session[at_key] = int(time.time())

    def next_url(self, request):
        return request.session.get(self.keys[1])

    def clear(self, request) -> None:
        for key in self.keys:
            request.session.pop(key, None)

    def user(self, request, may_finish: Callable[[Any], bool]):
        """(user, expired): who gave the right password less than 5 minutes ago, if they are
        active and `may_finish(user)`, else None; `expired` when the 5 minutes are what is
        missing."""
        user_key, _next_key, at_key = self.keys
        try:
            age = time.time() - float(request.session.get(at_key))
            pk = int(request.session.get(user_key))
        except (TypeError, ValueError, OverflowError):
            return None, False
        if not 0 <= age <= SECONDS:
            return None, True
        user = get_user_model().objects.filter(pk=pk, is_active=True).first()
        if user is None or not may_finish(user):
            return None, False
        return user, False


STAFF = PendingSignIn("staff")
PORTAL = PendingSignIn("portal")

"""A database that is down answers with a clean 503 page, never a traceback (issue 7, item 7).

While PostgreSQL restarts (or a connection drops, or a deadlock or a lock timeout stops a query)
Django raises `OperationalError` or `InterfaceError`. Left alone, that is a 500: a traceback page
with DEBUG on, a bare "Server Error" with it off, and an "Internal Server Error" traceback in the
log. `DatabaseUnavailableMiddleware` turns it into the GOV.UK "Sorry, the service is unavailable"
page with status 503 and `Retry-After`, and logs one line: the error's class, its SQLSTATE and the
route's name. Never the path's query string, the SQL, its parameters or the message, which may
quote record values.

Where the error can come from, and how each is caught:

* a view (or a template it renders): `process_exception`, before Django's 500 handling;
* a middleware inside this one (the session read in `PolicyMiddleware.process_view` through
  `request.user`, the OTP device, the session-timeout middleware): Django turns those into a 500
  response at that middleware's own boundary, so this one never sees the exception.
  `got_request_exception` is sent first; its receiver marks the request, and this middleware
  swaps the 500 for the 503 page on the way out. The "Internal Server Error" log record for a
  marked request is dropped (this module logs it instead);
* the session write in `SessionMiddleware.process_response`: Django's database session turns any
  database error on an update into `UpdateError`, and the middleware that into
  `SessionInterrupted`, a 400 ("the session was deleted") with no signal. Django logs it on
  "django.request" with the exception; a filter on that logger finds the database error in the
  exception's chain, marks the request and drops the record, and the 400 becomes the 503 page.
  (This needs "django.request" to log warnings, as Django's default logging does.)

So it goes near the top of `MIDDLEWARE`: outside `SessionMiddleware` and everything that reads
the database, inside `SecurityMiddleware` (whose headers the 503 then gets too).

A write stopped this way was rolled back: every service runs in `transaction.atomic`, and the
page says the person should check whether what they saved is there.

The page is rendered without a request: base.html's context processors read the session and the
user, which needs the database. `503.html` stands alone and uses settings only.
"""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import resolve

from carereview.core.authority import authority

logger = logging.getLogger("carereview.unavailable")

DATABASE_DOWN = (OperationalError, InterfaceError)
MARK = "_carereview_database_unavailable"

FALLBACK_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Sorry, the service is unavailable</title></head><body>"
    "<h1>Sorry, the service is unavailable</h1>"
    "<p>You will be able to use the service later.</p></body></html>"
)


def database_error(exc: BaseException | None) -> BaseException | None:
    """The database error behind `exc` (itself, or one it was raised from or while handling)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DATABASE_DOWN):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def retry_after_seconds() -> int:
    return authority().unavailable_retry_after_seconds


def unavailable_response() -> HttpResponse:
    """The 503 page. Rendered with settings only: no request, no context processors."""
    the = authority()
    context = {"authority_name": the.authority_name, "iro_service_phone": the.iro_service_phone}
    try:
        body = loader.get_template("503.html").render(context)
    except Exception:  # the page must not fail: a plain one instead
        logger.exception("The 503 page could not be rendered; a plain one was sent")
        body = FALLBACK_PAGE
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after_seconds())
    response["Cache-Control"] = "no-store"
    # Set here: the response may replace one that XFrameOptionsMiddleware has already passed.
    response["X-Frame-Options"] = "DENY"
    # Logged here, once, without the path: Django's handler need not log it again.
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own private flag
    return response


def _describe(exc: BaseException) -> str:
    """The error's class and SQLSTATE: no message (it may quote values), no SQL."""
    cause = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None) or "-"
    return f"{type(exc).__name__} ({type(cause).__module__}.{type(cause).__name__}, {sqlstate})"


def _route(request) -> str:
    """The route's name (never the path: it may carry a query string). A middleware may fail
    before the URL is resolved, so it is resolved here if need be."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Exception:  # no route, or the URLconf failing: the name is not needed
            return "-"
    return match.view_name or "-"


def _log(request, exc: BaseException) -> None:
    route = _route(request)
    logger.warning(
        "Database unavailable: answered 503 to %s %s; %s",
        request.method,
        route,
        _describe(exc),
    )


def _mark_request(sender, request=None, **kwargs) -> None:
    """`got_request_exception` receiver: remember that this request failed on the database."""
    exc = database_error(sys.exception())
    if request is not None and exc is not None:
        setattr(request, MARK, exc)


class _MarkDatabaseErrors(logging.Filter):
    """On the "django.request" logger: Django's record of a request that failed on the database
    marks the request (for the middleware to answer 503) and is dropped (logged here instead).

    It catches what the signal cannot: a session write that fails on the database becomes
    `UpdateError`, then `SessionInterrupted`, a 400 for which Django sends no signal, only this
    record (with the exception, whose chain holds the database error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is None:
            return True
        if hasattr(request, MARK):
            return False
        exc = database_error(record.exc_info[1]) if record.exc_info else None
        if exc is None:
            return True
        setattr(request, MARK, exc)
        return False


_FILTER = _MarkDatabaseErrors()
got_request_exception.connect(_mark_request, dispatch_uid="carereview.unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        request_logger = logging.getLogger("django.request")
        if _FILTER not in request_logger.filters:
            request_logger.addFilter(_FILTER)

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, MARK, None)
        if exc is not None and response.status_code >= 400:
            _log(request, exc)
            return unavailable_response()
        return response

    def process_exception(self, request, exception):
        exc = database_error(exception)
        if exc is None:
            return None
        _log(request, exc)
        return unavailable_response()

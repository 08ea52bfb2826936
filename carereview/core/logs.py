"""Production logs: one JSON object a line, each with the request id (issue 13, item 6).

* `request_id`: django-guid's middleware (near the top of MIDDLEWARE) takes the id from the
  request's `X-Request-ID` header when it is a UUID written plainly (`plain_request_id`, just
  before it, drops any other), makes one otherwise, returns it in the response's
  `X-Request-ID`, and its `CorrelationId` filter (on the console handler, settings) puts it on
  every record logged while the request is handled. The background worker does the same for each
  task it runs, with the task's id (notifications/worker.py).
* `JsonFormatter`: python-json-logger's, keeping only the fields named here. Django adds the
  request object itself to its request records (`record.request`), whose text is the path WITH
  its query string; no such extra reaches the log.
* `ScrubSecretPaths`: a URL keyword that is a secret (a portal invitation's single-use sign-in
  token) is replaced by "[secret]" in every message, so a "Gone: /portal/invitation/..." line
  from Django's request logger cannot be used to sign in.

What the application logs is already free of personal data (core/tests/
test_logs_without_personal_data.py): messages name records by their numeric ids, and paths hold
numeric ids only, apart from the secret keywords scrubbed here. Django's request logger logs the
path, never the query string, the form or the headers.
"""

from __future__ import annotations

import logging
import re
from contextvars import Token

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

#: URL keywords whose values are secrets and never logged, whatever the route.
SECRET_URL_KWARGS = frozenset({"token"})
SCRUBBED = "[secret]"


class JsonFormatter(_JsonFormatter):
    """JSON with the format's fields, the exception if any, and these extras only."""

    EXTRAS = frozenset({"request_id", "status_code", "exc_info", "stack_info"})

    def process_log_record(self, log_data):
        wanted = {self._get_rename(f) for f in self._required_fields} | self.EXTRAS
        if self.timestamp:
            wanted.add(self.timestamp if isinstance(self.timestamp, str) else "timestamp")
        return {key: value for key, value in log_data.items() if key in wanted}


def _secret_paths() -> re.Pattern | None:
    """One pattern matching each route's path up to a secret keyword, then the secret."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                names = set(p.pattern.converters) & SECRET_URL_KWARGS
                if names:
                    found.append(route)

    walk(get_resolver().url_patterns, "")
    if not found:
        return None
    alternatives, secrets = [], 0
    for route in found:
        # "portal/invitation/<str:token>/" -> "/portal/invitation/" then the secret, which stops
        # at the next "/" (or a space, quote or query string).
        parts = re.split(r"<(?:\w+:)?(\w+)>", route)
        regex = ""
        for index, part in enumerate(parts):
            if index % 2 == 0:
                regex += re.escape(part)
            elif part in SECRET_URL_KWARGS:
                regex += rf"(?P<secret{secrets}>[^/\s'\"?#]+)"
                secrets += 1
            else:
                regex += r"[^/\s'\"?#]+"
        alternatives.append("/" + regex)
    return re.compile("|".join(alternatives))


class ScrubSecretPaths(logging.Filter):
    """Replace secret URL keywords (SECRET_URL_KWARGS) in each record's message."""

    _pattern: re.Pattern | None = None
    _ready = False

    @classmethod
    def pattern(cls) -> re.Pattern | None:
        if not cls._ready:
            try:
                cls._pattern = _secret_paths()
            except Exception:  # noqa: BLE001 - no URLconf yet (start-up): try at the next record
                return None
            cls._ready = True
        return cls._pattern

    def filter(self, record: logging.LogRecord) -> bool:
        pattern = self.pattern()
        if pattern is None:
            return True
        message = record.getMessage()
        scrubbed = pattern.sub(_scrub_match, message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True


def _scrub_match(match: re.Match) -> str:
    text, offset = match.group(0), match.start(0)
    spans = [
        match.span(name)
        for name, value in match.groupdict().items()
        if value is not None and name.startswith("secret")
    ]
    for start, end in sorted(spans, reverse=True):  # from the end, so earlier spans stay put
        text = text[: start - offset] + SCRUBBED + text[end - offset :]
    return text


# --- the request id header ---------------------------------------------------------------------
#: A request id a client may give: a UUID written plainly, in 32 hex digits or the usual 8-4-4-4-12.
PLAIN_UUID = re.compile(
    r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def plain_request_id(get_response):
    """Middleware before django-guid's: an `X-Request-ID` header that is not a PLAIN_UUID is
    dropped, so django-guid makes a new id. django-guid checks the header with uuid.UUID(), which
    also takes braces and "urn:uuid:" around the digits and any number of hyphens anywhere, and
    then keeps the header as sent: in the response and on every record logged (any length)."""

    def middleware(request):
        given = request.META.get("HTTP_X_REQUEST_ID")
        if given is not None and not PLAIN_UUID.fullmatch(given):
            del request.META["HTTP_X_REQUEST_ID"]
        return get_response(request)

    return middleware


# --- background tasks ---------------------------------------------------------------------------
# A task run outside a request (by `carereview worker`) logs with the task's id as its request id;
# one run inside a request (the immediate backend) keeps the request's.
_task_tokens: dict[str, Token[str | None]] = {}


def task_started(sender, task_result, **kwargs) -> None:
    from django_guid.context import guid

    if guid.get() is None:
        _task_tokens[str(task_result.id)] = guid.set(str(task_result.id).replace("-", ""))


def task_finished(sender, task_result, **kwargs) -> None:
    from django_guid.context import guid

    token = _task_tokens.pop(str(task_result.id), None)
    if token is not None:
        try:
            guid.reset(token)
        except ValueError:  # finished in another context than it started: just clear it
            guid.set(None)


def connect_task_signals() -> None:
    from django.tasks.signals import task_finished as finished
    from django.tasks.signals import task_started as started

    started.connect(task_started, dispatch_uid="carereview.core.logs.task_started")
    finished.connect(task_finished, dispatch_uid="carereview.core.logs.task_finished")

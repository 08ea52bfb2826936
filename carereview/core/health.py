"""Liveness and readiness for the load balancer or orchestrator (issue 13, item 6).

* `/healthz/live`: the process is up and answering. Touches no database, so a database outage
  does not get healthy processes restarted.
* `/healthz/ready`: this process can serve: the database answers a trivial query, and every
  migration this code has is applied to it (a release whose `migrate` has not run yet is not
  ready). Otherwise 503, with a JSON body saying which check failed.

Both are public (core.policy.ROUTES), never need signing in, and say nothing about any person:
the body is the checks' names and "ok" or what failed, with no error message (a database error's
message may quote values). A database error here is answered by this view, as JSON, not by the
outage page of `core.unavailable` (which is for people). The callers do not send cookies, so no
middleware before the view reads the session or the user.

ALLOWED_HOSTS still applies (a probe must send a Host the site accepts); production's HTTPS
redirect does not (SECURE_REDIRECT_EXEMPT, base.py), as probes call over plain HTTP.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("carereview.health")


def _answer(checks: dict[str, str]) -> JsonResponse:
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    connection = connections[DEFAULT_DB_ALIAS]
    checks = {"database": "ok", "migrations": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: the database did not answer (%s)", type(error).__name__)
        checks["database"] = "unreachable"
        checks["migrations"] = "not checked"
        return _answer(checks)
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        logger.warning("Readiness: migrations could not be read (%s)", type(error).__name__)
        checks["migrations"] = "not checked"
        return _answer(checks)
    if unapplied:
        checks["migrations"] = f"{len(unapplied)} not applied"
    return _answer(checks)

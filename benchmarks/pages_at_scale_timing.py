"""Server time and queries of each request, for benchmarks/pages_at_scale.py only.

`ServerTiming` is the outermost middleware of the benchmark's settings
(`benchmarks/pages_at_scale_settings.py`), never of the service's own: it times the whole of
Django's handling of the request (every other middleware, the view, the template, the session
save) and counts the SQL statements run, and says so in two response headers:

    Server-Timing: app;dur=12.345, cpu;dur=8.100, db;dur=3.210;desc="9 queries"
    X-Queries: 9

`app` is wall time; `cpu` the worker process's own CPU time in it (not PostgreSQL's), which
other work on the machine does not lengthen; `db` the wall time spent in SQL statements.

The time a request waits for a free gunicorn worker is not in it (that is queueing, which the
load script measures apart, from the client).
"""

import time

from django.db import connections


class _Counter:
    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


class ServerTiming:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        start, cpu_start = time.perf_counter(), time.process_time()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        app = (time.perf_counter() - start) * 1000
        cpu = (time.process_time() - cpu_start) * 1000
        db = counter.seconds * 1000
        queries = f'desc="{counter.queries} queries"'
        response["Server-Timing"] = (
            f"app;dur={app:.3f}, cpu;dur={cpu:.3f}, db;dur={db:.3f};{queries}"
        )
        response["X-Queries"] = str(counter.queries)
        return response

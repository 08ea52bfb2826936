"""Four pages at national scale: server time under 20 concurrent users, and flat query counts.

    uv run python benchmarks/pages_at_scale.py                   # 1,000 and 100,000 children
    uv run python benchmarks/pages_at_scale.py --reuse           # keep databases already loaded
    uv run python benchmarks/pages_at_scale.py --sizes 1000 --requests 100 --runs 1   # a quick look
    uv run python benchmarks/pages_at_scale.py --prepare-only    # load the databases, no load test

Issue 7, item 6. For each size (default 1,000 then 100,000 children) it:

1. makes a PostgreSQL database ``carereview_bench_1k`` / ``carereview_bench_100k`` on
   127.0.0.1:5432 (``--pg``), migrates it and loads ``carereview synth --children N`` into it,
   with IROs, social workers and teams in proportion (1,500 IROs for 100,000 children: about 58
   children in care each, the IRO Handbook's range); ``--reuse`` keeps a database that already
   holds N children (it is migrated again, which adds any new index). Then ``VACUUM ANALYZE``;
2. starts gunicorn on loopback: ``--workers 2`` sync workers by default, one a core. The machine
   has 2 cores shared by gunicorn, PostgreSQL and this script; each page is CPU work in Python and
   in PostgreSQL, so a third worker only time-slices the same cores: measured here at 100,000
   children, 3 workers served fewer requests a second (31 against 38) with a p95 server time
   about twice as long and a longer client p95 too. Sync workers (one request each, no threads
   under the GIL) keep a request's server time its own. Settings:
   ``benchmarks/pages_at_scale_settings.py`` (the local settings with debug off, persistent
   connections, the staff second factor relaxed) with the ``ServerTiming`` middleware
   (``benchmarks/pages_at_scale_timing.py``) outermost, which puts Django's time for the request
   and its SQL statement count in response headers;
3. signs in through the sign-in page as an IRO with a typical caseload (the median in-care
   caseload of all IROs) and as the IRO manager;
4. warms every worker up (untimed), then ``--runs`` times sends ``--requests`` requests to each
   page from ``--users`` threads at once (httpx, one client each, no think time), one page after
   another (``--mixed``: all four pages' requests shuffled together, so a slow page slows the
   others): the IRO's caseload (``caseload:mine``), the pages of that IRO's children in turn
   (``children:detail``), the IRO manager's caseload view (``caseload:managers``) and the
   timeliness report (``reports:timeliness``, this reporting year as at today) as the manager;
5. asks for the report once more with ``?refresh=1``: its figures worked out afresh (they are
   otherwise kept for ``REPORT_FRESH_MINUTES``), reported apart.

It prints, for each page and size, the server time's p50 and p95 (the median over the runs of
each run's figure), the worker's own CPU time and the time in SQL (p50), the client's p95 (which
adds the wait for a free worker), and the queries a request made (most requests' count; the odd
request that also saves the session, or works out kept figures again, is listed apart); then
each page's ratio of each larger size to the smallest (100,000 to 1,000 children). It exits 1 when
a page's p95 at any size is over ``--target-ms`` (100) or a page's query count differs between
the sizes. ``--json FILE``
also writes every figure. Other work on the machine lengthens every figure: the script prints the
load average as it goes.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
SETTINGS = "benchmarks.pages_at_scale_settings"
PASSWORD = "bench-password-2026"  # noqa: S105 - synthetic people in a throwaway database
MANAGER = "iro.manager"
PAGES = ("IRO caseload", "child's page", "manager's caseload view", "timeliness report")
# 1,500 IROs for 100,000 children: synth keeps about 87.5% in care, so about 58 children in care
# an IRO, 65 a full-time equivalent (the IRO Handbook's 50-70).
IROS_PER_CHILD = 0.015


@dataclass
class Sample:
    page: str
    status: int
    app_ms: float
    cpu_ms: float
    db_ms: float
    queries: int
    client_ms: float


@dataclass
class Size:
    children: int
    database: str
    load_seconds: float | None = None
    counts: dict = field(default_factory=dict)
    iro: str = ""
    caseload: int = 0
    runs: list[list[Sample]] = field(default_factory=list)
    report_cold: Sample | None = None


def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


# --- the database -----------------------------------------------------------------------------


def _admin(pg: str):
    return psycopg.connect(f"{pg}/postgres", autocommit=True)


def _children_in(pg: str, database: str) -> int | None:
    """How many children the database holds, or None if there is no such loaded database."""
    with _admin(pg) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            return None
    try:
        with psycopg.connect(f"{pg}/{database}") as conn:
            return conn.execute("SELECT count(*) FROM children_child").fetchone()[0]
    except psycopg.Error:
        return None


def _carereview(args: list[str], database_url: str, **kwargs) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "CAREREVIEW_BENCH_DATABASE_URL": database_url,
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "carereview", *args]
    return subprocess.run(command, cwd=REPO, env=env, check=True, **kwargs)  # noqa: S603


def prepare(size: Size, args) -> None:
    """Make (or, with --reuse, keep) the size's database, loaded and analysed."""
    n, pg, url = size.children, args.pg, f"{args.pg}/{size.database}"
    found = _children_in(pg, size.database)
    if not (args.reuse and found == n):
        if not size.database.startswith("carereview_bench_"):
            raise SystemExit(f"refusing to drop {size.database}")
        with _admin(pg) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{size.database}"')
            conn.execute(f'CREATE DATABASE "{size.database}"')
        found = None
    print(f"[{label(n)}] migrating {size.database}", file=sys.stderr, flush=True)
    _carereview(["migrate", "-v0", "--skip-checks"], url)
    if found is None:
        iros = max(8, round(n * IROS_PER_CHILD))
        social_workers = max(25, n // 250)
        synth = ["synth", "--skip-checks", "--children", str(n), "--seed", str(args.seed)]
        synth += ["--as-at", args.as_at, "--iros", str(iros), "--password", PASSWORD]
        synth += [
            "--social-workers",
            str(social_workers),
            "--teams",
            str(max(4, social_workers // 25)),
        ]
        print(f"[{label(n)}] loading: carereview {' '.join(synth)}", file=sys.stderr, flush=True)
        start = time.perf_counter()
        _carereview(synth, url, stdout=sys.stderr)
        size.load_seconds = time.perf_counter() - start
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        for table in ("children_child", "reviews_review", "children_episode", "reviews_decision"):
            size.counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        # The IRO whose in-care caseload is the median of all IROs'.
        rows = conn.execute(
            "SELECT u.username, count(c.id) FROM accounts_user u JOIN children_child c"
            " ON c.current_iro_id = u.id AND c.in_care WHERE u.role = 'iro' AND u.is_active"
            " GROUP BY u.username ORDER BY count(c.id), u.username"
        ).fetchall()
        size.iro, size.caseload = rows[len(rows) // 2]


def typical_children(args, size: Size) -> list[int]:
    with psycopg.connect(f"{args.pg}/{size.database}") as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT c.id FROM children_child c JOIN accounts_user u ON u.id = c.current_iro_id"
                " WHERE u.username = %s AND c.in_care ORDER BY c.id",
                [size.iro],
            ).fetchall()
        ]


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, size: Size, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "CAREREVIEW_BENCH_DATABASE_URL": f"{args.pg}/{size.database}",
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "gunicorn", "carereview.config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    command += ["--worker-class", "sync", "--timeout", "120", "--backlog", "2048"]
    command += ["--no-control-socket", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)  # noqa: S603
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sign-in/", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.3)
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own session: gunicorn and its workers
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def sign_in(base: str, username: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=60) as client:
        page = client.get("/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        response = client.post(
            "/sign-in/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
        )
        if response.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(f"could not sign in as {username}: {response.status_code}")
        return client.cookies


# --- the load ---------------------------------------------------------------------------------


def _timing(response: httpx.Response) -> tuple[float, float, float, int]:
    header = response.headers.get("Server-Timing", "")
    found = [re.search(rf"{name};dur=([\d.]+)", header) for name in ("app", "cpu", "db")]
    if not all(found):
        raise SystemExit(f"no Server-Timing header on {response.url}: is ServerTiming on?")
    app, cpu, db = (float(m.group(1)) for m in found)
    return app, cpu, db, int(response.headers["X-Queries"])


def fetch(client: httpx.Client, page: str, url: str) -> Sample:
    start = time.perf_counter()
    response = client.get(url)
    client_ms = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{page}: {url} answered {response.status_code}")
    app, cpu, db, queries = _timing(response)
    return Sample(page, response.status_code, app, cpu, db, queries, client_ms)


def tasks(
    child_ids: list[int], per_page: int, seed: int, pages=PAGES
) -> list[tuple[str, str, str]]:
    """(page, role, url) for each request to `pages`, shuffled."""
    urls = {
        PAGES[0]: ("iro", lambda i: "/caseload/"),
        PAGES[1]: ("iro", lambda i: f"/children/{child_ids[i % len(child_ids)]}/"),
        PAGES[2]: ("manager", lambda i: "/caseload/iros/"),
        PAGES[3]: ("manager", lambda i: "/reports/timeliness/"),
    }
    todo = [(page, urls[page][0], urls[page][1](i)) for i in range(per_page) for page in pages]
    random.Random(seed).shuffle(todo)
    return todo


def load(base: str, cookies: dict, todo, users: int) -> list[Sample]:
    """Send every request of `todo` from `users` threads at once; return what each took."""
    work: queue.Queue = queue.Queue()
    for item in todo:
        work.put(item)
    samples: list[Sample] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def user():
        clients = {
            role: httpx.Client(base_url=base, cookies=jar, timeout=120)
            for role, jar in cookies.items()
        }
        try:
            while not failures:
                try:
                    page, role, url = work.get_nowait()
                except queue.Empty:
                    return
                sample = fetch(clients[role], page, url)
                with lock:
                    samples.append(sample)
        except BaseException as problem:  # noqa: BLE001 - reported below, in the main thread
            failures.append(problem)
        finally:
            for c in clients.values():
                c.close()

    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return samples


def measure(args, size: Size) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    children = typical_children(args, size)
    server = start_server(args, size, port)
    try:
        cookies = {"iro": sign_in(base, size.iro), "manager": sign_in(base, MANAGER)}
        print(
            f"[{label(size.children)}] gunicorn {args.workers} sync workers on {base}; "
            f"IRO {size.iro} ({size.caseload} children in care), {MANAGER}",
            file=sys.stderr,
            flush=True,
        )
        load(base, cookies, tasks(children, max(10, args.workers * 5), args.seed), args.users)
        with httpx.Client(base_url=base, cookies=cookies["manager"], timeout=300) as client:
            # The report's figures fresh for REPORT_FRESH_MINUTES from now, as after a first view.
            fetch(client, "timeliness report", "/reports/timeliness/?refresh=1")
        # Each page in turn under all the users (default), or all four shuffled together.
        groups = [PAGES] if args.mixed else [(page,) for page in PAGES]
        for run in range(args.runs):
            samples = []
            for pages in groups:
                todo = tasks(children, args.requests, args.seed + run + 1, pages)
                started = time.perf_counter()
                done = load(base, cookies, todo, args.users)
                seconds = time.perf_counter() - started
                samples += done
                print(
                    f"[{label(size.children)}] run {run + 1}, {' + '.join(pages)}: "
                    f"{len(done)} requests in {seconds:.1f} s ({len(done) / seconds:.0f}/s), "
                    f"load average {os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
            size.runs.append(samples)
        with httpx.Client(base_url=base, cookies=cookies["manager"], timeout=300) as client:
            size.report_cold = fetch(client, "timeliness report", "/reports/timeliness/?refresh=1")
    finally:
        stop_server(server)


# --- the figures ------------------------------------------------------------------------------


def page_figures(size: Size, page: str) -> dict:
    runs = [[s for s in run if s.page == page] for run in size.runs]
    p50 = statistics.median(percentile([s.app_ms for s in run], 50) for run in runs)
    p95 = statistics.median(percentile([s.app_ms for s in run], 95) for run in runs)
    client95 = statistics.median(percentile([s.client_ms for s in run], 95) for run in runs)
    db50 = statistics.median(percentile([s.db_ms for s in run], 50) for run in runs)
    cpu50 = statistics.median(percentile([s.cpu_ms for s in run], 50) for run in runs)
    seen = Counter(s.queries for run in runs for s in run)
    usual = seen.most_common(1)[0][0]
    return {
        "requests": sum(len(r) for r in runs),
        "p50_ms": p50,
        "p95_ms": p95,
        "db_p50_ms": db50,
        "cpu_p50_ms": cpu50,
        "client_p95_ms": client95,
        # The page's own count: what most requests made. Now and then a request also saves the
        # session (SessionTimeoutMiddleware notes the time every 30 s: one more), or works out
        # figures kept for a few minutes again (the report, the managers' totals): counted apart.
        "queries": usual,
        "other_queries": {q: n for q, n in sorted(seen.items()) if q != usual},
    }


def report(sizes: list[Size], args) -> int:
    failed = []
    print()
    print(
        f"Pages at scale: server time under {args.users} concurrent users "
        f"({'all pages at once' if args.mixed else 'one page at a time'}), gunicorn "
        f"{args.workers} sync workers, {args.requests} requests a page a run, median of "
        f"{args.runs} run{'s' if args.runs != 1 else ''}; as at {args.as_at}"
    )
    for size in sizes:
        c = size.counts
        loaded = f"loaded in {size.load_seconds:.0f} s" if size.load_seconds else "reused"
        print(
            f"  {label(size.children)}: {c['children_child']} children, {c['reviews_review']} "
            f"reviews, {c['children_episode']} episodes, {c['reviews_decision']} decisions "
            f"({size.database}, {loaded}); IRO {size.iro} with {size.caseload} children in care"
        )
    print()
    print(
        f"| {'page':<24} | {'children':>8} | {'p50 ms':>7} | {'p95 ms':>7} | {'cpu p50':>7} "
        f"| {'db p50':>6} | {'client p95':>10} | {'queries':>7} |"
    )
    print(
        f"|{'-' * 26}|{'-' * 9}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|{'-' * 11}:"
        f"|{'-' * 8}:|"
    )
    figures: dict = {}
    for page in PAGES:
        for size in sizes:
            f = page_figures(size, page)
            figures.setdefault(page, {})[size.children] = f
            q = str(f["queries"])
            print(
                f"| {page:<24} | {label(size.children):>8} | {f['p50_ms']:>7.1f} | "
                f"{f['p95_ms']:>7.1f} | {f['cpu_p50_ms']:>7.1f} | {f['db_p50_ms']:>6.1f} | "
                f"{f['client_p95_ms']:>10.1f} "
                f"| {q:>7} |"
            )
    others = [
        f"{page} at {label(size.children)}: "
        + ", ".join(
            f"{n} with {q}" for q, n in figures[page][size.children]["other_queries"].items()
        )
        for page in PAGES
        for size in sizes
        if figures[page][size.children]["other_queries"]
    ]
    if others:
        print(
            "Requests with another count (+1: the session saved; more: kept figures worked out "
            "again): " + "; ".join(others)
        )
    smallest = min(sizes, key=lambda s: s.children)
    print()
    for bigger in sorted(sizes, key=lambda s: s.children):
        if bigger is smallest:
            continue
        print(f"Ratio {label(bigger.children)} / {label(smallest.children)}:")
        for page in PAGES:
            big, small = figures[page][bigger.children], figures[page][smallest.children]
            same = big["queries"] == small["queries"]
            print(
                f"  {page:<24} p50 {big['p50_ms'] / small['p50_ms']:.2f}x, "
                f"p95 {big['p95_ms'] / small['p95_ms']:.2f}x, queries "
                f"{small['queries']} and {big['queries']} "
                f"({'equal' if same else 'NOT EQUAL'})"
            )
            if not same:
                failed.append(
                    f"{page}: queries differ between {label(smallest.children)} and "
                    f"{label(bigger.children)}"
                )
    for size in sizes:
        cold = size.report_cold
        print(
            f"Timeliness report worked out afresh at {label(size.children)}: "
            f"{cold.app_ms:.0f} ms server, {cold.queries} queries (kept "
            "REPORT_FRESH_MINUTES; not in the table)"
        )
    for size in sizes:
        for page in PAGES:
            p95 = figures[page][size.children]["p95_ms"]
            if p95 > args.target_ms:
                failed.append(
                    f"{page}: p95 {p95:.1f} ms at {label(size.children)} > {args.target_ms} ms"
                )
    print()
    if failed:
        print("MISSED: " + "; ".join(failed))
    else:
        print(
            f"Every page p95 <= {args.target_ms} ms at every size "
            f"({', '.join(label(z.children) for z in sizes)}); query counts flat."
        )
    if args.json:
        out = {
            "args": {k: v for k, v in vars(args).items() if k != "json"},
            "sizes": [
                {
                    "children": s.children,
                    "database": s.database,
                    "load_seconds": s.load_seconds,
                    "counts": s.counts,
                    "iro": s.iro,
                    "caseload": s.caseload,
                    "report_cold_ms": s.report_cold.app_ms,
                }
                for s in sizes
            ],
            "pages": figures,
            "failed": failed,
        }
        args.json.write_text(json.dumps(out, indent=1, default=str))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--reuse", action="store_true", help="keep databases already loaded")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-at", default=date.today().isoformat(), help="synth's as-at date")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn sync workers (a core each)"
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="a page, a run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--mixed", action="store_true", help="all four pages at once, not one page at a time"
    )
    parser.add_argument("--target-ms", type=float, default=100.0)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--prepare-only", action="store_true", help="make and load the databases, then stop"
    )
    args = parser.parse_args(argv)
    sizes = [Size(n, f"carereview_bench_{label(n)}") for n in sorted(args.sizes)]
    for size in sizes:
        prepare(size, args)
        if args.prepare_only:
            loaded = f"loaded in {size.load_seconds:.0f} s" if size.load_seconds else "reused"
            print(f"{size.database}: {size.counts}, {loaded}")
            continue
        measure(args, size)
    return 0 if args.prepare_only else report(sizes, args)


if __name__ == "__main__":
    sys.exit(main())

"""Load and faults (issue 7, item 7): many people reading and writing while a worker is killed
and PostgreSQL restarts; afterwards every acknowledged write is in the database exactly once and
nothing is half-written.

    uv run python benchmarks/load_faults.py                          # 50 users, 10 minutes
    uv run python benchmarks/load_faults.py --users 50 --duration 60 # the short run CI makes

What it does, on this machine only (loopback, temporary folders; it leaves nothing behind):

1. Starts a throwaway PostgreSQL (initdb and pg_ctl in a temporary folder, on a free port; as the
   `postgres` user when run as root), migrates, and loads a small synthetic authority
   (`carereview synth --children 300`). Then makes portal sign-ins for a few children (through
   the portal's services) and plans who does what: each virtual user owns its own children.
2. Starts gunicorn (benchmarks/gunicorn_conf.py: 4 sync workers on 127.0.0.1) with
   benchmarks/settings_load.py: DEBUG off, persistent connections as in production.
3. Runs the virtual users (threads, httpx) for --duration seconds. Staff users (IROs) read their
   caseload, a child's page and a review, and write: book a meeting (reviews:book), record a
   review with a decision (reviews:record), update a decision (followup:decision), answer a
   visit request (requests:visit). Portal users (children) read their pages and write: ask for a
   visit (portal:visit), answer consultation questions (portal:consultation-question). Each write
   carries a unique marker in a text field, and counts as ACKNOWLEDGED only when the server
   answered with that page's success redirect.
4. At a third of the run it SIGKILLs one gunicorn worker (a child of the master); at two thirds
   it stops PostgreSQL (`pg_ctl stop -m fast`), waits --pg-down seconds, and starts it again
   (--pg-down 0: `pg_ctl restart -m fast`).
5. Checks: every response that is not a page (200) or a redirect (302) is a clean 503 (the
   GOV.UK heading, Retry-After, no "Traceback"); no 500 and no 4xx anywhere, no traceback in a
   response or in the server's log; PostgreSQL's outage was seen (some 503s while it was
   down). Then, against the database: every acknowledged write is there exactly once (rows
   counted by marker), an unacknowledged one at most once, and the invariants the services keep
   in one transaction hold (below). Prints the counts; exits 1 if anything failed, 130 when
   interrupted (Ctrl-C or SIGTERM stop gunicorn and PostgreSQL and remove the folders).

About 60 s of setup (initdb, migrate, synth) comes before the run and 10 s of checks after it.
Requests are timed on the client: with 50 users on 4 sync workers on 2 cores they queue, so the
times show the load, not the pages' own speed (item 6 measures that).

Invariants (each service runs in `transaction.atomic`, with its audit event):
- book_meeting: a review made in the run has a meeting; each meeting has its one audit event.
- save_record: a recorded review has its held date, participation code, wishes and feelings, a
  matter considered, its decision, a schedule result (counts or a data error), no booked meeting
  left on or before the date held, and one more version per audit event; its marker and its
  decision's marker are both there or both absent.
- update_decision: each update has its audit event; the decision's progress note is its latest.
- visits: an answer, its time and who answered are all there or none; one audit event each.
- consultation answers: the latest acknowledged answer to each question is there (or a later
  attempt's); the form's last_saved_at is set; audit events between acknowledged and attempted.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SETTINGS = "benchmarks.settings_load"
HEADING_503 = "Sorry, the service is unavailable"
STAFF_PASSWORD = "load-test-" + "x" * 12  # noqa: S105 - synthetic users on a throwaway database
DB_NAME = "carereview_load"


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- PostgreSQL, throwaway -------------------------------------------------------------------


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class Postgres:
    """A cluster in a temporary folder on a free port, stopped and removed by `close`."""

    def __init__(self):
        self.bin = self._find_bin()
        self.tmp = Path(tempfile.mkdtemp(prefix="carereview-load-pg-"))
        self.data = self.tmp / "data"
        self.port = free_port()
        self.run_as: list[str] = []
        self.started = False
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root (as .ci/run does it).
            user = "postgres" if _user_exists("postgres") else "carereview-ci"
            if not _user_exists(user):
                useradd = shutil.which("useradd") or "/usr/sbin/useradd"
                subprocess.run([useradd, "--system", "--no-create-home", user], check=True)  # noqa: S603
            shutil.chown(self.tmp, user)
            self.run_as = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", user, "--"]

    @staticmethod
    def _find_bin() -> Path:
        found = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        )
        if found:
            return found[-1].parent
        initdb = shutil.which("initdb")
        if initdb:
            return Path(initdb).parent
        raise SystemExit("No PostgreSQL server binaries (initdb): apt-get install postgresql")

    def _pg(self, *args: str, check: bool = True, timeout: float = 120):
        return subprocess.run(  # noqa: S603 - our own arguments
            [*self.run_as, str(self.bin / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
        )

    @property
    def options(self) -> str:
        return (
            f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c max_connections=200 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )

    def start(self) -> None:
        self._pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        self.pg_ctl_start()
        self.started = True
        subprocess.run(  # noqa: S603 - our own arguments
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", "postgres", DB_NAME],
            check=True,
        )

    def pg_ctl_start(self) -> None:
        log_file = str(self.tmp / "server.log")
        self._pg("pg_ctl", "-D", str(self.data), "-l", log_file, "-w", "-t", "60",
                 "-o", self.options, "start")  # fmt: skip

    def stop_fast(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def restart_fast(self) -> None:
        log_file = str(self.tmp / "server.log")
        self._pg("pg_ctl", "-D", str(self.data), "-l", log_file, "-m", "fast", "-w", "-t", "60",
                 "-o", self.options, "restart")  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def close(self) -> None:
        if self.started:
            self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            self.started = False
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- gunicorn --------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, log_path: Path):
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self.env = env | {
            "CAREREVIEW_LOAD_BIND": f"127.0.0.1:{self.port}",
            "CAREREVIEW_LOAD_WORKERS": str(workers),
        }
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(  # noqa: S603 - our own arguments
            [sys.executable, "-m", "gunicorn", "-c", str(REPO / "benchmarks/gunicorn_conf.py")],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the run, which stops gunicorn itself
        )
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start:\n{self.log_path.read_text()}")
            try:
                if httpx.get(self.base_url + "/sign-in/", timeout=2).status_code == 200:
                    if len(self.worker_pids()) >= self.workers:
                        return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer in 60 s:\n{self.log_path.read_text()}")

    def worker_pids(self) -> list[int]:
        """The master's children, from /proc."""
        if self.proc is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
            ppid = int(text.rsplit(")", 1)[1].split()[1])
            if ppid == self.proc.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        if getattr(self, "_log", None):
            self._log.close()


# --- Django in this process: setup before the run, checks after it -----------------------------


def django_setup(db_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["CAREREVIEW_LOAD_DATABASE_URL"] = db_url
    import logging

    import django

    django.setup()
    # One line a request from the client library is noise here.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


@dataclass
class StaffPlan:
    username: str
    iro_id: int
    children: list[dict]  # {"id", "participation", "decisions": [ids], "open_review": id|None}
    answers_visits: bool = False


@dataclass
class PortalPlan:
    username: str
    child_id: int
    positions: list[int]


@dataclass
class Plan:
    staff: list[StaffPlan]
    portal: list[PortalPlan]
    portal_password: str
    before: dict = field(default_factory=dict)


def build_authority(children: int, seed: int) -> None:
    from django.core.management import call_command

    log("migrating")
    call_command("migrate", verbosity=0)
    log(f"loading a synthetic authority: {children} children")
    call_command("synth", children=children, seed=seed, password=STAFF_PASSWORD, verbosity=1)


def make_plan(staff_users: int, portal_users: int, seed: int) -> Plan:
    """Who does what. Each staff user owns a share of one IRO's children (so two users never
    record the same review); each portal user is a different child's own sign-in."""
    from django.db import connections

    from carereview.accounts.models import Role, User
    from carereview.children.models import Child
    from carereview.core.calendar import today
    from carereview.core.testing import PASSWORD
    from carereview.documents import services as document_services
    from carereview.portal.services import age_on
    from carereview.portal.testing import make_portal_user
    from carereview.reviews import services as review_services
    from carereview.reviews.models import Consultation, Decision

    rng = random.Random(seed)
    on = today()
    iros = list(User.objects.filter(role=Role.IRO, is_active=True).order_by("pk"))
    if not iros:
        raise SystemExit("The synthetic authority has no IROs")
    by_iro: dict[int, list[Child]] = {}
    for iro in iros:
        by_iro[iro.pk] = list(
            Child.objects.filter(in_care=True, current_iro=iro, date_of_birth__isnull=False)
            .exclude(portal_user__isnull=False)
            .order_by("pk")
        )

    # Portal users: children of 8 to 17 with an IRO, spread across the IROs.
    portal: list[PortalPlan] = []
    taken: set[int] = set()
    for i in range(portal_users):
        iro = iros[i % len(iros)]
        candidates = [c for c in by_iro[iro.pk] if c.pk not in taken and 8 <= age_on(c, on) <= 17]
        if not candidates:
            continue
        child = candidates[0]
        taken.add(child.pk)
        if review_services.open_review(child) is None:
            review_services.book_meeting(
                child, by=iro, on=on + timedelta(days=28), at=_time(10), venue="Setup"
            )
        _access, user = make_portal_user(child, by=iro, username=f"load.child{i + 1}")
        review = review_services.open_review(child)
        consultation = document_services.send_consultation(
            review, by=iro, method=Consultation.Method.ONLINE
        )
        positions = list(consultation.form.questions.values_list("position", flat=True))
        portal.append(PortalPlan(user.username, child.pk, positions))

    # Staff users: round-robin over the IROs; each IRO's children dealt among its users.
    assigned: dict[int, list[int]] = defaultdict(list)
    for n in range(staff_users):
        assigned[iros[n % len(iros)].pk].append(n)
    staff: list[StaffPlan | None] = [None] * staff_users
    for iro in iros:
        users = assigned.get(iro.pk, [])
        if not users:
            continue
        mine = [c for c in by_iro[iro.pk] if c.pk not in taken]
        rng.shuffle(mine)
        for k, n in enumerate(users):
            children = []
            for child in mine[k :: len(users)]:
                open_review = review_services.open_review(child)
                children.append(
                    {
                        "id": child.pk,
                        "participation": "PN1" if age_on(child, on) >= 4 else "PN0",
                        "decisions": list(
                            Decision.objects.filter(review__child=child).values_list(
                                "pk", flat=True
                            )
                        ),
                        "open_review": open_review.pk if open_review else None,
                    }
                )
            staff[n] = StaffPlan(iro.username, iro.pk, children, answers_visits=(k == 0))
    plan = Plan([s for s in staff if s and s.children], portal, PASSWORD)
    plan.before = snapshot_before()
    connections.close_all()
    return plan


def _time(hour: int):
    from datetime import time as dtime

    return dtime(hour, 0)


def snapshot_before() -> dict:
    from carereview.core.models import AuditEvent
    from carereview.portal.models import VisitRequest
    from carereview.reviews.models import Meeting, Review

    def top(model) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return last or 0

    return {
        "audit": top(AuditEvent),
        "review": top(Review),
        "meeting": top(Meeting),
        "visit": top(VisitRequest),
        "versions": dict(Review.objects.values_list("pk", "version")),
    }


# --- the virtual users -----------------------------------------------------------------------


@dataclass
class Result:
    kind: str  # e.g. "read:caseload", "write:book"
    status: str  # "200", "302", "503", "500", "dropped", "timeout", ...
    started: float
    ended: float
    clean_503: bool = True
    traceback: bool = False


@dataclass
class Write:
    kind: str  # book, record, decision, visit_ask, visit_answer, answer
    marker: str
    vu: int
    started: float
    ended: float = 0.0
    status: str = ""
    acked: bool = False
    key: str = ""  # for answers: the question ("child:position"); the order matters
    extra: dict = field(default_factory=dict)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.results: list[Result] = []
        self.writes: list[Write] = []
        self.problems: list[str] = []

    def result(self, r: Result) -> None:
        with self.lock:
            self.results.append(r)

    def write(self, w: Write) -> None:
        with self.lock:
            self.writes.append(w)

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 200:
                self.problems.append(text)


class SignedOut(Exception):
    pass


VERSION_RE = re.compile(r'<input[^>]*name="version"[^>]*>')
ERROR_RE = re.compile(r'govuk-error-summary__list">\s*<li>(.*?)</li>', re.S)
VALUE_RE = re.compile(r'value="(\d+)"')
HELD_ON_RE = re.compile(r'name="held_on" type="radio" value="(\d{4}-\d{2}-\d{2})" checked')
VISIT_LINK_RE = re.compile(r'href="/requests/visits/(\d+)/"')


class VirtualUser(threading.Thread):
    def __init__(self, n, base_url, recorder, stop, t0, run_id, seed):
        super().__init__(name=f"vu{n}", daemon=True)
        import httpx

        self.n = n
        self.recorder = recorder
        self.stop_event = stop
        self.t0 = t0
        self.run_id = run_id
        self.rng = random.Random(seed * 1000 + n)
        self.seq = 0
        self.client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=30.0)

    # Each request goes through here: timing, status, the clean-503 check, tracebacks.
    def request(self, kind: str, method: str, url: str, data=None):
        import httpx

        started = time.monotonic() - self.t0
        headers = {}
        if method == "POST":
            # The CSRF cookie's value, sent as the header (whatever the cookie's name).
            token = next((v for k, v in self.client.cookies.items() if k.endswith("csrftoken")), "")
            headers["X-CSRFToken"] = token
        try:
            response = self.client.request(method, url, data=data, headers=headers)
        except httpx.TimeoutException:
            self.recorder.result(Result(kind, "timeout", started, time.monotonic() - self.t0))
            return None
        except httpx.HTTPError as exc:
            # A worker killed mid-request closes the connection without an answer.
            status = (
                "dropped"
                if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError)
                else (f"error:{type(exc).__name__}")
            )
            self.recorder.result(Result(kind, status, started, time.monotonic() - self.t0))
            return None
        ended = time.monotonic() - self.t0
        body = response.text
        result = Result(kind, str(response.status_code), started, ended)
        result.traceback = "Traceback" in body
        if response.status_code == 503:
            result.clean_503 = (
                HEADING_503 in body
                and response.headers.get("retry-after", "").isdigit()
                and not result.traceback
            )
        if (400 <= response.status_code < 503 or response.status_code > 503) or result.traceback:
            self.recorder.problem(
                f"{kind} {method} {url}: {response.status_code} at {started:.1f}s"
                + (" with a traceback" if result.traceback else "")
            )
        if response.status_code == 503 and not result.clean_503:
            self.recorder.problem(f"{kind} {method} {url}: an unclean 503 at {started:.1f}s")
        self.recorder.result(result)
        if response.status_code == 503:
            # As a person would: wait a little before trying again.
            self.stop_event.wait(self.rng.uniform(0.5, 1.5))
        location = response.headers.get("location", "")
        if response.status_code == 302 and "sign-in" in location and "sign-in" not in url:
            raise SignedOut(location)
        return response

    def marker(self) -> str:
        self.seq += 1
        return f"LT{self.run_id}-{self.n:03d}-{self.seq:05d}"

    def pause(self, low=0.05, high=0.4) -> None:
        self.stop_event.wait(self.rng.uniform(low, high))

    def sign_in(self) -> None:
        while not self.stop_event.is_set():
            r = self.request("sign-in", "GET", self.sign_in_url)
            if r is not None and r.status_code == 200:
                r = self.request(
                    "sign-in",
                    "POST",
                    self.sign_in_url,
                    {"username": self.username, "password": self.password},
                )
                if r is not None and r.status_code == 302:
                    return
                if r is not None and r.status_code == 200:
                    self.recorder.problem(f"{self.username}: sign-in refused")
            self.stop_event.wait(1.0)

    def run(self) -> None:
        self.stop_event.wait(self.rng.uniform(0, 3))  # not all at once
        signed_in = False
        while not self.stop_event.is_set():
            try:
                if not signed_in:
                    self.sign_in()
                    signed_in = True
                self.iteration()
            except SignedOut:
                signed_in = False
            except Exception as exc:  # a bug in the script: record it, carry on
                self.recorder.problem(f"vu{self.n}: {type(exc).__name__}: {exc}")
                self.stop_event.wait(1.0)
        self.client.close()

    def attempt(self, kind: str, marker: str, method_url: str, data: dict, ok, **extra) -> Write:
        """One write: acknowledged only if the answer is the success redirect `ok(location)`."""
        w = Write(kind, marker, self.n, time.monotonic() - self.t0, **extra)
        try:
            r = self.request(f"write:{kind}", "POST", method_url, data)
        except SignedOut:
            w.ended, w.status = time.monotonic() - self.t0, "302-sign-in"
            self.recorder.write(w)
            raise
        w.ended = time.monotonic() - self.t0
        w.status = "no answer" if r is None else str(r.status_code)
        if r is not None and r.status_code == 302 and ok(r.headers.get("location", "")):
            w.acked = True
        elif r is not None and r.status_code not in (302, 503):
            why = ERROR_RE.search(r.text or "")
            words = html.unescape(re.sub(r"<[^>]+>", "", why.group(1))).strip() if why else ""
            reason = f": {words}" if words else ""
            self.recorder.problem(f"{kind} refused ({r.status_code}) for {method_url}{reason}")
        self.recorder.write(w)
        return w


class StaffUser(VirtualUser):
    sign_in_url = "/sign-in/"

    def __init__(self, plan: StaffPlan, password: str, *args):
        super().__init__(*args)
        self.username, self.password = plan.username, password
        self.plan = plan
        self.children = plan.children
        for c in self.children:
            c["meeting"] = False  # a meeting of the open review booked by this user

    def iteration(self) -> None:
        """Reads, then one write: choose the write first, then a child it suits."""
        roll = self.rng.random()
        booked = [c for c in self.children if c["meeting"]]
        with_decisions = [c for c in self.children if c["decisions"]]
        if roll < 0.45 and booked and roll >= 0.25:
            action, child = self.record, self.rng.choice(booked)
        elif 0.45 <= roll < 0.60 and self.plan.answers_visits:
            action, child = None, self.rng.choice(self.children)
        elif roll >= 0.45 and with_decisions:
            action, child = self.update_decision, self.rng.choice(with_decisions)
        else:
            action, child = self.book, self.rng.choice(self.children)
        self.request("read:caseload", "GET", "/caseload/")
        self.pause()
        self.request("read:child", "GET", f"/children/{child['id']}/")
        self.pause()
        if child["open_review"]:
            self.request("read:review", "GET", f"/reviews/{child['open_review']}/")
            self.pause()
        if action is None:
            self.answer_visit()
        else:
            action(child)
        self.pause(0.1, 0.6)

    def book(self, child) -> None:
        # Today: the review is recorded held at this meeting (its date is the date held).
        on = date.today()
        marker = self.marker()
        data = {
            "on": on.isoformat(),
            "at": f"{self.rng.randint(9, 16):02d}:{self.rng.choice(['00', '30'])}",
            "venue": f"Load test room {marker}",
            "video_details": "",
            "confirm": "on",
            "warned_for": on.isoformat(),
        }
        w = self.attempt(
            "book",
            f"Load test room {marker}",
            f"/reviews/children/{child['id']}/book/",
            data,
            lambda loc: re.fullmatch(r"/reviews/\d+/", loc) is not None,
        )
        if w.acked:
            # The meeting's review is the child's open one: the next record goes to it.
            review_id = int(re.search(r"\d+", self.last_location(w)).group())
            child["open_review"], child["meeting"] = review_id, True

    def last_location(self, w: Write) -> str:
        return w.extra.get("location", "")

    def attempt(self, kind, marker, url, data, ok, **extra):
        # Keep the redirect's address for book (the review's id).
        captured = {}

        def ok_and_keep(location: str) -> bool:
            captured["location"] = location
            return ok(location)

        w = super().attempt(kind, marker, url, data, ok_and_keep, **extra)
        w.extra["location"] = captured.get("location", "")
        return w

    def record(self, child) -> None:
        review_id = child["open_review"]
        page = self.request("read:record-form", "GET", f"/reviews/{review_id}/record/")
        if page is None or page.status_code != 200:
            return
        tag = VERSION_RE.search(page.text)
        version = VALUE_RE.search(tag.group()) if tag else None
        if version is None:
            self.recorder.problem(f"no version on the record form of review {review_id}")
            return
        # The date held is the meeting that completed the review, as the form offers it.
        held = HELD_ON_RE.search(page.text)
        if held is None:
            return
        self.pause()
        marker = self.marker()
        data = {
            "version": version.group(1),
            "held_on": held.group(1),
            "participation_code": child["participation"],
            "wishes_and_feelings": f"Wishes {marker}",
            "parents_views": "",
            "matter_changes": "Progress since the last review (load test).",
            "decisions-TOTAL_FORMS": "1",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
            "decisions-0-text": f"Decision {marker}",
            "decisions-0-owner": "",
            "decisions-0-owner_description": "The foster carer",
            "decisions-0-due_on": (date.today() + timedelta(days=60)).isoformat(),
        }
        self.attempt(
            "record",
            f"Wishes {marker}",
            f"/reviews/{review_id}/record/",
            data,
            lambda loc: loc == f"/reviews/{review_id}/",
            extra={"decision": f"Decision {marker}", "review": review_id},
        )
        # Held now (or, unacknowledged, perhaps): never recorded again by this user; the next
        # booking makes (or finds) the child's next review.
        child["open_review"], child["meeting"] = None, False

    def update_decision(self, child) -> None:
        decision_id = self.rng.choice(child["decisions"])
        self.request("read:decision", "GET", f"/between-reviews/decisions/{decision_id}/")
        self.pause()
        marker = self.marker()
        self.attempt(
            "decision",
            f"Progress {marker}",
            f"/between-reviews/decisions/{decision_id}/",
            {"status": "in_progress", "note": f"Progress {marker}", "done_on": ""},
            lambda loc: loc.startswith("/between-reviews/"),
        )

    def answer_visit(self) -> None:
        page = self.request("read:requests", "GET", "/requests/")
        if page is None or page.status_code != 200:
            return
        waiting = VISIT_LINK_RE.findall(page.text)
        if not waiting:
            return
        visit_id = waiting[0]
        self.request("read:visit", "GET", f"/requests/visits/{visit_id}/")
        self.pause()
        marker = self.marker()
        self.attempt(
            "visit_answer",
            f"Answer {marker}",
            f"/requests/visits/{visit_id}/",
            {"answer": f"Answer {marker}"},
            lambda loc: loc == "/requests/",
        )


class PortalUser(VirtualUser):
    sign_in_url = "/portal/sign-in/"

    def __init__(self, plan: PortalPlan, password: str, *args):
        super().__init__(*args)
        self.username, self.password = plan.username, password
        self.plan = plan
        self.started_form = False
        self.next_position = 0

    def iteration(self) -> None:
        c = self.plan.child_id
        self.request("read:portal-home", "GET", "/portal/")
        self.pause()
        self.request("read:portal-child", "GET", f"/portal/{c}/")
        self.pause()
        if self.rng.random() < 0.35:
            self.request("read:portal-visit", "GET", f"/portal/{c}/visit/")
            self.pause()
            marker = self.marker()
            self.attempt(
                "visit_ask",
                f"Visit {marker}",
                f"/portal/{c}/visit/",
                {"why": f"Visit {marker}", "when_suits": "After school"},
                lambda loc: loc == f"/portal/{c}/visit/",
            )
        else:
            if not self.started_form:
                r = self.request("write:start-form", "POST", f"/portal/{c}/say/", {})
                self.started_form = r is not None and r.status_code == 302
                return
            position = self.plan.positions[self.next_position % len(self.plan.positions)]
            self.next_position += 1
            url = f"/portal/{c}/say/{position}/"
            self.request("read:question", "GET", url)
            self.pause()
            marker = self.marker()
            self.attempt(
                "answer",
                f"Answer {marker}",
                url,
                {"answer": f"Answer {marker}"},
                # The next question or the check page; back to the start page means refused.
                lambda loc: re.fullmatch(rf"/portal/{c}/say/(\d+|check)/", loc) is not None,
                key=f"{c}:{position}",
            )
        self.pause(0.1, 0.6)


# --- faults ----------------------------------------------------------------------------------


@dataclass
class Faults:
    killed_pid: int = 0
    killed_at: float = 0.0
    replaced_after: float | None = None
    pg_stop_at: float = 0.0
    pg_down_at: float = 0.0
    pg_up_at: float = 0.0
    notes: list[str] = field(default_factory=list)


def run_faults(args, gunicorn: Gunicorn, pg: Postgres, stop, t0, faults: Faults) -> None:
    def at(seconds: float) -> bool:
        """Sleep until `seconds` into the run; False if the run is stopping."""
        return not stop.wait(max(0.0, seconds - (time.monotonic() - t0)))

    if not at(args.duration / 3):
        return
    workers = gunicorn.worker_pids()
    if workers:
        victim = random.Random(args.seed).choice(workers)
        faults.killed_at = time.monotonic() - t0
        os.kill(victim, signal.SIGKILL)
        faults.killed_pid = victim
        log(f"SIGKILL gunicorn worker {victim} (of {workers})")
        for _ in range(100):
            now = gunicorn.worker_pids()
            if victim not in now and len(now) >= gunicorn.workers:
                faults.replaced_after = time.monotonic() - t0 - faults.killed_at
                break
            time.sleep(0.1)
    else:
        faults.notes.append("no gunicorn worker found to kill")

    if not at(2 * args.duration / 3):
        return
    faults.pg_stop_at = time.monotonic() - t0
    try:
        if args.pg_down > 0:
            log("stopping PostgreSQL (pg_ctl stop -m fast)")
            pg.stop_fast()
            faults.pg_down_at = time.monotonic() - t0
            stop.wait(args.pg_down)
            log("starting PostgreSQL")
            pg.pg_ctl_start()
        else:
            log("restarting PostgreSQL (pg_ctl restart -m fast)")
            pg.restart_fast()
            faults.pg_down_at = faults.pg_stop_at
    except subprocess.CalledProcessError as exc:
        faults.notes.append(f"pg_ctl failed: {exc.stderr}")
        pg.pg_ctl_start()
    faults.pg_up_at = time.monotonic() - t0
    log(f"PostgreSQL back after {faults.pg_up_at - faults.pg_stop_at:.1f} s")


# --- the checks after the run ------------------------------------------------------------------


@dataclass
class WriteCounts:
    attempted: int = 0
    acked: int = 0
    found_once: int = 0
    missing: int = 0
    duplicates: int = 0
    unacked_committed: int = 0
    superseded: int = 0


def check_database(plan: Plan, writes: list[Write], run_id: str):
    """Every acknowledged write exactly once (counts, and what is lost or doubled); half-written
    records, by invariant; the audit trail's counts."""
    from carereview.portal.models import VisitRequest
    from carereview.reviews.models import (
        ConsultationAnswer,
        Decision,
        Meeting,
        Review,
    )
    from carereview.reviews.models import DecisionUpdate as Update

    prefix = f"LT{run_id}-"
    counts: dict[str, WriteCounts] = defaultdict(WriteCounts)
    lost: list[str] = []
    pairs: list[str] = []

    # Rows by marker, one query a kind.
    found: dict[str, Counter] = {
        "book": Counter(
            Meeting.objects.filter(venue__contains=prefix).values_list("venue", flat=True)
        ),
        "record": Counter(
            Review.objects.filter(wishes_and_feelings__contains=prefix).values_list(
                "wishes_and_feelings", flat=True
            )
        ),
        "decision": Counter(
            Update.objects.filter(note__contains=prefix).values_list("note", flat=True)
        ),
        "visit_ask": Counter(
            VisitRequest.objects.filter(why__contains=prefix).values_list("why", flat=True)
        ),
        "visit_answer": Counter(
            VisitRequest.objects.filter(answer__contains=prefix).values_list("answer", flat=True)
        ),
        "answer": Counter(
            ConsultationAnswer.objects.filter(answer__contains=prefix).values_list(
                "answer", flat=True
            )
        ),
    }
    record_decisions = Counter(
        Decision.objects.filter(text__contains=prefix).values_list("text", flat=True)
    )

    by_key: dict[str, list[Write]] = defaultdict(list)
    for w in writes:
        c = counts[w.kind]
        c.attempted += 1
        n = found[w.kind][w.marker]
        if w.kind == "answer":
            by_key[w.key].append(w)
            continue
        if w.acked:
            c.acked += 1
            if n == 1:
                c.found_once += 1
            elif n == 0:
                c.missing += 1
                lost.append(f"acknowledged {w.kind} {w.marker} is missing")
            else:
                c.duplicates += 1
                lost.append(f"acknowledged {w.kind} {w.marker} is there {n} times")
        else:
            if n == 1:
                c.unacked_committed += 1
            elif n > 1:
                c.duplicates += 1
                lost.append(f"unacknowledged {w.kind} {w.marker} is there {n} times")
        if w.kind == "record":
            d = record_decisions[w.extra["decision"]]
            if d != n:
                pairs.append(f"record {w.marker}: the review is there {n} times, its decision {d}")

    # Answers overwrite one another: the latest acknowledged answer to a question must be
    # there, unless a later attempt (acknowledged or not) replaced it.
    current = {}
    for a in ConsultationAnswer.objects.filter(answer__contains=prefix).select_related(
        "consultation__review", "question"
    ):
        current[f"{a.consultation.review.child_id}:{a.question.position}"] = a.answer
    for key, attempts in by_key.items():
        c = counts["answer"]
        attempts.sort(key=lambda w: w.started)
        acked = [i for i, w in enumerate(attempts) if w.acked]
        c.acked += len(acked)
        if not acked:
            continue
        last = acked[-1]
        c.superseded += len(acked) - 1
        allowed = {w.marker for w in attempts[last:]}
        value = current.get(key)
        if value == attempts[last].marker:
            c.found_once += 1
        elif value in allowed:
            c.superseded += 1  # replaced by a later, unacknowledged attempt that did commit
        else:
            c.missing += 1
            lost.append(f"question {key}: latest acknowledged {attempts[last].marker}, has {value}")
    for marker, n in found["answer"].items():
        if n > 1:
            counts["answer"].duplicates += 1
            lost.append(f"answer {marker} is there {n} times")

    half, audit = check_invariants(plan, writes, prefix)
    return counts, lost, pairs + half, audit


def check_invariants(plan: Plan, writes: list[Write], prefix: str) -> tuple[list[str], dict]:
    from django.db.models import Count, Q

    from carereview.core.models import AuditEvent
    from carereview.portal.models import VisitRequest
    from carereview.reviews.models import (
        Consultation,
        Decision,
        DecisionUpdate,
        Meeting,
        Review,
    )

    before = plan.before
    half: list[str] = []
    run_audit = AuditEvent.objects.filter(pk__gt=before["audit"])

    def audited(operation: str) -> Counter:
        return Counter(run_audit.filter(operation=operation).values_list("object_id", flat=True))

    # book_meeting: a review and its meeting, and the meeting's audit event, together.
    lonely = Review.objects.filter(pk__gt=before["review"]).annotate(n=Count("meetings"))
    for review in lonely.filter(n=0):
        half.append(f"review {review.pk} made in the run has no meeting")
    booked = audited("review.book_meeting")
    new_meetings = set(
        Meeting.objects.filter(pk__gt=before["meeting"]).values_list("pk", flat=True)
    )
    for pk in new_meetings:
        if booked[str(pk)] != 1:
            half.append(f"meeting {pk} has {booked[str(pk)]} booking audit events")
    for object_id in booked:
        if int(object_id) not in new_meetings:
            half.append(f"a booking audit event names meeting {object_id}, which is not there")

    # save_record.
    recorded = audited("review.record")
    for review in Review.objects.filter(pk__in=[int(k) for k in recorded]).annotate(
        matters_n=Count("matters", distinct=True), decisions_n=Count("decisions", distinct=True)
    ):
        problems = []
        if review.held_on is None or not review.participation_code:
            problems.append("held date and participation code not both set")
        if not review.wishes_and_feelings or review.matters_n == 0 or review.decisions_n == 0:
            problems.append("wishes, matters or decisions missing")
        if review.record_updated_at is None:
            problems.append("no record_updated_at")
        if not review.counts and not review.data_error:
            problems.append("no schedule result (counts or data error)")
        gained = review.version - before["versions"].get(review.pk, 0)
        if gained != recorded[str(review.pk)]:
            problems.append(f"{gained} versions for {recorded[str(review.pk)]} record events")
        left = review.meetings.filter(status=Meeting.Status.SCHEDULED, on__lte=review.held_on)
        if review.held_on and left.exists():
            problems.append("a booked meeting on or before the date held is still booked")
        if problems:
            half.append(f"review {review.pk}: " + "; ".join(problems))
    # Across the table: a held date without a participation code, or the other way round,
    # among the reviews the run touched or made.
    touched = Review.objects.filter(
        Q(pk__gt=before["review"]) | Q(pk__in=[int(k) for k in recorded])
    )
    odd = touched.filter(
        Q(held_on__isnull=True, participation_code__gt="")
        | Q(held_on__isnull=False, participation_code="")
    )
    for review in odd:
        half.append(f"review {review.pk}: held date and participation code disagree")

    # update_decision.
    updated = audited("decision.update")
    updates = DecisionUpdate.objects.filter(note__startswith="Progress " + prefix)
    per_decision = Counter(updates.values_list("decision_id", flat=True))
    for decision_id, n in per_decision.items():
        if updated[str(decision_id)] != n:
            half.append(
                f"decision {decision_id}: {n} updates, {updated[str(decision_id)]} audit events"
            )
    for decision in Decision.objects.filter(pk__in=list(per_decision)):
        latest = decision.updates.exclude(note="").order_by("-pk").first()
        if decision.progress_updated_at is None or (
            latest and decision.progress_note != latest.note
        ):
            half.append(f"decision {decision.pk}: its progress note is not its latest update's")

    # Visits: asked (one audit event each) and answered (answer, time and who, together).
    asked = audited("portal.visit_request")
    for visit in VisitRequest.objects.filter(pk__gt=before["visit"]):
        if asked[str(visit.pk)] != 1:
            half.append(f"visit {visit.pk}: {asked[str(visit.pk)]} audit events for asking")
    for visit in VisitRequest.objects.all():
        parts = [
            visit.answered_at is not None,
            visit.answered_by_id is not None,
            bool(visit.answer),
        ]
        if any(parts) and not all(parts):
            half.append(f"visit {visit.pk}: answer, time and who answered not all set")
    answered = audited("portal.visit_answer")
    for visit_id, n in answered.items():
        if n != 1:
            half.append(f"visit {visit_id}: answered {n} times")

    # Consultation answers: the form's last_saved_at, and the audit trail per form.
    saved = audited("consultation.save_answer")
    for consultation in Consultation.objects.filter(pk__in=[int(k) for k in saved]):
        if consultation.last_saved_at is None:
            half.append(f"consultation {consultation.pk}: answers saved, last_saved_at empty")

    # The audit trail as a whole: between the acknowledged and the attempted writes.
    operations = {
        "book": "review.book_meeting",
        "record": "review.record",
        "decision": "decision.update",
        "visit_ask": "portal.visit_request",
        "visit_answer": "portal.visit_answer",
        "answer": "consultation.save_answer",
    }
    audit = {}
    for kind, operation in operations.items():
        acked = sum(1 for w in writes if w.kind == kind and w.acked)
        tried = sum(1 for w in writes if w.kind == kind)
        events = run_audit.filter(operation=operation).count()
        audit[kind] = (acked, events, tried)
        if not acked <= events <= tried:
            half.append(
                f"{operation}: {events} audit events for {acked} acknowledged, {tried} attempted"
            )
    return half, audit


# --- the run ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(args, recorder: Recorder, faults: Faults, checked, server_tracebacks):
    counts, lost, half, audit = checked
    results = recorder.results
    by_status = Counter(r.status for r in results)
    print()
    print(f"== Load and faults: {args.users} users for {args.duration} s, "
          f"{args.workers} gunicorn sync workers, PostgreSQL (throwaway) ==")  # fmt: skip
    print(f"requests: {len(results)} ({len(results) / max(args.duration, 1):.1f}/s)")
    print("  by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
    kinds = sorted({r.kind for r in results})
    print(f"  {'kind':<22}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    for kind in kinds:
        rs = [r for r in results if r.kind == kind]
        ms = [(r.ended - r.started) * 1000 for r in rs if r.status in ("200", "302")]
        st = Counter(r.status for r in rs)
        print(
            f"  {kind:<22}{len(rs):>7}{percentile(ms, 50):>9.0f}{percentile(ms, 95):>9.0f}  "
            + ", ".join(f"{k}: {v}" for k, v in sorted(st.items()))
        )
    print("faults:")
    if faults.killed_pid:
        replaced = (
            f"replaced in {faults.replaced_after:.1f} s"
            if faults.replaced_after is not None
            else "NOT replaced"
        )
        print(f"  worker {faults.killed_pid} SIGKILLed at {faults.killed_at:.1f} s ({replaced})")
    for note in faults.notes:
        print(f"  note: {note}")
    window = (faults.pg_stop_at, faults.pg_up_at)
    during = [r for r in results if r.ended >= window[0] and r.started <= window[1]]
    after = [r for r in results if r.started > window[1]]
    print(
        f"  PostgreSQL stopped at {faults.pg_stop_at:.1f} s (down at {faults.pg_down_at:.1f} s), "
        f"back at {faults.pg_up_at:.1f} s"
    )
    during_st = Counter(r.status for r in during)
    clean = sum(1 for r in during if r.status == "503" and r.clean_503)
    print(
        f"  requests during the restart: {len(during)}; 503s: {during_st['503']} "
        f"(clean: {clean}); "
        + ", ".join(f"{k}: {v}" for k, v in sorted(during_st.items()) if k != "503")
    )
    late_503 = [r for r in after if r.status == "503"]
    print(
        f"  503s after PostgreSQL was back: {len(late_503)}"
        + (f" (last at {max(r.started for r in late_503):.1f} s)" if late_503 else "")
    )
    early_503 = sum(1 for r in results if r.status == "503" and r.ended < window[0])
    print(f"  503s before the restart: {early_503}")
    print(
        f"  connections dropped (the killed worker's requests): {by_status['dropped']}; "
        f"timeouts: {by_status['timeout']}"
    )

    print("writes:")
    print(
        f"  {'kind':<14}{'attempted':>10}{'acked':>8}{'found once':>12}{'missing':>9}"
        f"{'duplicates':>12}{'unacked, saved':>16}{'superseded':>12}"
    )
    total = WriteCounts()
    for kind in ["book", "record", "decision", "visit_answer", "visit_ask", "answer"]:
        c = counts.get(kind, WriteCounts())
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(c, name))
        print(
            f"  {kind:<14}{c.attempted:>10}{c.acked:>8}{c.found_once:>12}{c.missing:>9}"
            f"{c.duplicates:>12}{c.unacked_committed:>16}{c.superseded:>12}"
        )
    print(
        f"  {'all':<14}{total.attempted:>10}{total.acked:>8}{total.found_once:>12}"
        f"{total.missing:>9}{total.duplicates:>12}{total.unacked_committed:>16}"
        f"{total.superseded:>12}"
    )
    print("  (answers overwrite: only the latest acknowledged answer to a question is checked; "
          "earlier ones are 'superseded')")  # fmt: skip
    print("  audit events (acknowledged <= events <= attempted): " + ", ".join(
        f"{k} {a}<={e}<={t}" for k, (a, e, t) in audit.items()))  # fmt: skip
    for line in lost[:40]:
        print(f"  ! {line}")
    print(f"half-written records: {len(half)}")
    for line in half[:40]:
        print(f"  ! {line}")
    five_hundreds = sum(1 for r in results if r.status.startswith("5") and r.status != "503")
    tracebacks = sum(1 for r in results if r.traceback)
    unclean = sum(1 for r in results if r.status == "503" and not r.clean_503)
    client_errors = sum(1 for r in results if r.status.startswith("4"))
    print(f"503s in all: {by_status['503']} (unclean: {unclean}); 4xx: {client_errors}")
    print(f"500s: {five_hundreds}; tracebacks in responses: {tracebacks}; "
          f"tracebacks in the server log: {server_tracebacks}")  # fmt: skip
    other = [p for p in recorder.problems]
    if other:
        print(f"problems noted ({len(other)}):")
        for p in other[:30]:
            print(f"  - {p}")
    no_503 = args.pg_down > 0 and during_st["503"] == 0
    if no_503:
        print("  ! PostgreSQL was down and no request got the 503 page: the fault was not seen")
    failed = (
        no_503
        or total.missing
        or total.duplicates
        or lost
        or half
        or five_hundreds
        or client_errors
        or tracebacks
        or unclean
        or server_tracebacks
        or not faults.killed_pid
        or not faults.pg_up_at
        or total.acked == 0
    )
    print("RESULT: " + ("FAIL" if failed else "PASS"))
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=600, help="seconds (CI: 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--children", type=int, default=300, help="synthetic children")
    parser.add_argument("--portal-share", type=float, default=0.2, help="of the users")
    parser.add_argument(
        "--pg-down", type=float, default=5.0,
        help="seconds PostgreSQL stays stopped (0: pg_ctl restart -m fast)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-logs", type=Path, default=None, help="copy the logs here")
    args = parser.parse_args(argv)
    if args.users < 2 or args.duration < 15:
        parser.error("at least 2 users and 15 seconds")

    pg = gunicorn = None
    logs = Path(tempfile.mkdtemp(prefix="carereview-load-logs-"))
    stop = threading.Event()

    def on_term(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM both clean up (SIGINT too when the shell started us with it ignored).
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        wall = time.monotonic()
        pg = Postgres()
        pg.start()
        log(f"PostgreSQL ({pg.bin}) on 127.0.0.1:{pg.port} in {pg.tmp}")
        django_setup(pg.url)
        build_authority(args.children, args.seed)
        portal_users = max(1, round(args.users * args.portal_share))
        plan = make_plan(args.users - portal_users, portal_users, args.seed)
        log(
            f"plan: {len(plan.staff)} staff users over "
            f"{len({s.username for s in plan.staff})} IROs, {len(plan.portal)} portal users"
        )
        env = dict(os.environ) | {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "CAREREVIEW_LOAD_DATABASE_URL": pg.url,
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
        }
        gunicorn = Gunicorn(env, args.workers, logs / "gunicorn.log")
        gunicorn.start()
        log(f"gunicorn on {gunicorn.base_url}, workers {gunicorn.worker_pids()}")

        recorder = Recorder()
        run_id = uuid.uuid4().hex[:6]
        t0 = time.monotonic()
        users: list[VirtualUser] = []
        for i, s in enumerate(plan.staff):
            users.append(
                StaffUser(
                    s, STAFF_PASSWORD, i, gunicorn.base_url, recorder, stop, t0, run_id, args.seed
                )  # fmt: skip
            )
        for j, p in enumerate(plan.portal):
            n = len(plan.staff) + j
            users.append(
                PortalUser(
                    p,
                    plan.portal_password,
                    n,
                    gunicorn.base_url,
                    recorder,
                    stop,
                    t0,
                    run_id,
                    args.seed,
                )  # fmt: skip
            )
        faults = Faults()
        fault_thread = threading.Thread(
            target=run_faults, args=(args, gunicorn, pg, stop, t0, faults), daemon=True
        )
        log(f"running {len(users)} users for {args.duration} s")
        for u in users:
            u.start()
        fault_thread.start()
        end = t0 + args.duration
        while time.monotonic() < end:
            time.sleep(min(5.0, max(0.0, end - time.monotonic())))
            done = len(recorder.results)
            log(f"{time.monotonic() - t0:5.0f} s: {done} requests")
        stop.set()
        fault_thread.join(timeout=120)
        for u in users:
            u.join(timeout=60)
        log("users stopped; checking the database")

        from django.db import connections

        connections.close_all()
        checked = check_database(plan, recorder.writes, run_id)
        gunicorn.stop()
        server_log = (logs / "gunicorn.log").read_text(errors="replace")
        server_tracebacks = server_log.count("Traceback")
        if server_tracebacks:
            print(server_log[-5000:])
        status = report(args, recorder, faults, checked, server_tracebacks)
        print(f"wall time: {time.monotonic() - wall:.0f} s (the run itself: {args.duration} s)")
        return status
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
        return 130
    finally:
        stop.set()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not stop the clean-up
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        if gunicorn is not None:
            gunicorn.stop()
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for f in logs.iterdir():
                shutil.copy(f, args.keep_logs / f.name)
            if pg is not None and (pg.tmp / "server.log").exists():
                shutil.copy(pg.tmp / "server.log", args.keep_logs / "postgresql.log")
        if pg is not None:
            pg.close()
        shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Application logs never hold a child's name, date of birth, address or record text (issue 7,
item 3).

Every record of every logger is captured (the root at DEBUG, each logger let through, whatever
its own level or ``propagate``), and so is everything the process writes to stdout and stderr.
Two loggers are off: ``django.db.backends`` and ``django.template``, whose DEBUG lines are the
SQL with its values and each template's whole context; the settings pin both at INFO, so that a
root turned down to DEBUG cannot turn them on (checked below).

Then every write path is driven with distinctive synthetic values, a child "Zebedee
Quillfeather" born 17 February 2013, placed at "77 Marigold Crescent, NM9 9ZZ", with
"PII-MARKER-7731" in every text typed, and a parent whose email is marigold.parent@example.net:

* every form of the web app, as every role the policy lets use it, and every portal form, as the
  child and their mother (the form reader of test_hostile_forms), twice: once with the long
  marker text and the first option of every choice, once with the short one and the last;
* signing in, right and wrong, on both sign-in pages; accepting a portal invitation;
* the notifications outbox delivered (locmem backend), a delivery that fails with an error that
  quotes the address and the message, an email to a parent from the representations service
  that the mail server refuses, and ``worker --once`` with its daily jobs due;
* ``synth`` loading a small authority (checked against its own children's names and dates).

None of those values may appear in any captured line. Not logs, so not checked, by design:

* the notifications **console** backend prints each message, body and all, to stdout: it is
  the local stand-in for sending (as Django's console email backend), never configured in
  production (settings: "notify" or "smtp"); the test uses the locmem backend;
* a failed message's ``last_error`` is stored on the message, with the address masked
  (``outbox.describe_error``) and shown to administrators on the outbox page; its log line
  names only the message and the exception's class (checked here);
* ``synth`` prints, once, the name of the synthetic child whose portal sign-ins it made, so
  that whoever runs the demo knows whose portal to open: generated people only, never real
  data (that line is the one allowed; checked here).
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from carereview.accounts.models import User
from carereview.children.models import Child, Episode, Person
from carereview.core.policy import PUBLIC, ROUTES, allows
from carereview.core.testing import PASSWORD, make_child
from carereview.core.tests.test_hostile_forms import (
    Field,
    Filler,
    Walk,
    _texts,
    post_forms,
)
from carereview.core.tests.test_policy_routes import (
    RouteObjects,
    _kwargs,
    all_routes,
    route_objects,
)
from carereview.disputes import services as disputes
from carereview.followup.testing import make_followup_objects
from carereview.notifications import backends, outbox
from carereview.notifications.models import Message
from carereview.portal.models import PortalAccess
from carereview.portal.testing import make_portal_objects, make_portal_user
from carereview.records import services as retention
from carereview.reviews.models import Review

FIRST, LAST = "Zebedee", "Quillfeather"
DOB = date(2013, 2, 17)
ADDRESS, POSTCODE = "77 Marigold Crescent", "NM9 9ZZ"
RECORD = "PII-MARKER-7731"
PARENT_EMAIL = "marigold.parent@example.net"
PARENT_PHONE = "07700 900731"
TYPED_PASSWORD = "PII-MARKER-pass-7731"
LONG_TEXT = f"{RECORD}: {FIRST} {LAST} (born 17/02/2013) of {ADDRESS}, {POSTCODE}"

#: What must never be in a log line (compared ignoring case).
MARKERS = [
    FIRST,
    LAST,
    DOB.isoformat(),
    "17/02/2013",
    "17 February 2013",
    "17 Feb 2013",
    "Marigold Crescent",
    POSTCODE,
    RECORD,
    PARENT_EMAIL,
    PARENT_PHONE.replace(" ", ""),
    PARENT_PHONE,
    TYPED_PASSWORD,
    PASSWORD,
]


# --- Capturing ------------------------------------------------------------------------------

#: Off in the capture: at DEBUG they log the SQL with its values and whole template contexts, so
#: the settings keep them at INFO whatever the root's level (test_the_settings_pin_...).
PINNED = ("django.db.backends", "django.template")


class Captured:
    """Every log record (formatted, with any traceback) and everything written to fd 1 and 2."""

    FORMAT = logging.Formatter("%(levelname)s %(name)s %(message)s")

    def __init__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self.output: list[str] = []

    def lines(self) -> list[str]:
        lines = []
        for record in self.records:
            text = self.FORMAT.format(record)
            lines += [f"[log {record.name}] {line}" for line in text.splitlines()]
        for chunk in self.output:
            lines += [f"[output] {line}" for line in chunk.splitlines()]
        return lines


@pytest.fixture
def captured(monkeypatch, capfd):
    """Let every record of every logger through and keep it; django.db.backends off."""
    capture = Captured()
    original = logging.Logger.callHandlers

    def call_handlers(self, record):
        capture.records.append(record)
        return original(self, record)

    monkeypatch.setattr(logging.Logger, "callHandlers", call_handlers)
    saved = {}
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        saved[logger] = (logger.level, logger.disabled)
        logger.setLevel(logging.NOTSET)
        logger.disabled = False
    logging.getLogger().setLevel(logging.DEBUG)
    for name in PINNED:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    previous_disable = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    capfd.readouterr()
    yield capture
    logging.disable(previous_disable)
    for logger, (level, disabled) in saved.items():
        logger.setLevel(level)
        logger.disabled = disabled


def leaks(lines: list[str], markers: list[str]) -> list[str]:
    lowered = [m.lower() for m in markers]
    return [line[:300] for line in lines if any(m in line.lower() for m in lowered)]


def take_output(capture: Captured, capfd) -> None:
    out, err = capfd.readouterr()
    capture.output += [out, err]


# --- The child and their world --------------------------------------------------------------


class World:
    """Zebedee's record, with one of everything, and the people who read it."""

    child: Child
    mother: Person
    held: Review
    objects: RouteObjects
    child_access: PortalAccess
    child_user: User
    portal_users: dict[str, User]


@pytest.fixture
def zebedee(service):
    w = World()
    w.child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        first_name=FIRST,
        last_name=LAST,
        dob=DOB,
        start=date.today() - timedelta(days=300),
        reviews=[date.today() - timedelta(days=60)],
    )
    Child.objects.filter(pk=w.child.pk).update(email="zebedee.q@example.net", phone=PARENT_PHONE)
    Episode.objects.filter(child=w.child).update(
        placement_address=f"{ADDRESS}\nNorthmoor\n{POSTCODE}"
    )
    w.mother = w.child.relationships.get(kind="mother").person
    Person.objects.filter(pk=w.mother.pk).update(
        first_name="Mabel", email=PARENT_EMAIL, phone=PARENT_PHONE, address=ADDRESS
    )
    w.mother.refresh_from_db()
    w.held = w.child.reviews.get()
    w.objects = route_objects(w.child, service.iro)
    w.objects.portal = make_portal_objects(w.child, service)
    w.objects.consultation.share_with_social_worker = True
    w.objects.consultation.returned_on = w.objects.consultation.sent_on
    w.objects.consultation.save()
    w.objects.followup = make_followup_objects(
        w.child, reporter=service.social_worker, owner=service.service_manager
    )
    w.objects.dispute = disputes.raise_dispute(
        w.child, by=service.iro, summary=RECORD, message=LONG_TEXT, themes=["drift"]
    )
    # Retention (issue 7): a record past its date (born in 1940), proposed for deletion.
    make_child(dob=date(1940, 1, 1), first_name="Zebulon")
    w.objects.proposal = retention.propose(service.administrator.username)
    w.child_access, w.child_user = make_portal_user(w.child, by=service.iro)
    w.portal_users = {"mother": w.objects.portal.user, "child": w.child_user}
    return w


def marker_text(short: bool, send_to: str = PARENT_EMAIL):
    def text(f: Field) -> str:
        name = f.name.lower()
        if name.endswith("sent_to"):  # an email address or a mobile, by the channel chosen
            return send_to
        if f.kind == "email" or "email" in name:
            return PARENT_EMAIL
        if "phone" in name or "mobile" in name or f.kind == "tel":
            return PARENT_PHONE
        if f.kind == "password" or "password" in name:
            return TYPED_PASSWORD
        if name == "username":
            return "zebedee.quillfeather"
        return f"{RECORD} {LAST}" if short else LONG_TEXT

    return text


def _last(group: list[Field]) -> str:
    """The last option offered: of a select, or of a group of radios or checkboxes."""
    offered = group[0].options if group[0].kind == "select" else [f.value for f in group]
    return ([o for o in offered if o] or ["on"])[-1]


def _second(group: list[Field]) -> str:
    offered = group[0].options if group[0].kind == "select" else [f.value for f in group]
    offered = [o for o in offered if o] or ["on"]
    return offered[min(1, len(offered) - 1)]


def _weekday(offset: int) -> str:
    day = date.today() + timedelta(days=offset)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day.isoformat()


FILLERS = [
    # Dates in the past (what happened: held, done, referred) ...
    Filler(
        "markers, first choices, past",
        text=marker_text(False),
        date=_weekday(-3),
        time="10:00",
        number="1",
    ),  # fmt: skip
    # ... and in the future (what is planned: booked, due, required by).
    Filler(
        "markers, last choices, future",
        text=marker_text(True, PARENT_PHONE),
        date=_weekday(24),
        time="14:30",
        number="2",
        choice=_last,
        check_all=False,
    ),  # fmt: skip
    Filler(
        "markers, first choices, future",
        text=marker_text(True),
        date=_weekday(24),
        time="11:00",
        number="1",
    ),  # fmt: skip
    # ... and today (what is recorded as it happens), with the second of each choice.
    Filler(
        "markers, second choices, today",
        text=marker_text(False, PARENT_PHONE),
        date=date.today().isoformat(),
        time="09:30",
        number="1",
        choice=_second,
        check_all=False,
    ),  # fmt: skip
]


def portal_url(world, name, route, pattern) -> str:
    names = set(pattern.pattern.converters)
    values = {
        "child_id": world.child.pk,
        "position": 1,
        "review_id": world.objects.review.pk
        if route == "portal:separate-meeting"
        else world.held.pk,
        "representation_id": world.objects.portal.representation.pk,
    }
    return reverse(route, kwargs={n: values[n] for n in names})


def drive_web(world, service, walk: Walk) -> None:
    client = Client(raise_request_exception=False)
    routes = all_routes()
    # Staff: every page with a form, as every role allowed it.
    for role, user in service.by_role().items():
        for route, pattern in routes.items():
            if route.startswith(("portal:", "breakglass:")) or ROUTES[route] == PUBLIC:
                continue
            if not allows(user, route):
                continue
            url = reverse(
                route, kwargs=_kwargs(route, pattern, world.child, service, world.objects)
            )
            post_forms(client, walk, role, url, FILLERS, login=lambda u=user: client.force_login(u))
    # The portal, as the child and their mother.
    for name, user in world.portal_users.items():
        for route, pattern in routes.items():
            if not route.startswith("portal:") or ROUTES[route] == PUBLIC:
                continue
            if route == "portal:sign-out":
                continue
            url = portal_url(world, name, route, pattern)
            post_forms(client, walk, name, url, FILLERS, login=lambda u=user: client.force_login(u))


def drive_sign_ins(world, service) -> None:
    client = Client(raise_request_exception=False)
    mother = world.objects.portal.user
    for url, username in (
        (reverse("sign-in"), service.iro.username),
        (reverse("portal:sign-in"), mother.username),
        (reverse("portal:sign-in"), "zebedee.quillfeather"),
    ):
        client.logout()
        client.post(url, {"username": username, "password": TYPED_PASSWORD})
        client.post(url, {"username": username, "password": PASSWORD})
    # An invitation accepted with a username made of the child's name.
    client.logout()
    token_url = reverse("portal:accept", kwargs={"token": world.objects.portal.token})
    client.post(
        token_url,
        {"username": "zebedee.quillfeather", "password": TYPED_PASSWORD,
         "password_confirm": TYPED_PASSWORD, "password2": TYPED_PASSWORD},
    )  # fmt: skip


class FailingBackend(backends.Backend):
    """A provider that refuses, quoting the address and the message as providers do."""

    def send(self, message):
        raise RuntimeError(f"refused {message.to}: {message.subject} / {message.body[:80]}")


def drive_notifications(world, service) -> None:
    backends.outbox.clear()
    for n, user in enumerate([service.iro, service.social_worker]):
        outbox.notify(
            f"pii-test-{n}",
            user=user,
            to=PARENT_EMAIL if n else None,
            subject=f"About {FIRST} {LAST}",
            body=LONG_TEXT,
        )
    outbox.deliver_due()
    assert backends.outbox, "the locmem backend kept nothing"
    # A failing delivery: the error quotes the address and the text.
    outbox.notify("pii-test-fail", to=PARENT_EMAIL, subject=f"{FIRST} {LAST}", body=LONG_TEXT)
    with override_settings(
        NOTIFICATIONS={**_notifications(), "BACKEND": f"{__name__}.FailingBackend"}
    ):
        outbox.deliver_due()
    failed = Message.objects.get(key="pii-test-fail")
    assert failed.last_error and PARENT_EMAIL not in failed.last_error
    # worker --once, with the daily jobs due.
    with override_settings(
        NOTIFICATIONS={**_notifications(), "NIGHTLY_REFRESH_AT": "00:00", "REMINDERS_AT": "00:00"}
    ):
        call_command("worker", once=True, verbosity=2)


def _notifications() -> dict:
    from django.conf import settings

    return dict(settings.NOTIFICATIONS)


class RefusingBackend(backends.Backend):
    """A mail server that refuses the address, quoting it."""

    def send(self, message):
        raise smtplib.SMTPRecipientsRefused(
            {message.to: (550, f"no mailbox {message.to}".encode())}
        )


def drive_representation_email_failure(world, monkeypatch) -> None:
    """The representations service emails the person (through the outbox); the mail server
    refuses the address."""
    from carereview.representations import services as representations

    assert representations._send("pii-test-refused", f"About {FIRST}", LONG_TEXT, PARENT_EMAIL)
    with override_settings(
        NOTIFICATIONS={**_notifications(), "BACKEND": f"{__name__}.RefusingBackend"}
    ):
        assert outbox.deliver_due().failed >= 1
    refused = Message.objects.get(key="pii-test-refused")
    assert refused.last_error and PARENT_EMAIL not in refused.last_error


def stored_markers() -> list[str]:
    """The fields the walk wrote the record text into: evidence it reached the writes."""
    return sorted({label for label, value, _ in _texts() if RECORD in value})


@pytest.mark.django_db(transaction=True)
def test_no_personal_data_in_logs(captured, capfd, monkeypatch, service, zebedee):
    walk = Walk()
    drive_web(zebedee, service, walk)
    drive_sign_ins(zebedee, service)
    drive_notifications(zebedee, service)
    drive_representation_email_failure(zebedee, monkeypatch)
    take_output(captured, capfd)
    written = stored_markers()
    with capfd.disabled():
        print(f"\nlogs without personal data: {walk.summary()}")
        print(f"  {len(captured.records)} log records and {len(captured.lines())} lines captured")
        by_logger = Counter(r.name for r in captured.records)
        print(f"  by logger: {', '.join(f'{n} {c}' for n, c in by_logger.most_common())}")
        print(f"  output: {sum(len(chunk.splitlines()) for chunk in captured.output)} lines")
        print(f"  the record text was stored in {len(written)} fields: {', '.join(written)}")
        for path, names in sorted(walk.seen_forms - walk.accepted):
            for refusal in walk.refusals.get((path, names), ["-"]):
                print(f"  never accepted: {path}: {refusal}")
    assert len(written) >= 25, written
    assert walk.defects == [], "\n".join(walk.defects)
    found = leaks(captured.lines(), MARKERS)
    assert found == [], "personal data in the logs:\n" + "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_no_personal_data_in_the_logs_of_synth(captured, capfd):
    call_command("synth", children=12, iros=2, social_workers=3, teams=1, seed=7, password=PASSWORD)
    take_output(captured, capfd)
    markers = set()
    for child in Child.objects.all():
        markers |= {child.first_name, child.last_name, child.full_name}
        markers |= {child.date_of_birth.isoformat(), f"{child.date_of_birth:%d/%m/%Y}"}
    for value in Episode.objects.values_list("placement_address", flat=True):
        markers |= {line.strip() for line in value.splitlines() if len(line.strip()) > 6}
    markers -= {"Northmoor"}  # the authority's own name, not a person's
    lines = [
        line
        for line in captured.lines()
        # By design (module docstring): whose portal the demo opened, a generated child.
        if "Portal sign-ins made for" not in line
    ]
    whole_words = [re.escape(m) for m in markers if m]
    pattern = re.compile(r"\b(" + "|".join(whole_words) + r")\b", re.IGNORECASE)
    found = [line for line in lines if pattern.search(line)]
    assert Child.objects.count() == 12
    assert found == [], "personal data in the logs:\n" + "\n".join(found)


def test_the_capture_catches_a_leak(captured, capfd):
    """The net has no hole: a DEBUG record on a logger that does not propagate, an INFO one,
    and a print are all caught."""
    quiet = logging.getLogger("carereview.test.quiet")
    quiet.propagate = False
    try:
        quiet.debug("child %s", LAST)
        logging.getLogger("carereview.test.loud").info("address %s", ADDRESS)
        print(f"record {RECORD}")
        take_output(captured, capfd)
    finally:
        quiet.propagate = True
    found = leaks(captured.lines(), MARKERS)
    assert len(found) == 3, found


def test_the_settings_pin_the_loggers_that_would_log_data():
    from django.conf import settings

    loggers = settings.LOGGING.get("loggers", {})
    for name in PINNED:
        level = logging.getLevelName(loggers.get(name, {}).get("level", "NOTSET"))
        assert level >= logging.INFO, name

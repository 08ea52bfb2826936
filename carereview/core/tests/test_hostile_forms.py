"""Every form of the web app and the portal, filled with hostile input (issue 7, item 8).

Each route is opened as each role the policy lets use it (staff), and each portal page as each
portal person; every ``<form method="post">`` on the page is read (``html.parser``) and posted
back several times with hostile values in every field: text of 100,000 characters, a script
tag, NUL bytes, Unicode control characters, dates that do not exist, negative and huge numbers,
choices that are not offered, tampered hidden fields. After each post:

* no 500 (an exception in the view is caught and reported as a defect);
* the raw ``<script>alert("x")</script>`` is not in the response, the page it redirects to,
  or a fresh GET of the page (it may be stored, but must always be shown escaped);

and at the end every page is read again as every role, the same way, and no text stored in the
database holds a NUL byte or is longer than its column (PostgreSQL refuses both: a 500 there;
SQLite, the tests' default database, keeps them, so the test looks).

The form reader and the fillers are shared with test_logs_without_personal_data.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from carereview.accounts.models import Role, Team
from carereview.breakglass import services as breakglass
from carereview.core.policy import PUBLIC, ROUTES, allows
from carereview.core.testing import make_child, make_user
from carereview.core.tests.test_policy_routes import (  # noqa: F401 - fixtures
    _kwargs,
    all_routes,
    in_scope_child,
    objects,
)
from carereview.portal.tests.test_portal_routes import (  # noqa: F401 - fixture
    kwargs_for,
    portal_routes,
    world,
)

SCRIPT = '<script>alert("x")</script>'
BIG = "x" * 100_000
NUL = "a\x00b"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
PNG_HEADER = bytes.fromhex("89504e470d0a1a0a")
CONTROL = "\x07\x1b[31m\u202etxt.exe\u200b\ufeff\x85\x7f\u2028\u0301"
# Forms that end the session or are not about the page's record: not posted.
SKIP_ACTIONS = ("sign-out",)


# --- Reading forms -------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # the input type, "textarea", "select" or "button"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)
    enctype: str = ""

    def names(self) -> list[str]:
        return sorted({f.name for f in self.fields if f.kind != "button"})


class FormReader(HTMLParser):
    """The ``method=post`` forms of a page, with their fields (and fields outside a form that
    name it with ``form=``, which are rare enough to ignore here)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = Form(action=a.get("action") or "", enctype=a.get("enctype") or "")
                self.forms.append(self._form)
            else:
                self._form = None
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if "govuk-date-input__input" in (a.get("class") or "").split():
                kind = "date-" + name.rsplit("_", 1)[-1]  # a box of the GOV.UK date input
            self._form.fields.append(
                Field(name, kind, a.get("value") or "", checked="checked" in a)
            )
        elif tag == "button" and name:
            self._form.fields.append(Field(name, "button", a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = [value, "selected" in a, ""]
            if value is not None:
                self._select.options.append(value)
                if "selected" in a:
                    self._select.value = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None and self._option[0] is None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None:
            if self._option[0] is None and self._select is not None:  # text as the value
                self._select.options.append(self._option[2].strip())
            self._option = None


def read_forms(html: str) -> list[Form]:
    reader = FormReader()
    reader.feed(html)
    reader.close()
    return [f for f in reader.forms if not any(s in f.action for s in SKIP_ACTIONS)]


# --- Filling forms -------------------------------------------------------------------------

TEXT_KINDS = {"text", "textarea", "email", "search", "tel", "url", "password"}


def _choices(f: Field) -> list[str]:
    return [o for o in f.options if o != ""] or f.options


def _groups(form: Form) -> dict[str, list[Field]]:
    groups: dict[str, list[Field]] = {}
    for f in form.fields:
        groups.setdefault(f.name, []).append(f)
    return groups


@dataclass
class Filler:
    """How to fill each kind of field. Each value may be a string or a function of the field."""

    label: str
    text: object
    date: object = "2026-02-30"
    time: object = "25:61"
    number: object = "-1"
    choice: object = None  # None: the first offered option; a function: of the fields
    hidden: object = None  # None: as the page gave it
    check_all: bool = True
    file: tuple[str, bytes, str] | None = None  # None: no file sent

    def upload(self, f: Field):
        if self.file is None:
            return None
        name, content, content_type = self.file
        return SimpleUploadedFile(name, content, content_type)

    def value(self, what, f) -> str:
        return what(f) if callable(what) else what


def fill(form: Form, filler: Filler) -> dict[str, list[str] | str]:
    """The data to post: every field, by kind, from ``filler``; the first named button."""
    data: dict[str, list[str]] = {}
    button_done = False
    for name, group in _groups(form).items():
        first = group[0]
        kind = first.kind
        values: list[str] = []
        if kind == "button":
            if not button_done:
                values = [first.value]
                button_done = True
        elif kind == "file":
            upload = filler.upload(first)
            if upload is not None:
                data[name] = [upload]
            continue
        elif kind in ("submit", "image", "reset"):
            continue
        elif kind == "hidden":
            values = [f.value if filler.hidden is None else filler.value(filler.hidden, f)
                      for f in group]  # fmt: skip
        elif kind in ("radio", "checkbox"):
            if filler.choice is not None:
                values = [filler.value(filler.choice, group)]
            elif kind == "checkbox" and filler.check_all:
                values = [f.value or "on" for f in group]
            else:
                offered = [f.value for f in group if f.value] or ["on"]
                values = offered[:1]
        elif kind == "select":
            if filler.choice is not None:
                values = [filler.value(filler.choice, group)]
            else:
                options = _choices(first)
                values = options[:1]
        elif kind == "date":
            values = [filler.value(filler.date, f) for f in group]
        elif kind.startswith("date-"):  # the day, month or year of the GOV.UK date input
            values = [date_part(filler.value(filler.date, first), kind.removeprefix("date-"))]
        elif kind == "time":
            values = [filler.value(filler.time, f) for f in group]
        elif kind == "number":
            values = [filler.value(filler.number, f) for f in group]
        elif kind in TEXT_KINDS or kind:
            values = [filler.value(filler.text, f) for f in group]
        if values:
            data[name] = values
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


def date_part(typed: str, part: str) -> str:
    """The `part` (day, month, year) of a filler's date, as typed in the GOV.UK date input's
    boxes: "2026-02-30" gives "30", "02" and "2026"; anything else goes in every box."""
    match = re.fullmatch(r"(\d+)-(\d+)-(\d+)", typed)
    if match is None:
        return typed
    year, month, day = match.groups()
    return {"day": day, "month": month, "year": year}[part]


def _future_date(_f=None) -> str:
    day = date.today() + timedelta(days=21)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


HOSTILE = [
    # Script in every text field, the rest valid: stored, then shown escaped.
    Filler(
        "script",
        text=SCRIPT,
        date=_future_date,
        time="10:00",
        number="1",
        file=(f"{SCRIPT}.svg", SVG, "image/svg+xml"),
    ),  # fmt: skip
    # Script where a choice, a date, a number or a hidden value should be.
    Filler(
        "wrong choices",
        text=SCRIPT,
        date=SCRIPT,
        time=SCRIPT,
        number=SCRIPT,
        choice=SCRIPT,
        hidden=SCRIPT,
    ),  # fmt: skip
    # Oversized text; dates that do not exist; huge numbers; tampered hidden values.
    Filler(
        "oversized",
        text=BIG,
        date="2026-02-30",
        time="25:61",
        number="99999999999999999999999999",
        choice="999999999",
        hidden="-1",
        file=("huge.png", PNG_HEADER + b"\0" * 3_000_000, "image/png"),
    ),  # fmt: skip
    # NUL bytes and control characters; negative numbers; year 0.
    Filler(
        "nul and control",
        text=NUL + CONTROL,
        date="0000-00-00",
        time="-1:00",
        number="-999999999999",
        choice="-1",
        hidden=NUL,
    ),  # fmt: skip
]


# --- Walking -------------------------------------------------------------------------------

ERRORS = re.compile(r'class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S)


def is_html(response) -> bool:
    return not getattr(response, "streaming", False) and "text/html" in response.get(
        "Content-Type", ""
    )


def unescaped(response) -> bool:
    return is_html(response) and SCRIPT in response.content.decode("utf-8", "replace")


@dataclass
class Walk:
    """What a walk did and found."""

    pages: int = 0
    forms: int = 0
    fields: int = 0
    posts: int = 0
    defects: list[str] = field(default_factory=list)
    seen_forms: set = field(default_factory=set)
    posted: set = field(default_factory=set)
    #: Forms a post of which was accepted (answered with a redirect) at least once.
    accepted: set = field(default_factory=set)
    #: The messages a form's last refused post showed (the error summary), by form.
    refusals: dict = field(default_factory=dict)
    by_status: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"{self.pages} pages, {self.forms} forms ({len(self.seen_forms)} distinct), "
            f"{self.fields} fields, {self.posts} posts; statuses {dict(self.by_status)}"
        )


def _local(url: str, base: str) -> str | None:
    target = urljoin(base, url)
    parts = urlsplit(target)
    if parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def request(client: Client, walk: Walk, who: str, method: str, url: str, data=None):
    """One request; an exception in the view, or a 500, is a defect (returned as None)."""
    try:
        response = client.post(url, data) if method == "POST" else client.get(url)
    except Exception as error:  # noqa: BLE001 - every failure is reported, the walk goes on
        walk.defects.append(f"{who} {method} {url}: {type(error).__name__}: {error}"[:500])
        return None
    walk.by_status[response.status_code] += 1
    if response.status_code >= 500:
        walk.defects.append(f"{who} {method} {url}: {response.status_code}")
        return None
    return response


def check_page(client: Client, walk: Walk, who: str, url: str, after: str = "") -> None:
    response = request(client, walk, who, "GET", url)
    if response is not None and unescaped(response):
        walk.defects.append(f"{who} GET {url}{after}: the script is shown unescaped")


def post_forms(client: Client, walk: Walk, who: str, url: str, fillers=HOSTILE, login=None):
    """GET ``url``, and post each of its forms once per filler; see the module docstring."""
    if login:
        login()
    page = request(client, walk, who, "GET", url)
    if page is None or page.status_code != 200 or not is_html(page):
        return
    walk.pages += 1
    forms = read_forms(page.content.decode("utf-8", "replace"))
    for form in forms:
        action = _local(form.action or url, url)
        if action is None:
            continue
        key = (urlsplit(action).path, tuple(form.names()))
        if (who, key) in walk.posted:  # the same form on another page (the layout's own)
            continue
        walk.posted.add((who, key))
        walk.forms += 1
        walk.fields += len(form.names())
        walk.seen_forms.add(key)
        for filler in fillers:
            if login:
                login()
            data = fill(form, filler)
            response = request(client, walk, who, "POST", action, data)
            walk.posts += 1
            if response is None:
                continue
            if unescaped(response):
                walk.defects.append(f"{who} POST {action} ({filler.label}): unescaped script")
            if response.status_code == 200 and is_html(response):
                found = ERRORS.search(response.content.decode("utf-8", "replace"))
                if found:
                    walk.refusals.setdefault(key, []).append(
                        f"{filler.label}: "
                        + " / ".join(
                            re.sub(r"<[^>]+>", "", item).strip()[:120]
                            for item in re.findall(r"<li>(.*?)</li>", found[1], re.S)
                        )
                    )
            if response.status_code in (301, 302, 303):
                walk.accepted.add(key)
                target = _local(response["Location"], action)
                if target:
                    check_page(client, walk, who, target, f" after POST {action}")
            check_page(client, walk, who, url, f" after POST {action} ({filler.label})")


def stored_defects() -> list[str]:
    """Text stored that PostgreSQL would have refused, with a 500: a NUL byte, or more
    characters than the column holds (SQLite, the tests' default, keeps both)."""
    found = set()
    for label, value, limit in _texts():
        if "\x00" in value:
            found.add(f"{label}: a value with a NUL byte is stored")
        if limit and len(value) > limit:
            found.add(f"{label}: a value of {len(value)} characters, over its {limit}, is stored")
    return sorted(found)


def long_text_in_database(length: int = len(BIG)) -> list[str]:
    """The fields that took the oversized text (no limit on them): reported, not refused."""
    return sorted({label for label, value, _ in _texts() if len(value) >= length})


def _texts():
    """(model.field, value, max_length) of every text stored."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.db_table not in tables:  # a model whose migration is not written yet
            continue
        text_fields = [
            f
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField)) and f.concrete
        ]
        if not text_fields:
            continue
        # Read in Python: SQLite's LIKE stops at a NUL byte, so a query cannot find them.
        names = [f.name for f in text_fields]
        for row in model._base_manager.values_list(*names):
            for f, value in zip(text_fields, row, strict=True):
                if isinstance(value, str):
                    limit = f.max_length if isinstance(f, models.CharField) else None
                    yield f"{model._meta.label}.{f.name}", value, limit


# --- The world for the staff walk ----------------------------------------------------------


@pytest.fixture
def stranger(service):
    """A child outside the IRO manager's scope (another IRO team), for break-glass."""
    team = Team.objects.create(name="IRO Service East", kind=Team.Kind.IRO_SERVICE)
    other_iro = make_user("evan.iro", Role.IRO, team)
    return make_child(iro=other_iro, last_name="Outofscope")


@pytest.fixture
def grant(service, stranger):
    return breakglass.open_grant(
        service.iro_manager, stranger, "An urgent call from the police about this child."
    )


def staff_url(route, pattern, service, in_scope_child, objects, stranger, grant) -> str:  # noqa: F811
    if route == "breakglass:open":
        return reverse(route, kwargs={"pk": stranger.pk})
    if route == "breakglass:review":
        return reverse(route, kwargs={"grant_id": grant.pk})
    return reverse(route, kwargs=_kwargs(route, pattern, in_scope_child, service, objects))


def report(walk: Walk, label: str, capsys) -> None:
    with capsys.disabled():
        print(f"\n{label}: {walk.summary()}; {len(walk.defects)} defect(s)")
        for path, names in sorted(walk.seen_forms):
            print(f"  {path} {', '.join(n for n in names if n != 'csrfmiddlewaretoken')}")
        print(f"  stored 100,000 characters: {', '.join(long_text_in_database()) or 'nowhere'}")


@pytest.mark.django_db
def test_hostile_input_in_every_staff_form(
    service,
    in_scope_child,  # noqa: F811
    objects,  # noqa: F811
    stranger,
    grant,
    capsys,
):
    started = time.monotonic()
    client = Client(raise_request_exception=True)
    walk = Walk()
    routes = all_routes()
    urls = {
        route: staff_url(route, pattern, service, in_scope_child, objects, stranger, grant)
        for route, pattern in routes.items()
        if not route.startswith("portal:")
    }
    # Anonymous: the public forms (sign-in, the second step).
    urls["portal:accept"] = reverse("portal:accept", kwargs={"token": objects.portal.token})
    for route, url in urls.items():
        if ROUTES[route] == PUBLIC:
            client.logout()
            post_forms(client, walk, "anonymous", url)
    del urls["portal:accept"]
    for role, user in service.by_role().items():
        for route, url in urls.items():
            if ROUTES[route] == PUBLIC or not allows(user, route):
                continue
            post_forms(client, walk, role, url, login=lambda u=user: client.force_login(u))
    # Afterwards: every page as every role shows what was stored escaped.
    for role, user in service.by_role().items():
        client.force_login(user)
        for route, url in urls.items():
            if allows(user, route) and ROUTES[route] != PUBLIC and route != "sign-out":
                check_page(client, walk, role, url, " (final sweep)")
    walk.defects += stored_defects()
    report(walk, f"staff forms ({time.monotonic() - started:.0f} s)", capsys)
    assert walk.forms >= 40, walk.summary()
    assert walk.defects == [], "\n".join(walk.defects)


@pytest.mark.django_db
def test_hostile_input_in_every_portal_form(world, capsys):  # noqa: F811
    started = time.monotonic()
    client = Client(raise_request_exception=True)
    walk = Walk()
    routes = portal_routes()
    for route in routes:
        if ROUTES[route] == PUBLIC and route != "portal:accept":
            client.logout()
            post_forms(client, walk, "anonymous", reverse(route))
    for name in ("child", "mother", "father", "carer"):
        user = world.users[name]
        for route, pattern in routes.items():
            if ROUTES[route] == PUBLIC or route == "portal:sign-out":
                continue
            url = reverse(route, kwargs=kwargs_for(world, name, route, pattern))
            post_forms(client, walk, name, url, login=lambda u=user: client.force_login(u))
    for name in ("child", "mother", "father", "carer"):
        client.force_login(world.users[name])
        for route, pattern in routes.items():
            if ROUTES[route] == PUBLIC or route == "portal:sign-out":
                continue
            url = reverse(route, kwargs=kwargs_for(world, name, route, pattern))
            check_page(client, walk, name, url, " (final sweep)")
    walk.defects += stored_defects()
    report(walk, f"portal forms ({time.monotonic() - started:.0f} s)", capsys)
    assert walk.forms >= 8, walk.summary()
    assert walk.defects == [], "\n".join(walk.defects)


def test_the_form_reader_reads_fields_of_every_kind():
    html = """
    <form method="get"><input name="q"></form>
    <form method="post" action="/x/">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="a" value="1"><input type="date" name="d"><input type="number" name="n">
      <input class="govuk-input govuk-date-input__input" name="on_day" inputmode="numeric">
      <input class="govuk-input govuk-date-input__input" name="on_month" inputmode="numeric">
      <input class="govuk-input govuk-date-input__input" name="on_year" inputmode="numeric">
      <input type="radio" name="r" value="one"><input type="radio" name="r" value="two">
      <input type="checkbox" name="c" value="p"><input type="checkbox" name="c" value="q">
      <select name="s"><option value="">Choose</option><option value="v1">One</option></select>
      <textarea name="t">old</textarea>
      <button name="action" value="save">Save</button><button name="action" value="x">X</button>
    </form>
    <form method="post" action="/sign-out/"><button>Sign out</button></form>
    """
    (form,) = read_forms(html)
    assert form.action == "/x/"
    assert form.names() == [
        "a", "c", "csrfmiddlewaretoken", "d", "n", "on_day", "on_month", "on_year", "r", "s", "t"
    ]  # fmt: skip
    data = fill(form, HOSTILE[0])
    assert data["t"] == SCRIPT and data["d"] == _future_date() and data["n"] == "1"
    year, month, day = _future_date().split("-")
    assert (data["on_day"], data["on_month"], data["on_year"]) == (day, month, year)
    assert data["r"] == "one" and data["c"] == ["p", "q"] and data["s"] == "v1"
    assert data["action"] == "save" and data["csrfmiddlewaretoken"] == "t"
    wrong = fill(form, HOSTILE[1])
    assert wrong["on_day"] == wrong["on_month"] == wrong["on_year"] == SCRIPT
    assert wrong["r"] == SCRIPT and wrong["s"] == SCRIPT and wrong["csrfmiddlewaretoken"] == SCRIPT


HOSTILE_NEXT = ["-1", "home", "portal:home", SCRIPT, NUL, "//evil.example/", "javascript:alert(1)",
                "/\r\nSet-Cookie: x=1", "http://testserver@evil.example/", BIG]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["sign-in", "portal:sign-in"])
def test_signing_in_with_a_hostile_next(service, page):
    """A right password with a tampered "next": sent somewhere on this site, never a 500."""
    from carereview.core.testing import PASSWORD
    from carereview.portal.testing import make_portal_user

    if page == "sign-in":
        username = service.iro.username
    else:
        username = make_portal_user(make_child(iro=service.iro), by=service.iro)[1].username
    for next_url in HOSTILE_NEXT:
        client = Client(raise_request_exception=True)
        response = client.post(
            reverse(page), {"username": username, "password": PASSWORD, "next": next_url}
        )
        assert response.status_code in (200, 302), (next_url, response.status_code)
        if response.status_code == 302:
            location = response["Location"]
            assert url_has_allowed_host_and_scheme(location, {"testserver"}), location
            assert SCRIPT not in location

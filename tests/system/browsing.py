"""Helpers for the browser tests: visit a page, run axe on it, sign in and out as a person would.

Every page a browser test loads must be checked with axe-core. `visit` does it for pages reached by
address; after a click or a key press that loads a page, call `check_axe(page)`. The `page` fixture
(conftest.py) records every page load and fails the test at teardown if one was never checked, so a
page cannot slip through unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from carereview.core.testing import PASSWORD

_AXE = Axe()
# Every axe-core rule (WCAG 2.x A and AA, and best practice), nothing switched off.
_AXE_OPTIONS = {"resultTypes": ["violations"]}


@dataclass
class _Load:
    url: str
    checked: bool = False


@dataclass
class AxeLedger:
    """The pages one browser page has loaded, and whether axe has checked each."""

    loads: list[_Load] = field(default_factory=list)

    def loaded(self, url: str) -> None:
        self.loads.append(_Load(url))

    def checked(self, url: str) -> None:
        for load in self.loads:
            if load.url == url:
                load.checked = True

    def unchecked(self) -> list[str]:
        return [load.url for load in self.loads if not load.checked]


_LEDGERS: dict[int, AxeLedger] = {}


def watch(page: Page) -> AxeLedger:
    """Start recording `page`'s loads; the page fixture calls this."""
    ledger = AxeLedger()
    _LEDGERS[id(page)] = ledger
    page.on("load", lambda p: ledger.loaded(p.url))
    return ledger


def forget(page: Page) -> AxeLedger | None:
    return _LEDGERS.pop(id(page), None)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'no impact given'}): {v['help']}")
        lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    target: {target}")
            lines.append(f"      html: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      why:  {summary[:300]}")
    return "\n".join(lines)


def check_axe(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing each violation's rule, impact, target."""
    page.wait_for_load_state("load")
    results = _AXE.run(page, options=_AXE_OPTIONS)
    violations = results.response["violations"]
    ledger = _LEDGERS.get(id(page))
    if ledger is not None:
        ledger.checked(page.url)
    if violations:
        pytest.fail(format_violations(page.url, violations), pytrace=False)


def fill_date(scope, legend: str, day: date) -> None:
    """Type `day` in the GOV.UK date input whose legend is `legend` (in `scope`: the page, or a
    part of it), as a person would: day, month and year, no leading zeros."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def expect_date(scope, legend: str, day: date) -> None:
    """The GOV.UK date input whose legend is `legend` shows `day`."""
    group = scope.get_by_role("group", name=legend)
    expect(group.get_by_label("Day")).to_have_value(str(day.day))
    expect(group.get_by_label("Month")).to_have_value(str(day.month))
    expect(group.get_by_label("Year")).to_have_value(str(day.year))


def visit(page: Page, url: str) -> None:
    """Go to `url` (relative to the live server), expect a page that is not an error, run axe."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.ok, f"{url} answered {response.status}"
    check_axe(page)


def focused(page: Page) -> dict:
    """What has keyboard focus: tag, id, name, type, value, text and href."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {
                tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'),
                type: e.getAttribute('type'), value: e.value === undefined ? null : e.value,
                text: (e.innerText || '').trim(), href: e.getAttribute('href'),
                checked: !!e.checked,
            };
        }"""
    )


def tab_until(page: Page, matches, *, limit: int = 60, key: str = "Tab") -> dict:
    """Press Tab (or `key`) until the focused element satisfies `matches`; fail after `limit`."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if matches(now):
            return now
        seen.append(f"{now['tag']}#{now['id'] or ''} {now['text'][:30]!r}")
    pytest.fail(f"{key} never reached the element wanted; focus went: " + " | ".join(seen))


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form at /sign-in/; axe checks the sign-in and landing pages."""
    visit(page, "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Signed in as")).to_be_visible()
    check_axe(page)


def sign_out(page: Page) -> None:
    """Sign out with the header's button; expect the sign-in page, checked by axe."""
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    check_axe(page)


def iro_checks_what_parents_read(page: Page, review_url: str, *people: str) -> None:
    """rules.md §7 (ADR 0009): from the review page's to-do, the IRO (signed in on `page`) reads
    each parent's version, the address being confidential from them, and confirms it. Axe runs
    on every page on the way."""
    visit(page, review_url)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="check what they will read").click()
    check_axe(page)
    expect(page.get_by_role("heading", name="Check what the parents read")).to_be_visible()
    for person in people:
        name = re.compile(
            r"I have read this and it shows nothing that leads to the placement\s*: "
            f"this review, {re.escape(person)}"
        )
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name=name).click()
        check_axe(page)
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"Confirmed. {person} can now read this version."
        )

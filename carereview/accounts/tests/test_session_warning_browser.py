"""The warning before an idle session ends, in a real browser (issue 7), under the Content
Security Policy: it opens 2 minutes before, takes focus, is an alertdialog that works by keyboard,
"Stay signed in" keeps the session, and when time runs out the person lands on the sign-in page
with the reason. The browser's clock (Playwright) and the server's (time-machine) move together,
so the test takes seconds, not half an hour.

Uses the browser tests' fixtures (tests/system/conftest.py: the live server, axe on every page) with
its own Chromium, closed at the end of this module: two Playwright instances cannot run at once, and
tests/system starts its own after this (conftest.py here runs this test just before them).
"""

import os
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.system.browsing import check_axe, focused, sign_in
from tests.system.conftest import CHROMIUM, CHROMIUM_ARGS, bank_holidays, frontend, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    """tests/system's `browser`, but for this module only."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{CHROMIUM} is not installed; under CI this is a failure.")
        pytest.skip(f"{CHROMIUM} is not installed (Debian: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_the_session_warning(page, service):  # noqa: F811
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.clock.install()
    with time_machine.travel(timezone.now(), tick=True) as server:

        def later(**delta):
            server.shift(timedelta(**delta))
            page.clock.fast_forward(int(timedelta(**delta).total_seconds() * 1000))

        sign_in(page, "ian.iro")
        dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
        expect(dialog).to_be_hidden()

        later(minutes=27)
        expect(dialog).to_be_hidden()
        later(minutes=1, seconds=30)
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("you will be signed out in")
        expect(dialog).to_contain_text("Anything you have not saved will be lost.")
        assert focused(page)["id"] == "session-warning", "focus moves to the dialog"
        check_axe(page)

        # By keyboard: Tab to "Stay signed in", Enter. The session goes on.
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Stay signed in"
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        later(minutes=27)
        expect(dialog).to_be_hidden()

        # Escape is "Stay signed in" too: the person is there.
        later(minutes=1, seconds=30)
        expect(dialog).to_be_visible()
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()

        # Nobody answers: signed out, with the reason, and back to the page after signing in.
        later(minutes=28, seconds=30)
        expect(dialog).to_be_visible()
        later(minutes=2, seconds=5)
        page.wait_for_url(re.compile(r"/sign-in/\?next=/caseload/"))
        check_axe(page)
        expect(
            page.get_by_text("You were signed out after 30 minutes without activity")
        ).to_be_visible()

    csp = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert csp == [], csp
    # The only error the console may show: the 401 of asking after the session had ended.
    assert [p for p in problems if "401" not in p] == [], problems


def test_the_session_warning_in_the_portal(page, service):  # noqa: F811
    """A child in the portal gets the same warning, in the portal's words, kept alive by the
    portal's own route; when nobody answers they land on the portal's sign-in page."""
    from carereview.core.testing import PASSWORD, make_child
    from carereview.portal.testing import make_portal_user

    child = make_child(iro=service.iro, social_worker=service.social_worker)
    _access, user = make_portal_user(child, by=service.iro)
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.clock.install()
    with time_machine.travel(timezone.now(), tick=True) as server:

        def later(**delta):
            server.shift(timedelta(**delta))
            page.clock.fast_forward(int(timedelta(**delta).total_seconds() * 1000))

        page.goto("/portal/sign-in/")
        check_axe(page)
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/portal/"))
        check_axe(page)
        dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
        later(minutes=28, seconds=30)
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("To keep your information safe, you will be signed out in")
        expect(dialog).to_contain_text("Anything you have typed on this page and not saved")
        check_axe(page)
        dialog.get_by_role("button", name="Stay signed in").click()
        expect(dialog).to_be_hidden()
        later(minutes=27)
        expect(dialog).to_be_hidden()
        later(minutes=1, seconds=30)
        expect(dialog).to_be_visible()
        later(minutes=2, seconds=5)
        page.wait_for_url(re.compile(r"/portal/sign-in/"))
        check_axe(page)
        expect(
            page.get_by_text("You were signed out after 30 minutes without activity")
        ).to_be_visible()
    assert problems == [], problems

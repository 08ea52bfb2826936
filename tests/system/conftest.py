"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

* `browser` (session): one headless Chromium. The tests are skipped, with the reason, only where
  /usr/bin/chromium is not installed; under CI (CI=true) a missing Chromium is a failure instead,
  because .ci/run installs it.
* `page`: a fresh browser context on the live server; every page it loads must be checked by axe
  (see browsing.py), or the test fails at teardown naming the unchecked pages.
* The stylesheet is built once per session (`ensure_frontend`), so colour contrast is judged on the
  real CSS.
"""

import importlib
import os
from pathlib import Path

import pytest

from tests.system import browsing

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise refuse
# database access from the test thread (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last: the Playwright loop then never overlaps another test."""
    browser_items = [i for i in items if HERE in Path(str(i.path)).parents]
    if browser_items:
        others = [i for i in items if HERE not in Path(str(i.path)).parents]
        items[:] = others + browser_items


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.carereview_call_failed = report.failed
    return report


@pytest.fixture(autouse=True)
def bank_holidays(transactional_db):
    """The bank holidays the data migration seeds, present in every browser test.

    The live server needs transactional tests, and each one ends by emptying every table, which
    takes the migration's rows with it; seeding again (idempotent) keeps the working-day calendar
    the same as a real installation's. Browser tests run last, so nothing else sees the flush.
    """
    from django.apps import apps

    from carereview.core.calendar import forget_bank_holidays

    importlib.import_module("carereview.core.migrations.0002_seed_bank_holidays").seed(apps, None)
    forget_bank_holidays()


@pytest.fixture(scope="session")
def frontend():
    from carereview.core.frontend import ensure_frontend

    ensure_frontend(log=lambda message: None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is not installed (Debian: apt-get install -y chromium), so the browser "
            "tests cannot run"
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason + "; .ci/run installs it, so under CI this is a failure.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, frontend, live_server, request):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    ledger = browsing.watch(page)
    try:
        yield page
    finally:
        browsing.forget(page)
        context.close()
    unchecked = ledger.unchecked()
    if unchecked and not getattr(request.node, "carereview_call_failed", False):
        pytest.fail(
            "These pages were loaded but never checked with axe (call check_axe after the step "
            "that loads them): " + ", ".join(unchecked),
            pytrace=False,
        )

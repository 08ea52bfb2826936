"""A database that is down gets the 503 page, never a traceback (core/unavailable.py).

"Down" is made with `connection.execute_wrapper`: every query (or those matching) raises
Django's OperationalError, as psycopg's does while PostgreSQL restarts. Savepoint statements pass,
so the test's own transaction survives and the service's `atomic` really rolls back.
"""

import logging
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse

from carereview.config.urls import urlpatterns as project_urls
from carereview.core import unavailable
from carereview.core.authority import Authority
from carereview.core.calendar import today
from carereview.core.testing import make_child
from carereview.reviews.models import Meeting, Review

HEADING = "Sorry, the service is unavailable"
# Something personal in the driver's message: it must reach neither the page nor the log.
SECRET = "Ada Lovelace, 10 Downing Street"


def _view_raising(exc):
    def view(request):
        raise exc

    return view


def _view_touching_the_session(request):
    request.session["seen"] = True
    return HttpResponse("ok")


def _view_failing_after_a_database_error(request):
    try:
        raise OperationalError(f"consuming input failed: {SECRET}")
    except OperationalError:
        raise RuntimeError("could not carry on") from None


# Test routes, all named like a public page so that PolicyMiddleware lets them through, before
# the project's own (which middlewares reverse).
urlpatterns = [
    path(
        "down/",
        _view_raising(OperationalError(f"terminating connection: {SECRET}")),
        name="accessibility",
    ),  # noqa: E501
    path(
        "closed/", _view_raising(InterfaceError("connection already closed")), name="accessibility"
    ),  # noqa: E501
    path("bug/", _view_raising(ValueError("a bug")), name="accessibility"),
    path("session/", _view_touching_the_session, name="accessibility"),
    path("chained/", _view_failing_after_a_database_error, name="accessibility"),
    *project_urls,
]
HERE = "carereview.core.tests.test_unavailable"

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


@contextmanager
def database_down(only: str = ""):
    """Every query (or only those mentioning `only`) fails as if the server had gone."""

    def refuse(execute, sql, params, many, context):
        text = sql.lstrip().upper()
        if text.startswith(TRANSACTION_CONTROL) or (only and only.upper() not in text):
            return execute(sql, params, many, context)
        raise OperationalError(f"server closed the connection unexpectedly: {SECRET}")

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def browser():
    """A client that shows what a browser would get, rather than re-raising the exception."""
    return Client(raise_request_exception=False)


def assert_unavailable_page(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert HEADING in body
    assert "Traceback" not in body
    assert SECRET not in body
    assert response["Retry-After"] == str(Authority().unavailable_retry_after_seconds)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_the_middleware_sits_inside_security_and_outside_everything_that_reads_the_database():
    order = settings.MIDDLEWARE
    here = order.index("carereview.core.unavailable.DatabaseUnavailableMiddleware")
    assert here > order.index("django.middleware.security.SecurityMiddleware")
    # Everything that may read or write the database is inside it.
    assert order.index("django.contrib.sessions.middleware.SessionMiddleware") > here


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=HERE)
@pytest.mark.parametrize("url", ["/down/", "/closed/", "/chained/"])
def test_a_database_error_in_a_view_gets_the_503_page(browser, url):
    assert_unavailable_page(browser.get(url))


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=HERE, DEBUG=True)
def test_no_traceback_even_with_debug_on(browser):
    assert_unavailable_page(browser.get("/down/"))


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=HERE)
def test_any_other_error_is_still_a_500(browser):
    response = browser.get("/bug/")
    assert response.status_code == 500
    assert HEADING not in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_page_with_the_database_down_gets_the_503_page(browser, service):
    """The first query is the session's, read by PolicyMiddleware before any view runs."""
    make_child(iro=service.iro, social_worker=service.social_worker)
    browser.force_login(service.iro)
    with database_down():
        response = browser.get(reverse("caseload:mine"))
    assert_unavailable_page(response)
    # The same page works again once the database is back.
    assert browser.get(reverse("caseload:mine")).status_code == 200


@pytest.mark.django_db
def test_the_sign_in_page_with_the_database_down(browser):
    with database_down():
        get = browser.get(reverse("sign-in"))
        post = browser.post(reverse("sign-in"), {"username": "iro1", "password": "not-known"})
    # The page itself needs no database; signing in does.
    assert get.status_code == 200
    assert_unavailable_page(post)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=HERE)
def test_a_session_that_cannot_be_saved_gets_the_503_page(browser):
    """SessionMiddleware writes the session after the view, in process_response."""
    error = OperationalError("could not write")
    with mock.patch.object(SessionStore, "save", side_effect=error):
        response = browser.get("/session/")
    assert_unavailable_page(response)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=HERE)
def test_a_session_update_stopped_by_the_database_is_not_a_400(browser, service):
    """Django's session store turns the failed UPDATE into UpdateError, and SessionMiddleware
    that into SessionInterrupted (400, "the session was deleted"): still the 503 page."""
    browser.force_login(service.iro)
    with database_down(only='UPDATE "django_session"'):  # the read works; the write fails
        response = browser.get("/session/")
    assert_unavailable_page(response)


@pytest.mark.django_db
def test_a_booking_stopped_by_the_database_leaves_nothing_half_written(browser, service):
    """book_meeting makes a Review, then a Meeting, in one transaction: the Meeting's insert
    fails, so the Review goes too, and the person gets the 503 page."""
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    browser.force_login(service.iro)
    reviews = Review.objects.filter(child=child).count()
    on = today() + timedelta(days=7)
    form = {"on": on.isoformat(), "at": "10:00", "venue": "The library", "confirm": "on"}
    form["warned_for"] = on.isoformat()
    with database_down(only="reviews_meeting"):
        response = browser.post(reverse("reviews:book", kwargs={"pk": child.pk}), form)
    assert_unavailable_page(response)
    assert Review.objects.filter(child=child).count() == reviews
    assert not Meeting.objects.filter(review__child=child).exists()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=HERE)
def test_the_log_says_what_happened_without_personal_data(browser, caplog):
    with caplog.at_level(logging.INFO):
        browser.get("/down/")
        browser.get("/session/")  # a plain request, for contrast: nothing logged for it
    text = "\n".join(
        r.getMessage() + (str(r.exc_info[1]) if r.exc_info else "") for r in caplog.records
    )
    warnings = [r for r in caplog.records if r.name == "carereview.unavailable"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "OperationalError" in warnings[0].getMessage()
    assert "accessibility" in warnings[0].getMessage()  # the route's name, not its path
    assert SECRET not in text
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.name == "django.request"]


@pytest.mark.django_db
def test_django_does_not_log_an_internal_server_error_for_a_503(browser, service, caplog):
    browser.force_login(service.iro)
    with caplog.at_level(logging.INFO), database_down():
        browser.get(reverse("caseload:mine"))
    assert [r.name for r in caplog.records if r.levelno >= logging.WARNING] == [
        "carereview.unavailable"
    ]
    # Named even when the failure comes before the URL is resolved in the handler.
    assert "caseload:mine" in caplog.text
    assert SECRET not in caplog.text


def test_the_page_is_standalone():
    """base.html's context processors need the database; the 503 page must not use them."""
    from django.template import loader
    from django.template.backends.django import Template as DjangoTemplate

    template = loader.get_template("503.html")
    assert isinstance(template, DjangoTemplate)  # the Django engine's template, with its source
    source = template.template.source
    assert "{% extends" not in source
    assert "<script>" not in source  # no inline script (Content Security Policy)


def test_a_page_that_cannot_be_rendered_falls_back_to_plain_text():
    with mock.patch.object(unavailable.loader, "get_template", side_effect=OSError("gone")):
        response = unavailable.unavailable_response()
    assert response.status_code == 503
    assert HEADING in response.content.decode()


def test_the_error_is_found_behind_another():
    try:
        try:
            raise OperationalError("down")
        except OperationalError as down:
            raise RuntimeError("later") from down
    except RuntimeError as later:
        assert isinstance(unavailable.database_error(later), OperationalError)
    assert unavailable.database_error(ValueError("no")) is None

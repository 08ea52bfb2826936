"""Security headers (issue 7): Django's Content Security Policy with no inline script or style,
the headers on every page, PDFs served so they are not cached or sniffed, Argon2 first, and no
template with inline script, event handlers or style attributes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.urls import reverse

from carereview.core.testing import make_child, make_review_objects

pytestmark = pytest.mark.django_db

PACKAGE = Path(settings.PACKAGE_DIR)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_has_the_content_security_policy(client, service):
    for response in (client.get("/sign-in/"), client.get("/portal/sign-in/")):
        csp = policy(response)
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["img-src"] == ["'self'", "data:"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["form-action"] == ["'self'"]
        assert csp["base-uri"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    client.force_login(service.iro)
    assert "Content-Security-Policy" in client.get("/caseload/")


def test_cookies_are_http_only_and_same_site(client, service):
    from carereview.core.testing import PASSWORD

    response = client.post("/sign-in/", {"username": service.iro.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser
    assert settings.CSRF_COOKIE_HTTPONLY and settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_production_settings_harden_cookies_and_transport(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "carereview.example.org")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.sqlite3")
    production = importlib.import_module("carereview.config.settings.production")
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_NAME.startswith("__Host-")
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_SSL_REDIRECT
    assert production.CAREREVIEW["STAFF_SECOND_FACTOR"] == "required"
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert production.AXES_FAILURE_LIMIT == 5


def test_argon2_comes_first_outside_the_tests():
    from carereview.config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()  # argon2-cffi is installed and works
    assert hasher.verify("a password", hasher.encode("a password", hasher.salt()))
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def _templates() -> list[Path]:
    return [p for p in PACKAGE.rglob("templates/**/*.html") if "documents" not in p.parts]


def test_no_template_has_inline_script_handlers_or_style():
    """The PDFs' own templates (documents/) are rendered by WeasyPrint, never served as pages,
    and keep their <style>."""
    problems = []
    for path in _templates():
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                problems.append(f"{path}: inline <script>")
        if re.search(r"<style\b", text):
            problems.append(f"{path}: <style> element")
        if re.search(r"\sstyle\s*=", text):
            problems.append(f"{path}: style= attribute")
        if re.search(r"<[^>]+\son[a-z]+\s*=", text):
            problems.append(f"{path}: on...= event handler")
        if "javascript:" in text:
            problems.append(f"{path}: javascript: URL")
    assert len(_templates()) > 50
    assert problems == []


def test_review_pdfs_are_not_cached_or_sniffed(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    objects = make_review_objects(child, service.iro)
    client.force_login(service.iro)
    url = reverse(
        "reviews:document",
        kwargs={
            "review_id": objects.review.pk,
            "kind": "invitation",
            "recipient": str(objects.invitation.pk),
        },
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(("inline;", "attachment;"))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_portal_record_pdfs_are_not_cached_or_sniffed(client, service):
    from datetime import date, timedelta

    from carereview.portal.testing import make_portal_user

    held = date.today() - timedelta(days=30)
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=date.today() - timedelta(days=200),
        reviews=[held],
    )
    _access, user = make_portal_user(child, by=service.iro)
    client.force_login(user)
    review = child.reviews.get(held_on=held)
    url = reverse("portal:record-pdf", kwargs={"child_id": child.pk, "review_id": review.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"  # from SecurityMiddleware

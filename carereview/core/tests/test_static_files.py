"""Static files as production serves them (issue 13, item 3): `collectstatic` with the manifest
storage (core/storage.py) into a folder of the test's own, then the stylesheet fetched through
WhiteNoise as a browser would, by the hashed name the page links to."""

import re
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from carereview.core.frontend import ensure_frontend

TEN_YEARS = "max-age=315360000, public, immutable"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    ensure_frontend(log=lambda message: None)  # the stylesheet `npm run build` makes
    root = tmp_path_factory.mktemp("static")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "carereview.core.storage.StaticStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def _stylesheet(client) -> str:
    page = client.get(reverse("accessibility")).content.decode()
    found = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
def test_the_page_links_the_hashed_stylesheet_and_whitenoise_serves_it_for_ten_years(
    collected, client
):
    href = _stylesheet(client)
    assert re.fullmatch(r"/static/build/app\.[0-9a-f]{12}\.css", href), href
    assert (collected / href.removeprefix("/static/")).exists()

    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Cache-Control"] == TEN_YEARS
    css = b"".join(response.streaming_content).decode()
    assert ".app-header__authority" in css


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_the_stylesheet_is_sent_compressed_to_a_browser_that_accepts_it(
    collected, client, encoding
):
    href = _stylesheet(client)
    response = client.get(href, headers={"accept-encoding": encoding})
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert response["Cache-Control"] == TEN_YEARS
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    assert (
        body
        == (
            collected / (href.removeprefix("/static/") + {"gzip": ".gz", "br": ".br"}[encoding])
        ).read_bytes()
    )


@pytest.mark.django_db
def test_every_url_in_the_stylesheet_names_a_collected_hashed_file(collected, client):
    """The fonts and images GOV.UK Frontend's styles reach: rewritten to their hashed names, and
    served (a reference to a missing file would have stopped collectstatic)."""
    href = _stylesheet(client)
    css = (collected / href.removeprefix("/static/")).read_text()
    urls = re.findall(r'url\("?([^")]+)"?\)', css)
    assert urls
    for url in urls:
        if url.startswith("data:"):
            continue
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        served = client.get(urljoin(href, url))
        assert served.status_code == 200, url


@pytest.mark.django_db
def test_scripts_import_govuk_frontend_by_its_hashed_name(collected, client):
    init = client.get(staticfiles_storage.url("js/init.js"))
    assert init["Cache-Control"] == TEN_YEARS
    source = b"".join(init.streaming_content).decode()
    found = re.search(r'from "([^"]+)"', source)
    assert found is not None
    imported = found.group(1)
    assert re.fullmatch(r"\.\./build/govuk-frontend\.min\.[0-9a-f]{12}\.js", imported)


@pytest.mark.django_db
def test_an_unhashed_name_is_served_but_not_cached_for_long(collected, client):
    response = client.get("/static/build/app.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]

"""An id or a number read from a query string or a form by hand is read the one way
(`core.forms.parse_id`), so hostile values are "not found" or ignored, never a 500 (issue 12,
item 6, for what URL converters do not cover).

`str.isdigit()` is true for "²" and "٣" (which `int()` refuses) and for 30-digit numbers (which
the database refuses, and a year lookup cannot build a date from): each gave a 500 on the page
that trusted it.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from carereview.core.tests.test_policy_routes import (  # noqa: F401 - fixtures
    in_scope_child,
    objects,
)

pytestmark = pytest.mark.django_db

HOSTILE = ["²", "٣", "1²", "99999999999999999999999999999", "99999", "0", "-1", "1e3", " 1", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_in_query_strings_and_forms_are_never_a_500(
    client,
    service,
    in_scope_child,  # noqa: F811
    objects,  # noqa: F811
    value,
):
    child, review = in_scope_child, objects.review
    pages = [
        (service.administrator, "get", reverse("core:bank-holidays"), {"year": value}),
        (
            service.social_worker,
            "get",
            reverse("allocation:looked-after-parent-remove", args=[child.pk]),
            {"parent": value},
        ),
        (
            service.social_worker,
            "post",
            reverse("allocation:looked-after-parent-remove", args=[child.pk]),
            {"parent": value},
        ),
        (service.iro, "get", reverse("disputes:raise", args=[child.pk]), {"decision": value}),
        (
            service.business_support,
            "post",
            reverse("reviews:letters-posted", args=[review.pk]),
            {"letters": [value, "1"]},
        ),
    ]
    for user, method, url, data in pages:
        client.force_login(user)
        response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302, 404), (url, value, response.status_code)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("0042", 42), (str(2**63 - 1), 2**63 - 1)]
    + [(v, None) for v in HOSTILE if v not in {"99999"}]
    + [(str(2**63), None), (None, None), (7, 7), (-7, None), (True, None)],
)
def test_parse_id(value, expected):
    from carereview.core.forms import parse_id

    assert parse_id(value) == expected


def test_is_number():
    from carereview.core.forms import is_number

    assert is_number("99999999999999999999999") and is_number("0")
    assert not any(is_number(v) for v in ("²", "٣", "1²", "-1", "1e3", " 1", "", None, 7))


def test_parse_id_with_a_range():
    from carereview.core.forms import parse_id

    assert parse_id("2027", lowest=1900, highest=9999) == 2027
    assert parse_id("99999", lowest=1900, highest=9999) is None
    assert parse_id("1066", lowest=1900, highest=9999) is None


def test_no_view_reads_a_number_by_hand():
    """Views read ids and numbers from requests through parse_id only."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in sorted(root.glob("*/views.py")) + sorted(root.glob("*/views/*.py")):
        text = path.read_text()
        for needle in (".isdigit()", ".isdecimal()", ".isnumeric()"):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []

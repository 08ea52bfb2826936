"""What a person sends through the portal is received once, however many presses arrive (issue 12,
item 2: "every send idempotent at the mechanism").

A parent presses "Send" on a complaint six times (a slow connection, an impatient finger, or six
requests at once). Before, each press made a representation, an acknowledgement email to them and
an email to the complaints team, and told the IRO six times; the same for a request for an
advocate (an email to the team each) and a request for a visit. Now the person's access is
locked while what they sent is looked for: the same words, sent the same day, are the same
representation (request), and each press after the first is shown the one already received.

The concurrent tests run on PostgreSQL (each thread its own connection), as the other sends'
tests do (reviews/tests/test_sends_once.py); the one-after-the-other tests run on both.
"""

import pytest
from django.test import Client
from django.urls import reverse

from carereview.notifications.models import Message
from carereview.portal.models import VisitRequest
from carereview.representations.models import AdvocacyRequest, Representation
from carereview.representations.tests.helpers import family
from carereview.reviews.tests.test_sends_once import PRESSES, _at_once, on_postgresql

COMPLAINT = {"kind": "complaint", "about": "Nobody told me the review moved", "put_right": ""}
ADVOCATE = {"about": "Help me say what I want", "how_to_contact": "Text my mobile"}
VISIT = {"why": "To talk about seeing my brother", "when_suits": "After school"}

# What is sent, what it makes, and the emails it makes (each once).
SENDS = [
    (
        "representation",
        COMPLAINT,
        Representation,
        ["representation-received:", "representation-team:"],
    ),
    ("advocate", ADVOCATE, AdvocacyRequest, ["advocacy-team:"]),
    ("visit", VISIT, VisitRequest, []),
]


def _url(route, child):
    return reverse(f"portal:{route}", kwargs={"child_id": child.pk})


def _assert_once(model, emails):
    [made] = model.objects.all()
    for prefix in emails:
        assert list(
            Message.objects.filter(key__startswith=prefix).values_list("key", flat=True)
        ) == [f"{prefix}{made.pk}"]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "data", "model", "emails"), SENDS)
def test_a_second_press_receives_nothing_more(client, service, route, data, model, emails):
    child, _, (_, mother_user) = family(service, mother_email="morgan@example.com")
    client.force_login(mother_user)
    first = client.post(_url(route, child), data)
    again = client.post(_url(route, child), data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]  # shown the one already received
    _assert_once(model, emails)
    # Different words are a different one.
    changed = dict(data)
    field = next(k for k in ("about", "why") if k in changed)
    changed[field] = changed[field] + " and another thing"
    assert client.post(_url(route, child), changed).status_code == 302
    assert model.objects.count() == 2
    for prefix in emails:
        assert Message.objects.filter(key__startswith=prefix).count() == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("route", "data", "model", "emails"), SENDS)
def test_six_presses_at_once_are_received_once(service, route, data, model, emails):
    child, _, (_, mother_user) = family(service, mother_email="morgan@example.com")
    statuses = []

    def press(i):
        client = Client()
        client.force_login(mother_user)
        statuses.append(client.post(_url(route, child), data).status_code)

    assert _at_once(PRESSES, press) == []
    assert statuses == [302] * PRESSES
    _assert_once(model, emails)

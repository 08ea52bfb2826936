"""The portal's Help (issue 5, item 6): rights in plain words, asking for an advocate, and
making a comment, compliment or complaint (rules.md §6)."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from carereview.core.models import AccessEvent
from carereview.core.testing import make_child
from carereview.notifications import outbox
from carereview.portal.testing import make_portal_user
from carereview.representations.models import AdvocacyRequest, Representation
from carereview.representations.tests.helpers import (
    DUE,
    HOSTILE_TEXT,
    RECEIVED,
    family,
    on_day,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(service):
    return family(service, mother_email="morgan@example.com")


def _url(route, child, **kwargs):
    return reverse(f"portal:{route}", kwargs={"child_id": child.pk} | kwargs)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the help page --------------------------------------------------------------------------


def test_the_help_page_speaks_to_a_child(client, service, people):
    child, (access, user), _ = people
    client.force_login(user)
    page = _text(client.get(_url("help", child)))
    assert "IRO means Independent Reviewing Officer" in page
    assert service.iro.get_full_name() in page
    assert "You can talk to your IRO at any time" in page
    assert "helps you say what you want" in page
    assert "They do not work for your social workers" in page
    assert "You will not get into trouble for complaining" in page
    assert "within 10 working days" in page
    assert "ask us to look again" in page and "Ombudsman" in page
    for number in ("01632 960000", "01632 960111", "01632 960222"):
        assert number in page
    assert "Northmoor Advocacy for Children" in page
    assert AccessEvent.objects.filter(child=child, action="portal.help").exists()


def test_the_help_page_speaks_to_a_parent_about_the_child(client, service, people):
    child, _, (access, user) = people
    client.force_login(user)
    page = _text(client.get(_url("help", child)))
    assert f"{child.first_name}'s care plan" in page
    assert "does not work for the social workers" in page
    assert "We reply within 10 working days" in page
    assert "an investigation, with an independent person" in page
    assert "review panel of three independent people" in page
    assert "Local Government and Social Care Ombudsman" in page
    assert "IRO means" not in page  # the child's wording is for the child


def test_someone_without_access_to_the_child_gets_404(client, service, people):
    child, (_, user), _ = people
    other = make_child(iro=service.iro)
    client.force_login(user)
    for route in ("help", "advocate", "representation"):
        assert client.get(_url(route, other)).status_code == 404
    assert client.post(_url("representation", other), {"kind": "comment"}).status_code == 404
    assert not Representation.objects.exists()


def test_staff_cannot_use_the_portal_pages(client, service, people):
    child, _, _ = people
    client.force_login(service.iro)
    assert client.get(_url("help", child)).status_code == 403


# --- comment, compliment or complaint -------------------------------------------------------


def test_a_child_complains_and_is_told_the_reference_and_reply_date(client, monkeypatch, people):
    child, (access, user), _ = people
    on_day(monkeypatch, RECEIVED)
    client.force_login(user)
    form = _text(client.get(_url("representation", child) + "?kind=complaint"))
    assert "Something is wrong or unfair (a complaint)" in form
    assert 'value="complaint" checked' in form
    response = client.post(
        _url("representation", child),
        {"kind": "complaint", "about": "They took my phone", "put_right": "Give it back"},
    )
    made = Representation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("representation-done", child, representation_id=made.pk)
    assert (made.access, made.made_by, made.stage, made.response_due_on) == (
        access,
        "child",
        1,
        DUE,
    )
    page = _text(client.get(response["Location"]))
    assert made.reference in page
    assert "We will reply by Monday 4 January 2027" in page
    assert "They took my phone" in page
    assert "more than a year" not in page


def test_a_parent_sends_a_compliment_and_it_is_acknowledged_by_email(client, monkeypatch, people):
    child, _, (access, user) = people
    on_day(monkeypatch, RECEIVED)
    client.force_login(user)
    form = _text(client.get(_url("representation", child)))
    assert "What would you like to make?" in form
    response = client.post(
        _url("representation", child),
        {"kind": "compliment", "about": "The carers are kind", "happened_on": "2026-12-01"},
        follow=True,
    )
    page = _text(response)
    made = Representation.objects.get()
    assert (made.made_by, made.kind, made.happened_on) == (
        "parent",
        "compliment",
        date(2026, 12, 1),
    )
    assert "Thank you for your compliment" in page and "4 January 2027" in page
    outbox.deliver_due()  # the worker
    assert mail.outbox[0].to == ["morgan@example.com"]
    assert made.reference in mail.outbox[0].body
    # The form page lists what they sent before.
    assert made.reference in _text(client.get(_url("representation", child)))


def test_a_complaint_about_something_over_a_year_ago_is_accepted_but_flagged(
    client, monkeypatch, service, people
):
    child, _, (access, user) = people
    on_day(monkeypatch, date(2026, 11, 23))
    client.force_login(user)
    response = client.post(
        _url("representation", child),
        {"kind": "complaint", "about": "The move in 2024", "happened_on": "2024-06-01"},
        follow=True,
    )
    page = _text(response)
    made = Representation.objects.get()
    assert made.stage == 1 and made.response_due_on == date(2026, 12, 7)
    assert "more than a year ago" in page and "we can still consider it" in page
    client.force_login(service.complaints_manager)
    staff = _text(client.get(reverse("representations:list")))
    assert "Over a year after the matter" in staff


def test_another_persons_representation_is_404(client, monkeypatch, people):
    child, (own, child_user), (parent, parent_user) = people
    client.force_login(parent_user)
    client.post(_url("representation", child), {"kind": "complaint", "about": "Mine"})
    theirs = Representation.objects.get()
    # The same child's portal, but the mother's representation: the child cannot open it.
    client.force_login(child_user)
    done = _url("representation-done", child, representation_id=theirs.pk)
    assert client.get(done).status_code == 404
    assert "Mine" not in _text(client.get(_url("representation", child)))
    # Nor through another child's portal, nor an id that is not there.
    other = make_child()
    other_user = make_portal_user(other, by=own.granted_by)[1]
    client.force_login(other_user)
    assert client.get(done).status_code == 404
    assert (
        client.get(_url("representation-done", other, representation_id=theirs.pk)).status_code
        == 404
    )
    client.force_login(parent_user)
    assert client.get(done).status_code == 200
    for missing in (theirs.pk + 1, 10**30):
        url = _url("representation-done", child, representation_id=missing)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"about": "x"}, "Choose comment, compliment or complaint"),
        ({"kind": "<script>", "about": "x"}, "Choose comment, compliment or complaint"),
        ({"kind": "complaint"}, "Enter what happened"),
        ({"kind": "complaint", "about": "   "}, "Enter what happened"),
        ({"kind": "complaint", "about": "x" * 100_000}, "you wrote 100000"),
        ({"kind": "complaint", "about": "x", "put_right": "y" * 5001}, "5000 characters or fewer"),
        ({"kind": "complaint", "about": "x", "happened_on": "2026-02-30"}, "real date"),
        ({"kind": "complaint", "about": "x", "happened_on": "banana"}, "real date"),
        ({"kind": "complaint", "about": "x", "happened_on": "99999-99-99"}, "real date"),
        ({"kind": "complaint", "about": "x", "happened_on": "x" * 100_000}, "real date"),
        ({"kind": "complaint", "about": "x", "happened_on": "2027-01-01"}, "today or in the past"),
        ({"kind": "complaint", "about": "x", "happened_on": "1066-10-14"}, "after 1900"),
        ({"kind": "complaint", "about": "a\x00b"}, "unusual characters"),
    ],
)
def test_hostile_input_gets_a_clear_message_not_a_500(client, monkeypatch, people, data, message):
    child, (_, user), _ = people
    on_day(monkeypatch, date(2026, 11, 23))
    client.force_login(user)
    page = _text(client.post(_url("representation", child), data))
    assert "There is a problem" in page and message in page
    assert "<script>" not in page
    assert not Representation.objects.exists()


def test_script_in_what_they_wrote_is_kept_as_written_and_shown_escaped(client, people):
    child, (_, user), _ = people
    client.force_login(user)
    response = client.post(
        _url("representation", child),
        {"kind": "comment", "about": HOSTILE_TEXT, "put_right": HOSTILE_TEXT},
        follow=True,
    )
    page = _text(response)
    assert Representation.objects.get().about == HOSTILE_TEXT
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


# --- an advocate --------------------------------------------------------------------------------


def test_a_child_asks_for_an_advocate_and_is_told_who_will_get_in_touch_and_when(
    client, monkeypatch, people
):
    child, (access, user), _ = people
    on_day(monkeypatch, date(2026, 4, 2))  # Maundy Thursday
    client.force_login(user)
    form = _text(client.get(_url("advocate", child)))
    assert "You have not asked for an advocate here yet" in form
    response = client.post(
        _url("advocate", child),
        {"about": "Help me at my review", "how_to_contact": "Ring my carer " + HOSTILE_TEXT},
    )
    made = AdvocacyRequest.objects.get()
    assert (made.access, made.requested_on) == (access, date(2026, 4, 2))
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "Your request has been sent" in page
    # Passed on within 2 working days: over Good Friday and Easter Monday.
    assert "pass your request to Northmoor Advocacy for Children by Wednesday 8 April 2026" in page
    assert "Someone from Northmoor Advocacy for Children will then get in touch" in page
    assert "Ring my carer &lt;script&gt;" in page and "<script>alert" not in page
    # The team is told.
    outbox.deliver_due()  # the worker
    assert mail.outbox[-1].to == ["complaints@northmoor.example.org"]
    # Listed with its date and where it stands.
    listing = _text(client.get(_url("advocate", child)))
    assert "2 April 2026" in listing and "Waiting to be passed on" in listing


def test_a_parent_sees_only_their_own_requests_with_their_status(
    client, monkeypatch, service, people
):
    from carereview.representations import services

    child, (own, child_user), (parent, parent_user) = people
    on_day(monkeypatch, date(2026, 11, 2))
    mine = services.request_advocate(parent, "", "Call me first")
    services.request_advocate(own, "Secret child words", "Text me")
    on_day(monkeypatch, date(2026, 11, 6))
    services.record_referral(
        mine, by=service.complaints_manager, referred_on=date(2026, 11, 3), referred_to="NAC"
    )
    client.force_login(parent_user)
    page = _text(client.get(_url("advocate", child)))
    assert "Passed to NAC on 3 November 2026" in page
    assert "Waiting to be passed on" not in page  # the child's own request is not shown
    # Another's confirmation page cannot be reached by its id; junk ids are ignored.
    theirs = AdvocacyRequest.objects.exclude(pk=mine.pk).get()
    assert client.get(_url("advocate", child) + f"?sent={theirs.pk}").status_code == 404
    for junk in ("abc", "1e9", "9" * 40, "-1", "<script>"):
        assert client.get(_url("advocate", child) + f"?sent={junk}").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"about": "x"}, "Enter how the advocate can get in touch"),
        ({"how_to_contact": "x" * 301}, "300 characters or fewer"),
        ({"how_to_contact": "ok", "about": "x" * 100_000}, "you wrote 100000"),
        ({"how_to_contact": "a\x00b"}, "unusual characters"),
    ],
)
def test_a_request_for_an_advocate_needs_a_way_to_get_in_touch(client, people, data, message):
    child, (_, user), _ = people
    client.force_login(user)
    page = _text(client.post(_url("advocate", child), data))
    assert "There is a problem" in page and message in page
    assert not AdvocacyRequest.objects.exists()

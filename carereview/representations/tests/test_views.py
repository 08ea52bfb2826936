"""The complaints manager's pages for representations and requests for an advocate."""

from datetime import date

import pytest
from django.urls import reverse

from carereview.core.models import AccessEvent
from carereview.core.testing import make_child
from carereview.representations import services

from .helpers import HOSTILE_TEXT, RECEIVED, family, on_day

pytestmark = pytest.mark.django_db

ROUTES = ["representations:list", "representations:advocacy-list"]


@pytest.fixture
def people(service):
    return family(service)


@pytest.fixture
def made(monkeypatch, people):
    """A complaint from the child and a compliment from the mother on 16 Dec 2026, and a request
    for an advocate; the pages are then read on 31 Dec 2026."""
    child, (own, _), (parent, _) = people
    on_day(monkeypatch, RECEIVED)
    complaint = services.make_representation(own, "complaint", "My phone " + HOSTILE_TEXT, "", None)
    compliment = services.make_representation(parent, "compliment", "Kind carers", "", None)
    advocacy = services.request_advocate(own, "Help at my review", "Ring my carer")
    on_day(monkeypatch, date(2026, 12, 31))
    return complaint, compliment, advocacy


def _routes(made):
    complaint, _, advocacy = made
    return [
        reverse("representations:list"),
        reverse("representations:detail", args=[complaint.pk]),
        reverse("representations:advocacy-list"),
        reverse("representations:advocacy-detail", args=[advocacy.pk]),
    ]


def test_the_complaints_manager_sees_what_is_waiting_with_due_dates(client, service, made):
    complaint, compliment, _ = made
    client.force_login(service.complaints_manager)
    page = client.get(reverse("representations:list")).content.decode()
    assert complaint.reference in page and compliment.reference in page
    assert complaint.child.full_name in page and compliment.made_by_name in page
    assert "4 Jan 2027" in page
    # On 31 December: 1 January is a bank holiday, so one working day is left.
    assert "1 working day left" in page
    # Escaped wherever shown, and the list does not show what was written at all.
    assert "<script>" not in page


def test_open_hides_responded_ones_and_all_shows_them(client, service, made, monkeypatch):
    complaint, compliment, _ = made
    services.record_response(
        compliment, by=service.complaints_manager, responded_on=date(2026, 12, 18), summary="Ta"
    )
    client.force_login(service.complaints_manager)
    open_page = client.get(reverse("representations:list")).content.decode()
    assert complaint.reference in open_page and compliment.reference not in open_page
    every = client.get(reverse("representations:list") + "?show=all").content.decode()
    assert compliment.reference in every and "Responded" in every


def test_a_late_response_is_flagged_in_working_days(client, service, made, monkeypatch):
    complaint, _, _ = made
    on_day(monkeypatch, date(2027, 1, 6))
    client.force_login(service.complaints_manager)
    page = client.get(reverse("representations:list")).content.decode()
    assert "Late by 2 working days" in page


def test_reading_a_representation_is_logged_and_escaped(client, service, made):
    complaint, _, _ = made
    client.force_login(service.complaints_manager)
    url = reverse("representations:detail", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    event = AccessEvent.objects.get()
    assert (event.user, event.child, event.path) == (
        service.complaints_manager,
        complaint.child,
        url,
    )


def test_recording_the_response_through_the_page(client, service, made):
    complaint, _, _ = made
    client.force_login(service.complaints_manager)
    url = reverse("representations:detail", args=[complaint.pk])
    response = client.post(
        url,
        {"action": "respond", "respond-responded_on": "2026-12-30", "respond-summary": "Sorted"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.responded_on == date(2026, 12, 30)
    assert complaint.responded_by == service.complaints_manager
    page = client.get(url).content.decode()
    # Stage 2 may be asked for within 20 working days of the response.
    assert "Stage 2 may be asked for until" in page and "28 January 2027" in page


def test_extending_through_the_page_moves_the_date_and_tells_the_person(client, service, made):
    complaint, _, _ = made
    client.force_login(service.complaints_manager)
    url = reverse("representations:detail", args=[complaint.pk])
    assert "Extend to 20 working days" in client.get(url).content.decode()
    empty = client.post(url, {"action": "extend", "extend-reason": ""})
    assert empty.status_code == 200 and "Enter why more time is needed" in empty.content.decode()
    done = client.post(url, {"action": "extend", "extend-reason": "Complex"}, follow=True)
    assert "18 January 2027" in done.content.decode()
    complaint.refresh_from_db()
    assert complaint.extended_to == date(2027, 1, 18)
    assert "It cannot be extended again" in done.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"respond-responded_on": "2026-02-30", "respond-summary": "x"}, "real date"),
        ({"respond-responded_on": "banana", "respond-summary": "x"}, "real date"),
        ({"respond-responded_on": "99999-01-01", "respond-summary": "x"}, "real date"),
        ({"respond-responded_on": "2027-03-01", "respond-summary": "x"}, "today or in the past"),
        ({"respond-responded_on": "2026-12-01", "respond-summary": "x"}, "before the day"),
        ({"respond-responded_on": "2026-12-30", "respond-summary": "x" * 100_000}, "5000"),
        ({"respond-responded_on": "2026-12-30", "respond-summary": "a\x00b"}, "unusual"),
        ({"respond-responded_on": "", "respond-summary": ""}, "Enter the date of the response"),
    ],
)
def test_hostile_staff_input_gets_a_message_not_a_500(client, service, made, data, message):
    complaint, _, _ = made
    client.force_login(service.complaints_manager)
    url = reverse("representations:detail", args=[complaint.pk])
    response = client.post(url, {"action": "respond"} | data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    complaint.refresh_from_db()
    assert complaint.responded_on is None


def test_advocacy_requests_waiting_referred_and_closed(client, service, made, people):
    _, _, advocacy = made
    child, (own, _), _ = people
    client.force_login(service.complaints_manager)
    lst = reverse("representations:advocacy-list")
    page = client.get(lst).content.decode()
    assert "Waiting" in page and "16 Dec 2026" in page and child.full_name in page
    # Two working days from 16 December is 18 December: by 31 December it is late.
    assert "Late: was by 18 Dec 2026" in page
    url = reverse("representations:advocacy-detail", args=[advocacy.pk])
    detail = client.get(url).content.decode()
    assert "Northmoor Advocacy for Children" in detail  # the referral form's suggestion
    assert AccessEvent.objects.filter(child=child, path=url).exists()
    bad = client.post(url, {"action": "refer", "refer-referred_on": "31/31/2026"})
    assert bad.status_code == 200 and "real date" in bad.content.decode()
    client.post(
        url,
        {"action": "refer", "refer-referred_on": "2026-12-17", "refer-referred_to": "NAC"},
    )
    advocacy.refresh_from_db()
    assert advocacy.referred_on == date(2026, 12, 17) and advocacy.referred_by
    assert "Referred" in client.get(lst).content.decode()
    client.post(url, {"action": "close", "close-closed_on": "2026-12-30", "close-outcome": "Met"})
    advocacy.refresh_from_db()
    assert advocacy.closed_on == date(2026, 12, 30)
    assert "No request for an advocate is open" in client.get(lst).content.decode()
    assert "Closed" in client.get(lst + "?show=all").content.decode()


def test_empty_lists_say_what_to_do(client, service):
    client.force_login(service.complaints_manager)
    reps = client.get(reverse("representations:list")).content.decode()
    assert "Nothing is waiting for a response" in reps
    advocacy = client.get(reverse("representations:advocacy-list")).content.decode()
    assert "record the referral" in advocacy


@pytest.mark.parametrize("role", ["iro", "iro_manager", "social_worker", "team_manager"])
def test_other_staff_are_refused_by_the_policy(client, service, made, role):
    client.force_login(getattr(service, role))
    for url in _routes(made):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "respond"}).status_code == 403, url
    assert not AccessEvent.objects.exists()


def test_portal_users_are_refused_too(client, service, made, people):
    _, (_, child_user), _ = people
    client.force_login(child_user)
    for url in _routes(made):
        assert client.get(url).status_code == 403, url


def test_an_unknown_or_huge_id_is_404(client, service, made):
    client.force_login(service.complaints_manager)
    for route in ("representations:detail", "representations:advocacy-detail"):
        for pk in (999999, 10**30):
            assert client.get(reverse(route, args=[pk])).status_code == 404


def test_a_child_with_nothing_sent_is_not_in_scope(client, service, made):
    other = make_child(iro=service.iro2)
    client.force_login(service.complaints_manager)
    page = client.get(reverse("representations:list") + "?show=all").content.decode()
    assert other.full_name not in page

"""Representations and requests for an advocate, through the services (rules.md §6)."""

from datetime import date

import pytest
from django.core import mail

from carereview.core.models import AuditEvent
from carereview.notifications import outbox
from carereview.notifications.models import Message
from carereview.representations import services
from carereview.representations.models import Representation

from .helpers import DUE, EXTENDED, RECEIVED, family, on_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(service):
    return family(service, mother_email="morgan@example.com")


def test_a_childs_complaint_starts_stage1_received_and_acknowledged_today(monkeypatch, people):
    child, (access, user), _ = people
    on_day(monkeypatch, RECEIVED)
    r = services.make_representation(access, "complaint", "  My phone was taken  ", "", None)
    assert (r.child, r.access, r.kind, r.stage) == (child, access, "complaint", 1)
    assert (r.made_by, r.made_by_name) == ("child", child.full_name)
    assert r.about == "My phone was taken"
    assert r.received_on == RECEIVED and r.acknowledged_at is not None
    # rules.md §6: 10 working days, over Christmas and New Year.
    assert r.response_due_on == DUE
    assert r.reference == f"R{r.pk:06d}"
    assert services.due_on(r) == DUE and not services.out_of_time(r)


def test_the_acknowledgement_is_emailed_with_the_reference_and_reply_date(monkeypatch, people):
    child, _, (access, user) = people
    on_day(monkeypatch, RECEIVED)
    r = services.make_representation(
        access, "compliment", "The foster carers are kind", "", date(2026, 12, 1)
    )
    assert r.made_by == "parent" and r.made_by_name == str(access.person)
    assert mail.outbox == []  # queued in the outbox, sent by the worker
    outbox.deliver_due()
    to_person, to_team = mail.outbox
    assert to_person.to == ["morgan@example.com"]
    assert r.reference in to_person.subject and r.reference in to_person.body
    assert "We will reply by 4 January 2027" in to_person.body
    # The team hears that something arrived, but not who from nor what it says.
    assert to_team.to == ["complaints@northmoor.example.org"]
    assert r.reference in to_team.body and "4 January 2027" in to_team.body
    for text in (to_team.subject, to_team.body):
        assert "Morgan" not in text and child.last_name not in text and "carers" not in text


def test_no_email_address_no_email_to_the_person(monkeypatch, people):
    _, (access, _), _ = people
    assert access.child.email == "" and access.user.email == ""
    services.make_representation(access, "comment", "Hello", "", None)
    outbox.deliver_due()
    assert [m.to for m in mail.outbox] == [["complaints@northmoor.example.org"]]


def test_a_mail_server_that_fails_loses_nothing(monkeypatch, people, settings):
    """No mail server listening: the representation is kept, and so are the emails, in the
    outbox, tried again until the server takes them."""
    _, _, (access, _) = people
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "BACKEND": "smtp",
        "SMTP": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
    r = services.make_representation(access, "complaint", "x", "", None)
    assert outbox.deliver_due().failed == 2
    assert Representation.objects.get() == r
    event = AuditEvent.objects.get(operation="representation.make")
    assert event.snapshot["acknowledgement_emailed"] is True  # queued, and never dropped
    made = Message.objects.filter(key__endswith=f":{r.pk}", key__startswith="representation-")
    assert sorted(made.values_list("status", flat=True)) == ["retrying", "retrying"]


def test_a_complaint_over_a_year_after_the_matter_is_received_and_flagged(monkeypatch, people):
    _, (access, _), _ = people
    on_day(monkeypatch, date(2026, 11, 23))
    late = services.make_representation(access, "complaint", "Moved", "", date(2025, 11, 22))
    assert late.pk and late.response_due_on == date(2026, 12, 7)
    assert services.out_of_time(late)
    # A year to the day is still in time; a comment is never out of time.
    in_time = services.make_representation(access, "complaint", "Moved", "", date(2025, 11, 23))
    assert not services.out_of_time(in_time)
    comment = services.make_representation(access, "comment", "Moved", "", date(2020, 1, 1))
    assert not services.out_of_time(comment)
    snapshot = AuditEvent.objects.get(object_id=str(late.pk), operation="representation.make")
    assert snapshot.snapshot["out_of_time"] is True


@pytest.mark.parametrize(
    ("kind", "about", "put_right", "happened_on", "reason"),
    [
        ("grumble", "x", "", None, "Choose comment, compliment or complaint"),
        ("complaint", "   ", "", None, "Say what it is about"),
        ("complaint", "x" * 5001, "", None, "5000 characters or fewer"),
        ("complaint", "x", "y" * 5001, None, "5000 characters or fewer"),
        ("complaint", "x", "", date(2026, 11, 24), "today or in the past"),
        ("complaint", "a\x00b", "", None, "unusual characters"),
    ],
)
def test_make_representation_refuses_what_it_cannot_save(
    monkeypatch, people, kind, about, put_right, happened_on, reason
):
    _, (access, _), _ = people
    on_day(monkeypatch, date(2026, 11, 23))
    with pytest.raises(services.RepresentationRefused) as refused:
        services.make_representation(access, kind, about, put_right, happened_on)
    assert any(reason in r for r in refused.value.reasons)
    assert not Representation.objects.exists() and not mail.outbox


def test_a_request_for_an_advocate_is_dated_and_reaches_the_complaints_team(monkeypatch, people):
    child, (access, _), _ = people
    on_day(monkeypatch, date(2026, 4, 2))  # Maundy Thursday
    a = services.request_advocate(access, "Help at my review", "Ring my carer")
    assert (a.child, a.access, a.requested_on) == (child, access, date(2026, 4, 2))
    assert a.requested_by_name == child.full_name and a.how_to_contact == "Ring my carer"
    assert a.referred_on is None and a.closed_on is None
    outbox.deliver_due()
    [to_team] = mail.outbox
    # Passed on within 2 working days (ours): over Good Friday and Easter Monday.
    assert "8 April 2026" in to_team.body and child.first_name not in to_team.body
    with pytest.raises(services.RepresentationRefused, match="get in touch"):
        services.request_advocate(access, "", "   ")
    with pytest.raises(services.RepresentationRefused, match="300 characters"):
        services.request_advocate(access, "", "x" * 301)


def test_record_response_once_dated_between_receipt_and_today(monkeypatch, service, people):
    _, (access, _), _ = people
    on_day(monkeypatch, RECEIVED)
    r = services.make_representation(access, "complaint", "x", "", None)
    on_day(monkeypatch, date(2027, 1, 6))
    by = service.complaints_manager
    with pytest.raises(services.RepresentationRefused, match="before the day it was received"):
        services.record_response(r, by=by, responded_on=date(2026, 12, 15), summary="Sorry")
    with pytest.raises(services.RepresentationRefused, match="today or in the past"):
        services.record_response(r, by=by, responded_on=date(2027, 1, 7), summary="Sorry")
    with pytest.raises(services.RepresentationRefused, match="what the response said"):
        services.record_response(r, by=by, responded_on=date(2027, 1, 5), summary=" ")
    r = services.record_response(r, by=by, responded_on=date(2027, 1, 5), summary="Sorry")
    assert (r.responded_on, r.responded_by, r.response_summary) == (date(2027, 1, 5), by, "Sorry")
    event = AuditEvent.objects.get(operation="representation.respond")
    assert event.snapshot["on_time"] is False  # due 4 January
    with pytest.raises(services.RepresentationRefused, match="already recorded"):
        services.record_response(r, by=by, responded_on=date(2027, 1, 6), summary="Again")


def test_stage1_extends_once_to_20_working_days_with_a_reason(monkeypatch, service, people):
    _, _, (access, _) = people
    on_day(monkeypatch, RECEIVED)
    r = services.make_representation(access, "complaint", "x", "", None)
    outbox.deliver_due()
    mail.outbox.clear()
    by = service.complaints_manager
    on_day(monkeypatch, DUE)  # the last of the 10 working days
    with pytest.raises(services.RepresentationRefused, match="why more time"):
        services.extend_stage1(r, by=by, reason="")
    r = services.extend_stage1(r, by=by, reason="Complex: three placements involved")
    assert r.extended_to == EXTENDED and r.response_due_on == DUE
    assert services.due_on(r) == EXTENDED
    outbox.deliver_due()
    [told] = mail.outbox
    assert told.to == ["morgan@example.com"] and "18 January 2027" in told.body
    assert "placements" not in told.body  # the reason stays in the record
    with pytest.raises(services.RepresentationRefused, match="only once"):
        services.extend_stage1(r, by=by, reason="Again")
    # In time by the extended date.
    r = services.record_response(r, by=by, responded_on=DUE, summary="Done")
    assert AuditEvent.objects.get(operation="representation.respond").snapshot["on_time"]


def test_stage1_cannot_be_extended_once_the_10_working_days_have_ended(
    monkeypatch, service, people
):
    _, (access, _), _ = people
    on_day(monkeypatch, RECEIVED)
    r = services.make_representation(access, "complaint", "x", "", None)
    on_day(monkeypatch, date(2027, 1, 5))
    with pytest.raises(services.RepresentationRefused, match="can no longer be extended"):
        services.extend_stage1(r, by=service.complaints_manager, reason="Busy")
    r.refresh_from_db()
    assert r.extended_to is None


def test_an_advocacy_request_is_referred_then_closed_in_date_order(monkeypatch, service, people):
    _, (access, _), _ = people
    on_day(monkeypatch, date(2026, 11, 2))
    a = services.request_advocate(access, "", "Text me")
    by = service.complaints_manager
    on_day(monkeypatch, date(2026, 11, 10))
    with pytest.raises(services.RepresentationRefused, match="before the day it was asked for"):
        services.record_referral(a, by=by, referred_on=date(2026, 11, 1), referred_to="NAC")
    with pytest.raises(services.RepresentationRefused, match="who it was passed to"):
        services.record_referral(a, by=by, referred_on=date(2026, 11, 3), referred_to="")
    a = services.record_referral(a, by=by, referred_on=date(2026, 11, 3), referred_to="NAC")
    assert (a.referred_on, a.referred_to, a.referred_by) == (date(2026, 11, 3), "NAC", by)
    with pytest.raises(services.RepresentationRefused, match="already recorded"):
        services.record_referral(a, by=by, referred_on=date(2026, 11, 4), referred_to="NAC")
    with pytest.raises(services.RepresentationRefused, match="before the day it was passed on"):
        services.close_advocacy(a, by=by, closed_on=date(2026, 11, 2), outcome="Done")
    a = services.close_advocacy(a, by=by, closed_on=date(2026, 11, 9), outcome="Advocate met")
    assert a.closed_on == date(2026, 11, 9)
    with pytest.raises(services.RepresentationRefused, match="closed"):
        services.close_advocacy(a, by=by, closed_on=date(2026, 11, 9), outcome="Again")
    referral = AuditEvent.objects.get(operation="advocacy.refer").snapshot
    assert referral["on_time"] is True and referral["refer_by"] == "2026-11-04"


def test_no_audit_snapshot_holds_a_name_or_what_anyone_wrote(monkeypatch, service, people):
    child, (own, _), (parent, _) = people
    on_day(monkeypatch, RECEIVED)
    secret = "Zanzibar-secret-words"
    r = services.make_representation(parent, "complaint", secret, secret, date(2026, 12, 1))
    by = service.complaints_manager
    services.extend_stage1(r, by=by, reason=secret)
    services.record_response(r, by=by, responded_on=RECEIVED, summary=secret)
    a = services.request_advocate(own, secret, secret)
    services.record_referral(a, by=by, referred_on=RECEIVED, referred_to=secret)
    services.close_advocacy(a, by=by, closed_on=RECEIVED, outcome=secret)
    events = list(AuditEvent.objects.filter(operation__regex=r"^(representation|advocacy)\."))
    assert len(events) == 6
    names = {child.first_name, child.last_name, parent.person.first_name, secret}
    for event in events:
        for value in event.snapshot.values():
            assert not any(n in str(value) for n in names), (event.operation, value)

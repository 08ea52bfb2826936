"""Break-glass (issue 7, item 4): an IRO manager opens a record outside their scope only with a
reason; each read is logged as such; someone else reviews it."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from carereview.accounts.models import Role, Team
from carereview.breakglass import services
from carereview.breakglass.models import BREAK_GLASS_MARK, BreakGlassGrant
from carereview.children.models import Child
from carereview.core import audit
from carereview.core.models import AccessEvent, AuditEvent
from carereview.core.testing import make_child, make_user

pytestmark = pytest.mark.django_db

REASON = "Police called out of hours about a missing child; the IRO is on leave."


@pytest.fixture
def stranger(service):
    """A child whose IRO is in another IRO team: outside ivy.manager's scope."""
    team = Team.objects.create(name="IRO Service East", kind=Team.Kind.IRO_SERVICE)
    other_manager = make_user("enid.manager", Role.IRO_MANAGER, team)
    team.manager = other_manager
    team.save()
    other_iro = make_user("evan.iro", Role.IRO, team, line_manager=other_manager)
    return make_child(iro=other_iro, last_name="Outofscope")


def child_url(child):
    return reverse("children:detail", kwargs={"pk": child.pk})


def open_url(child):
    return reverse("breakglass:open", kwargs={"pk": child.pk})


def open_grant(client, user, child, reason=REASON):
    client.force_login(user)
    return client.post(open_url(child), {"reason": reason, "confirm": "on"})


def test_out_of_scope_child_is_not_found_until_a_grant_is_opened(client, service, stranger):
    client.force_login(service.iro_manager)
    assert client.get(child_url(stranger)).status_code == 404
    response = open_grant(client, service.iro_manager, stranger)
    assert response.status_code == 302 and response["Location"] == child_url(stranger)
    page = client.get(child_url(stranger))
    assert page.status_code == 200
    assert b"Outofscope" in page.content
    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.child, grant.reason) == (service.iro_manager, stranger, REASON)
    assert grant.expires_at - grant.opened_at == timedelta(hours=4)


def test_the_child_is_found_by_identifier_and_no_name_is_shown_before_the_grant(
    client, service, stranger
):
    client.force_login(service.iro_manager)
    listing = client.get(reverse("breakglass:list"))
    assert b'name="child"' in listing.content
    assert b"Outofscope" not in listing.content
    found = client.get(reverse("breakglass:list"), {"child": f" {stranger.la_child_id.lower()} "})
    assert found.status_code == 302 and found["Location"] == open_url(stranger)
    page = client.get(open_url(stranger))
    assert page.status_code == 200
    assert stranger.la_child_id.encode() in page.content
    for private in (stranger.last_name, stranger.first_name, "Example Lane"):
        assert private.encode() not in page.content


def test_an_unknown_identifier_is_a_message_not_a_list(client, service, stranger):
    client.force_login(service.iro_manager)
    response = client.get(reverse("breakglass:list"), {"child": "NOSUCH1"})
    assert response.status_code == 200
    assert b"No child has the identifier NOSUCH1" in response.content
    assert b"Outofscope" not in response.content
    assert client.get(reverse("breakglass:list"), {"child": ""}).status_code == 200


def test_a_reason_of_at_least_20_characters_and_confirmation_are_required(
    client, service, stranger
):
    client.force_login(service.iro_manager)
    short = client.post(open_url(stranger), {"reason": "   too short     ", "confirm": "on"})
    assert short.status_code == 200 and b"at least 20 characters" in short.content
    unconfirmed = client.post(open_url(stranger), {"reason": REASON})
    assert unconfirmed.status_code == 200 and b"Confirm that you understand" in unconfirmed.content
    assert not BreakGlassGrant.objects.exists()
    assert client.get(child_url(stranger)).status_code == 404


def test_every_read_through_the_grant_is_marked_and_counted(client, service, stranger):
    open_grant(client, service.iro_manager, stranger)
    for _ in range(3):
        client.get(child_url(stranger))
    events = AccessEvent.objects.filter(child=stranger).order_by("id")
    assert [e.action for e in events] == [f"viewed the child's page{BREAK_GLASS_MARK}"] * 3
    grant = BreakGlassGrant.objects.get()
    assert grant.reads == 3
    assert list(grant.access_events()) == list(events)


def test_reads_within_the_managers_own_scope_are_not_marked(client, service, stranger):
    mine = make_child(iro=service.iro)
    client.force_login(service.iro_manager)
    assert client.get(child_url(mine)).status_code == 200
    assert AccessEvent.objects.get().action == "viewed the child's page"
    # Nor does the page open a grant for a child already in scope.
    response = client.get(open_url(mine))
    assert response.status_code == 302 and response["Location"] == child_url(mine)
    assert not BreakGlassGrant.objects.exists()


def test_the_grant_ends_after_the_configured_hours(client, service, stranger):
    with override_settings(CAREREVIEW={**settings.CAREREVIEW, "BREAK_GLASS_HOURS": 1}):
        open_grant(client, service.iro_manager, stranger)
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.opened_at == timedelta(hours=1)
    with time_machine.travel(grant.expires_at + timedelta(seconds=1), tick=False):
        client.logout()  # a fresh session: the old one has been idle for an hour
        client.force_login(service.iro_manager)
        assert client.get(child_url(stranger)).status_code == 404
        # A new grant can be opened once the old one has ended.
        open_grant(client, service.iro_manager, stranger, reason=REASON + " Again.")
        assert client.get(child_url(stranger)).status_code == 200
    assert BreakGlassGrant.objects.count() == 2


def test_a_second_grant_is_not_opened_while_one_is_live(client, service, stranger):
    open_grant(client, service.iro_manager, stranger)
    again = client.get(open_url(stranger))
    assert again.status_code == 302 and again["Location"] == child_url(stranger)
    with pytest.raises(services.BreakGlassRefused):
        services.open_grant(service.iro_manager, stranger, REASON)
    assert BreakGlassGrant.objects.count() == 1


def test_the_grant_is_for_the_manager_who_opened_it_only(client, service, stranger):
    open_grant(client, service.iro_manager, stranger)
    other = make_user("oona.manager", Role.IRO_MANAGER)
    client.force_login(other)
    assert client.get(child_url(stranger)).status_code == 404
    assert not Child.objects.visible_to(other).filter(pk=stranger.pk).exists()
    assert Child.objects.visible_to(service.iro_manager).filter(pk=stranger.pk).exists()


def test_only_iro_managers_may_open_a_record(client, service, stranger):
    for user in service.by_role().values():
        if user.role == Role.IRO_MANAGER:
            continue
        response = open_grant(client, user, stranger)
        assert response.status_code == 403, user.role
    assert not BreakGlassGrant.objects.exists()


def test_the_list_shows_who_which_child_why_when_and_how_many_reads(client, service, stranger):
    open_grant(client, service.iro_manager, stranger)
    client.get(child_url(stranger))
    client.get(child_url(stranger))
    client.force_login(service.administrator)
    page = client.get(reverse("breakglass:list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert service.iro_manager.get_full_name() in text
    assert stranger.la_child_id in text and "Police called out of hours" in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in text
    assert "Outofscope" not in text
    # The administrator reviews, and does not get the finding form (not an IRO manager).
    assert 'name="child"' not in text


def test_the_grantee_cannot_review_their_own_access(client, service, stranger):
    open_grant(client, service.iro_manager, stranger)
    grant = BreakGlassGrant.objects.get()
    url = reverse("breakglass:review", kwargs={"grant_id": grant.pk})
    page = client.get(url)
    assert page.status_code == 200 and b'name="outcome"' not in page.content
    response = client.post(url, {"outcome": "appropriate", "note": "Fine by me"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    with pytest.raises(services.BreakGlassRefused):
        services.review_grant(grant, by=service.iro_manager, outcome="appropriate", note="x")


@pytest.mark.parametrize("reviewer", ["administrator", "other_manager"])
def test_another_person_reviews_it_with_a_note(client, service, stranger, reviewer):
    open_grant(client, service.iro_manager, stranger)
    client.get(child_url(stranger))
    grant = BreakGlassGrant.objects.get()
    by = (
        service.administrator
        if reviewer == "administrator"
        else make_user("oona.manager", Role.IRO_MANAGER)
    )
    client.force_login(by)
    url = reverse("breakglass:review", kwargs={"grant_id": grant.pk})
    page = client.get(url)
    assert b'name="outcome"' in page.content
    assert b"viewed the child&#x27;s page (break-glass)" in page.content
    missing = client.post(url, {"outcome": "appropriate", "note": "  "})
    assert missing.status_code == 200 and b"Enter a note" in missing.content
    wrong = client.post(url, {"outcome": "maybe", "note": "Checked with the duty manager"})
    assert wrong.status_code == 200 and b"Choose whether" in wrong.content
    done = client.post(url, {"outcome": "not_appropriate", "note": "Could have waited a day"})
    assert done.status_code == 302 and done["Location"] == reverse("breakglass:list")
    grant.refresh_from_db()
    assert (grant.reviewed_by, grant.outcome) == (by, "not_appropriate")
    assert grant.review_note == "Could have waited a day" and grant.reviewed_at
    # Reviewed: off the waiting list, on the reviewed one; no second review.
    waiting = client.get(reverse("breakglass:list")).content.decode()
    assert stranger.la_child_id not in waiting
    reviewed = client.get(reverse("breakglass:list"), {"status": "reviewed"}).content.decode()
    assert stranger.la_child_id in reviewed and "Not appropriate" in reviewed
    client.post(url, {"outcome": "appropriate", "note": "Changed my mind"})
    grant.refresh_from_db()
    assert grant.outcome == "not_appropriate"


def test_grants_and_reviews_are_audited_without_personal_text(client, service, stranger):
    open_grant(client, service.iro_manager, stranger)
    grant = BreakGlassGrant.objects.get()
    services.review_grant(
        grant, by=service.administrator, outcome="appropriate", note="Spoke to Zebedee's carer"
    )
    events = AuditEvent.objects.filter(object_type="breakglass.BreakGlassGrant").order_by("id")
    assert [e.operation for e in events] == ["breakglass.open", "breakglass.review"]
    assert [e.actor for e in events] == [service.iro_manager, service.administrator]
    for event in events:
        snapshot = str(event.snapshot)
        for private in ("Police", "Zebedee", stranger.last_name, stranger.first_name):
            assert private not in snapshot


def test_marking_a_read_costs_one_query(rf, service, stranger):
    services.open_grant(service.iro_manager, stranger, REASON)
    request = rf.get(child_url(stranger))
    request.user = service.iro_manager
    with CaptureQueriesContext(connection) as queries:
        event = audit.record_access(request, stranger, "viewed the child's page")
    assert len(queries) == 2  # the grant's UPDATE, and the access event's INSERT
    assert event.action.endswith(BREAK_GLASS_MARK)
    request.user = service.iro
    mine = make_child(iro=service.iro)
    with CaptureQueriesContext(connection) as queries:
        audit.record_access(request, mine, "viewed")
    assert len(queries) == 1  # other roles: the INSERT only


def test_an_expired_grant_still_waits_for_review(client, service, stranger):
    open_grant(client, service.iro_manager, stranger)
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        client.logout()
        client.force_login(service.administrator)
        text = client.get(reverse("breakglass:list")).content.decode()
    assert stranger.la_child_id in text and "Open until" not in text

"""A member of staff cannot take over a portal account (issue 12, item 5).

- A new sign-in link changes nothing by itself: the password keeps working until the person uses
  the link, and the second step stays on. Using the link needs the code from the phone too, when
  the person has the second step on.
- A link sent to an address or number the person has not used with us is allowed, and the person
  is told at every contact they have used (through the outbox), so they can call if it was not
  them.
- Turning off someone's second step (a lost phone) is asked for by one member of staff and done
  only when a different member of staff, who can manage portal access for the child, approves it.
  Both are in the audit log.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from carereview.core import second_factor
from carereview.core.calendar import today
from carereview.core.models import AuditEvent
from carereview.core.testing import PASSWORD, make_child
from carereview.notifications.models import Message
from carereview.notifications.outbox import deliver_due
from carereview.portal.testing import make_portal_user
from carereview.portal.tests.test_second_factor import code_for, turned_on, wrong_code

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new secret 42"


@pytest.fixture
def mum(service):
    """A mother using the portal: invited by email at the address on her record, her mobile
    also on the record."""
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=today() - timedelta(days=200),
    )
    mother = child.relationships.get(kind="mother").person
    mother.email, mother.phone = "morgan.home@example.com", "07700 900111"
    mother.save()
    access, user = make_portal_user(child, by=service.iro, person=mother)
    return access, user


def send_link(client, staff, access, channel, sent_to):
    client.force_login(staff)
    response = client.post(
        reverse("access:new-link", args=[access.pk]), {"channel": channel, "sent_to": sent_to}
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()


def token_from_last_link(outbox) -> str:
    deliver_due()  # the worker (in these tests the flush after commit does not run)
    body = [m for m in outbox if "/portal/invitation/" in m.body][-1].body
    found = re.search(r"/portal/invitation/([^/\s]+)/", body)
    assert found is not None
    return found.group(1)


def notices() -> list[Message]:
    return list(Message.objects.filter(key__startswith="portal.").order_by("pk"))


def test_a_new_link_leaves_the_password_and_the_second_step_until_used_with_the_code(
    client, service, mum, mailoutbox
):
    access, user = mum
    device = turned_on(user)
    send_link(client, service.social_worker, access, "email", "someone.else@example.net")
    # Sending it changed nothing: the old password works, the second step is on.
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert second_factor.has_second_factor(user)
    url = reverse("portal:accept", args=[token_from_last_link(mailoutbox)])
    page = client.get(url).content.decode()
    assert 'name="code"' in page  # the link asks for the code from the phone
    # The link alone (no code, or a wrong one) does nothing.
    for code in ("", wrong_code(device)):
        response = client.post(
            url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "code": code}
        )
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.check_password(PASSWORD) and not user.check_password(NEW_PASSWORD)
        assert second_factor.has_second_factor(user)
        assert "_auth_user_id" not in client.session
    # A wrong code is counted: the next try must wait (django-otp's throttling), then works.
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "code": code_for(device)}
    )
    assert response.status_code == 200 and "try again" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    # With the code: the new password, the second step still on, signed in with both.
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "code": code_for(device)}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert second_factor.has_second_factor(user)
    assert client.get(reverse("portal:home")).status_code in (200, 302)
    assert client.get(reverse("portal:child", args=[access.child_id])).status_code == 200
    assert client.get(url).status_code == 410  # used


def test_a_link_without_a_second_step_sets_the_password_only_when_used(
    client, service, mum, mailoutbox
):
    access, user = mum
    send_link(client, service.iro, access, "email", "")  # the address on her record
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    url = reverse("portal:accept", args=[token_from_last_link(mailoutbox)])
    assert 'name="code"' not in client.get(url).content.decode()
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("channel", "new", "told"),
    [
        ("email", "someone.else@example.net", {"morgan.home@example.com", "07700 900111"}),
        ("text", "07700 900999", {"morgan.home@example.com", "07700 900111"}),
    ],
)
def test_a_link_to_a_new_address_or_number_tells_the_person_at_their_old_ones(
    client, service, mum, mailoutbox, channel, new, told
):
    access, user = mum
    send_link(client, service.social_worker, access, channel, new)
    sent = notices()
    assert {m.to for m in sent} == told
    assert new not in {m.to for m in sent}
    token = token_from_last_link(mailoutbox) if channel == "email" else None
    for message in sent:
        assert message.channel == ("email" if "@" in message.to else "text")
        assert "new sign-in link" in message.body and "was not you" in message.body
        assert "/portal/invitation/" not in message.body and (
            token is None or token not in message.body
        )
    # Once only, however often the notice would be made for this link.
    assert len({m.key for m in sent}) == len(sent)


@pytest.mark.parametrize(
    ("channel", "same"),
    [
        ("email", ""),  # blank: the one on the record
        ("email", "  Morgan.Home@Example.com "),
        ("text", "07700900111"),
        ("text", "+44 7700 900111"),
    ],
)
def test_a_link_to_an_address_or_number_they_already_have_tells_nobody_else(
    client, service, mum, channel, same
):
    access, _ = mum
    send_link(client, service.social_worker, access, channel, same)
    assert notices() == []


def test_removing_the_second_step_needs_a_second_member_of_staff(client, service, mum):
    access, user = mum
    turned_on(user)
    url = reverse("access:second-step", args=[access.pk])
    client.force_login(service.social_worker)
    assert "turned off" in client.get(url).content.decode()
    response = client.post(url, {"action": "request", "reason": "She lost her phone on the bus"})
    assert response.status_code == 302
    assert second_factor.has_second_factor(user)  # asking is not doing
    # The one who asked cannot approve it, even by posting the approval.
    page = client.get(url).content.decode()
    assert "another member of staff" in page.lower()
    response = client.post(url, {"action": "approve"})
    assert response.status_code in (200, 403)
    assert second_factor.has_second_factor(user)
    # Someone who cannot manage this child's portal access cannot either.
    client.force_login(service.iro2)
    assert client.post(url, {"action": "approve"}).status_code == 404
    assert second_factor.has_second_factor(user)
    # A different member of staff with the right for this child approves: now it is off.
    client.force_login(service.iro)
    page = client.get(url).content.decode()
    assert "She lost her phone on the bus" in page and "Approve" in page
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 302
    assert not second_factor.has_second_factor(user)
    asked = AuditEvent.objects.get(operation="portal.second_step_removal.request")
    approved = AuditEvent.objects.get(operation="portal.second_step_removal.approve")
    assert asked.actor == service.social_worker and approved.actor == service.iro
    # The person is told, at the contacts they have used.
    assert {m.to for m in notices()} == {"morgan.home@example.com", "07700 900111"}


def test_a_request_can_be_refused_and_the_second_step_stays(client, service, mum):
    access, user = mum
    turned_on(user)
    url = reverse("access:second-step", args=[access.pk])
    client.force_login(service.iro)
    client.post(url, {"action": "request", "reason": "A caller said she lost her phone"})
    client.force_login(service.team_manager)
    assert client.post(url, {"action": "refuse"}).status_code == 302
    assert second_factor.has_second_factor(user)
    assert AuditEvent.objects.filter(operation="portal.second_step_removal.refuse").exists()
    # Nothing is waiting now: a new request can be made.
    assert "reason" in client.get(url).content.decode()


def test_a_request_needs_a_reason_and_a_second_step_to_remove(client, service, mum):
    access, user = mum
    url = reverse("access:second-step", args=[access.pk])
    client.force_login(service.iro)
    page = client.get(url).content.decode()
    assert "does not use a code" in page  # nothing to turn off: no form
    turned_on(user)
    response = client.post(url, {"action": "request", "reason": "  "})
    assert response.status_code == 200 and "Enter why" in response.content.decode()
    assert not AuditEvent.objects.filter(operation__startswith="portal.second_step").exists()


def test_the_database_refuses_a_decision_by_the_one_who_asked(service, mum):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from carereview.portal.models import SecondStepRemoval

    access, user = mum
    turned_on(user)
    removal = SecondStepRemoval.objects.create(
        access=access, requested_by=service.social_worker, reason="Lost phone"
    )
    removal.decided_by, removal.decided_at, removal.approved = (
        service.social_worker,
        timezone.now(),
        True,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        removal.save()
    # And only one request waits at a time.
    with pytest.raises(IntegrityError), transaction.atomic():
        SecondStepRemoval.objects.create(access=access, requested_by=service.iro, reason="Again")


def invite(client, staff, child, person, channel, sent_to):
    client.force_login(staff)
    response = client.post(
        reverse("access:invite", args=[child.pk]),
        {"who": f"person-{person.pk}", "channel": channel, "sent_to": sent_to},
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()


def test_ending_her_access_and_inviting_her_again_elsewhere_tells_her(client, service, mum):
    """The same takeover by another door: end the parent's access, then invite "her" again at an
    address she has never used. She is told at every contact we hold for her, the sign-in she
    used included."""
    access, user = mum
    user.email = "morgan.portal@example.org"
    user.save(update_fields=["email"])
    client.force_login(service.social_worker)
    response = client.post(
        reverse("access:revoke", args=[access.pk]), {"reason": "She asked for a new account"}
    )
    assert response.status_code == 302
    invite(client, service.social_worker, access.child, access.person, "email", "new@example.net")
    told = {m.to for m in notices()}
    assert told == {"morgan.home@example.com", "07700 900111", "morgan.portal@example.org"}
    for message in notices():
        assert "new@example.net" not in message.body and "was not you" in message.body


def test_a_waiting_invitation_sent_again_elsewhere_tells_her(client, service):
    """Before she has accepted: a second invitation to another address cancels the first (sent
    to the address on her record), so she is told there."""
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    mother = child.relationships.get(kind="mother").person
    mother.email, mother.phone = "morgan.home@example.com", ""
    mother.save()
    invite(client, service.iro, child, mother, "email", "")  # the address on her record
    assert notices() == []
    invite(client, service.iro, child, mother, "text", "07700 900999")
    assert {m.to for m in notices()} == {"morgan.home@example.com"}
    # And an invitation to the address she already has tells nobody else.
    invite(client, service.iro, child, mother, "email", "Morgan.Home@example.com")
    assert len(notices()) == 1

"""Getting in and out of the portal (issue 5, item 1)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from carereview.children.models import Child
from carereview.core.testing import PASSWORD, make_child
from carereview.notifications import backends
from carereview.notifications.models import Message
from carereview.portal import services
from carereview.portal.models import PortalAccess
from carereview.portal.testing import make_portal_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(service):
    return make_child(iro=service.iro, social_worker=service.social_worker, dob=date(2015, 3, 1))


def _invite(child, by, person=None, channel="email", to="x@example.com", helper=""):
    return services.grant_and_invite(
        child,
        by=by,
        person=person,
        channel=channel,
        sent_to=to,
        base_url="http://testserver",
        with_help_from=helper,
    )


def test_an_invitation_by_email_carries_a_single_use_link(
    service, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # sent straight after the commit
        sent = _invite(child, service.iro)
    assert sent.gone()
    assert len(mail.outbox) == 1
    assert f"/portal/invitation/{sent.token}/" in mail.outbox[0].body
    # Only the hash of the token is kept.
    assert sent.token not in sent.invitation.token_hash
    assert services.find_invitation(sent.token) == sent.invitation
    user = services.accept(sent.invitation, username="robin.f", password=PASSWORD)
    assert user.role == "child" and user.check_password(PASSWORD)
    assert Child.objects.get(pk=child.pk).portal_user == user
    assert services.find_invitation(sent.token) is None  # used
    with pytest.raises(services.PortalRefused):
        services.accept(sent.invitation, username="robin.g", password=PASSWORD)


def test_an_invitation_by_text_goes_through_the_text_backend(
    service, child, django_capture_on_commit_callbacks
):
    backends.outbox.clear()
    mother = child.relationships.get().person
    with django_capture_on_commit_callbacks(execute=True):
        sent = _invite(
            child, service.social_worker, person=mother, channel="text", to="07700900123"
        )
    assert sent.access.role == "parent"
    assert [m.to for m in backends.outbox] == ["07700900123"]
    assert sent.token in backends.outbox[0].body


def test_a_link_expires_and_a_new_link_cancels_the_old(service, child):
    first = _invite(child, service.iro)
    second = _invite(child, service.iro)
    assert services.find_invitation(first.token) is None
    assert services.find_invitation(second.token) == second.invitation
    second.invitation.expires_at = timezone.now() - timedelta(seconds=1)
    second.invitation.save()
    assert services.find_invitation(second.token) is None


def test_a_young_child_is_invited_only_with_an_adults_help(service):
    young = make_child(iro=service.iro, dob=date.today().replace(year=date.today().year - 6))
    with pytest.raises(services.PortalRefused, match="under 8"):
        _invite(young, service.iro)
    assert _invite(young, service.iro, helper="Their foster carer").access.with_help_from


def test_only_the_child_parents_and_carers_can_be_invited(service, child):
    from carereview.children.models import Person, Relationship

    aunt = Person.objects.create(first_name="Ava", last_name="Example")
    Relationship.objects.create(child=child, person=aunt, kind=Relationship.Kind.SIGNIFICANT)
    with pytest.raises(services.PortalRefused):
        _invite(child, service.iro, person=aunt)


def test_revoking_ends_access_at_once_and_deactivates_a_user_with_none_left(client, service, child):
    access, user = make_portal_user(child, by=service.iro)
    assert list(PortalAccess.objects.of(user)) == [access]
    client.force_login(user)
    services.revoke(access, by=service.iro, reason="Moved to another authority")
    user.refresh_from_db()
    assert not user.is_active
    assert list(PortalAccess.objects.of(user)) == []
    assert list(Child.objects.visible_to(user, "portal")) == []
    # The session already open is no longer signed in.
    response = client.get("/portal/")
    assert response.status_code == 302 and "/portal/sign-in/" in response["Location"]


def test_a_parent_of_two_children_keeps_one_sign_in(service, child):
    mother = child.relationships.get().person
    brother = make_child(iro=service.iro, last_name=child.last_name)
    from carereview.children.models import Relationship

    Relationship.objects.create(child=brother, person=mother, kind=Relationship.Kind.MOTHER)
    _, user = make_portal_user(child, by=service.iro, person=mother)
    second, same = make_portal_user(brother, by=service.iro, person=mother)
    assert same == user
    assert {a.child for a in PortalAccess.objects.of(user)} == {child, brother}
    # Revoking one leaves the other, and the user active.
    services.revoke(second, by=service.iro, reason="Adopted")
    user.refresh_from_db()
    assert user.is_active
    assert [a.child for a in PortalAccess.objects.of(user)] == [child]


def test_a_link_that_cannot_be_sent_at_once_waits_in_the_outbox(
    service, child, settings, django_capture_on_commit_callbacks
):
    """The backend fails: the access and its link stand, the message is kept in the outbox
    (tried again by the worker, on the Messages page), and the link has not gone."""
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BACKEND": "smtp"}
    settings.NOTIFICATIONS["SMTP"] = {**settings.NOTIFICATIONS["SMTP"], "port": 1, "timeout": 2}
    with django_capture_on_commit_callbacks(execute=True):
        sent = _invite(child, service.iro, channel="email", to="x@example.com")
    assert PortalAccess.objects.filter(child=child).exists() and not sent.gone()
    message = Message.objects.get(key=services.link_key(sent.invitation))
    assert message.status == "retrying" and message.last_error.startswith("ConnectionRefused")
    assert sent.token in message.body  # kept until it has gone, then forgotten

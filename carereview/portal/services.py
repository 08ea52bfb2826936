"""Letting people into the portal, and out again (issue 5, item 1).

- `grant_and_invite`: a member of staff grants one person access to one child's part of the portal
  and sends a single-use link by email or text. Nobody can sign up unasked: the link is the only
  way to make a portal sign-in.
- `accept`: the person follows the link and sets a password, which makes their sign-in (or, for a
  parent already using the portal for another child, links this child to it).
- `revoke`: ends an access at once. The portal scope counts only live accesses, and a user left
  with none is deactivated, which ends their sessions too (Django refuses inactive users).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from carereview.accounts.models import Role, User
from carereview.children.models import Child, Person, Relationship
from carereview.core import audit
from carereview.engine.calendar import add_months
from carereview.notifications import notify
from carereview.portal.models import PortalAccess, PortalInvitation


class PortalRefused(Exception):
    """A step the rules do not allow, with the reason in words for the person."""


def _cfg(name: str):
    return settings.CAREREVIEW[name]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def age_on(child: Child, on: date) -> int:
    years = on.year - child.date_of_birth.year
    if add_months(child.date_of_birth, 12 * years) > on:
        years -= 1
    return years


def role_for(child: Child, person: Person | None) -> str:
    """The portal role of a person for this child: the child, a parent or a carer. Anyone else
    related to the child has no portal (the leaflets are to the child, parents and carers)."""
    if person is None:
        return Role.CHILD
    kinds = set(child.relationships.filter(person=person).values_list("kind", flat=True))
    if kinds & {Relationship.Kind.MOTHER, Relationship.Kind.FATHER, Relationship.Kind.PARENT}:
        return Role.PARENT
    if Relationship.Kind.CARER in kinds:
        return Role.CARER
    raise PortalRefused("Only the child, a parent or a carer can be invited to the portal")


@dataclass(frozen=True)
class Sent:
    access: PortalAccess
    invitation: PortalInvitation
    token: str

    def gone(self) -> bool:
        """Whether the link has left (its outbox message sent): after the commit, the outbox
        sends it at once; if that failed, the worker keeps trying."""
        from carereview.notifications.models import Message

        return Message.objects.filter(
            key=link_key(self.invitation), status=Message.Status.SENT
        ).exists()


def link_key(invitation: PortalInvitation) -> str:
    """The outbox key of the message carrying a portal link."""
    return f"portal-link:{invitation.pk}"


def _link(token: str, base_url: str) -> str:
    from django.urls import reverse

    return base_url.rstrip("/") + reverse("portal:accept", kwargs={"token": token})


def _message(access: PortalAccess, link: str, expires: date) -> str:
    authority = _cfg("AUTHORITY_NAME")
    who = access.first_name
    return (
        f"Hello {who}. {authority} has set up a place online where you can see who your IRO is, "
        f"when your next review is and tell us what you think. Open this link to choose a "
        f"password: {link}\nThe link works once, until {expires:%-d %B %Y}. If you did not expect "
        f"this, call the IRO service on {_cfg('IRO_SERVICE_PHONE')}."
    )


@transaction.atomic
def grant_and_invite(
    child: Child,
    *,
    by: User,
    person: Person | None,
    channel: str,
    sent_to: str,
    base_url: str,
    with_help_from: str = "",
) -> Sent:
    """Grant `person` (or the child, when None) access to `child`'s portal and send the link."""
    role = role_for(child, person)
    sent_to = sent_to.strip()
    if channel not in PortalInvitation.Channel.values:
        raise PortalRefused("Choose email or text message")
    if not sent_to:
        raise PortalRefused("Enter where to send the link")
    if role == Role.CHILD:
        min_age = _cfg("PORTAL_CHILD_MIN_AGE")
        if age_on(child, timezone.localdate()) < min_age and not with_help_from.strip():
            raise PortalRefused(
                f"{child.first_name} is under {min_age}: say which adult will help them use it"
            )
    access = (
        PortalAccess.objects.select_for_update()
        .filter(child=child, person=person, revoked_at__isnull=True)
        .first()
    )
    if access is None:
        access = PortalAccess.objects.create(
            child=child,
            person=person,
            role=role,
            granted_by=by,
            with_help_from=with_help_from.strip(),
        )
    elif access.activated_at:
        raise PortalRefused(f"{access.name} already uses the portal for {child.first_name}")
    # A new link cancels any earlier link not yet used.
    now = timezone.now()
    access.invitations.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=_cfg("PORTAL_INVITATION_DAYS"))
    invitation = PortalInvitation.objects.create(
        access=access,
        channel=channel,
        sent_to=sent_to,
        token_hash=hash_token(token),
        sent_by=by,
        expires_at=expires_at,
    )
    link = _link(token, base_url)
    body = _message(access, link, timezone.localdate(expires_at))
    _send(
        invitation,
        f"Your IRO and your reviews: set up your sign-in ({_cfg('AUTHORITY_NAME')})",
        body,
        link,
    )
    audit.record_change(
        by, "portal.invite", access, {"role": role, "channel": channel, "invitation": invitation.pk}
    )
    return Sent(access, invitation, token)


@transaction.atomic
def send_new_sign_in_link(
    access: PortalAccess, *, by: User, channel: str, sent_to: str, base_url: str
) -> Sent:
    """For someone already using the portal who forgot their password or lost the phone with
    their second step: a single-use link to choose a new password. Using it also turns the
    second step off, so they can set it up again."""
    access = PortalAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at or not access.activated_at or access.user is None:
        raise PortalRefused("Only someone already using the portal can be sent a new sign-in link")
    sent_to = sent_to.strip()
    if channel not in PortalInvitation.Channel.values:
        raise PortalRefused("Choose email or text message")
    if not sent_to:
        raise PortalRefused("Enter where to send the link")
    now = timezone.now()
    access.invitations.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=_cfg("PORTAL_INVITATION_DAYS"))
    invitation = PortalInvitation.objects.create(
        access=access,
        channel=channel,
        sent_to=sent_to,
        token_hash=hash_token(token),
        sent_by=by,
        expires_at=expires_at,
        resets_password=True,
    )
    link = _link(token, base_url)
    body = (
        f"Hello {access.first_name}. Here is a link to choose a new password for the "
        f"{_cfg('AUTHORITY_NAME')} portal: {link}\nIt works once, until "
        f"{timezone.localdate(expires_at):%-d %B %Y}. If you did not ask for it, call the IRO "
        f"service on {_cfg('IRO_SERVICE_PHONE')}."
    )
    _send(invitation, f"A new sign-in link ({_cfg('AUTHORITY_NAME')})", body, link)
    audit.record_change(by, "portal.new_sign_in_link", access, {"channel": channel})
    return Sent(access, invitation, token)


@transaction.atomic
def reset_password(invitation: PortalInvitation, *, password: str) -> User:
    """Use a new-sign-in link: the person's new password, and their second step turned off."""
    from carereview.portal.second_factor import remove_devices

    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at or invitation.cancelled_at or not invitation.resets_password:
        raise PortalRefused("This link has already been used")
    user = invitation.access.user
    user.set_password(password)
    user.save(update_fields=["password"])
    remove_devices(user)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit.record_change(user, "portal.password_reset", invitation.access, {})
    return user


def _send(invitation: PortalInvitation, subject: str, body: str, link: str) -> None:
    """Send a link: an outbox message (key `portal-link:<invitation>`), sent straight after the
    commit and, if that fails, by the worker until it goes. The link is removed from the stored
    message once it has gone (only its hash is kept, ADR 0007)."""
    notify(
        link_key(invitation),
        to=invitation.sent_to,
        channel="email" if invitation.channel == PortalInvitation.Channel.EMAIL else "text",
        subject=subject,
        body=body,
        promptly=True,
        forget_once_sent=link,
    )


def find_invitation(token: str) -> PortalInvitation | None:
    """The invitation a link names, if it can still be used (unused, not cancelled, in date,
    its access not revoked)."""
    invitation = (
        PortalInvitation.objects.select_related("access", "access__child", "access__person")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return None
    if invitation.used_at or invitation.cancelled_at or invitation.access.revoked_at:
        return None
    if invitation.expires_at <= timezone.now():
        return None
    return invitation


def existing_user(access: PortalAccess) -> User | None:
    """The sign-in this person already has (a parent invited for a second child)."""
    if access.person_id:
        access.person.refresh_from_db(fields=["portal_user"])
    else:
        access.child.refresh_from_db(fields=["portal_user"])
    if access.person_id and access.person.portal_user_id:
        user = access.person.portal_user
        return user if user.is_active else None
    if access.person_id is None and access.child.portal_user_id:
        user = access.child.portal_user
        return user if user.is_active else None
    return None


@transaction.atomic
def accept(
    invitation: PortalInvitation,
    *,
    username: str = "",
    password: str = "",
    user: User | None = None,
) -> User:
    """Use the invitation: make the person's sign-in (username and password), or link the access
    to the sign-in they already have (`user`, already authenticated by the caller)."""
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at or invitation.cancelled_at:
        raise PortalRefused("This link has already been used")
    access = invitation.access
    if user is None:
        if User.objects.filter(username__iexact=username).exists():
            raise PortalRefused("That username is taken: choose another")
        child, person = access.child, access.person
        source = child if person is None else person
        user = User(
            username=username,
            first_name=getattr(source, "preferred_name", "") or source.first_name,
            last_name=source.last_name,
            email=source.email,
            role=access.role,
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as taken:  # someone took the name a moment ago
            raise PortalRefused("That username is taken: choose another") from taken
        if person is None:
            child.portal_user = user
            child.save(update_fields=["portal_user"])
        else:
            person.portal_user = user
            person.save(update_fields=["portal_user"])
    now = timezone.now()
    access.user = user
    access.activated_at = now
    access.save(update_fields=["user", "activated_at"])
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    audit.record_change(user, "portal.accept", access, {"invitation": invitation.pk})
    return user


@transaction.atomic
def revoke(access: PortalAccess, *, by: User, reason: str) -> PortalAccess:
    """End the access now. A user with no live access left is deactivated."""
    if not reason.strip():
        raise PortalRefused("Enter why the access is ending")
    access = PortalAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at:
        return access
    now = timezone.now()
    access.revoked_at, access.revoked_by, access.revoke_reason = now, by, reason.strip()
    access.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    access.invitations.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    user = access.user
    if user is not None and not user.portal_accesses.filter(revoked_at__isnull=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    audit.record_change(by, "portal.revoke", access, {"reason_length": len(reason.strip())})
    return access

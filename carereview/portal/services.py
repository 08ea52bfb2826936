"""Letting people into the portal, and out again (issue 5, item 1).

- `grant_and_invite`: a member of staff grants one person access to one child's part of the portal
  and sends a single-use link by email or text. Nobody can sign up unasked: the link is the only
  way to make a portal sign-in.
- `accept`: the person follows the link and sets a password, which makes their sign-in (or, for a
  parent already using the portal for another child, links this child to it).
- `send_new_sign_in_link`, `reset_password`: a forgotten password; `request_second_step_removal`
  and `decide_second_step_removal`: a lost phone, by two members of staff (issue 12, item 5).
- `revoke`: ends an access at once. The portal scope counts only live accesses, and a user left
  with none is deactivated, which ends their sessions too (Django refuses inactive users).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from carereview.accounts.models import Role, User
from carereview.children.models import Child, Person, Relationship
from carereview.core import audit
from carereview.core.authority import authority
from carereview.engine.calendar import add_months
from carereview.notifications import notify
from carereview.portal.models import (
    PortalAccess,
    PortalInvitation,
    SecondStepRemoval,
    VisitRequest,
)


class PortalRefused(Exception):
    """A step the rules do not allow, with the reason in words for the person."""


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
    name = authority().authority_name
    who = access.first_name
    return (
        f"Hello {who}. {name} has set up a place online where you can see who your IRO is, "
        f"when your next review is and tell us what you think. Open this link to choose a "
        f"password: {link}\nThe link works once, until {expires:%-d %B %Y}. If you did not expect "
        f"this, call the IRO service on {authority().iro_service_phone}."
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
        min_age = authority().portal_child_min_age
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
    # Sent where they have never been reached (issue 12, item 5): they are told at the contacts
    # they have, as for a new sign-in link, so an account is not made for someone else.
    known = contacts(access)
    is_new = (channel, normal(channel, sent_to)) not in {(c, normal(c, a)) for c, a in known}
    # A new link cancels any earlier link not yet used.
    now = timezone.now()
    access.invitations.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=authority().portal_invitation_days)
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
        f"Your IRO and your reviews: set up your sign-in ({authority().authority_name})",
        body,
        link,
    )
    if is_new and known:
        _tell_sent_elsewhere(access, invitation, "portal.invite-elsewhere", "an invitation")
    audit.record_change(
        by,
        "portal.invite",
        access,
        {"role": role, "channel": channel, "invitation": invitation.pk, "to_new_contact": is_new},
    )
    return Sent(access, invitation, token)


def _tell_sent_elsewhere(
    access: PortalAccess, invitation: PortalInvitation, key: str, what: str
) -> int:
    """Tell the person, at every contact they have but the new one, that a link that sets up
    or changes their sign-in went to an address or number they have not used with us."""
    channel = invitation.channel
    where = "email address" if channel == PortalInvitation.Channel.EMAIL else "mobile number"
    return tell(
        access,
        key=f"{key}.{invitation.pk}",
        subject=f"A sign-in link was sent to a new {where} ({authority().authority_name})",
        body=(
            f"Hello {access.first_name}. On {timezone.localdate(invitation.sent_at):%-d %B %Y} "
            f"{authority().authority_name} sent {what} for the portal to a new {where}, not this "
            f"one. The link lets whoever has it choose a password and sign in as you. If you "
            f"asked for it, there is nothing to do. If it was not you, call the IRO service on "
            f"{authority().iro_service_phone} straight away."
        ),
        besides=[(channel, invitation.sent_to)],
    )


@transaction.atomic
def send_new_sign_in_link(
    access: PortalAccess, *, by: User, channel: str, sent_to: str, base_url: str
) -> Sent:
    """For someone already using the portal who forgot their password: a single-use link to
    choose a new one (issue 12, item 5). Sending it changes nothing: their password works until
    the link is used, and the second step stays on (using the link then needs its code too;
    turning it off is `request_second_step_removal`). A link to an address or number they have
    not used with us is allowed, and they are told at every contact they have."""
    access = PortalAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at or not access.activated_at or access.user is None:
        raise PortalRefused("Only someone already using the portal can be sent a new sign-in link")
    sent_to = sent_to.strip()
    if channel not in PortalInvitation.Channel.values:
        raise PortalRefused("Choose email or text message")
    if not sent_to:
        raise PortalRefused("Enter where to send the link")
    known = contacts(access)
    is_new = (channel, normal(channel, sent_to)) not in {(c, normal(c, a)) for c, a in known}
    now = timezone.now()
    access.invitations.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=authority().portal_invitation_days)
    invitation = PortalInvitation.objects.create(
        access=access,
        channel=channel,
        sent_to=sent_to,
        token_hash=hash_token(token),
        sent_by=by,
        expires_at=expires_at,
        resets_password=True,
        to_new_contact=is_new,
    )
    link = _link(token, base_url)
    body = (
        f"Hello {access.first_name}. Here is a link to choose a new password for the "
        f"{authority().authority_name} portal: {link}\nIt works once, until "
        f"{timezone.localdate(expires_at):%-d %B %Y}. If you did not ask for it, call the IRO "
        f"service on {authority().iro_service_phone}."
    )
    _send(invitation, f"A new sign-in link ({authority().authority_name})", body, link)
    if is_new:
        _tell_sent_elsewhere(access, invitation, "portal.new-link-elsewhere", "a new sign-in link")
    audit.record_change(
        by,
        "portal.new_sign_in_link",
        access,
        {"channel": channel, "invitation": invitation.pk, "to_new_contact": is_new},
    )
    return Sent(access, invitation, token)


def normal(channel: str, address: str) -> str:
    """An address as compared: an email in lower case; a UK mobile number as its digits from 07
    (so "+44 7700 900111" and "07700900111" are the same number)."""
    address = (address or "").strip()
    if channel == PortalInvitation.Channel.EMAIL:
        return address.lower()
    digits = re.sub(r"[\s().-]", "", address)
    for prefix in ("+44", "0044"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :]
    return digits


def _is_mobile(number: str) -> bool:
    return bool(re.fullmatch(r"07[0-9]{9}", normal(PortalInvitation.Channel.TEXT, number)))


def contacts(access: PortalAccess) -> list[tuple[str, str]]:
    """(channel, address) for each way we hold to reach the person, once each: the email and
    mobile on their record and on their sign-ins (this access's, and those of every access they
    held before, ended ones included), and wherever a link they used was sent. (Not where a link
    still waiting went: nobody has shown that address is theirs.)"""
    source = access.person or access.child
    found = [("email", source.email), ("text", source.phone)]
    # Every access of the same person (the child's own, for the child), this one included.
    theirs = (
        PortalAccess.objects.filter(person=access.person_id)
        if access.person_id
        else PortalAccess.objects.filter(child=access.child_id, person__isnull=True)
    )
    users = {access.user_id} | set(theirs.exclude(user=None).values_list("user", flat=True))
    for user in User.objects.filter(pk__in={u for u in users if u is not None}).order_by("pk"):
        found += [("email", user.email), ("text", user.mobile)]
    used = PortalInvitation.objects.filter(used_at__isnull=False)
    used = used.filter(Q(access__in=theirs) | Q(access__user__in=users - {None}) | Q(access=access))
    found += list(used.order_by("sent_at").values_list("channel", "sent_to"))
    unique, seen = [], set()
    for channel, address in found:
        key = (channel, normal(channel, address))
        if not key[1] or key in seen or (channel == "text" and not _is_mobile(address)):
            continue
        seen.add(key)
        unique.append((channel, address.strip()))
    return unique


def tell(
    access: PortalAccess,
    *,
    key: str,
    subject: str,
    body: str,
    besides: Sequence[tuple[str, str]] = (),
) -> int:
    """Tell the person at every contact we hold for them (but `besides`), through the outbox,
    once each for `key`. How many were stored."""
    skip = {(c, normal(c, a)) for c, a in besides}
    stored = 0
    for channel, address in contacts(access):
        if (channel, normal(channel, address)) in skip:
            continue
        digest = hashlib.sha256(f"{channel}:{normal(channel, address)}".encode()).hexdigest()
        message = notify(
            f"{key}.{digest[:16]}", to=address, channel=channel, subject=subject, body=body
        )
        stored += message is not None
    return stored


class WrongCode(PortalRefused):
    """The code from the person's phone was missing, wrong, or must wait (throttled)."""


def reset_password(invitation: PortalInvitation, *, password: str, code: str = ""):
    """Use a new-sign-in link: the person's new password. Someone with the second step on must
    give its code as well, and it stays on. Returns (user, the device the code was checked on or
    None). The code is checked outside the transaction, so a wrong one is counted (throttling)
    even though nothing else is saved."""
    from carereview.core import second_factor as factor

    user = invitation.access.user
    assert user is not None  # a new-sign-in link is for someone who has a sign-in
    device = factor.confirmed_device(user)
    if device is not None:
        wait = factor.throttle_message(device)
        if wait:
            raise WrongCode(wait)
        if not factor.verify(user, code):
            raise WrongCode(factor.WRONG_CODE)
    with transaction.atomic():
        invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at or invitation.cancelled_at or not invitation.resets_password:
            raise PortalRefused("This link has already been used")
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        audit.record_change(
            user, "portal.password_reset", invitation.access, {"second_step": device is not None}
        )
    return user, device


@transaction.atomic
def request_second_step_removal(
    access: PortalAccess, *, by: User, reason: str
) -> SecondStepRemoval:
    """Ask for a person's second step to be turned off (they lost their phone). Nothing is
    removed until a different member of staff approves (`decide_second_step_removal`)."""
    from carereview.core.second_factor import has_second_factor

    reason = reason.strip()
    if not reason:
        raise PortalRefused("Enter why their second step should be turned off")
    access = PortalAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at or access.user is None or not has_second_factor(access.user):
        raise PortalRefused(f"{access.name} does not use a code from a phone to sign in")
    if access.second_step_removals.filter(decided_at__isnull=True).exists():
        raise PortalRefused("This has already been asked for and is waiting for approval")
    removal = SecondStepRemoval.objects.create(access=access, requested_by=by, reason=reason)
    audit.record_change(
        by,
        "portal.second_step_removal.request",
        access,
        {"removal": removal.pk, "reason_length": len(reason)},
    )
    return removal


def may_decide(user: User, removal: SecondStepRemoval) -> bool:
    """A different member of staff who may manage portal access for this child (the child's
    IRO or social worker, or a manager whose scope includes the child)."""
    return (
        user.pk != removal.requested_by_id
        and user.has_perm("carereview.manage_portal_access")
        and Child.objects.visible_to(user).filter(pk=removal.access.child_id).exists()
    )


@transaction.atomic
def decide_second_step_removal(
    removal: SecondStepRemoval, *, by: User, approve: bool
) -> SecondStepRemoval:
    """Approve (the second step is removed, the person's sessions end and they are told) or
    refuse a request. Never by the member of staff who asked."""
    from carereview.accounts.second_factor import end_sessions
    from carereview.core.second_factor import remove_devices

    removal = (
        SecondStepRemoval.objects.select_for_update(of=("self",))
        .select_related("access", "access__user")
        .get(pk=removal.pk)
    )
    if removal.decided_at is not None:
        raise PortalRefused("This request has already been decided")
    if removal.requested_by_id == by.pk:
        raise PortalRefused(
            "You asked for this, so another member of staff must approve it: someone who can "
            "manage portal access for this child, or a manager"
        )
    if not may_decide(by, removal):
        raise PortalRefused("You cannot decide this request")
    removal.decided_by, removal.decided_at, removal.approved = by, timezone.now(), approve
    removal.save(update_fields=["decided_by", "decided_at", "approved"])
    access = removal.access
    if approve:
        remove_devices(access.user)
        end_sessions(access.user)
        tell(
            access,
            key=f"portal.second-step-off.{removal.pk}",
            subject=f"The code from your phone is turned off ({authority().authority_name})",
            body=(
                f"Hello {access.first_name}. As asked, you no longer need the code from your "
                f"phone to sign in to the {authority().authority_name} portal: your password is "
                f"enough. You can turn the code on again under 'Keep your sign-in safe'. If you "
                f"did not ask for this, call the IRO service on {authority().iro_service_phone} "
                "straight away."
            ),
        )
    audit.record_change(
        by,
        f"portal.second_step_removal.{'approve' if approve else 'refuse'}",
        access,
        {"removal": removal.pk, "requested_by": removal.requested_by_id},
    )
    return removal


@transaction.atomic
def ask_for_visit(access: PortalAccess, *, by: User, why: str, when_suits: str) -> VisitRequest:
    """The person asks the child's IRO to visit outside reviews. The same words asked again the
    same day (a second press of Send, or six at once) are the one request."""
    iro = access.child.current_iro
    if iro is None:
        raise PortalRefused("There is no IRO to ask yet. Call the IRO service.")
    why, when_suits = why.strip(), when_suits.strip()
    same = access.already_sent(
        VisitRequest.objects.all(),
        why=why,
        when_suits=when_suits,
        answered_at__isnull=True,
        asked_at__date=timezone.localdate(),
    )
    if same is not None:
        return same
    asked = VisitRequest.objects.create(
        child=access.child, access=access, iro=iro, why=why, when_suits=when_suits
    )
    audit.record_change(by, "portal.visit_request", asked, {})
    return asked


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
    person = access.person
    if person is not None:
        person.refresh_from_db(fields=["portal_user"])
    else:
        access.child.refresh_from_db(fields=["portal_user"])
    user = person.portal_user if person is not None else access.child.portal_user
    return user if user is not None and user.is_active else None


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

"""Builders for tests: a portal user with live access to a child, made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from carereview.children.models import Child, Person
from carereview.core.testing import PASSWORD
from carereview.portal import services

if TYPE_CHECKING:
    from carereview.accounts.models import User
    from carereview.portal.models import PortalAccess, VisitRequest
    from carereview.representations.models import AdvocacyRequest, Representation


def make_portal_user(
    child: Child, *, by, person: Person | None = None, username: str = ""
) -> tuple[PortalAccess, User]:
    """Invite the child (person=None) or `person` to `child`'s portal and accept the link.
    Returns (access, user); the user's password is core.testing.PASSWORD."""
    who = person or child
    sent = services.grant_and_invite(
        child,
        by=by,
        person=person,
        channel="email",
        sent_to=who.email or "someone@example.com",
        base_url="http://testserver",
        with_help_from="" if person else "Their carer",
    )
    existing = services.existing_user(sent.access)
    if existing is not None:
        user = services.accept(sent.invitation, user=existing)
    else:
        name = username or f"{who.first_name}.{who.last_name}.{sent.access.pk}".lower()
        user = services.accept(sent.invitation, username=name, password=PASSWORD)
    sent.access.refresh_from_db()
    return sent.access, user


@dataclass
class PortalObjects:
    """One of each portal record for a child: a parent's access, a visit request, a
    representation, an advocacy request, and a fresh invitation link (its token)."""

    access: PortalAccess
    user: User
    visit: VisitRequest
    representation: Representation
    advocacy: AdvocacyRequest
    token: str


def make_portal_objects(child: Child, service) -> PortalObjects:
    from carereview.core.calendar import today
    from carereview.portal.models import VisitRequest
    from carereview.representations.models import AdvocacyRequest, Representation

    mother_relationship = child.relationships.filter(kind="mother").first()
    assert mother_relationship is not None, "the portal objects are made for a child with a mother"
    mother = mother_relationship.person
    access, user = make_portal_user(child, by=service.iro, person=mother)
    visit = VisitRequest.objects.create(
        child=child, access=access, iro=child.current_iro, why="To talk about contact"
    )
    representation = Representation.objects.create(
        child=child,
        access=access,
        made_by="parent",
        made_by_name=str(mother),
        kind="comment",
        about="About the review",
        received_on=today(),
        response_due_on=today(),
    )
    advocacy = AdvocacyRequest.objects.create(
        child=child, access=access, requested_by_name=child.full_name, requested_on=today()
    )
    # A link for the child, not yet used.
    sent = services.grant_and_invite(
        child,
        by=service.iro,
        person=None,
        channel="email",
        sent_to="child@example.com",
        base_url="http://testserver",
        with_help_from="Their carer",
    )
    return PortalObjects(access, user, visit, representation, advocacy, sent.token)

"""The demonstration's portal users: one child with a review being prepared, their mother and a
carer, each let in as staff would let them in (issue 5), so every face of the system can be tried.

Also gives each synthetic IRO contact details in Ofcom's drama ranges, which children and families
see in the portal.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from carereview.accounts.models import Role, User
from carereview.children.models import Child, Person, Relationship
from carereview.portal.models import PortalAccess
from carereview.portal.services import age_on

USERNAMES = {Role.CHILD: "demo.child", Role.PARENT: "demo.parent", Role.CARER: "demo.carer"}


def _contact_details() -> None:
    for n, iro in enumerate(User.objects.filter(role=Role.IRO).order_by("pk")):
        iro.phone = iro.phone or f"01632 960{300 + n:03d}"
        iro.mobile = iro.mobile or f"07700 900{300 + n:03d}"
        iro.save(update_fields=["phone", "mobile"])


def _candidate(as_at: date) -> Child | None:
    """A child of 9 to 13 in care, with an IRO, a review booked, a mother and a carer."""
    children = (
        Child.objects.filter(in_care=True, current_iro__isnull=False, reviews__held_on__isnull=True)
        .filter(relationships__kind=Relationship.Kind.MOTHER)
        .filter(relationships__kind=Relationship.Kind.CARER)
        .distinct()
        .order_by("pk")
    )
    for child in children:
        if 9 <= age_on(child, as_at) <= 13:
            return child
    return None


def open_portal(*, password: str, as_at: date) -> list[tuple[str, str, str]]:
    """Let the chosen child, their mother and a carer into the portal. Returns (who, username,
    child) for each, or nothing when no child fits."""
    _contact_details()
    child = _candidate(as_at)
    if child is None:
        return []
    iro = child.current_iro
    assert iro is not None  # the synthetic child has an IRO, who grants the access
    hashed = make_password(password)
    now = timezone.now()
    made = []
    people: list[tuple[Role, Person | None]] = [(Role.CHILD, None)]
    for kind, role in [
        (Relationship.Kind.MOTHER, Role.PARENT),
        (Relationship.Kind.CARER, Role.CARER),
    ]:
        rel = child.relationships.filter(kind=kind).select_related("person").first()
        assert rel is not None  # the synthetic child has a mother and a carer
        people.append((role, rel.person))
    for role, person in people:
        source = person or child
        user = User.objects.create(
            username=USERNAMES[role],
            first_name=source.first_name,
            last_name=source.last_name,
            email=source.email,
            role=role,
            password=hashed,
        )
        PortalAccess.objects.create(
            child=child, person=person, role=role, user=user, granted_by=iro, activated_at=now
        )
        source.portal_user = user
        source.save(update_fields=["portal_user"])
        made.append((dict(PortalAccess.ROLES)[role], user.username, child.full_name))
    return made

"""Every portal route for the child, a parent, a carer, a parent of another child, and a revoked
user (issue 5, item 7): each sees their own child's pages, and nothing else; a revoked user is
signed out of everything; staff reach no portal page."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from carereview.accounts.models import User
from carereview.children.models import Child, Person, Relationship
from carereview.core.calendar import today
from carereview.core.policy import PUBLIC, ROUTES
from carereview.core.testing import ReviewObjects, make_child, make_review_objects
from carereview.core.tests.test_policy_routes import all_routes
from carereview.portal import services
from carereview.portal.models import PortalAccess
from carereview.portal.testing import make_portal_user
from carereview.representations.models import Representation
from carereview.reviews.models import MatterConsidered, Review

pytestmark = pytest.mark.django_db

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
ADDRESS_PARTS = ["Example Lane", "NM1 1AA"]

# (person, route) pairs that are not for that person: not found, never shown.
NOT_FOR_THEM = {
    ("mother", "portal:choices"),
    ("father", "portal:choices"),
    ("carer", "portal:choices"),
    ("child", "portal:separate-meeting"),
    ("mother", "portal:separate-meeting"),
    ("carer", "portal:separate-meeting"),
}
# Routes about the person's sign-in rather than a child.
NOT_ABOUT_A_CHILD = {"portal:home", "portal:second-factor", "portal:sign-out", "portal:keep-alive"}


class World:
    """The portal's people and records, as the fixture makes them."""

    child: Child
    held: Review
    objects: ReviewObjects
    open: Review
    mother: Person
    father: Person
    carer_person: Person
    users: dict[str, User]
    other_child: Child
    representations: dict[str, Representation]


@pytest.fixture
def world(service):
    w = World()
    w.child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=today() - timedelta(days=200),
        reviews=[today() - timedelta(days=40)],
        confidential=True,
    )
    w.held = w.child.reviews.get()
    w.objects = make_review_objects(w.child, service.iro)  # the father is excluded
    w.open = w.objects.review
    w.mother = w.child.relationships.get(kind="mother").person
    w.father = w.objects.exclusion.person
    w.carer_person = Person.objects.create(first_name="Cary", last_name="Holloway")
    Relationship.objects.create(child=w.child, person=w.carer_person, kind="carer")
    service.iro.photo.save("iro.png", ContentFile(PNG), save=True)
    w.users = {}
    for name, person in [
        ("child", None),
        ("mother", w.mother),
        ("father", w.father),
        ("carer", w.carer_person),
    ]:
        w.users[name] = make_portal_user(w.child, by=service.iro, person=person)[1]
    # A parent of another child.
    w.other_child = make_child(iro=service.iro2, last_name="Otherside")
    other_mother = w.other_child.relationships.get().person
    w.users["other_parent"] = make_portal_user(w.other_child, by=service.iro2, person=other_mother)[
        1
    ]
    # A carer whose access has ended.
    former = Person.objects.create(first_name="Fran", last_name="Formerly")
    Relationship.objects.create(child=w.child, person=former, kind="carer")
    access, w.users["revoked"] = make_portal_user(w.child, by=service.iro, person=former)
    services.revoke(access, by=service.iro, reason="The placement ended")
    # Each person's own representation, for the acknowledgement page.
    w.representations = {}
    for name, user in w.users.items():
        own = PortalAccess.objects.filter(user=user).first()
        assert own is not None
        w.representations[name] = Representation.objects.create(
            child=own.child,
            access=own,
            made_by="child",
            made_by_name="Someone",
            kind="comment",
            about="Something",
            received_on=today(),
            response_due_on=today(),
        )
    return w


def portal_routes():
    return {r: p for r, p in all_routes().items() if r.startswith("portal:")}


def kwargs_for(world, name, route, pattern):
    names = set(pattern.pattern.converters)
    values = {
        "child_id": world.child.pk,
        "position": 1,
        "review_id": world.open.pk if route == "portal:separate-meeting" else world.held.pk,
        "representation_id": world.representations[name].pk,
    }
    assert names <= set(values), f"{route}: teach this test {names - set(values)}"
    return {n: values[n] for n in names}


def _get(client, route, url):
    return client.post(url) if route == "portal:sign-out" else client.get(url)


def test_each_person_reaches_their_own_childs_pages(client, world):
    failures = []
    for name in ("child", "mother", "father", "carer"):
        for route, pattern in portal_routes().items():
            if ROUTES[route] == PUBLIC:
                continue
            client.force_login(world.users[name])
            url = reverse(route, kwargs=kwargs_for(world, name, route, pattern))
            response = _get(client, route, url)
            expected_404 = (name, route) in NOT_FOR_THEM
            ok = response.status_code == 404 if expected_404 else response.status_code < 400
            if not ok:
                failures.append(f"{name} {route} {url}: {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_a_parent_never_sees_the_confidential_address(client, world):
    # The address is also typed into a decision and the IRO's view, as happens.
    world.held.decisions.create(text="Stay at 1 Example Lane for now", due_on=today())
    MatterConsidered.objects.create(
        review=world.held, matter="placement", iro_view="Settled at 1 Example Lane, NM1 1AA"
    )
    for name in ("mother", "father"):
        client.force_login(world.users[name])
        for route, pattern in portal_routes().items():
            if ROUTES[route] == PUBLIC or route == "portal:sign-out":
                continue
            url = reverse(route, kwargs=kwargs_for(world, name, route, pattern))
            response = client.get(url)
            if response.status_code != 200 or response.streaming:
                continue
            if "pdf" in response.get("Content-Type", ""):
                continue
            text = response.content.decode()
            for part in ADDRESS_PARTS:
                assert part not in text, (name, route, part)
    # The carer may see it (rules.md §7 keeps it from parents).
    client.force_login(world.users["carer"])
    page = client.get(reverse("portal:after", kwargs={"child_id": world.child.pk}))
    assert "Example Lane" in page.content.decode()


def test_a_matter_hidden_from_a_parent_is_not_in_their_portal(client, world):
    matter = MatterConsidered.objects.create(
        review=world.held, matter="contact", iro_view="Contact with the mother is to stop"
    )
    matter.hidden_from.add(world.mother)
    client.force_login(world.users["mother"])
    page = client.get(reverse("portal:after", kwargs={"child_id": world.child.pk}))
    assert page.status_code == 200
    assert "Contact with the mother is to stop" not in page.content.decode()
    client.force_login(world.users["carer"])
    page = client.get(reverse("portal:after", kwargs={"child_id": world.child.pk}))
    assert "Contact with the mother is to stop" in page.content.decode()


def test_a_parent_of_another_child_gets_nothing(client, world):
    client.force_login(world.users["other_parent"])
    for route, pattern in portal_routes().items():
        if ROUTES[route] == PUBLIC or route in NOT_ABOUT_A_CHILD:
            continue
        url = reverse(route, kwargs=kwargs_for(world, "other_parent", route, pattern))
        response = _get(client, route, url)
        assert response.status_code == 404, (route, response.status_code)
        assert world.child.last_name.encode() not in response.content, route


def test_a_revoked_user_gets_nothing(client, world):
    client.force_login(world.users["revoked"])
    for route, pattern in portal_routes().items():
        if ROUTES[route] == PUBLIC:
            continue
        url = reverse(route, kwargs=kwargs_for(world, "revoked", route, pattern))
        response = _get(client, route, url)
        assert response.status_code == 302, (route, response.status_code)
        assert response["Location"].startswith(reverse("portal:sign-in")), route
    # And cannot sign in again.
    response = client.post(
        reverse("portal:sign-in"),
        {"username": world.users["revoked"].username, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 200
    assert b"not right" in response.content or b"cannot use" in response.content


def test_staff_reach_no_portal_page(client, world, service):
    for user in service.by_role().values():
        client.force_login(user)
        for route, pattern in portal_routes().items():
            if ROUTES[route] == PUBLIC:
                continue
            url = reverse(route, kwargs=kwargs_for(world, "child", route, pattern))
            assert _get(client, route, url).status_code == 403, (user.role, route)


def test_nobody_can_sign_up_unasked(client):
    """No route makes a portal sign-in except an invitation link; a made-up link fails."""
    assert not [r for r in all_routes() if "sign-up" in r or "register" in r]
    response = client.get(reverse("portal:accept", kwargs={"token": "made-up-token"}))
    assert response.status_code == 410
    assert b"does not work" in response.content


def test_every_portal_read_is_in_the_access_log(client, world):
    from carereview.core.models import AccessEvent

    client.force_login(world.users["mother"])
    before = AccessEvent.objects.count()
    client.get(reverse("portal:after", kwargs={"child_id": world.child.pk}))
    event = AccessEvent.objects.order_by("-id").first()
    assert event is not None
    assert AccessEvent.objects.count() == before + 1
    assert event.user == world.users["mother"] and event.child == world.child
    assert event.action == "portal.after the review"

"""What a parent reads in the portal, where the text was typed by someone else, and the ways
back in (issue 5, items 1 and 7; found in review)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carereview.children.models import Person, Relationship
from carereview.core.calendar import today
from carereview.core.models import AccessEvent
from carereview.core.testing import PASSWORD, make_child, make_review_objects
from carereview.documents import services as document_services
from carereview.documents.testing import confirm_parents_versions
from carereview.portal import services
from carereview.portal.models import VisitRequest
from carereview.portal.testing import make_portal_user
from carereview.portal.views.pages import visit_answers_copy

pytestmark = pytest.mark.django_db
ADDRESS = "1 Example Lane, NM1 1AA"


@pytest.fixture
def family(service):
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=today() - timedelta(days=200),
        reviews=[today() - timedelta(days=40)],
        confidential=True,
    )
    objects = make_review_objects(child, service.iro)
    mother = child.relationships.get(kind="mother").person
    _, mum = make_portal_user(child, by=service.iro, person=mother)
    _, dad = make_portal_user(child, by=service.iro, person=objects.exclusion.person)
    return child, objects, mum, dad


def test_an_exclusion_reason_never_gives_the_address(client, family):
    child, objects, _, dad = family
    objects.exclusion.reason = f"Because of threats made at {ADDRESS}"
    objects.exclusion.save()
    client.force_login(dad)
    for confirmed in (False, True):
        if confirmed:  # the IRO checked the father's version (documents.release)
            confirm_parents_versions(objects.review, objects.review.child.current_iro)
        for route in ("portal:review", "portal:after", "portal:child"):
            page = client.get(reverse(route, args=[child.pk])).content.decode()
            assert "Example Lane" not in page and "NM1 1AA" not in page, route
    assert (
        "[address withheld]"
        in client.get(reverse("portal:review", args=[child.pk])).content.decode()
    )


def test_the_childs_topics_and_the_iros_answers_are_cleaned_for_a_parent(client, family, service):
    child, objects, mum, _ = family
    objects.review.choice_topics = f"I like living at {ADDRESS}"
    objects.review.save()
    confirm_parents_versions(objects.review, service.iro)
    client.force_login(mum)
    page = client.get(reverse("portal:review", args=[child.pk])).content.decode()
    assert "I like living at [address withheld]" in page
    access = mum.portal_accesses.get()
    VisitRequest.objects.create(
        child=child,
        access=access,
        iro=service.iro,
        why="Talk",
        answer=f"Come to {ADDRESS}",
        answered_at=objects.review.created_at,
    )
    page = client.get(reverse("portal:visit", args=[child.pk])).content.decode()
    assert "Example Lane" not in page and "not ready for you yet" in page
    copy = visit_answers_copy(access)
    document_services.confirm(copy, by=service.iro, read_hash=copy.hash)
    page = client.get(reverse("portal:visit", args=[child.pk])).content.decode()
    assert "Come to [address withheld]" in page and "Example Lane" not in page


def test_an_excluded_parent_is_not_told_when_the_meeting_is(client, family):
    child, objects, _, dad = family
    client.force_login(dad)
    page = client.get(reverse("portal:consultation", args=[child.pk])).content.decode()
    assert f"{objects.meeting.on:%B}" not in page or "booked for" not in page
    assert "booked for" not in page


def test_a_made_up_review_number_is_not_found(client, family):
    child, _, mum, _ = family
    client.force_login(mum)
    url = reverse("portal:after", args=[child.pk])
    assert client.get(url + "?review=%C2%B2").status_code == 200  # not a number: ignored
    assert client.get(url + "?review=99999999999999999999999").status_code == 404


def test_a_person_who_is_both_parent_and_carer_can_be_invited(client, service):
    child = make_child(iro=service.iro)
    both = Person.objects.create(first_name="Bo", last_name="Both", email="bo@example.com")
    Relationship.objects.create(child=child, person=both, kind="parent")
    Relationship.objects.create(child=child, person=both, kind="carer")
    client.force_login(service.iro)
    response = client.post(
        reverse("access:invite", args=[child.pk]),
        {"who": f"person-{both.pk}", "channel": "email", "sent_to": ""},
    )
    assert response.status_code == 302
    assert child.portal_accesses.get(person=both).role == "parent"


def test_a_link_used_in_another_tab_meanwhile_is_a_clear_page(client, service, monkeypatch):
    child = make_child(iro=service.iro)
    sent = services.grant_and_invite(
        child,
        by=service.iro,
        person=None,
        channel="email",
        sent_to="c@example.com",
        base_url="http://testserver",
        with_help_from="Carer",
    )
    url = reverse("portal:accept", args=[sent.token])
    found = services.find_invitation(sent.token)
    assert found is not None
    services.accept(found, username="first.tab", password=PASSWORD)
    monkeypatch.setattr(services, "find_invitation", lambda token: found)
    # The second tab shows "sign in to add this child" (the person now has a sign-in) and the
    # link is already used when they do.
    response = client.post(url, {"username": "first.tab", "password": PASSWORD})
    assert response.status_code == 410


def test_staff_pages_about_the_portal_write_the_access_log(client, family, service):
    child, objects, mum, _ = family
    client.force_login(service.iro)
    access = mum.portal_accesses.get()
    VisitRequest.objects.create(child=child, access=access, iro=service.iro, why="Talk")
    for url in (
        reverse("access:invite", args=[child.pk]),
        reverse("access:revoke", args=[access.pk]),
        reverse("reviews:choices", args=[objects.review.pk]),
        reverse("reviews:care-plan", args=[objects.review.pk]),
        reverse("requests:list"),
    ):
        before = AccessEvent.objects.filter(child=child).count()
        assert client.get(url).status_code == 200, url
        assert AccessEvent.objects.filter(child=child).count() > before, url


def test_a_profile_photo_loses_its_metadata(client, service):
    from PIL import Image

    image = Image.new("RGB", (1200, 800), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    assert b"PhoneMaker" in raw.getvalue()
    client.force_login(service.iro)
    response = client.post(
        reverse("core:profile"),
        {
            "phone": "01632 960001",
            "mobile": "",
            "email": "ian@example.org",
            "contact_by": "email",
            "photo": SimpleUploadedFile("me.jpg", raw.getvalue(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    service.iro.refresh_from_db()
    stored = service.iro.photo.open("rb").read()
    assert b"PhoneMaker" not in stored
    assert Image.open(io.BytesIO(stored)).size == (600, 400)


def test_the_staff_sign_in_refuses_a_portal_user(client, family):
    _, _, mum, _ = family
    response = client.post(reverse("sign-in"), {"username": mum.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "Children, parents and carers sign in at /portal/" in response.content.decode()

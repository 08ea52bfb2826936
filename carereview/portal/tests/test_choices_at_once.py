"""The child's choices changed in the portal while the IRO edits them (and the other way round):
neither overwrites the other unseen (issue 7). Each form carries the choices' version when it
was opened; a save over a later change is stopped, shows what the choices are now, and a second
save (which then carries the latest version) goes through."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse

from carereview.core.calendar import today
from carereview.core.testing import make_child
from carereview.portal.testing import make_portal_user
from carereview.reviews import services
from carereview.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(service):
    child = make_child(iro=service.iro, social_worker=service.social_worker, first_name="Robin")
    services.book_meeting(child, by=service.iro, on=today() + timedelta(days=30), at=time(10))
    return Review.objects.get(child=child)  # scoped: the test's own child


def _version(page) -> str:
    found = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert found, "the form carries the choices' version"
    return found[1]


def _staff_post(client, review, version, who):
    return client.post(
        reverse("reviews:choices", args=[review.pk]),
        {
            "version": version,
            "choice_who": who,
            "choice_topics": "",
            "choice_where": "",
            "choice_when": "",
            "choice_chairing": "iro",
            "choices_cutoff": "",
        },
    )


def _child_post(client, review, version, who):
    return client.post(
        reverse("portal:choices", args=[review.child_id]),
        {"version": version, "who": who, "topics": "", "where": "", "when": "", "chairing": "iro"},
    )


def test_the_iro_does_not_overwrite_the_childs_change_unseen(client, service, review):
    _access, child_user = make_portal_user(review.child, by=service.iro)
    client.force_login(service.iro)
    iro_version = _version(client.get(reverse("reviews:choices", args=[review.pk])))

    client.force_login(child_user)
    child_version = _version(client.get(reverse("portal:choices", args=[review.child_id])))
    assert (
        _child_post(client, review, child_version, "My nan and my foster carer").status_code == 302
    )

    client.force_login(service.iro)
    stopped = _staff_post(client, review, iro_version, "Robin's social worker")
    assert stopped.status_code == 200
    page = stopped.content.decode()
    assert "These choices were changed (in the portal, or by a colleague)" in page
    assert "My nan and my foster carer" in page  # what they are now
    review.refresh_from_db()
    assert review.choice_who == "My nan and my foster carer"
    # Saving again, having seen it, replaces them.
    again = _staff_post(client, review, _version(stopped), "My nan, my foster carer and Sam")
    assert again.status_code == 302
    review.refresh_from_db()
    assert review.choice_who == "My nan, my foster carer and Sam"
    assert review.choices_version == 2


def test_the_child_does_not_overwrite_the_iros_change_unseen(client, service, review):
    _access, child_user = make_portal_user(review.child, by=service.iro)
    client.force_login(child_user)
    child_version = _version(client.get(reverse("portal:choices", args=[review.child_id])))
    client.force_login(service.iro)
    assert _staff_post(client, review, "0", "Mum and the foster carer").status_code == 302

    client.force_login(child_user)
    stopped = _child_post(client, review, child_version, "Just my foster carer")
    assert stopped.status_code == 200
    page = stopped.content.decode()
    assert "Your IRO changed your choices while you were on this page" in page
    assert "Mum and the foster carer" in page
    review.refresh_from_db()
    assert review.choice_who == "Mum and the foster carer"
    assert _child_post(client, review, _version(stopped), "Just my foster carer").status_code == 302
    review.refresh_from_db()
    assert review.choice_who == "Just my foster carer"

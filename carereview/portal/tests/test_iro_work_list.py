"""The IRO's work list names what only they can unblock before anything of a review reaches the
family (issue 12, items 1 and 24): a parent's version waiting for their check (rules.md §7, ADR
0009) and decisions not yet written in the child's words. Without it, an invitation held for the
check is found only by opening each review."""

from datetime import date

import pytest
from django.urls import reverse

from carereview.core.models import AccessEvent
from carereview.core.testing import make_child, make_review_objects
from carereview.documents import copies, release
from carereview.documents import services as document_services
from carereview.documents.records import recipient_for_person
from carereview.reviews.models import Decision, Review

pytestmark = pytest.mark.django_db


def _list(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("requests:list")).content.decode()


def test_a_parents_version_waiting_for_the_check_is_on_the_iros_work_list(client, service):
    hidden = make_child(iro=service.iro, social_worker=service.social_worker, confidential=True)
    open_ = make_child(iro=service.iro, social_worker=service.social_worker)
    review = make_review_objects(hidden, service.iro).review
    make_review_objects(open_, service.iro)
    document_services.send_invitations(review, by=service.business_support)
    mother = hidden.relationships.get(kind="mother").person
    check_url = reverse("requests:parent-copies", kwargs={"review_id": review.pk})

    page = _list(client, service.iro)
    assert check_url in page and str(mother) in page
    assert open_.full_name not in page  # nothing of theirs waits
    assert AccessEvent.objects.filter(user=service.iro, child=hidden).exists()
    # Another IRO's work list does not show it.
    assert check_url not in _list(client, service.iro2)

    for person in release.waiting_for_check(review):
        copy = copies.review_copy(review, recipient_for_person(review, person.person))
        document_services.confirm(copy, by=service.iro, read_hash=copy.hash)
    assert check_url not in _list(client, service.iro)


def test_decisions_not_yet_in_the_childs_words_are_on_the_iros_work_list(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    review = make_review_objects(child, service.iro).review
    Review.objects.filter(pk=review.pk).update(held_on=date.today(), participation_code="PN1")
    decision = Decision.objects.create(review=review, text="Swimming lessons", due_on=date.today())
    wording_url = reverse("reviews:child-wording", kwargs={"review_id": review.pk})
    page = _list(client, service.iro)
    assert wording_url in page and child.full_name in page
    decision.child_wording = "You will start swimming lessons"
    decision.save()
    assert wording_url not in _list(client, service.iro)


def test_the_send_page_shows_a_version_waiting_for_the_check_as_such_not_a_link_refused(
    client, service
):
    """The IRO on "Send the record": a parent's version not yet checked is not offered as a PDF
    link (which would be refused); it says it waits for the check, with the way to it."""
    child = make_child(iro=service.iro, social_worker=service.social_worker, confidential=True)
    review = make_review_objects(child, service.iro).review
    Review.objects.filter(pk=review.pk).update(held_on=date.today(), participation_code="PN1")
    mother = child.relationships.get(kind="mother").person
    pdf = reverse(
        "reviews:document",
        kwargs={"review_id": review.pk, "kind": "record", "recipient": f"person-{mother.pk}"},
    )
    client.force_login(service.iro)
    send = reverse("reviews:send", kwargs={"review_id": review.pk, "kind": "record"})
    page = client.get(send).content.decode()
    assert pdf not in page
    assert "Waiting for the IRO's check of what they read" in page
    assert reverse("requests:parent-copies", kwargs={"review_id": review.pk}) in page
    copy = copies.review_copy(review, recipient_for_person(review, mother))
    document_services.confirm(copy, by=service.iro, read_hash=copy.hash)
    assert pdf in client.get(send).content.decode()

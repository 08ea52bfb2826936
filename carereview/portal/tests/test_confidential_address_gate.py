"""A confidential placement address never reaches a parent through text staff typed (issue 12,
item 1; rules.md §7; ADR 0009).

The audit wrote the address as "109 Pretend Rd" for "109 Pretend Row", with hyphens or dots for
spaces, the postcode as "NM3-5EN", in full-width digits, with a soft hyphen or a zero-width space
inside a word, and found it on the mother's portal pages, her invitation and her record (the
meeting's venue, the parents' views, a decision, a matter). Here every such spelling goes into
every one of those places, and the mother's pages and documents are read before and after the
IRO's check.
"""

import re
from datetime import time, timedelta
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from carereview.children.models import Person, Relationship
from carereview.core.calendar import today
from carereview.core.testing import make_child
from carereview.documents import services as document_services
from carereview.documents.invitations import render_invitation_html
from carereview.documents.records import recipient_for_person, render_record_html
from carereview.documents.release import record_version
from carereview.notifications.outbox import deliver_due
from carereview.portal.testing import make_portal_user
from carereview.reviews import services as review_services
from carereview.reviews.models import Decision, Invitation, MatterConsidered, Review

pytestmark = pytest.mark.django_db

STORED = "109 Pretend Row\nNewtown\nNM3 5EN"
SPELLINGS = [
    "109 Pretend Rd",
    "109-Pretend-Row",
    "109.Pretend.Row",
    "the postcode NM3-5EN",
    "１０９ Pretend Row",
    "109 Pre\u00adtend Row",
    "109 Pre\u200btend Row",
    "109 Рretend Row",  # a Cyrillic capital "Р"
    "nm3.5en",
]
CARER = "Cara Holt"


class Family:
    def __init__(self, service, written: str, *, sent: bool = True):
        iro = service.iro
        self.iro = iro
        self.child = child = make_child(
            iro=iro,
            social_worker=service.social_worker,
            start=today() - timedelta(days=200),
            confidential=True,
        )
        child.episodes.update(placement_address=STORED)
        self.mother = child.relationships.get(kind="mother").person
        self.mother.email = "morgan@example.org"
        self.mother.save()
        self.carer = Person.objects.create(
            first_name="Cara", last_name="Holt", email="cara@example.org"
        )
        Relationship.objects.create(child=child, person=self.carer, kind="carer")
        self.access, self.mum = make_portal_user(child, by=iro, person=self.mother)

        # A review held, its decisions and record sent, the address typed everywhere.
        self.held = Review.objects.create(
            child=child,
            held_on=today() - timedelta(days=10),
            chaired_by=iro,
            participation_code="PN1",
            parents_views=f"Morgan asked to visit {written} at weekends.",
            wishes_and_feelings="Robin likes Cara and the new school.",
            decisions_sent_on=today() - timedelta(days=5) if sent else None,
            record_sent_on=today() - timedelta(days=2) if sent else None,
        )
        MatterConsidered.objects.create(
            review=self.held, matter="placement", iro_view=f"Settled at {written}; stays."
        )
        Decision.objects.create(
            review=self.held,
            text=f"Move the bike shed behind {written} and book swimming",
            child_wording="We will book swimming lessons for you",
            owner_description=f"{CARER}, the foster carer",
            due_on=today() + timedelta(days=30),
        )
        for person, role in ((self.mother, "Mother"), (self.carer, "Carer")):
            Invitation.objects.create(
                review=self.held, person=person, role=role, attendance="attended", method="both"
            )
        # The next review, booked at the placement.
        meeting = review_services.book_meeting(
            child, by=iro, on=today() + timedelta(days=10), at=time(10), venue=f"At {written}"
        )
        self.open = meeting.review
        self.invitation = Invitation.objects.create(
            review=self.open, person=self.mother, role="Mother", method="both"
        )
        Invitation.objects.create(review=self.open, person=self.carer, role="Carer")

    def mothers_pages(self, client) -> str:
        client.force_login(self.mum)
        pages = [
            client.get(reverse(route, args=[self.child.pk])).content.decode()
            for route in ("portal:child", "portal:review", "portal:after")
        ]
        return unescape("\n".join(pages))

    def mothers_documents(self) -> str:
        """The HTML her invitation PDF and her record PDF are made from ("" if refused)."""
        out = []
        try:
            out.append(render_invitation_html(self.open, self.invitation))
        except PermissionDenied:
            pass
        version = record_version(self.held, recipient_for_person(self.held, self.mother))
        assert version is not None
        try:
            out.append(render_record_html(version))
        except PermissionDenied:
            pass
        return unescape("\n".join(out))

    def iro_confirms(self, client, review) -> str:
        """The IRO opens the check page and confirms the mother's version, as shown."""
        client.force_login(self.iro)
        url = reverse("requests:parent-copies", args=[review.pk])
        page = client.get(url).content.decode()
        form = re.search(
            rf'name="person" value="{self.mother.pk}">\s*<input type="hidden" name="what" '
            r'value="review">\s*<input type="hidden" name="hash" value="([0-9a-f]{64})"',
            page,
        )
        assert form, "no confirmation form for the mother's version"
        response = client.post(
            url, {"person": self.mother.pk, "what": "review", "hash": form.group(1)}
        )
        assert response.status_code == 302
        return page


def _leaks(text: str, written: str) -> bool:
    return written in text or "Pretend Row" in text or "NM3 5EN" in text


@pytest.mark.parametrize("written", SPELLINGS)
def test_no_spelling_of_the_address_reaches_the_mother(client, service, written):
    family = Family(service, written)
    assert not _leaks(family.mothers_pages(client), written)
    assert not _leaks(family.mothers_documents(), written)

    # The IRO reads her versions, with what may lead to the address marked, and confirms.
    for review in (family.open, family.held):
        page = family.iro_confirms(client, review)
        assert "<mark>" in page
    pages, documents = family.mothers_pages(client), family.mothers_documents()
    assert not _leaks(pages, written) and not _leaks(documents, written)
    # Released now: the staff text is there, with the address taken out.
    assert "book swimming" in pages and "book swimming" in documents
    assert "[address withheld]" in pages and "[address withheld]" in documents
    assert "Invitation to the Child in Care Review" in documents


def test_nothing_staff_typed_reaches_the_mother_until_the_iro_confirms(client, service):
    from carereview.documents.redaction import NOT_READY

    family = Family(service, "109 Pretend Row")
    pages = family.mothers_pages(client)
    assert NOT_READY in pages
    assert "book swimming" not in pages and "weekends" not in pages and "At " not in pages
    assert family.mothers_documents() == ""
    # Her record PDF is not made either: the page says it is not ready.
    response = client.get(reverse("portal:record-pdf", args=[family.child.pk, family.held.pk]))
    assert response["Content-Type"].startswith("text/html") and NOT_READY in unescape(
        response.content.decode()
    )
    # Staff cannot print her invitation yet.
    client.force_login(family.iro)
    url = reverse("reviews:document", args=[family.open.pk, "invitation", family.invitation.pk])
    assert client.get(url).status_code == 403

    family.iro_confirms(client, family.open)
    family.iro_confirms(client, family.held)
    assert client.get(url).status_code == 200
    client.force_login(family.mum)
    response = client.get(reverse("portal:record-pdf", args=[family.child.pk, family.held.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert NOT_READY not in family.mothers_pages(client)


def test_a_change_after_the_check_waits_for_a_new_one(client, service):
    from carereview.documents.redaction import NOT_READY

    family = Family(service, "109 Pretend Row")
    family.iro_confirms(client, family.held)
    assert "book swimming" in family.mothers_pages(client)
    Review.objects.filter(pk=family.held.pk).update(parents_views="Morgan knows the road now.")
    pages = family.mothers_pages(client)
    assert NOT_READY in pages and "book swimming" not in pages
    client.force_login(family.iro)
    page = client.get(reverse("requests:parent-copies", args=[family.held.pk])).content.decode()
    assert "Changed" in page and "Not released" in page
    family.iro_confirms(client, family.held)
    assert "Morgan knows the road now." in family.mothers_pages(client)


def test_the_confirmation_says_who_when_and_which_version(client, service):
    from carereview.core.models import AuditEvent
    from carereview.documents.copies import review_copy
    from carereview.documents.models import ParentCopyConfirmation

    family = Family(service, "109 Pretend Row")
    mother = recipient_for_person(family.held, family.mother)
    expected = review_copy(family.held, mother).hash
    family.iro_confirms(client, family.held)
    confirmation = ParentCopyConfirmation.objects.get()
    assert confirmation.confirmed_by == family.iro
    assert confirmation.person == family.mother and confirmation.review == family.held
    assert confirmation.content_hash == expected
    assert confirmation.confirmed_at is not None
    assert AuditEvent.objects.filter(operation="documents.confirm_parent_copy").count() == 1


def test_a_version_that_changed_while_the_iro_read_it_is_not_confirmed(client, service):
    from carereview.documents.models import ParentCopyConfirmation

    family = Family(service, "109 Pretend Row")
    client.force_login(family.iro)
    url = reverse("requests:parent-copies", args=[family.held.pk])
    page = client.get(url).content.decode()
    shown = re.findall(r'name="hash" value="([0-9a-f]{64})"', page)[0]
    Review.objects.filter(pk=family.held.pk).update(parents_views="Written meanwhile.")
    response = client.post(url, {"person": family.mother.pk, "what": "review", "hash": shown})
    assert response.status_code == 302
    assert not ParentCopyConfirmation.objects.exists()
    assert "changed while you were reading" in client.get(url).content.decode()


def test_the_mothers_email_is_held_until_her_version_is_confirmed(client, service):
    family = Family(service, "109 Pretend Rd", sent=False)
    deliver_due()  # what setting up sent (the portal's sign-in links)
    mail.outbox.clear()
    document_services.send_decisions(family.held, by=family.iro)
    deliver_due()  # the outbox's worker
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]  # the carer's went at once
    mail.outbox.clear()
    family.iro_confirms(client, family.held)
    deliver_due()
    assert [m.to for m in mail.outbox] == [["morgan@example.org"]]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    # Confirming again sends nothing twice.
    mail.outbox.clear()
    from carereview.documents.services import send_held

    assert send_held(family.held, recipient_for_person(family.held, family.mother)) == 0
    deliver_due()
    assert mail.outbox == []


def test_the_review_page_asks_the_iro_to_check(client, service):
    family = Family(service, "109 Pretend Row")
    client.force_login(family.iro)
    url = reverse("reviews:detail", args=[family.held.pk])
    check = reverse("requests:parent-copies", args=[family.held.pk])
    assert check in client.get(url).content.decode()
    family.iro_confirms(client, family.held)
    assert check not in client.get(url).content.decode()


def test_the_carers_name_is_left_out_of_the_mothers_versions(client, service):
    family = Family(service, "109 Pretend Row")
    family.iro_confirms(client, family.open)
    family.iro_confirms(client, family.held)
    pages, documents = family.mothers_pages(client), family.mothers_documents()
    assert CARER not in pages and CARER not in documents
    assert "The child's carer" in pages and "The child's carer" in documents
    # The carer's own version keeps it (they may see the address too).
    carer = recipient_for_person(family.held, family.carer)
    carers_version = record_version(family.held, carer)
    assert carers_version is not None
    assert CARER in render_record_html(carers_version)


def test_the_carers_name_is_a_setting(client, service, settings):
    settings.CAREREVIEW = {
        **settings.CAREREVIEW,
        "HIDE_CARER_NAME_FROM_PARENT_WHEN_ADDRESS_CONFIDENTIAL": False,
    }
    family = Family(service, "109 Pretend Row")
    family.iro_confirms(client, family.held)
    version = record_version(family.held, recipient_for_person(family.held, family.mother))
    assert version is not None
    assert CARER in render_record_html(version)


def test_a_carer_is_not_held_back(client, service):
    family = Family(service, "109 Pretend Row")
    _, carer_user = make_portal_user(family.child, by=family.iro, person=family.carer)
    client.force_login(carer_user)
    page = unescape(client.get(reverse("portal:after", args=[family.child.pk])).content.decode())
    assert "book swimming" in page and "109 Pretend Row" in page


def test_the_check_page_escapes_what_staff_typed(client, service):
    family = Family(service, "109 Pretend Row")
    Review.objects.filter(pk=family.held.pk).update(
        parents_views="<script>alert('x')</script> near Pretend Avenue"
    )
    client.force_login(family.iro)
    page = client.get(reverse("requests:parent-copies", args=[family.held.pk])).content.decode()
    assert "<script>alert" not in page
    assert "Robin likes <mark>Cara</mark>" in page  # the carer's first name alone: suspected
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; near <mark>Pretend Avenue</mark>" in page
    )


def test_the_iros_answer_to_the_mothers_visit_request_waits_for_the_check(client, service):
    from carereview.portal.models import VisitRequest

    family = Family(service, "109 Pretend Row")
    asked = VisitRequest.objects.create(
        child=family.child, access=family.access, iro=family.iro, why="Can we meet?"
    )
    client.force_login(family.iro)
    response = client.post(
        reverse("requests:visit", args=[asked.pk]),
        {"answer": "Yes, at 109 Pretend Rd on Monday", "visit_on": ""},
    )
    check = reverse("requests:visit-answers-check", args=[family.child.pk])
    assert response.status_code == 302 and response["Location"] == check
    client.force_login(family.mum)
    page = unescape(client.get(reverse("portal:visit", args=[family.child.pk])).content.decode())
    assert "not ready for you yet" in page and "Monday" not in page

    client.force_login(family.iro)
    page = client.get(check).content.decode()
    assert "The IRO&#x27;s answers to visit requests" in page
    shown = re.search(
        rf'name="what" value="answers-{family.access.pk}">\s*'
        r'<input type="hidden" name="hash" value="([0-9a-f]{64})"',
        page,
    )
    assert shown is not None
    client.post(
        check, {"person": family.mother.pk, "what": f"answers-{family.access.pk}", "hash": shown[1]}
    )
    client.force_login(family.mum)
    page = unescape(client.get(reverse("portal:visit", args=[family.child.pk])).content.decode())
    assert "Yes, at [address withheld] on Monday" in page and "Pretend" not in page


def test_a_visit_answer_is_checked_for_a_child_with_no_review(client, service):
    """The check of a parent's visit answers does not depend on a review: a child with none still
    has a check page, the IRO is told the answer waits for it (not "sent"), and it is released."""
    from carereview.portal.models import VisitRequest

    iro = service.iro
    child = make_child(
        iro=iro,
        social_worker=service.social_worker,
        start=today() - timedelta(days=20),
        confidential=True,
    )
    child.episodes.update(placement_address=STORED)
    assert not child.reviews.exists()
    mother = child.relationships.get(kind="mother").person
    access, mum = make_portal_user(child, by=iro, person=mother)
    asked = VisitRequest.objects.create(child=child, access=access, iro=iro, why="Can we meet?")

    client.force_login(iro)
    response = client.post(
        reverse("requests:visit", args=[asked.pk]),
        {"answer": "Yes, at 109 Pretend Rd on Monday", "visit_on": ""},
        follow=True,
    )
    check = reverse("requests:visit-answers-check", args=[child.pk])
    assert response.redirect_chain == [(check, 302)]
    page = unescape(response.content.decode())
    assert "waits for your check" in page and "Answer sent" not in page
    assert "The IRO's answers to visit requests" in page

    client.force_login(mum)
    visit_page = reverse("portal:visit", args=[child.pk])
    page = unescape(client.get(visit_page).content.decode())
    assert "not ready for you yet" in page and "Monday" not in page

    client.force_login(iro)
    work_list = reverse("requests:list")
    assert check in client.get(work_list).content.decode()  # and found again from the work list
    shown = re.search(
        rf'name="what" value="answers-{access.pk}">\s*'
        r'<input type="hidden" name="hash" value="([0-9a-f]{64})"',
        client.get(check).content.decode(),
    )
    assert shown is not None
    confirmed = client.post(
        check, {"person": mother.pk, "what": f"answers-{access.pk}", "hash": shown[1]}
    )
    assert confirmed.status_code == 302 and confirmed["Location"] == check
    assert check not in client.get(work_list).content.decode()
    client.force_login(mum)
    page = unescape(client.get(visit_page).content.decode())
    assert "Yes, at [address withheld] on Monday" in page and "Pretend" not in page

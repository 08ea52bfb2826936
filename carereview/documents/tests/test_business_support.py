"""Business support's documents and workspace (issue 12, items 4 and 21; docs/adr/0011).

Business support prints and posts the letters that go on paper, for the reviews in their work, and
nothing else: not the full record, not a copy that went by email, not a review whose letters are
all posted. Each letter they open is in the access log; a refusal writes nothing. Their home is
a workspace of the reviews in their work, each with what is left to do.
"""

from datetime import date

import pytest
from django.urls import reverse

from carereview.children.models import Person, Relationship
from carereview.core.models import AccessEvent
from carereview.core.testing import make_child, make_review_objects
from carereview.documents import copies, selectors
from carereview.documents import services as document_services
from carereview.reviews import services
from carereview.reviews.models import Decision, Dispatch, Review


def _held_and_sent(service):
    """A review: the child and mother invited by letter, a carer by email, the father excluded
    (his letter goes by post); then held, with its decisions and record sent."""
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    objects = make_review_objects(child, service.iro)
    review = objects.review
    carer = Person.objects.create(first_name="Casey", last_name="Carer", email="morgan@example.com")
    Relationship.objects.create(child=child, person=carer, kind=Relationship.Kind.CARER)
    services.invite(review, by=service.iro, keys=[f"person-{carer.pk}"], method="email")
    document_services.send_invitations(review, by=service.business_support)
    # Held (set as data: the record's own rules are tested in test_record).
    Review.objects.filter(pk=review.pk).update(held_on=date.today(), participation_code="PN1")
    Decision.objects.create(
        review=review,
        text="Swimming lessons",
        child_wording="You will start swimming lessons",
        due_on=date.today(),
    )
    review.refresh_from_db()
    document_services.send_decisions(review, by=service.business_support)
    document_services.send_record(review, by=service.business_support)
    review.refresh_from_db()
    return review, objects, carer


def _url(review, kind, recipient):
    return reverse(
        "reviews:document", kwargs={"review_id": review.pk, "kind": kind, "recipient": recipient}
    )


def _documents(review, objects, carer, service):
    """Every document of the review, by (kind, whose), with whether it went on paper."""
    mother = objects.invitation
    carer_invitation = review.invitations.get(person=carer)
    return {
        ("invitation", "mother, by post"): (_url(review, "invitation", mother.pk), True),
        ("invitation", "carer, by email"): (
            _url(review, "invitation", carer_invitation.pk),
            False,
        ),
        ("exclusion-letter", "father, by post"): (
            _url(review, "exclusion-letter", objects.exclusion.pk),
            True,
        ),
        ("decisions", "mother, by post"): (
            _url(review, "decisions", f"person-{mother.person_id}"),
            True,
        ),
        ("record", "mother, by post"): (_url(review, "record", f"person-{mother.person_id}"), True),
        ("record", "the child, by post"): (_url(review, "record", "child"), True),
        ("record", "carer, by email"): (_url(review, "record", f"person-{carer.pk}"), False),
        ("record", "the IRO's full record"): (
            _url(review, "record", f"staff-{service.iro.pk}"),
            False,
        ),
        ("letter-to-child", "the child"): (_url(review, "letter-to-child", "child"), False),
    }


@pytest.mark.django_db
def test_who_reads_which_document(client, service):
    """Role x document: the IRO and IRO managers read every version; business support only the
    letters that go on paper; nobody else any. Each read logged once, each refusal not at all."""
    review, objects, carer = _held_and_sent(service)
    documents = _documents(review, objects, carer, service)
    failures = []
    for role, user in service.by_role().items():
        client.force_login(user)
        for (kind, whose), (url, paper) in documents.items():
            if role in {"iro", "iro_manager"}:
                expected = 200
            elif role == "business_support":
                expected = 200 if paper else 403
            else:
                expected = 403
            before = AccessEvent.objects.filter(user=user, child=review.child).count()
            response = client.get(url)
            logged = AccessEvent.objects.filter(user=user, child=review.child).count() - before
            if response.status_code != expected or logged != (expected == 200):
                failures.append(f"{role} {kind} for {whose}: {response.status_code}, {logged}")
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_business_support_reads_no_letter_of_a_review_out_of_their_work(client, service):
    review, objects, carer = _held_and_sent(service)
    url = _url(review, "invitation", objects.invitation.pk)
    client.force_login(service.business_support)
    assert client.get(url).status_code == 200
    # Every paper letter posted, the record sent: the review has left their work.
    letters = [x.dispatch.pk for x in selectors.letters_to_post(review)]
    document_services.mark_letters_posted(review, by=service.business_support, dispatch_ids=letters)
    assert not selectors.is_supported(service.business_support, review)
    before = AccessEvent.objects.count()
    assert client.get(url).status_code == 403
    assert AccessEvent.objects.count() == before


@pytest.mark.django_db
def test_business_support_starts_at_their_workspace(client, service):
    client.force_login(service.business_support)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("reviews:support")
    response = client.get(reverse("reviews:support"))
    assert b"No review is waiting for you" in response.content


@pytest.mark.django_db
def test_booking_leads_to_the_review_and_the_workspace_lists_what_is_left(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    client.force_login(service.business_support)
    on = child.next_review_due
    assert on is not None
    response = client.post(
        reverse("reviews:book", kwargs={"pk": child.pk}),
        {
            "on": on.isoformat(),
            "at": "10:00",
            "venue": "Family centre",
            "confirm": "on",
            "warned_for": on.isoformat(),
        },
    )
    assert response.status_code == 302, response.content
    review = Review.objects.get(child=child)
    assert response["Location"] == reverse("reviews:detail", kwargs={"review_id": review.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Review arrangements" in page and "Nobody invited yet" in page
    assert reverse("reviews:invitations", kwargs={"review_id": review.pk}) in page

    workspace = client.get(reverse("reviews:support")).content.decode()
    assert child.full_name in workspace and "Nobody invited yet" in workspace


@pytest.mark.django_db
def test_each_task_until_the_review_leaves_the_workspace(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    review = make_review_objects(child, service.iro).review
    bs = service.business_support

    def tasks():
        rows = [r for r in (selectors.support_row(x) for x in selectors.supported_reviews(bs))]
        return {t.text for r in rows if r.review.pk == review.pk for t in r.tasks}

    assert tasks() == {"2 invitations to send", "1 letter to print and post"}  # father's letter
    document_services.send_invitations(review, by=bs)
    assert tasks() == {"3 letters to print and post"}
    Review.objects.filter(pk=review.pk).update(held_on=date.today(), participation_code="PN1")
    Decision.objects.create(
        review=review,
        text="Swimming lessons",
        child_wording="You will start swimming lessons",
        due_on=date.today(),
    )
    review.refresh_from_db()
    assert tasks() == {"Decisions to send", "Record to send", "3 letters to print and post"}
    document_services.send_decisions(review, by=bs)
    document_services.send_record(review, by=bs)
    review.refresh_from_db()
    assert tasks() == {"7 letters to print and post"}
    client.force_login(bs)
    paper = Dispatch.objects.filter(review=review, method__in=selectors.PAPER)
    response = client.post(
        reverse("reviews:letters-posted", kwargs={"review_id": review.pk}),
        {"letters": [str(d.pk) for d in paper]},
    )
    assert response.status_code == 302
    assert tasks() == set()
    assert not selectors.supported_reviews(bs).filter(pk=review.pk).exists()


@pytest.mark.django_db
def test_the_workspace_reads_the_same_number_of_queries_whatever_its_rows(client, service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reviews:support")).status_code == 200
        return len(queries)

    client.force_login(service.business_support)
    review = make_review_objects(make_child(iro=service.iro), service.iro).review
    document_services.send_invitations(review, by=service.iro)
    page_queries()  # the first saves the session
    few = page_queries()
    for _ in range(3):
        more = make_review_objects(make_child(iro=service.iro), service.iro).review
        document_services.send_invitations(more, by=service.iro)
    assert len(selectors.supported_reviews(service.business_support)) == 4
    assert page_queries() == few


@pytest.mark.django_db
def test_a_letter_waiting_for_the_iros_check_is_neither_opened_nor_posted_until_checked(
    client, service
):
    """rules.md §7 (ADR 0009): where the address is confidential from the mother, her letters by
    post wait for the IRO's check like her emails. Business support sees them waiting, cannot
    open them nor mark them posted (which would leave her with nothing once they are checked);
    once the IRO confirms her version, they are letters to print and post."""
    from carereview.documents.records import recipient_of_child
    from carereview.reviews.models import PostedLetter

    review, objects, carer = _held_and_sent(service)
    review.child.episodes.update(address_confidential=True)
    mother, father = objects.invitation.person, objects.exclusion.person
    # The mother's invitation, decisions and record, and the father's exclusion letter.
    hers = Dispatch.objects.filter(review=review, person__isnull=False, method__in=selectors.PAPER)
    assert sorted(hers.values_list("person", flat=True)) == sorted([mother.pk] * 3 + [father.pk])
    bs = service.business_support
    client.force_login(bs)

    # Marking them posted (nothing could be printed) is refused.
    response = client.post(
        reverse("reviews:letters-posted", kwargs={"review_id": review.pk}),
        {"letters": [str(pk) for pk in hers.values_list("pk", flat=True)]},
    )
    assert response.status_code == 302
    assert not PostedLetter.objects.filter(dispatch__in=hers).exists()

    def row():
        [found] = [
            selectors.support_row(r)
            for r in selectors.with_support_details(selectors.supported_reviews(bs))
            if r.pk == review.pk
        ]
        return found

    assert {x.dispatch.pk for x in row().waiting_letters} == set(hers.values_list("pk", flat=True))
    assert any("waiting for the IRO to check" in text for text in row().waiting)
    page = client.get(reverse("reviews:detail", kwargs={"review_id": review.pk})).content.decode()
    assert "Waiting for the IRO's check" in page
    for letter in row().waiting_letters:
        assert f'value="{letter.dispatch.pk}"' not in page
        assert client.get(letter.url).status_code == 403

    # The IRO checks their versions: now they are letters to print and post.
    for person in (mother, father):
        copy = copies.review_copy(review, recipient_of_child(review.child, person))
        document_services.confirm(copy, by=service.iro, read_hash=copy.hash)
    assert row().waiting_letters == []
    page = client.get(reverse("reviews:detail", kwargs={"review_id": review.pk})).content.decode()
    for pk in hers.values_list("pk", flat=True):
        assert f'value="{pk}"' in page
    assert client.get(row().ready_letters[0].url).status_code == 200
    client.post(
        reverse("reviews:letters-posted", kwargs={"review_id": review.pk}),
        {"letters": [str(pk) for pk in hers.values_list("pk", flat=True)]},
    )
    assert PostedLetter.objects.filter(dispatch__in=hers).count() == 4


@pytest.mark.django_db
def test_the_workspace_and_send_page_say_what_waits_for_the_iro_not_a_send_that_is_refused(
    client, service
):
    """A held review whose decisions are not yet in the child's words cannot be sent, and only
    the IRO can write them: business support is not given a 'to send' task or a send button that
    ends in 'Write 2 decisions in ...'s words first'. Both kinds (decisions and record) are
    blocked alike; once written, both become tasks with their send links."""
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    review = make_review_objects(child, service.iro).review
    bs = service.business_support
    document_services.send_invitations(review, by=bs)
    Review.objects.filter(pk=review.pk).update(held_on=date.today(), participation_code="PN1")
    for text in ("Swimming lessons", "A mentor at school"):
        Decision.objects.create(review=review, text=text, due_on=date.today())
    name = services.known_as(child)
    client.force_login(bs)
    workspace = client.get(reverse("reviews:support")).content.decode()
    row = workspace[workspace.index(child.full_name) :].split("</tr>")[0]
    for kind in ("decisions", "record"):
        send_url = reverse("reviews:send", kwargs={"review_id": review.pk, "kind": kind})
        assert send_url not in row, f"a link to send the {kind}, which would be refused"
        page = client.get(send_url).content.decode()
        assert f"Send the {kind} now" not in page
        assert f"2 decisions are not yet written in {name}&#x27;s words" in page
        assert "the IRO writes them" in page
    assert f"waiting for the IRO to write the decisions in {name}&#x27;s words" in row

    for decision in review.decisions.all():
        decision.child_wording = "You will " + decision.text.lower()
        decision.save()
    workspace = client.get(reverse("reviews:support")).content.decode()
    row = workspace[workspace.index(child.full_name) :].split("</tr>")[0]
    for kind in ("decisions", "record"):
        send_url = reverse("reviews:send", kwargs={"review_id": review.pk, "kind": kind})
        assert send_url in row
        assert f"Send the {kind} now" in client.get(send_url).content.decode()


@pytest.mark.django_db
def test_the_workspace_lists_reviews_by_their_meeting_soonest_first(client, service):
    """'Your reviews' is read top down as a day's work: by the meeting's date and time, not by
    the child's next due date (which, for a review already held, is the next review's)."""
    from datetime import time, timedelta

    from carereview.children.models import Child
    from carereview.reviews.models import Meeting

    today = date.today()
    made = []
    # (days from today, hour, the child's next due date in days): due order is the reverse.
    for days, hour, due in ((20, 10, 1), (5, 14, 2), (5, 9, 3), (-3, 10, 4)):
        child = make_child(iro=service.iro, social_worker=service.social_worker)
        review = make_review_objects(child, service.iro).review
        Meeting.objects.filter(review=review).update(on=today + timedelta(days=days), at=time(hour))
        Child.objects.filter(pk=child.pk).update(next_review_due=today + timedelta(days=due))
        made.append(review.pk)
    # A cancelled earlier meeting does not count: the review is listed by its live one.
    first = Review.objects.get(pk=made[0])
    Meeting.objects.create(
        review=first, on=today - timedelta(days=9), at=time(9), status=Meeting.Status.CANCELLED
    )
    listed = [r.pk for r in selectors.supported_reviews(service.business_support)]
    assert [pk for pk in listed if pk in made] == [made[3], made[2], made[1], made[0]]


@pytest.mark.django_db
def test_a_letter_waiting_for_the_iros_check_is_not_offered_to_print_until_confirmed(
    client, service
):
    """rules.md §7: a letter to a parent the placement address is confidential from waits for the
    IRO to read that parent's version. Business support is not offered it to open, print or mark
    posted (opening it would be refused), nor counted as a letter to post; they are told it waits
    for the IRO. Once the IRO confirms, it is a letter to print like any other."""
    from carereview.documents.records import recipient_for_person

    child = make_child(iro=service.iro, social_worker=service.social_worker, confidential=True)
    review = make_review_objects(child, service.iro).review  # the mother invited by letter
    bs = service.business_support
    document_services.send_invitations(review, by=bs)
    mother = review.invitations.exclude(for_child=True).get().person
    assert mother is not None
    to_mother = Dispatch.objects.get(review=review, kind="invitation", person=mother)
    to_child = Dispatch.objects.get(review=review, kind="invitation", for_child=True)
    letter_url = _url(review, "invitation", review.invitations.get(person=mother).pk)
    client.force_login(bs)

    def seen():
        workspace = client.get(reverse("reviews:support")).content.decode()
        row = workspace[workspace.index(child.full_name) :].split("</tr>")[0]
        detail = client.get(reverse("reviews:detail", kwargs={"review_id": review.pk}))
        return row, detail.content.decode()

    row, detail = seen()
    # The child's letter is ready; the mother's invitation and the father's letter giving the
    # reason he is not invited (typed by staff, as much his version) wait.
    letters = selectors.letters_to_post(review)
    assert {x.dispatch.pk for x in letters if not x.waiting} == {to_child.pk}
    waiting = {(x.dispatch.kind, x.dispatch.person_id) for x in letters if x.waiting}
    father = review.exclusions.get().person_id
    assert waiting == {("invitation", mother.pk), ("exclusion_letter", father)}
    assert "1 letter to print and post" in row
    assert "2 letters waiting for the IRO to check what the parents read" in row
    assert letter_url not in detail and f'value="{to_mother.pk}"' not in detail
    assert "waiting for the IRO" in detail
    response = client.get(letter_url)
    assert response.status_code == 403
    assert "waiting for the IRO" in response.content.decode()  # why, not "your role"
    with pytest.raises(services.ReviewRefused):
        document_services.mark_letters_posted(review, by=bs, dispatch_ids=[to_mother.pk])

    for person in (mother, review.exclusions.get().person):
        copy = copies.review_copy(review, recipient_for_person(review, person))
        document_services.confirm(copy, by=service.iro, read_hash=copy.hash)
    row, detail = seen()
    assert "waiting for the IRO" not in row
    assert letter_url in detail and f'value="{to_mother.pk}"' in detail
    assert client.get(letter_url).status_code == 200
    assert document_services.mark_letters_posted(review, by=bs, dispatch_ids=[to_mother.pk]) == 1


@pytest.mark.django_db
def test_sending_says_whose_copies_wait_for_the_iros_check(client, service):
    """ "6 invitations sent" when three wait for the IRO's check misleads whoever sends: the
    confirmation names those whose copies wait, and says they go once the IRO confirms. Same for
    the decisions and the record."""
    child = make_child(iro=service.iro, social_worker=service.social_worker, confidential=True)
    review = make_review_objects(child, service.iro).review
    mother = child.relationships.get(kind="mother").person
    client.force_login(service.business_support)
    url = reverse("reviews:invitations", kwargs={"review_id": review.pk})
    response = client.post(url, {"invitees": [f"person-{mother.pk}"], "method": "letter"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "invitations sent" in page or "invitation sent" in page
    assert f"{mother} waits for the IRO" in page.replace("&#x27;", "'")

    Review.objects.filter(pk=review.pk).update(held_on=date.today(), participation_code="PN1")
    Decision.objects.create(review=review, text="Swim", child_wording="Swim", due_on=date.today())
    send = reverse("reviews:send", kwargs={"review_id": review.pk, "kind": "decisions"})
    page = client.get(client.post(send)["Location"]).content.decode()
    assert f"{mother} waits for the IRO" in page.replace("&#x27;", "'")


@pytest.mark.django_db
def test_the_workspace_is_paged_soonest_meeting_first(client, service, settings):
    """A large service's workspace comes a page at a time (CAREREVIEW["SUPPORT_PAGE_SIZE"]), in
    the same order on every page, with GOV.UK pagination."""
    settings.CAREREVIEW = {**settings.CAREREVIEW, "SUPPORT_PAGE_SIZE": 2}
    for _ in range(3):
        review = make_review_objects(make_child(iro=service.iro), service.iro).review
        document_services.send_invitations(review, by=service.iro)
    client.force_login(service.business_support)
    ordered = [r.child.full_name for r in selectors.supported_reviews(service.business_support)]
    first = client.get(reverse("reviews:support")).content.decode()
    second = client.get(reverse("reviews:support") + "?page=2").content.decode()
    assert "3 reviews" in first and "1 to 2" in first and "3 to 3" in second
    assert 'class="govuk-pagination' in first
    assert all(name in first for name in ordered[:2]) and ordered[2] not in first
    assert ordered[2] in second and not any(name in second for name in ordered[:2])

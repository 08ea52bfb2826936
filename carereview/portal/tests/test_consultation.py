"""Say what you think: consultation forms online (issue 5, item 4)."""

from datetime import time, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from carereview.children.models import Person, Relationship
from carereview.core.calendar import today
from carereview.core.models import AccessEvent, AuditEvent
from carereview.core.testing import make_child, make_review_objects
from carereview.engine.calendar import add_months
from carereview.portal.testing import make_portal_user
from carereview.reviews import services as review_services
from carereview.reviews.models import Consultation, ConsultationAnswer, Review

pytestmark = pytest.mark.django_db

EMPTY_STATE = "There is no review booked yet. Your IRO will tell you when it is."


def _child(service, years: int, **kwargs):
    dob = add_months(today(), -(12 * years + 3))
    return make_child(iro=service.iro, social_worker=service.social_worker, dob=dob, **kwargs)


def _book(child, by):
    return review_services.book_meeting(
        child, by=by, on=today() + timedelta(days=14), at=time(10), venue="Family centre"
    ).review


def _url(name, child, **kwargs):
    return reverse(f"portal:{name}", kwargs={"child_id": child.pk, **kwargs})


def _q(child, position):
    return _url("consultation-question", child, position=position)


def _signed_in(client, child, by, person=None):
    access, user = make_portal_user(child, by=by, person=person)
    client.force_login(user)
    return access, user


def _mine(child, **kwargs):
    return Consultation.objects.get(review__child=child, **kwargs)


def _answers(consultation):
    return {
        a.question.position: a.answer
        for a in ConsultationAnswer.objects.filter(consultation=consultation)
    }


def test_a_child_of_9_fills_in_the_8_to_11_form_as_they_go_and_sends_it(client, service):
    child = _child(service, 9)
    review = _book(child, service.iro)
    _access, user = _signed_in(client, child, service.iro)

    page = client.get(_url("consultation", child))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Say what you think" in text
    assert "Your IRO will read this before your review." in text
    assert "Start" in text and "Carry on" not in text
    assert "read-aloud.js" not in text  # only on the under-8 form

    # Start: the IRO had sent nothing, so the form for their age is sent online now.
    response = client.post(_url("consultation", child))
    assert response.status_code == 302 and response.url == _q(child, 1)
    consultation = _mine(child)
    assert consultation.review == review and consultation.for_child
    assert consultation.form.audience == "child_8_11"
    assert consultation.method == Consultation.Method.ONLINE
    assert consultation.sent_by == user
    questions = list(consultation.form.questions.all())
    assert len(questions) == 8

    page = client.get(_q(child, 1))
    text = page.content.decode()
    assert "Question 1 of 8" in text and questions[0].text in text
    assert "Save and continue" in text and "Save and come back later" in text
    assert f'href="{_url("consultation", child)}" class="govuk-back-link"' in text

    # Each answer is saved at once, before anything is sent.
    response = client.post(_q(child, 1), {"answer": "Football club", "action": "continue"})
    assert response.status_code == 302 and response.url == _q(child, 2)
    consultation.refresh_from_db()
    assert _answers(consultation) == {1: "Football club"}
    assert consultation.last_saved_at is not None and consultation.returned_on is None
    first_saved = consultation.last_saved_at

    # Skip question 2, then stop on question 3.
    client.post(_q(child, 2), {"answer": "", "action": "continue"})
    response = client.post(_q(child, 3), {"answer": "I like my room", "action": "later"})
    assert response.status_code == 302 and response.url == _url("consultation", child)
    consultation.refresh_from_db()
    assert _answers(consultation) == {1: "Football club", 2: "", 3: "I like my room"}
    assert consultation.last_saved_at >= first_saved

    # Coming back: "Carry on" goes to where they left off; earlier answers are kept.
    page = client.get(_url("consultation", child))
    assert "Carry on" in page.content.decode()
    response = client.post(_url("consultation", child))
    assert response.url == _q(child, 4)
    assert "I like my room" in client.get(_q(child, 3)).content.decode()
    assert (
        f'href="{_q(child, 2)}" class="govuk-back-link"'
        in client.get(_q(child, 3)).content.decode()
    )

    for position in range(4, 8):
        response = client.post(_q(child, position), {"answer": f"Answer {position}"})
        assert response.url == _q(child, position + 1)
    response = client.post(_q(child, 8), {"answer": "My dog", "action": "continue"})
    assert response.url == _url("consultation-check", child)

    # Check your answers: every question, a Change link, and the sharing choice (No by default).
    page = client.get(_url("consultation-check", child))
    text = page.content.decode()
    assert page.status_code == 200 and "Check your answers" in text
    for q in questions:
        assert q.text.replace("'", "&#x27;") in text
    assert text.count(">Change<") == 8
    assert "You did not answer this" in text
    assert "Can your social worker read this too?" in text
    assert 'value="no" checked' in text and 'value="yes" checked' not in text
    assert "Send to my IRO" in text

    # Change one answer from the check page: it comes back to the check page.
    response = client.post(
        _q(child, 2) + "?from=check", {"answer": "Maths is hard", "action": "continue"}
    )
    assert response.url == _url("consultation-check", child)
    assert _answers(consultation)[2] == "Maths is hard"
    assert consultation.returned_on is None

    # Send it, saying the social worker may read it.
    response = client.post(_url("consultation-check", child), {"share": "yes"})
    assert response.status_code == 302 and response.url == _url("consultation", child)
    consultation.refresh_from_db()
    assert consultation.returned_on == today()
    assert consultation.submitted_by == user
    assert consultation.share_with_social_worker is True
    assert consultation.method == Consultation.Method.ONLINE
    assert AuditEvent.objects.filter(
        operation="consultation.submit", object_id=str(consultation.pk)
    ).exists()
    assert AuditEvent.objects.filter(operation="consultation.save_answer").count() == 9

    # Afterwards it is read only.
    page = client.get(_url("consultation", child), follow=True)
    text = page.content.decode()
    assert f"You sent this on {today():%-d %B %Y}" in text
    assert "Maths is hard" in text and ">Change<" not in text
    assert "You said your social worker can read it too." in text
    response = client.post(_q(child, 1), {"answer": "Changed my mind"})
    assert response.status_code == 302
    assert client.get(_url("consultation-check", child)).status_code == 302
    assert _answers(consultation)[1] == "Football club"
    assert Consultation.objects.filter(review=review).count() == 1

    # The IRO reads the answers in the review's checklist.
    client.force_login(service.iro)
    page = client.get(reverse("reviews:consultation-answers", args=[consultation.pk]))
    assert page.status_code == 200
    assert "Football club" in page.content.decode() and "Maths is hard" in page.content.decode()
    page = client.get(reverse("reviews:detail", args=[review.pk]))
    assert f"{today():%-d %b %Y}" in page.content.decode()

    # The child said yes, so the social worker and their manager may read it.
    for staff in (service.social_worker, service.team_manager, service.iro, service.iro_manager):
        client.force_login(staff)
        page = client.get(reverse("reviews:consultation-read", args=[consultation.pk]))
        assert page.status_code == 200, staff
        assert "Football club" in page.content.decode()
    assert AccessEvent.objects.filter(
        user=service.social_worker, child=child, action="read consultation answers (read only)"
    ).exists()


def test_the_social_worker_reads_the_childs_form_only_if_the_child_said_yes(client, service):
    child = _child(service, 13)
    _book(child, service.iro)
    _access, child_user = _signed_in(client, child, service.iro)
    client.post(_url("consultation", child))
    consultation = _mine(child)
    assert consultation.form.audience == "child_12_plus"
    client.post(_q(child, 1), {"answer": "Private things"})
    read = reverse("reviews:consultation-read", args=[consultation.pk])

    # Not sent yet: the answers are the child's own; the IRO sees only that it is under way.
    client.force_login(service.social_worker)
    assert client.get(read).status_code == 404
    client.force_login(service.iro)
    page = client.get(read).content.decode()
    assert "is filling it in online" in page and "Private things" not in page
    huge = reverse("reviews:consultation-read", args=[10**40])
    assert client.get(huge).status_code == 404

    # Sent, choosing the default (No).
    client.force_login(child_user)
    client.post(_url("consultation-check", child), {"share": "no"})
    consultation.refresh_from_db()
    assert consultation.returned_on == today() and consultation.share_with_social_worker is False

    for staff in (service.social_worker, service.team_manager):
        client.force_login(staff)
        assert client.get(read).status_code == 404
    # Someone else's IRO, another team's social worker, business support: no.
    for staff in (service.iro2, service.other_social_worker, service.other_team_manager):
        client.force_login(staff)
        assert client.get(read).status_code == 404
    client.force_login(service.business_support)
    assert client.get(read).status_code == 403
    for staff in (service.iro, service.iro_manager):
        client.force_login(staff)
        page = client.get(read)
        assert page.status_code == 200
        assert "Private things" in page.content.decode()


def test_the_sharing_choice_must_be_yes_or_no(client, service):
    child = _child(service, 10)
    _book(child, service.iro)
    _signed_in(client, child, service.iro)
    client.post(_url("consultation", child))
    page = client.post(_url("consultation-check", child), {"share": "maybe"})
    assert page.status_code == 200
    assert "Say if your social worker can read this too" in page.content.decode()
    assert _mine(child).returned_on is None


def test_the_under_8_form_has_pictures_with_words_for_them_and_reads_aloud(client, service):
    child = _child(service, 6)
    _book(child, service.iro)
    _signed_in(client, child, service.iro)

    start = client.get(_url("consultation", child)).content.decode()
    assert "portal/read-aloud.js" in start
    client.post(_url("consultation", child))
    consultation = _mine(child)
    assert consultation.form.audience == "child_under_8"

    page = client.get(_q(child, 1))
    text = page.content.decode()
    assert page.status_code == 200
    for picture, alt in (
        ("feeling-happy.svg", "A happy, smiling face"),
        ("feeling-ok.svg", "A face that is not happy or sad"),
        ("feeling-sad.svg", "A sad face"),
    ):
        assert f'src="/static/portal/{picture}" alt="{alt}"' in text
        assert finders.find(f"portal/{picture}") is not None
    assert 'type="radio"' in text and 'name="feeling"' in text
    assert "You can write or draw with a grown-up." in text
    # Read aloud: an external script, and a button hidden until the script finds speech.
    assert '<script src="/static/portal/read-aloud.js"></script>' in text
    assert "<div data-read-aloud-control hidden>" in text
    assert "Read this to me" in text
    assert "<script>" not in text
    script = finders.find("portal/read-aloud.js")
    assert script is not None
    source = open(script).read()
    assert "speechSynthesis" in source and "SpeechSynthesisUtterance" in source

    client.post(_q(child, 1), {"feeling": "happy", "words": "Playing with my dog"})
    client.post(_q(child, 2), {"feeling": "sad", "words": ""})
    client.post(_q(child, 3), {"feeling": "", "words": "Nana"})
    assert _answers(consultation) == {1: "Happy: Playing with my dog", 2: "Sad", 3: "Nana"}

    # Coming back to a question shows what they chose.
    text = client.get(_q(child, 1)).content.decode()
    assert 'value="happy" checked' in text and "Playing with my dog" in text

    # A picture that is not offered is refused with words, not an error page.
    page = client.post(_q(child, 4), {"feeling": "angry", "words": ""})
    assert page.status_code == 200
    assert "Choose a picture, or leave them all empty" in page.content.decode()
    assert 4 not in _answers(consultation)

    check = client.get(_url("consultation-check", child)).content.decode()
    assert 'alt="A happy, smiling face"' in check and "Playing with my dog" in check
    assert "portal/read-aloud.js" in check


def test_parent_and_carer_forms(client, service):
    child = _child(service, 10)
    review = _book(child, service.iro)
    mother = child.relationships.get().person
    carer = Person.objects.create(first_name="Casey", last_name="Holt")
    Relationship.objects.create(child=child, person=carer, kind=Relationship.Kind.CARER)

    _signed_in(client, child, service.iro, person=mother)
    page = client.get(_url("consultation", child)).content.decode()
    assert "Your views before your child&#x27;s review" in page
    assert "read-aloud.js" not in page
    client.post(_url("consultation", child))
    parents = _mine(child, person=mother)
    assert parents.form.audience == "parent" and not parents.for_child
    assert parents.method == Consultation.Method.ONLINE
    for position in range(1, 7):
        client.post(_q(child, position), {"answer": f"Mum {position}"})
    check = client.get(_url("consultation-check", child)).content.decode()
    assert "Can your social worker read this too?" not in check
    assert "Send to the IRO" in check
    client.post(_url("consultation-check", child), {"share": "yes"})  # ignored: not theirs to give
    parents.refresh_from_db()
    assert parents.returned_on == today() and parents.share_with_social_worker is False

    _signed_in(client, child, service.iro, person=carer)
    client.post(_url("consultation", child))
    carers = _mine(child, person=carer)
    assert carers.form.audience == "carer"
    client.post(_q(child, 1), {"answer": "Settled well"})
    assert _answers(carers) == {1: "Settled well"}
    assert _answers(parents)[1] == "Mum 1"
    assert review.consultations.count() == 2

    # Parents' and carers' forms are for the IRO service, even when sent.
    client.post(_url("consultation-check", child))
    for consultation, allowed in ((parents, False), (carers, False)):
        client.force_login(service.social_worker)
        read = reverse("reviews:consultation-read", args=[consultation.pk])
        assert (client.get(read).status_code == 200) is allowed
        client.force_login(service.iro)
        assert client.get(read).status_code == 200


def test_people_reach_only_their_own_form_for_their_own_child(client, service):
    child = _child(service, 10)
    other = _child(service, 10)
    _book(child, service.iro)
    _book(other, service.iro)
    mother = child.relationships.get().person

    # The child starts their form and writes something.
    _child_access, child_user = _signed_in(client, child, service.iro)
    client.post(_url("consultation", child))
    childs = _mine(child, for_child=True)
    client.post(_q(child, 1), {"answer": "Only for my IRO"})

    # Their mother has her own form, and never sees the child's answers.
    _signed_in(client, child, service.iro, person=mother)
    page = client.get(_url("consultation", child)).content.decode()
    assert "Only for my IRO" not in page
    client.post(_url("consultation", child))
    hers = _mine(child, person=mother)
    assert hers.pk != childs.pk
    client.post(_q(child, 1), {"answer": "Mother's view"})
    assert _answers(childs) == {1: "Only for my IRO"}
    assert _answers(hers) == {1: "Mother's view"}
    assert "Only for my IRO" not in client.get(_url("consultation-check", child)).content.decode()

    # Someone else's child: every page is not found, and nothing is made or changed.
    before = Consultation.objects.count()
    for url in (
        _url("consultation", other),
        _q(other, 1),
        _q(other, 99),
        _url("consultation-check", other),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": "Hello", "share": "yes"}).status_code == 404
    assert Consultation.objects.count() == before

    # A second parent's form is theirs alone too.
    father = Person.objects.create(first_name="Frankie", last_name=child.last_name)
    Relationship.objects.create(child=child, person=father, kind=Relationship.Kind.FATHER)
    _signed_in(client, child, service.iro, person=father)
    assert "Mother&#x27;s view" not in client.get(_q(child, 1)).content.decode()
    client.post(_url("consultation", child))
    client.post(_q(child, 1), {"answer": "Father's view"})
    assert _answers(hers) == {1: "Mother's view"}
    assert _mine(child, person=father).pk not in {hers.pk, childs.pk}

    # And the child does not see their parents' answers.
    client.force_login(child_user)
    text = client.get(_url("consultation-check", child)).content.decode()
    assert "Only for my IRO" in text
    assert "Mother&#x27;s view" not in text and "Father&#x27;s view" not in text

    # Staff do not use the portal's pages.
    client.force_login(service.iro)
    assert client.get(_url("consultation", child)).status_code == 403


def test_unknown_questions_long_and_hostile_input_never_break_the_page(client, service):
    child = _child(service, 14)
    _book(child, service.iro)
    _signed_in(client, child, service.iro)
    client.post(_url("consultation", child))
    consultation = _mine(child)

    assert client.get(_q(child, 0)).status_code == 404
    assert client.get(_q(child, 11)).status_code == 404
    assert client.post(_q(child, 11), {"answer": "x"}).status_code == 404
    huge = f"/portal/{child.pk}/say/{'9' * 40}/"
    assert client.get(huge).status_code == 404

    page = client.post(_q(child, 1), {"answer": "x" * 100_000, "action": "continue"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Your answer is too long. Make it shorter: up to 5,000 letters and spaces" in text
    assert text.startswith("<!DOCTYPE html>") and "Error: " in text
    assert _answers(consultation) == {}

    page = client.post(_q(child, 1), {"answer": "before\x00after"})
    assert page.status_code == 200 and "There is a problem" in page.content.decode()
    assert _answers(consultation) == {}

    # A list where one value is expected, and an unknown button: still no error page.
    page = client.post(_q(child, 1), {"answer": ["one", "two"], "action": "explode"})
    assert page.status_code == 302
    assert _answers(consultation) == {1: "two"}

    hostile = "<script>alert(1)</script>"
    response = client.post(_q(child, 2), {"answer": hostile, "action": "continue"})
    assert response.status_code == 302
    assert _answers(consultation)[2] == hostile
    for url in (_q(child, 2), _url("consultation-check", child)):
        text = client.get(url).content.decode()
        assert hostile not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    client.post(_url("consultation-check", child), {"share": "yes"})
    text = client.get(_url("consultation", child)).content.decode()
    assert hostile not in text and "&lt;script&gt;" in text
    client.force_login(service.social_worker)
    text = client.get(reverse("reviews:consultation-read", args=[consultation.pk])).content
    assert hostile.encode() not in text and b"&lt;script&gt;" in text


def test_with_no_review_booked_there_is_nothing_to_fill_in_yet(client, service):
    child = _child(service, 9)
    _signed_in(client, child, service.iro)
    page = client.get(_url("consultation", child))
    assert page.status_code == 200
    assert EMPTY_STATE in page.content.decode()
    assert "Start" not in page.content.decode().split(EMPTY_STATE, 1)[1].split("</main>")[0]
    assert client.post(_url("consultation", child)).url == _url("consultation", child)
    assert client.get(_q(child, 1)).url == _url("consultation", child)
    assert client.get(_url("consultation-check", child)).url == _url("consultation", child)
    assert not Consultation.objects.filter(review__child=child).exists()

    # Once the review has been held, its form is closed and there is nothing open again.
    review = _book(child, service.iro)
    client.post(_url("consultation", child))
    Review.objects.filter(pk=review.pk).update(held_on=today())
    assert EMPTY_STATE in client.get(_url("consultation", child)).content.decode()


def test_a_form_the_iro_already_sent_is_the_one_filled_in(client, service):
    child = _child(service, 10)
    objects = make_review_objects(child, service.iro)  # the child's form, sent on paper
    _signed_in(client, child, service.iro)
    response = client.post(_url("consultation", child))
    assert response.url == _q(child, 1)
    assert _mine(child, for_child=True) == objects.consultation
    client.post(_q(child, 1), {"answer": "On the computer"})
    assert _answers(objects.consultation) == {1: "On the computer"}

    # The mother has no form yet: starting makes hers, online.
    mother = child.relationships.get(kind="mother").person
    _signed_in(client, child, service.iro, person=mother)
    response = client.post(_url("consultation", child))
    assert _mine(child, person=mother).method == Consultation.Method.ONLINE
    # Each page of it shown is in the access log (a redirect shows nothing: ADR 0011).
    client.get(response.url)
    assert AccessEvent.objects.filter(
        child=child, user__person_record=mother, action="portal.consultation.question"
    ).exists()

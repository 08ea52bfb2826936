"""Issue 4: booking, preparing, holding, recording and sending a review (rules.md §3-4)."""

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from carereview.children.models import Person, Relationship
from carereview.core.calendar import working_calendar
from carereview.core.testing import make_child
from carereview.documents import services as document_services
from carereview.notifications import outbox
from carereview.reviews import services
from carereview.reviews.models import ChecklistEntry, Dispatch, Meeting, Review
from carereview.reviews.presenters import ReviewPresenter

TODAY = date.today()


def record_input(**changes):
    data: dict[str, Any] = {
        "held_on": TODAY,
        "participation_code": "PN1",
        "wishes_and_feelings": "I want to stay with my carers.",
        "parents_views": "Mum would like more family time.",
        "matters": {"placement": "The placement meets Robin's needs.", "education": "Settled."},
        "decisions": [],
        "attendance": {},
    }
    data.update(changes)
    return services.RecordInput(**data)


def word_for_the_child(review, service):
    """The IRO writes each decision in the child's words (issue 12 item 24)."""
    wordings = {d.pk: f"In your words: {d.text}" for d in review.decisions.all()}
    services.save_child_wording(review, by=service.iro, wordings=wordings)


@pytest.fixture
def child(service):
    return make_child(
        iro=service.iro, social_worker=service.social_worker2, start=TODAY - timedelta(days=200)
    )


@pytest.fixture
def review(service, child):
    # Its meeting is today: recording it held today is recording it on its meeting's date.
    return services.book_meeting(
        child, by=service.iro, on=TODAY, at=time(10), venue="School"
    ).review


@pytest.mark.django_db
def test_booking_warns_after_the_due_date_and_on_non_working_days(service):
    child = make_child(iro=service.iro, start=date(2026, 11, 2), as_at=date(2026, 11, 3))
    assert child.next_review_due == date(2026, 11, 30)
    assert services.booking_warnings(child, date(2026, 11, 30)) == []
    late = services.booking_warnings(child, date(2026, 12, 1))
    assert late and "1 days after it" in late[0]
    assert "weekend" in services.booking_warnings(child, date(2026, 11, 28))[0]
    assert "bank holiday" in services.booking_warnings(child, date(2026, 12, 25))[-1]


@pytest.mark.django_db
def test_the_booking_page_asks_to_confirm_a_late_booking(client, service):
    child = make_child(iro=service.iro, start=date(2026, 11, 2), as_at=date(2026, 11, 3))
    client.force_login(service.business_support)
    url = reverse("reviews:book", kwargs={"pk": child.pk})
    page = client.post(url, {"on": "2026-12-05", "at": "10:00", "venue": "Family centre"})
    html = page.content.decode()
    assert "Book it anyway" in html and "weekend" in html and "will be late" in html
    assert not Meeting.objects.exists()
    assert 'name="warned_for" value="2026-12-05"' in html
    # Ticking "book it anyway" for another date than the one warned about is not enough.
    base = {"at": "10:00", "venue": "Family centre", "confirm": "on", "warned_for": "2026-12-05"}
    page = client.post(url, {**base, "on": "2026-12-06"})
    assert page.status_code == 200 and not Meeting.objects.exists()
    page = client.post(url, {**base, "on": "2026-12-05"})
    assert page.status_code == 302
    assert Meeting.objects.get().review.due_when_booked == date(2026, 11, 30)


@pytest.mark.django_db
def test_postponing_needs_a_reason_and_a_manager_and_never_moves_the_due_date(
    service, child, review
):
    due = child.next_review_due
    meeting = review.meetings.get()
    with pytest.raises(services.ReviewRefused, match="Enter the reason"):
        services.request_meeting_change(
            meeting,
            by=service.iro,
            change="postpone",
            reason=" ",
            new_on=TODAY + timedelta(30),
            new_at=time(14),
        )
    services.request_meeting_change(
        meeting,
        by=service.iro,
        change="postpone",
        reason="Child unwell",
        new_on=TODAY + timedelta(30),
        new_at=time(14),
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.approval) == ("scheduled", "pending")
    services.decide_meeting_change(meeting, by=service.iro_manager, approve=True)
    meeting.refresh_from_db()
    assert meeting.status == "postponed"
    assert review.meetings.filter(status="scheduled", on=TODAY + timedelta(30)).exists()
    child.refresh_from_db()
    assert child.next_review_due == due


@pytest.mark.django_db
def test_without_the_approval_setting_a_cancellation_applies_at_once(
    service, child, review, settings
):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "MEETING_CHANGE_NEEDS_APPROVAL": False}
    meeting = review.meetings.get()
    services.request_meeting_change(meeting, by=service.iro, change="cancel", reason="Moved")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.approval) == ("cancelled", "approved")


@pytest.mark.django_db
def test_speaking_with_the_child_alone_or_why_not(service, review):
    with pytest.raises(services.ReviewRefused, match="Explain why"):
        services.tick(review, by=service.iro, item="child_seen", done_on=TODAY, outcome="refused")
    entry = services.tick(
        review,
        by=service.iro,
        item="child_seen",
        done_on=TODAY,
        outcome="refused",
        note="Did not want to talk today",
    )
    assert (entry.recorded_by, entry.done_on) == (service.iro, TODAY)
    with pytest.raises(services.ReviewRefused, match="future"):
        services.tick(review, by=service.iro, item="care_plan", done_on=TODAY + timedelta(1))


@pytest.mark.django_db
def test_observation_instead_under_four_or_with_a_profound_disability(service):
    toddler = make_child(iro=service.iro, dob=TODAY - timedelta(days=3 * 365))
    assert services.observe_instead(toddler, TODAY)
    older = make_child(iro=service.iro, dob=date(2012, 1, 1))
    assert not services.observe_instead(older, TODAY)
    older.profound_disability = True
    assert services.observe_instead(older, TODAY)


@pytest.mark.django_db
def test_papers_and_social_worker_contact_flags_at_working_day_edges(service):
    child = make_child(iro=service.iro, start=date(2026, 1, 5), as_at=date(2026, 11, 1))
    # The meeting is Monday 30 Nov 2026: contact by Mon 9 Nov (15 working days before),
    # papers by Wed 25 Nov (3 working days before).
    review = services.book_meeting(
        child, by=service.iro, on=date(2026, 11, 30), at=time(10), venue="Home"
    ).review
    ChecklistEntry.objects.create(
        review=review, item="sw_contact", done_on=date(2026, 11, 9), recorded_by=service.iro
    )
    ChecklistEntry.objects.create(
        review=review, item="care_plan", done_on=date(2026, 11, 26), recorded_by=service.iro
    )
    p = ReviewPresenter(review, date(2026, 11, 26), working_calendar())
    rows = {r.item: r.deadline for r in p.checklist if r.deadline is not None}
    assert rows["sw_contact"].due == date(2026, 11, 9) and rows["sw_contact"].status == "done"
    assert rows["care_plan"].due == date(2026, 11, 25)
    assert rows["care_plan"].status == "done late"
    assert rows["pep"].status == "late" and rows["health_plan"].status == "late"
    assert "Personal education plan received" in p.stage.late


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("age_days", "audience"),
    [(7 * 365, "child_under_8"), (9 * 365, "child_8_11"), (13 * 365, "child_12_plus")],
)
def test_the_child_gets_the_form_for_their_age(service, age_days, audience):
    child = make_child(iro=service.iro, dob=TODAY - timedelta(days=age_days))
    review = services.book_meeting(child, by=service.iro, on=TODAY, at=time(9), venue="x").review
    assert document_services.send_consultation(review, by=service.iro).form.audience == audience


@pytest.mark.django_db
def test_answers_come_back_as_answers_to_questions(service, review):
    consultation = document_services.send_consultation(review, by=service.iro)
    questions = list(consultation.form.questions.all())
    services.record_answers(
        consultation,
        by=service.iro,
        returned_on=TODAY,
        answers={questions[0].pk: "My dog", questions[1].pk: "Maths"},
        share_with_social_worker=True,
    )
    assert [a.answer for a in consultation.answers.all()] == ["My dog", "Maths"]
    with pytest.raises(services.ReviewRefused):
        services.record_answers(
            consultation, by=service.iro, returned_on=TODAY, answers={999999: "x"}
        )


@pytest.mark.django_db
def test_excluding_a_parent(service, child, review):
    mother = child.relationships.get(kind="mother").person
    services.invite(review, by=service.iro, keys=[f"person-{mother.pk}", "child"], method="letter")
    with pytest.raises(services.ReviewRefused, match="reason"):
        services.exclude_parent(review, by=service.iro, person=mother, reason="")
    exclusion = services.exclude_parent(
        review, by=service.iro, person=mother, reason="There is a court order."
    )
    assert not review.invitations.filter(person=mother).exists()
    assert Dispatch.objects.filter(kind="exclusion_letter", person=mother).exists()
    with pytest.raises(services.ReviewRefused, match="not invited"):
        services.invite(review, by=service.iro, keys=[f"person-{mother.pk}"], method="letter")
    services.record_separate_meeting(exclusion, by=service.iro, outcome="accepted")
    aunt = Person.objects.create(first_name="Ann", last_name="Other")
    Relationship.objects.create(child=child, person=aunt, kind="significant")
    with pytest.raises(services.ReviewRefused, match="Only a parent"):
        services.exclude_parent(review, by=service.iro, person=aunt, reason="x")


@pytest.mark.django_db
def test_participation_codes_follow_dfe_rules_440_and_441(service):
    dob = TODAY - timedelta(days=6 * 365)
    child = make_child(iro=service.iro, dob=dob, start=TODAY - timedelta(100))
    review = services.book_meeting(child, by=service.iro, on=TODAY, at=time(9), venue="x").review
    with pytest.raises(services.ReviewRefused, match="PN0 is only for a child under 4"):
        services.save_record(
            review, by=service.iro, version=0, data=record_input(participation_code="PN0")
        )
    toddler = make_child(iro=service.iro, dob=TODAY - timedelta(days=2 * 365))
    review2 = services.book_meeting(toddler, by=service.iro, on=TODAY, at=time(9), venue="x").review
    with pytest.raises(services.ReviewRefused, match="use PN0"):
        services.save_record(
            review2, by=service.iro, version=0, data=record_input(participation_code="PN3")
        )
    services.save_record(
        review2, by=service.iro, version=0, data=record_input(participation_code="PN0")
    )


@pytest.mark.django_db
def test_a_second_editor_is_told_and_nothing_is_overwritten(service, child, review):
    first = record_input(wishes_and_feelings="First editor's words")
    services.save_record(review, by=service.iro, version=0, data=first)
    with pytest.raises(services.StaleRecord) as stale:
        services.save_record(
            review,
            by=service.iro_manager,
            version=0,
            data=record_input(wishes_and_feelings="Second editor's words"),
        )
    assert stale.value.current.wishes_and_feelings == "First editor's words"
    review.refresh_from_db()
    assert (review.version, review.wishes_and_feelings) == (1, "First editor's words")


@pytest.mark.django_db
def test_the_record_page_keeps_the_second_editors_words(client, service, child, review):
    url = reverse("reviews:record", kwargs={"review_id": review.pk})
    client.force_login(service.iro)
    form = {
        "version": "0",
        "held_on": TODAY.isoformat(),
        "participation_code": "PN1",
        "wishes_and_feelings": "Words typed in the second window",
        "parents_views": "",
        "matter_placement": "Going well",
        "decisions-TOTAL_FORMS": "2",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
    }
    services.save_record(
        review,
        by=service.iro_manager,
        version=0,
        data=record_input(wishes_and_feelings="Saved first"),
    )
    page = client.post(url, form)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Someone else saved first" in html
    assert "Words typed in the second window" in html and "Saved first" in html
    assert 'name="version" value="1"' in html
    review.refresh_from_db()
    assert review.wishes_and_feelings == "Saved first"
    # Saving again, now from the current version, goes through.
    assert client.post(url, {**form, "version": "1"}).status_code == 302
    review.refresh_from_db()
    assert review.wishes_and_feelings == "Words typed in the second window"


@pytest.mark.django_db
def test_holding_the_review_sets_the_next_due_date(service):
    child = make_child(iro=service.iro, start=date(2026, 9, 1), as_at=date(2026, 9, 2))
    review = services.book_meeting(
        child, by=service.iro, on=date(2026, 9, 28), at=time(10), venue="x"
    ).review
    services.save_record(
        review, by=service.iro, version=0, data=record_input(held_on=date(2026, 9, 28))
    )
    child.refresh_from_db()
    review.refresh_from_db()
    # CPPCR reg 33: first due 29 Sep 2026 (20 working days from 1 Sep); second 3 months after.
    assert (review.due_on, review.on_time, review.sequence) == (date(2026, 9, 29), True, 1)
    assert child.next_review_due == date(2026, 12, 28)
    assert review.meetings.get().status == "held"


@pytest.mark.django_db
def test_sending_decisions_and_the_record_with_deadlines(service, child, review):
    mother = child.relationships.get(kind="mother").person
    mother.email = "morgan@example.com"
    mother.save()
    services.invite(review, by=service.iro, keys=[f"person-{mother.pk}", "child"], method="both")
    document_services.send_invitations(review, by=service.iro)
    outbox.deliver_due()  # the worker
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments
    with pytest.raises(services.ReviewRefused, match="held"):
        document_services.send_decisions(review, by=service.iro)
    services.save_record(
        review,
        by=service.iro,
        version=0,
        data=record_input(
            decisions=[
                {
                    "text": "Arrange a school visit",
                    "owner": service.social_worker2,
                    "due_on": TODAY + timedelta(30),
                }
            ]
        ),
    )
    review.refresh_from_db()
    word_for_the_child(review, service)
    assert document_services.send_decisions(review, by=service.iro) == 2
    assert document_services.send_record(review, by=service.iro) == 2
    review.refresh_from_db()
    assert review.decisions_sent_on == TODAY and review.record_sent_on == TODAY
    p = ReviewPresenter(review, TODAY, working_calendar())
    assert p.decisions_deadline is not None and p.decisions_deadline.status == "done"
    assert p.record_deadline is not None and p.record_deadline.status == "done"
    assert p.stage.label == "Record sent"
    outbox.deliver_due()
    assert [m.to for m in mail.outbox[1:]] == [["morgan@example.com"]] * 2


@pytest.mark.django_db
def test_late_decisions_are_flagged_at_the_working_day_edge(service):
    child = make_child(iro=service.iro, start=date(2026, 11, 2), as_at=date(2026, 11, 3))
    review = Review.objects.create(child=child, held_on=date(2026, 11, 27))
    # Held Friday 27 Nov: decisions due Friday 4 Dec (5 working days).
    p = ReviewPresenter(review, date(2026, 12, 4), working_calendar())
    deadline = p.decisions_deadline
    assert deadline is not None and deadline.due == date(2026, 12, 4) and not deadline.late
    p = ReviewPresenter(review, date(2026, 12, 7), working_calendar())
    deadline = p.decisions_deadline
    assert deadline is not None and deadline.late
    assert "Decisions not sent" in p.stage.late


@pytest.mark.django_db
def test_an_earlier_review_brings_the_due_date_forward(service, child):
    due = child.next_review_due
    services.require_earlier_review(
        child, by=service.iro, reason="iro_request", required_by=due - timedelta(days=10)
    )
    child.refresh_from_db()
    assert child.next_review_due == due - timedelta(days=10)


@pytest.mark.django_db
def test_the_caseload_shows_each_childs_next_review_stage(client, service, child, review):
    client.force_login(service.iro)
    page = client.get(reverse("caseload:mine"))
    stages = {row.child.pk: row.stage.label for row in page.context["v"].rows if row.stage}
    assert stages[child.pk] == "Booked"


@pytest.mark.django_db
def test_nothing_is_sent_twice(service, child, review):
    services.invite(review, by=service.iro, keys=["child"], method="letter")
    services.save_record(
        review,
        by=service.iro,
        version=0,
        data=record_input(
            decisions=[{"text": "Visit", "owner_description": "The carer", "due_on": TODAY}]
        ),
    )
    review.refresh_from_db()
    word_for_the_child(review, service)
    document_services.send_record(review, by=service.iro)
    with pytest.raises(services.ReviewRefused, match="not sent twice"):
        document_services.send_record(review, by=service.iro)
    assert Dispatch.objects.filter(kind="record").count() == 1


@pytest.mark.django_db
def test_observing_is_for_the_youngest_and_speaking_alone_for_the_rest(service, review):
    with pytest.raises(services.ReviewRefused, match="under 4 or with a profound"):
        services.tick(review, by=service.iro, item="child_seen", done_on=TODAY, outcome="observed")
    services.tick(review, by=service.iro, item="child_seen", done_on=TODAY, outcome="spoke_alone")


@pytest.mark.django_db
def test_a_part_marked_hidden_from_a_parent_is_left_out_of_their_copy(
    client, service, child, review
):
    from carereview.documents.records import Recipient, render_record_html
    from carereview.documents.release import record_version

    mother = child.relationships.get(kind="mother").person
    client.force_login(service.iro)
    url = reverse("reviews:record", kwargs={"review_id": review.pk})
    page = client.post(
        url,
        {
            "version": "0",
            "held_on": TODAY.isoformat(),
            "participation_code": "PN1",
            "wishes_and_feelings": "I like my school.",
            "parents_views": "",
            "matter_contact": "Contact with the father is suspended after an incident.",
            "hide_contact": [str(mother.pk)],
            "matter_education": "Doing well at school.",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert page.status_code == 302
    assert list(review.matters.get(matter="contact").hidden_from.all()) == [mother]
    parents_version = record_version(review, Recipient("parent", str(mother), person=mother))
    assert parents_version is not None
    theirs = render_record_html(parents_version)
    assert "Doing well at school." in theirs
    assert "suspended after an incident" not in theirs
    full_version = record_version(review, Recipient("full", "IRO"))
    assert full_version is not None
    full = render_record_html(full_version)
    assert "suspended after an incident" in full


@pytest.mark.django_db
def test_a_review_cannot_be_recorded_for_a_child_with_no_iro(service):
    # rules.md §4: the IRO is appointed before the first review (issue 12, item 14).
    child = make_child(social_worker=service.social_worker2, start=TODAY - timedelta(days=30))
    assert any("No IRO" in w for w in services.booking_warnings(child, TODAY))
    review = services.book_meeting(child, by=service.business_support, on=TODAY, at=time(10))
    with pytest.raises(services.ReviewRefused, match="Appoint an IRO"):
        services.save_record(review.review, by=service.iro, version=0, data=record_input())
    review.review.refresh_from_db()
    assert review.review.held_on is None
    # Once an IRO is appointed, the same record is saved.
    from carereview.allocation.services import appoint_iro

    appoint_iro(child, service.iro, by=service.iro_manager)
    services.save_record(review.review, by=service.iro, version=0, data=record_input())
    review.review.refresh_from_db()
    assert review.review.held_on == TODAY


@pytest.mark.django_db
def test_a_review_held_before_the_iro_was_appointed_is_refused(service):
    """Item 14, the whole class: not only "no IRO now" but no IRO on the day it was held. An IRO
    appointed today does not make a meeting held last week a review (rules.md §4: before)."""
    from carereview.allocation.services import appoint_iro

    child = make_child(social_worker=service.social_worker2, start=TODAY - timedelta(days=30))
    held = TODAY - timedelta(days=7)
    meeting = services.book_meeting(child, by=service.business_support, on=held, at=time(10))
    appoint_iro(child, service.iro, by=service.iro_manager)  # today, after the meeting
    with pytest.raises(services.ReviewRefused, match="before an IRO was appointed"):
        services.save_record(
            meeting.review, by=service.iro, version=0, data=record_input(held_on=held)
        )
    meeting.review.refresh_from_db()
    assert meeting.review.held_on is None


@pytest.mark.django_db
def test_a_review_held_while_an_earlier_iro_was_appointed_is_recorded(service):
    """An IRO who chaired the review and has since been replaced: the review is still recorded."""
    from carereview.allocation.models import IROAllocation
    from carereview.allocation.services import appoint_iro

    child = make_child(
        iro=service.iro, social_worker=service.social_worker2, start=TODAY - timedelta(days=30)
    )
    held = TODAY - timedelta(days=7)
    meeting = services.book_meeting(child, by=service.iro, on=held, at=time(10))
    IROAllocation.objects.filter(child=child).update(started_on=TODAY - timedelta(days=30))
    appoint_iro(child, service.iro2, by=service.iro_manager, reason="The first IRO left")
    services.save_record(
        meeting.review, by=service.iro2, version=0, data=record_input(held_on=held)
    )
    meeting.review.refresh_from_db()
    assert meeting.review.held_on == held


@pytest.mark.django_db
def test_a_decisions_date_error_links_to_the_box_that_is_wrong(client, service, review):
    """The decisions' own error summary links to the first wrong box of a date, as the form's
    does (GovUKBoundField.error_target), not to the date input's wrapper, which takes no focus."""
    client.force_login(service.iro)
    page = client.post(
        reverse("reviews:record", kwargs={"review_id": review.pk}),
        {
            "version": "0",
            "decisions-TOTAL_FORMS": "2",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
            "decisions-0-text": "Keep the school place",
            "decisions-0-owner_description": "Social worker",
            "decisions-0-due_on_day": "1",
            "decisions-0-due_on_month": "13",
            "decisions-0-due_on_year": "2026",
            "decisions-1-text": "See the dentist",
            "decisions-1-owner_description": "Carer",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<a href="#id_decisions-0-due_on_month">Decision 1: ' in html
    assert '<a href="#id_decisions-1-due_on_day">Decision 2: Enter by when</a>' in html
    assert 'href="#id_decisions-0-due_on"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("total", ["abc", "2500"])
def test_a_problem_with_the_decisions_as_a_whole_is_listed(client, service, review, total):
    """A tampered count of decision rows is an error of the formset, not of a row: the decisions'
    error summary showed its heading over an empty list."""
    client.force_login(service.iro)
    page = client.post(
        reverse("reviews:record", kwargs={"review_id": review.pk}),
        {
            "version": "0",
            "decisions-TOTAL_FORMS": total,
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
        },
    )
    html = page.content.decode()
    summary = html.split("There is a problem with the decisions", 1)[1].split("</ul>", 1)[0]
    assert '<li><a href="#decisions">' in summary
    assert 'id="decisions"' in html

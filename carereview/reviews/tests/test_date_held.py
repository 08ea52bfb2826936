"""Issue 12 item 17: the date held is the date of the meeting that completes the review (rules.md
§3, ours), recorded as such. Not a date typed freely: a date with no meeting of the review is
refused, whoever calls the service; the meetings that made up the review are marked held."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from carereview.core.testing import make_child
from carereview.engine.calendar import add_months
from carereview.reviews import services
from carereview.reviews.models import Meeting

from .test_services import record_input

# A child who came into care on Monday 7 Sep 2026: the first review is due 20 working days later.
START = date(2026, 9, 7)
MONDAY = date(2026, 9, 28)
SUNDAY = MONDAY - timedelta(days=1)


@pytest.fixture
def child(service):
    return make_child(iro=service.iro, start=START, as_at=START + timedelta(days=1))


def _book(child, service, on, at=time(10)):
    return services.book_meeting(child, by=service.iro, on=on, at=at, venue="School")


def _set_status(meeting, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "held_on, other",
    [
        (SUNDAY, None),  # the day before the meeting: no meeting that day
        (MONDAY + timedelta(days=2), None),  # a day after it
        (MONDAY - timedelta(days=7), "postponed"),  # the meeting that day was postponed
        (MONDAY - timedelta(days=7), "cancelled"),  # or cancelled
    ],
)
def test_a_date_held_with_no_meeting_that_day_is_refused(service, child, held_on, other):
    meeting = _book(child, service, MONDAY)
    review = meeting.review
    if other:
        _set_status(_book(child, service, held_on), other)
    with pytest.raises(services.ReviewRefused, match="no meeting of this review on"):
        services.save_record(review, by=service.iro, version=0, data=record_input(held_on=held_on))
    review.refresh_from_db()
    meeting.refresh_from_db()
    assert review.held_on is None and review.version == 0
    assert meeting.status == Meeting.Status.SCHEDULED


@pytest.mark.django_db
def test_the_completing_meeting_is_marked_held_and_its_date_is_the_date_held(service, child):
    # A review held over two sessions: the date held is the date of the last (rules.md §3).
    first = _book(child, service, MONDAY - timedelta(days=3))
    last = _book(child, service, MONDAY, at=time(14))
    review = last.review
    services.save_record(review, by=service.iro, version=0, data=record_input(held_on=MONDAY))
    review.refresh_from_db()
    child.refresh_from_db()
    assert review.held_on == MONDAY == last.on
    statuses = dict(review.meetings.values_list("pk", "status"))
    assert statuses == {first.pk: Meeting.Status.HELD, last.pk: Meeting.Status.HELD}
    # The schedule counts from it: the second review is due 3 months after the first held.
    assert child.next_review_due == add_months(MONDAY, 3)


@pytest.mark.django_db
def test_a_meeting_still_booked_after_the_date_held_is_refused(service, child):
    # The review is completed by its last meeting: an earlier session is not the date held while a
    # later one is still booked (cancel it first, or record the review when it is held).
    first = _book(child, service, MONDAY - timedelta(days=3))
    _book(child, service, MONDAY)
    with pytest.raises(services.ReviewRefused, match="still booked"):
        services.save_record(
            first.review, by=service.iro, version=0, data=record_input(held_on=first.on)
        )
    assert not first.review.meetings.filter(status=Meeting.Status.HELD).exists()


@pytest.mark.django_db
def test_the_record_page_offers_the_meetings_not_a_free_date(client, service, child):
    meeting = _book(child, service, MONDAY)
    review = meeting.review
    _set_status(_book(child, service, MONDAY - timedelta(days=7)), "postponed")
    client.force_login(service.iro)
    url = reverse("reviews:record", kwargs={"review_id": review.pk})
    html = client.get(url).content.decode()
    # The last meeting on or before today is offered, and chosen unless the IRO says otherwise.
    assert 'name="held_on" type="radio" value="2026-09-28" checked' in html
    assert "Monday 28 September 2026 at 10:00" in html
    assert 'value="2026-09-21"' not in html, "a postponed meeting did not complete the review"
    assert 'type="date"' not in html.split('name="held_on"')[0][-300:]
    form = {
        "version": "0",
        "held_on": SUNDAY.isoformat(),
        "participation_code": "PN1",
        "wishes_and_feelings": "I like my school.",
        "matter_education": "Doing well.",
        "decisions-TOTAL_FORMS": "0",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
    }
    page = client.post(url, form)
    assert page.status_code == 200
    assert "Choose the meeting that completed the review" in page.content.decode()
    review.refresh_from_db()
    assert review.held_on is None
    assert client.post(url, {**form, "held_on": MONDAY.isoformat()}).status_code == 302
    review.refresh_from_db()
    meeting.refresh_from_db()
    assert review.held_on == MONDAY and meeting.status == Meeting.Status.HELD


@pytest.mark.django_db
def test_with_no_meeting_held_yet_the_record_page_says_what_to_do(client, service):
    child = make_child(iro=service.iro, start=date.today() - timedelta(days=100))
    review = _book(child, service, date.today() + timedelta(days=5)).review
    client.force_login(service.iro)
    html = client.get(reverse("reviews:record", kwargs={"review_id": review.pk})).content.decode()
    assert "No meeting of this review has been held yet" in html


@pytest.mark.django_db
def test_the_services_refusal_is_shown_at_the_meeting_choice(client, service, child):
    first = _book(child, service, MONDAY - timedelta(days=3))
    _book(child, service, MONDAY)
    client.force_login(service.iro)
    url = reverse("reviews:record", kwargs={"review_id": first.review.pk})
    page = client.post(
        url,
        {
            "version": "0",
            "held_on": first.on.isoformat(),
            "participation_code": "PN1",
            "wishes_and_feelings": "I like my school.",
            "matter_education": "Doing well.",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert page.status_code == 200
    assert "The meeting on Monday 28 September 2026 is still booked" in page.content.decode()
    assert page.context["form"].errors["held_on"]


@pytest.mark.django_db
def test_with_a_meeting_booked_ahead_the_record_page_names_it_not_book_a_meeting(client, service):
    """A new IRO opening the record before the meeting: the page names the meeting booked and
    the day from which the review can be recorded; it does not offer to book a meeting (one is
    booked), and a save says when it can be recorded, not "choose" among no choices."""
    child = make_child(iro=service.iro, start=date.today() - timedelta(days=100))
    on = date.today() + timedelta(days=5)
    review = _book(child, service, on).review
    client.force_login(service.iro)
    url = reverse("reviews:record", kwargs={"review_id": review.pk})
    html = client.get(url).content.decode()
    when = f"{on:%A %-d %B %Y}"
    assert f"The meeting is booked for {when}" in html
    assert reverse("reviews:book", kwargs={"pk": child.pk}) not in html
    page = client.post(url, {"version": "0", "participation_code": "PN1"}).content.decode()
    assert f"Record the review on or after the day of its meeting, {when}" in page
    assert "Choose the meeting that completed the review" not in page


@pytest.fixture
def dated_by_first(settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "REVIEW_DATED_BY_MEETING": "first"}


@pytest.mark.django_db
def test_which_meeting_dates_the_review_is_the_authoritys_choice(service, child, dated_by_first):
    # rules.md §3 (ours): dated by its first meeting, a review held over two sessions takes the
    # first session's date, and the last's is refused; the schedule counts from the first.
    first = _book(child, service, MONDAY - timedelta(days=3))
    last = _book(child, service, MONDAY, at=time(14))
    review = last.review
    with pytest.raises(services.ReviewRefused, match="first meeting was on"):
        services.save_record(review, by=service.iro, version=0, data=record_input(held_on=MONDAY))
    services.save_record(review, by=service.iro, version=0, data=record_input(held_on=first.on))
    review.refresh_from_db()
    child.refresh_from_db()
    assert review.held_on == first.on
    assert child.next_review_due == add_months(first.on, 3)


@pytest.mark.django_db
def test_dated_by_the_first_meeting_the_record_page_offers_the_first(
    client, service, child, dated_by_first
):
    _book(child, service, MONDAY - timedelta(days=3))
    review = _book(child, service, MONDAY, at=time(14)).review
    client.force_login(service.iro)
    url = reverse("reviews:record", kwargs={"review_id": review.pk})
    html = client.get(url).content.decode()
    assert "Which meeting started the review?" in html
    first = (MONDAY - timedelta(days=3)).isoformat()
    assert f'name="held_on" type="radio" value="{first}" checked' in html


def test_the_choice_is_last_or_first(settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "REVIEW_DATED_BY_MEETING": "middle"}
    with pytest.raises(ImproperlyConfigured):
        services.review_dated_by()

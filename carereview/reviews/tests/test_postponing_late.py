"""Issue 12 item 18: postponing a meeting past the review's due date warns the IRO asking (who
confirms) and the manager approving the same request. The due date never moves (rules.md §3)."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from carereview.core.testing import make_child
from carereview.reviews import services
from carereview.reviews.models import Meeting

TODAY = date.today()


@pytest.fixture
def meeting(service):
    child = make_child(iro=service.iro, start=TODAY - timedelta(days=10))
    assert child.next_review_due is not None and child.next_review_due > TODAY
    return services.book_meeting(
        child, by=service.iro, on=child.next_review_due, at=time(10), venue="School"
    )


def _warning(due: date) -> str:
    return f"This is after the review is due on {due:%-d %B %Y}. The review will be late."


@pytest.mark.django_db
def test_the_warning_says_when_a_new_date_is_after_the_due_date(meeting):
    due = meeting.review.child.next_review_due
    assert services.postponement_warnings(meeting, due) == []
    assert services.postponement_warnings(meeting, due - timedelta(days=3)) == []
    assert services.postponement_warnings(meeting, due + timedelta(days=1)) == [_warning(due)]
    assert services.postponement_warnings(meeting, None) == []  # cancelling


@pytest.mark.django_db
def test_the_iro_is_warned_and_asked_to_confirm_then_the_manager_sees_the_same_warning(
    client, service, meeting
):
    child = meeting.review.child
    due = child.next_review_due
    late = due + timedelta(days=14)
    client.force_login(service.iro)
    url = reverse("reviews:meeting-change", kwargs={"meeting_id": meeting.pk})
    form = {"change": "postpone", "reason": "Child unwell", "new_on": late, "new_at": "10:00"}
    page = client.post(url, form)
    html = page.content.decode()
    assert page.status_code == 200
    assert "govuk-warning-text" in html and _warning(due) in html
    assert "Check the warning, then tick to ask for it anyway" in html
    meeting.refresh_from_db()
    assert meeting.approval == "" and meeting.change == "", "nothing asked before confirming"
    # Confirming covers only the date warned about.
    other = late + timedelta(days=1)
    page = client.post(url, {**form, "new_on": other, "confirm": "on", "warned_for": late})
    assert page.status_code == 200
    meeting.refresh_from_db()
    assert meeting.approval == ""
    page = client.post(url, {**form, "confirm": "on", "warned_for": late})
    assert page.status_code == 302
    meeting.refresh_from_db()
    assert meeting.approval == Meeting.Approval.PENDING and meeting.change_new_on == late

    # The manager: the list flags it, and the approval page shows the same warning.
    client.force_login(service.iro_manager)
    listing = client.get(reverse("reviews:approvals")).content.decode()
    assert "After the due date" in listing
    decide = reverse("reviews:approval-decide", kwargs={"meeting_id": meeting.pk})
    html = client.get(decide).content.decode()
    assert "govuk-warning-text" in html and _warning(due) in html
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    child.refresh_from_db()
    assert child.next_review_due == due, "the due date never moves"
    assert meeting.review.meetings.filter(status="scheduled", on=late).exists()


@pytest.mark.django_db
def test_no_warning_for_a_new_date_on_or_before_the_due_date(client, service, meeting):
    due = meeting.review.child.next_review_due
    client.force_login(service.iro)
    url = reverse("reviews:meeting-change", kwargs={"meeting_id": meeting.pk})
    earlier = due - timedelta(days=2)
    form = {"change": "postpone", "reason": "Room taken", "new_on": earlier, "new_at": "10:00"}
    assert client.post(url, form).status_code == 302
    client.force_login(service.iro_manager)
    decide = reverse("reviews:approval-decide", kwargs={"meeting_id": meeting.pk})
    assert "The review will be late" not in client.get(decide).content.decode()

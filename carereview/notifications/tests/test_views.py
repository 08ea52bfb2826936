"""The outbox page: administrators only; status, attempts, last error; a filter by status."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carereview.notifications import notify, outbox
from carereview.notifications.models import Message

pytestmark = pytest.mark.django_db

URL = reverse("notifications:outbox")


def test_the_administrator_sees_each_message_and_how_it_went(client, staff):
    notify(
        "unbooked:1:2027-01-22",
        user=staff.iro,
        subject="Review not booked: Robin",
        body="Secret case detail",
    )
    failing = notify("decision-overdue:9:2027-01-05", to="carer@example.org", subject="S", body="B")
    outbox.deliver_due()
    Message.objects.filter(pk=failing.pk).update(
        status="retrying",
        attempts=3,
        last_error="SMTPDataError: (451, b'Try again later')",
        next_attempt_at=timezone.now() + timedelta(minutes=4),
    )
    client.force_login(staff.administrator)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Review coming due, not booked" in page and "Decision overdue" in page
    assert str(staff.iro) in page
    assert "c•••@example.org" in page and "carer@example.org" not in page
    assert "Failed; will try again" in page and "Sent" in page
    assert "SMTPDataError: (451, b&#x27;Try again later&#x27;)" in page
    # Who and what kind, never the words: they name a child.
    assert "Secret case detail" not in page and "Robin" not in page


def test_the_page_filters_by_status(client, staff):
    notify("a", user=staff.iro, subject="S", body="B")
    notify("unbooked:2:2027-01-22", user=staff.iro, subject="S", body="B")
    Message.objects.filter(key="a").update(status="sent")
    client.force_login(staff.administrator)
    page = client.get(URL, {"status": "queued"}).content.decode()
    assert "Review coming due, not booked" in page
    assert "Waiting to send (1)" in page and "All (2)" in page
    empty = client.get(URL, {"status": "retrying"}).content.decode()
    assert "No messages have the status" in empty


def test_an_empty_outbox_says_so(client, staff):
    client.force_login(staff.administrator)
    response = client.get(URL)
    assert response.status_code == 200
    assert "No messages yet" in response.content.decode()


@pytest.mark.parametrize("role", ["iro", "iro_manager", "social_worker", "team_manager"])
def test_no_one_else_sees_it(client, staff, role):
    client.force_login(getattr(staff, role))
    assert client.get(URL).status_code == 403


def test_messages_failing_for_hours_are_shown_first(client, staff):
    stuck = notify("decision-overdue:9:2027-01-05", to="carer@example.org", subject="S", body="B")
    Message.objects.filter(pk=stuck.pk).update(
        status="retrying", attempts=12, last_error="SMTPRecipientsRefused: [recipient]"
    )
    notify("a", user=staff.iro, subject="S", body="B")
    client.force_login(staff.administrator)
    page = client.get(URL).content.decode()
    assert "1 message could not be sent after 10 or more attempts" in page
    assert '<a class="govuk-link" href="?status=retrying">failed messages</a>' in page
    Message.objects.filter(pk=stuck.pk).update(status="sent")
    assert "could not be sent after" not in client.get(URL).content.decode()

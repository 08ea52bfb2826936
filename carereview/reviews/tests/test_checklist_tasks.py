"""The IRO's checklist as the GOV.UK task list (issue 13 item 2): each task's status and hint, and
its link to where it is recorded for those who prepare reviews."""

from datetime import date, time

import pytest

from carereview.core.calendar import working_calendar
from carereview.core.testing import make_child
from carereview.reviews import services
from carereview.reviews.models import ChecklistEntry
from carereview.reviews.presenters import ReviewPresenter

# The meeting is Monday 30 Nov 2026: contact by Mon 9 Nov, papers by Wed 25 Nov.
MEETING = date(2026, 11, 30)
ON = date(2026, 11, 26)


@pytest.fixture
def review(service):
    child = make_child(iro=service.iro, start=date(2026, 1, 5), as_at=date(2026, 11, 1))
    meeting = services.book_meeting(child, by=service.iro, on=MEETING, at=time(10), venue="Home")
    review = meeting.review
    entry = dict(review=review, recorded_by=service.iro)
    ChecklistEntry.objects.create(item="sw_contact", done_on=date(2026, 11, 9), **entry)
    ChecklistEntry.objects.create(item="care_plan", done_on=date(2026, 11, 26), **entry)
    ChecklistEntry.objects.create(
        item="child_seen", done_on=date(2026, 11, 20), outcome="refused", note="At school.", **entry
    )
    return review


@pytest.mark.django_db
def test_each_task_has_the_status_its_deadline_gives_it(review):
    rows = {r.item: r for r in ReviewPresenter(review, ON, working_calendar()).checklist}
    assert rows["sw_contact"].status == "Completed"
    assert rows["care_plan"].status == "Completed late"
    assert rows["pep"].status == "Late"
    assert rows["family"].status == "Incomplete"  # no deadline
    assert rows["child_seen"].status == "Completed"
    assert rows["care_plan"].hint[-1] == "Due by 25 Nov 2026"
    assert rows["pep"].hint == ["Due by 25 Nov 2026"]
    assert rows["family"].hint == []
    seen = rows["child_seen"].hint
    assert seen[0].startswith("20 Nov 2026 by ")
    assert seen[1:] == ["The child did not want to", "At school."]


@pytest.mark.django_db
def test_the_review_page_shows_the_checklist_as_a_task_list(client, service, review):
    client.force_login(service.iro)
    html = client.get(f"/reviews/{review.pk}/").content.decode()
    assert '<ul class="govuk-task-list">' in html
    assert (
        f'<a class="govuk-link govuk-task-list__link" href="/reviews/{review.pk}/checklist/'
        'family/" aria-describedby="checklist-8-status">Family spoken to</a>'
    ) in html
    assert '<strong class="govuk-tag govuk-tag--blue">Incomplete</strong>' in html


@pytest.mark.django_db
def test_those_who_do_not_prepare_reviews_see_the_tasks_without_links(client, service, review):
    client.force_login(service.iro_manager)  # reads reviews, does not prepare them
    response = client.get(f"/reviews/{review.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-task-list__link" not in html
    assert "Family spoken to" in html

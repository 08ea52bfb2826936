"""Issue 12 item 16, the whole class (rules.md §1): wherever a due date is shown, in a page, a
PDF, an email, a text or a message after a form, it is shown as it is with the practical
deadline beside it when it is not a working day. Pages use the `due_date` tag; text that is
not a template uses `core.calendar.due_words`. The guards below read every template and every
module, so a new page or message that formats a due date by hand fails here."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

import carereview
from carereview.children.models import Child
from carereview.core.calendar import due_words
from carereview.core.models import BankHoliday
from carereview.core.testing import make_child, make_review_objects

ROOT = Path(carereview.__file__).parent

# The last part of a name that holds a due date: due, due_on, next_due, next_review_due,
# response_due_on, respond_by, refer_by, told_by, appoint_by, required_by, stage2_request_by,
# papers_due, deadline.due, extended_to ...
DUE_NAME = re.compile(
    r"(^|_)due(_on)?$|^(next_)?(review_)?due$|_by$|^deadline$|^extended_to$|^target$"
)
# Names ending in _by that are people, not dates.
PEOPLE = {"made_by", "raised_by", "requested_by", "approved_by", "decided_by", "chaired_by"}


def _is_due(expression: str) -> bool:
    parts = [p for p in re.split(r"[.()]", expression.strip()) if p]
    return any(DUE_NAME.search(p) and p not in PEOPLE for p in parts[-2:])


def _sources(*suffixes: str):
    for path in ROOT.rglob("*"):
        if path.suffix not in suffixes or "migrations" in path.parts:
            continue
        if "tests" in path.parts or "engine" in path.parts:
            continue  # tests assert dates; the engine computes them and formats none
        yield path


def test_no_template_shows_a_due_date_with_the_plain_date_filter():
    found = []
    for path in _sources(".html", ".txt"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for expression in re.findall(r"\{\{\s*([\w.]+)\s*\|\s*date\b", line):
                if _is_due(expression):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {expression}|date")
    assert found == [], "show these with {% due_date %}:\n" + "\n".join(found)


def test_no_module_formats_a_due_date_by_hand():
    found = []
    for path in _sources(".py"):
        text = path.read_text()
        # f"...{due:%-d %B %Y}..." or _day(deadline.due) / long_date(decision.due_on)
        for expression in re.findall(r"\{([\w.()]+):%[^}]*\}", text) + re.findall(
            r"\b(?:_day|long_date|day_and_date|format_date|date_format)\(([\w.()]+)\)", text
        ):
            if _is_due(expression):
                found.append(f"{path.relative_to(ROOT)}: {expression}")
    assert found == [], "write these with core.calendar.due_words:\n" + "\n".join(found)


def test_the_guards_recognise_due_names_and_leave_others_alone():
    for due in ("child.next_review_due", "d.due_on", "p.refer_by", "deadline.due", "due_on(r)"):
        assert _is_due(due), due
    for other in ("review.held_on", "m.on", "r.received_on", "a.requested_by", "due_when_booked"):
        assert not _is_due(other), other


@pytest.mark.django_db
def test_due_words_keeps_the_date_and_names_the_practical_deadline():
    assert due_words(date(2027, 2, 19)) == "19 February 2027"  # a Friday
    assert due_words(date(2027, 2, 20)) == (
        "20 February 2027 (not a working day; last working day: Friday 19 February 2027)"
    )
    assert due_words(date(2027, 2, 20), "l j F Y").startswith("Saturday 20 February 2027 (")
    BankHoliday.objects.create(date=date(2027, 2, 19), name="Proclaimed holiday")
    assert due_words(date(2027, 2, 20)).endswith("Thursday 18 February 2027)")


def _saturday_after(day: date) -> date:
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


@pytest.mark.django_db
def test_business_supports_page_and_the_change_page_show_the_practical_deadline(client, service):
    """Two pages that showed the due date bare: business support's view of a review and the
    page asking to move or cancel a meeting (with its postponement warning)."""
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    objects = make_review_objects(child, service.iro)
    saturday = _saturday_after(date.today() + timedelta(days=30))
    Child.objects.filter(pk=child.pk).update(next_review_due=saturday)
    friday = f"Friday {saturday - timedelta(days=1):%-d %B %Y}"

    client.force_login(service.business_support)
    page = client.get(reverse("reviews:detail", args=[objects.review.pk])).content.decode()
    assert f"{saturday:%-d %B %Y}" in page and friday in page

    client.force_login(service.iro)
    url = reverse("reviews:meeting-change", args=[objects.meeting.pk])
    page = client.get(url).content.decode()
    assert f"{saturday:%-d %B %Y}" in page and friday in page
    later = saturday + timedelta(days=3)
    page = client.post(
        url,
        {
            "change": "postpone",
            "reason": "The child is ill",
            "new_on": later,
            "new_at": "10:00",
        },
    ).content.decode()
    assert "The review will be late" in page and friday in page  # the warning too


@pytest.mark.django_db
def test_a_reminder_email_names_the_practical_deadline(service):
    """Text that is not a page: the IRO's reminder that a review due on a Saturday is not booked."""
    from carereview.followup import reminders
    from carereview.notifications.models import Message
    from carereview.notifications.tests.helpers import at_london

    service.iro.email = "ian.iro@northmoor.example.org"
    service.iro.save()
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    saturday = date(2027, 1, 23)
    Child.objects.filter(pk=child.pk).update(next_review_due=saturday)
    with at_london(2027, 1, 4):
        reminders.run()
    body = Message.objects.get(key__startswith="unbooked:").body
    assert "due by Saturday 23 January 2027 (not a working day" in body
    assert "Friday 22 January 2027" in body

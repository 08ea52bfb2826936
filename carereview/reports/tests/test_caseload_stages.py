"""The caseload's review stages, read in four queries for the page (caseload.views, issue 7),
are the stages reviews.presenters works out review by review."""

from datetime import date

import pytest
from django.core.management import call_command

from carereview.accounts.models import User
from carereview.caseload.views import latest_review_stages
from carereview.children.models import Child
from carereview.core.calendar import working_calendar
from carereview.reviews import presenters


@pytest.mark.django_db
def test_stages_match_the_review_presenters():
    as_at = date(2026, 11, 20)
    call_command("synth", children=150, seed=9, as_at=as_at, password="pw-x")
    calendar = working_calendar()
    compared = 0
    for iro in User.objects.filter(role="iro"):
        children = list(Child.objects.visible_to(iro).in_care())
        ours = latest_review_stages(iro, children, as_at, calendar)
        theirs = presenters.latest_review_stages(iro, children, as_at, calendar)
        assert {k: (s.label, s.late) for k, s in ours.items()} == {
            k: (s.label, s.late) for k, s in theirs.items()
        }
        compared += len(ours)
    labels = {
        s.label
        for iro in User.objects.filter(role="iro")
        for s in latest_review_stages(
            iro, list(Child.objects.visible_to(iro).in_care()), as_at, calendar
        ).values()
    }
    assert compared > 100 and {"Booked", "Not booked"} <= labels

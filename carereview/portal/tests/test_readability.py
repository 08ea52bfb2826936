"""Every page a child sees in the portal is readable by a 9-year-old (issue 5, item 7).

The measure is the Flesch-Kincaid grade of the text in the page's <main>: at most grade 4 (read at
9 to 10), and a Flesch reading ease of at least 80 ("easy"). Words the child needs and cannot be
swapped (IRO, the child's and the IRO's names) are counted like any other."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from carereview.core.calendar import today
from carereview.core.testing import make_child, make_review_objects
from carereview.portal.testing import make_portal_user
from carereview.portal.tests.readability import main_text, score
from carereview.representations.models import Representation

pytestmark = pytest.mark.django_db

MAX_GRADE = 4.0
MIN_EASE = 80.0


def test_syllables_are_counted_as_a_reader_says_them():
    from carereview.portal.tests.readability import syllables

    counted = {w: syllables(w) for w in ["every", "happy", "family", "decided", "the", "carer"]}
    assert counted == {"every": 3, "happy": 2, "family": 3, "decided": 3, "the": 1, "carer": 2}
    assert syllables("officer") == 3 and syllables("independent") == 4


def test_the_measure_tells_easy_from_hard():
    easy = score("The cat sat on the mat. You can ask your IRO to come and see you.")
    hard = score(
        "Notwithstanding the aforementioned considerations, the independent reviewing "
        "officer shall undertake comprehensive deliberations regarding permanence."
    )
    assert easy.grade < 2 and easy.reading_ease > 90
    assert hard.grade > 15 and hard.reading_ease < 10
    assert main_text("<p>out</p><main><h1>Hi</h1><p>Go on.</p></main>") == ". Hi . . Go on. ."


@pytest.fixture
def child_user(service, client):
    t = today()
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=t - timedelta(days=300),
        reviews=[t - timedelta(days=40)],
        dob=date(t.year - 9, 1, 1),
        first_name="Sam",
        last_name="Reed",
    )
    objects = make_review_objects(child, service.iro)
    access, user = make_portal_user(child, by=service.iro)
    rep = Representation.objects.create(
        child=child,
        access=access,
        made_by="child",
        made_by_name="Sam Reed",
        kind="comment",
        about="Hi",
        received_on=t,
        response_due_on=t + timedelta(days=14),
    )
    client.force_login(user)
    return child, objects, rep


def child_pages(child, objects, rep):
    c = child.pk
    return [
        reverse("portal:child", args=[c]),
        reverse("portal:visit", args=[c]),
        reverse("portal:review", args=[c]),
        reverse("portal:choices", args=[c]),
        reverse("portal:consultation", args=[c]),
        reverse("portal:consultation-question", args=[c, 1]),
        reverse("portal:consultation-check", args=[c]),
        reverse("portal:after", args=[c]),
        reverse("portal:help", args=[c]),
        reverse("portal:advocate", args=[c]),
        reverse("portal:representation", args=[c]),
        reverse("portal:representation-done", args=[c, rep.pk]),
        reverse("portal:second-factor"),
    ]


def test_every_child_page_reads_at_a_9_year_olds_level(client, child_user):
    child, objects, rep = child_user
    # Start the form, so its question and check pages are there to read.
    client.post(reverse("portal:consultation", args=[child.pk]))
    results = []
    for url in child_pages(child, objects, rep):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        s = score(main_text(response.content.decode()))
        results.append((url, s))
    too_hard = [
        f"{url}: grade {s.grade:.1f}, ease {s.reading_ease:.0f} ({s.words} words)"
        for url, s in results
        if s.grade > MAX_GRADE or s.reading_ease < MIN_EASE
    ]
    assert too_hard == [], "\n".join(too_hard)

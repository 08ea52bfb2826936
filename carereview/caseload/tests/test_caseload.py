from datetime import date, timedelta

import pytest
from django.urls import reverse

from carereview.core.testing import make_child


def names(page):
    return [row.child.last_name for row in page.context["v"].rows]


@pytest.fixture
def caseload(service):
    today = date.today()
    # Started 300 days ago with no review: the first review is long overdue.
    overdue = make_child(iro=service.iro, start=today - timedelta(300), last_name="Aldermoor")
    soon = make_child(iro=service.iro, start=today - timedelta(10), last_name="Birchwhistle")
    later = make_child(
        iro=service.iro,
        start=today - timedelta(40),
        reviews=[today - timedelta(5)],
        last_name="Cloverdane",
    )
    make_child(iro=service.iro2, last_name="Elsewhere")  # someone else's
    return overdue, soon, later


@pytest.mark.django_db
def test_my_caseload_lists_only_my_children_by_due_date(client, service, caseload):
    client.force_login(service.iro)
    page = client.get(reverse("caseload:mine"))
    assert names(page) == ["Aldermoor", "Birchwhistle", "Cloverdane"]
    html = page.content.decode()
    assert "Overdue" in html and "Elsewhere" not in html
    rows = page.context["v"].rows
    assert rows[0].overdue and not rows[1].overdue
    assert rows[1].days_left == (rows[1].child.next_review_due - date.today()).days


@pytest.mark.django_db
def test_sort_filter_and_search(client, service, caseload):
    client.force_login(service.iro)
    url = reverse("caseload:mine")
    assert names(client.get(url, {"sort": "name", "order": "desc"})) == [
        "Cloverdane",
        "Birchwhistle",
        "Aldermoor",
    ]
    assert names(client.get(url, {"status": "overdue"})) == ["Aldermoor"]
    assert names(client.get(url, {"q": "clover"})) == ["Cloverdane"]
    assert names(client.get(url, {"legal": "C2", "placement": "U4"})) == [
        "Aldermoor",
        "Birchwhistle",
        "Cloverdane",
    ]
    # Nonsense is ignored, not an error.
    assert client.get(url, {"sort": "'; drop", "status": "x", "page": "999"}).status_code == 200
    empty = client.get(url, {"q": "nobody-by-this-name"})
    assert "No children match these filters" in empty.content.decode()


@pytest.mark.django_db
def test_pagination(client, service, settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "CASELOAD_PAGE_SIZE": 2}
    for i in range(5):
        make_child(iro=service.iro, last_name=f"Pebbleford{i}")
    client.force_login(service.iro)
    url = reverse("caseload:mine")
    first = client.get(url, {"sort": "name"})
    assert names(first) == ["Pebbleford0", "Pebbleford1"]
    assert "page 1 of 3" in first.content.decode()
    assert names(client.get(url, {"sort": "name", "page": 3})) == ["Pebbleford4"]


@pytest.mark.django_db
def test_empty_caseload_says_what_happens_next(client, service):
    client.force_login(service.iro)
    html = client.get(reverse("caseload:mine")).content.decode()
    assert "When a manager appoints you to a child" in html


@pytest.mark.django_db
def test_business_support_sees_scheduling_only(client, service, caseload):
    client.force_login(service.business_support)
    page = client.get(reverse("caseload:scheduling"))
    assert set(names(page)) >= {"Aldermoor", "Birchwhistle", "Cloverdane", "Elsewhere"}
    html = page.content.decode()
    assert f'href="{reverse("children:detail", kwargs={"pk": caseload[0].pk})}"' not in html
    assert reverse("reviews:book", kwargs={"pk": caseload[0].pk}) in html
    assert "Legal status" not in html


@pytest.mark.django_db
def test_manager_view_counts_each_iros_caseload(client, service, caseload):
    client.force_login(service.iro_manager)
    page = client.get(reverse("caseload:managers"))
    rows = {r.person: r for r in page.context["rows"]}
    assert (rows[service.iro].children, rows[service.iro].overdue) == (3, 1)
    assert rows[service.iro2].children == 1
    detail = client.get(reverse("caseload:iro", kwargs={"user_id": service.iro.pk}))
    assert names(detail) == ["Aldermoor", "Birchwhistle", "Cloverdane"]


@pytest.mark.django_db
def test_team_manager_sees_the_teams_children(client, service):
    mine = make_child(social_worker=service.social_worker2, last_name="Dunnockley")
    make_child(social_worker=service.other_social_worker, last_name="Otherteam")
    client.force_login(service.team_manager)
    assert names(client.get(reverse("caseload:social-worker"))) == [mine.last_name]

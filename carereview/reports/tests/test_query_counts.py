"""No page's query count grows with the data (issue 7, speed at national scale).

The four pages the national-scale benchmark (`benchmarks/pages_at_scale.py`) times are asked for,
each by the role that uses it, on a small service (10 children) and again once it has grown to
210 children with more IROs, more reviews and decisions, and a child with far more history: the
number of queries must be the same. A page whose count grows issues queries per row; the message
lists both sets of queries so the one that repeats is plain to see.
"""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carereview.accounts.models import Role
from carereview.children.models import Child, Episode, Person, Relationship
from carereview.children.services import refresh_summary
from carereview.core.testing import make_child, make_user
from carereview.reviews.models import Decision, Meeting, Review

TODAY = date.today()


def _reviews(start: date, n: int) -> list[date]:
    """`n` reviews on the statutory rhythm from `start` (first at 20 days, then 3 and 6 months),
    all in the past."""
    days = [18, 100] + [100 + 180 * k for k in range(1, n)]
    return [start + timedelta(days=d) for d in days[:n] if start + timedelta(days=d) < TODAY]


def _grow(service, n: int, iros: list, *, first: int = 0) -> list[Child]:
    """`n` children shared among `iros`, each with reviews, the latest with two decisions."""
    made = []
    for i in range(first, first + n):
        start = TODAY - timedelta(days=200 + (i * 37) % 900)
        child = make_child(
            iro=iros[i % len(iros)],
            social_worker=service.social_worker,
            start=start,
            reviews=_reviews(start, 1 + i % 4),
            first_name=f"Kit{i}",
        )
        latest = child.reviews.order_by("-held_on").first()
        if latest is not None and latest.held_on is not None:
            for k in range(2):
                Decision.objects.create(
                    review=latest,
                    text=f"Decision {k}",
                    owner=service.social_worker,
                    due_on=latest.held_on + timedelta(days=14 + k),
                )
        made.append(child)
    return made


def _enrich(child: Child, service, *, size: int) -> Child:
    """Give `child` `size` of each kind of history: episodes, people, siblings, an IRO change,
    and a review booked."""
    start = child.episodes.get().decom
    for k in range(1, size):
        Episode.objects.create(
            child=child,
            decom=start + timedelta(days=30 * k),
            rne="P",
            ls="C2",
            cin="N1",
            place="U4",
            place_provider="PR1",
        )
    child.episodes.order_by("decom").filter(decom__lt=start + timedelta(days=30 * (size - 1)))
    episodes = list(child.episodes.order_by("decom"))
    for before, after in zip(episodes, episodes[1:], strict=False):
        before.dec, before.rec = after.decom, "X1"
        before.save(update_fields=["dec", "rec"])
    for k in range(size):
        person = Person.objects.create(first_name=f"Pat{k}", last_name=child.last_name)
        Relationship.objects.create(
            child=child, person=person, kind=Relationship.Kind.SIGNIFICANT, description="Aunt"
        )
        sibling = make_child(iro=child.current_iro, first_name=f"Sib{k}", last_name=child.last_name)
        child.siblings.add(sibling)
    refresh_summary(child)
    review = Review.objects.create(child=child, due_when_booked=child.next_review_due)
    Meeting.objects.create(review=review, on=TODAY + timedelta(days=5), at=time(10))
    return child


def _pages(service, child: Child) -> dict[str, tuple]:
    return {
        "IRO caseload": (service.iro, reverse("caseload:mine")),
        "child's page (IRO)": (service.iro, reverse("children:detail", args=[child.pk])),
        "child's page (IRO manager)": (
            service.iro_manager,
            reverse("children:detail", args=[child.pk]),
        ),
        "manager's caseload view": (service.iro_manager, reverse("caseload:managers")),
        "timeliness report (worked out)": (
            service.iro_manager,
            reverse("reports:timeliness") + "?refresh=1",
        ),
        "timeliness report (kept)": (service.iro_manager, reverse("reports:timeliness")),
    }


def _count(client, user, url) -> tuple[int, list[str]]:
    client.force_login(user)
    client.get(url)  # first: the session, the calendar cache and the report's snapshot
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data(client, service):
    iros = [service.iro, service.iro2]
    small_child = _enrich(_grow(service, 1, iros)[0], service, size=1)
    _grow(service, 9, iros, first=1)
    assert Child.objects.filter(current_iro=service.iro).count() >= 5
    small = {name: _count(client, *page) for name, page in _pages(service, small_child).items()}

    more_iros = iros + [
        make_user(f"iro.extra{k}", Role.IRO, service.iro.team, line_manager=service.iro_manager)
        for k in range(4)
    ]
    _grow(service, 200, more_iros, first=10)
    big_child = _enrich(_grow(service, 1, [service.iro], first=210)[0], service, size=6)
    assert Child.objects.count() > 210
    assert Child.objects.filter(current_iro=service.iro, in_care=True).count() > 25  # 2 pages
    assert big_child.reviews.count() > small_child.reviews.count()
    large = {name: _count(client, *page) for name, page in _pages(service, big_child).items()}

    for name in small:
        (n_small, sql_small), (n_large, sql_large) = small[name], large[name]
        assert n_small == n_large, (
            f"{name}: {n_small} queries with 10 children, {n_large} with 210\n"
            + "\n".join(sql_small)
            + "\n-----\n"
            + "\n".join(sql_large)
        )

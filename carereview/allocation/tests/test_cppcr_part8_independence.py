"""CPPCR 2010 Part 8 / s25A: who may not be a child's IRO (rules.md §4 "IRO independence")."""

import pytest

from carereview.allocation.independence import cppcr_part8_independence_conflicts as conflicts
from carereview.core.testing import make_child


@pytest.mark.django_db
def test_an_iro_with_no_tie_to_the_case_is_independent(service):
    child = make_child(social_worker=service.social_worker2)
    assert conflicts(service.iro, child) == []


@pytest.mark.django_db
def test_the_childs_social_worker_cannot_be_their_iro(service):
    # An IRO who is also recorded as the child's social worker (a dual role).
    child = make_child(social_worker=service.iro)
    assert any("social worker" in r for r in conflicts(service.iro, child))


@pytest.mark.django_db
def test_whoever_manages_the_case_cannot_be_the_iro(service):
    team = service.social_worker2.team
    team.manager = service.iro
    team.save()
    child = make_child(social_worker=service.social_worker2)
    assert any("manages the case" in r for r in conflicts(service.iro, child))


@pytest.mark.django_db
def test_the_social_workers_line_manager_cannot_be_the_iro(service):
    child = make_child(social_worker=service.social_worker)
    reasons = conflicts(service.conflicted_iro, child)
    assert reasons == [
        f"{service.conflicted_iro} line-manages the social worker, {service.social_worker}."
    ]


@pytest.mark.django_db
def test_the_case_managers_line_manager_cannot_be_the_iro(service):
    service.team_manager.line_manager = service.iro2
    service.team_manager.save()
    child = make_child(social_worker=service.social_worker2)
    assert any("line-manages the team manager" in r for r in conflicts(service.iro2, child))


@pytest.mark.django_db
def test_someone_who_is_not_an_iro_cannot_be_appointed(service):
    child = make_child(social_worker=service.social_worker2)
    assert conflicts(service.team_manager, child) == [
        f"{service.team_manager} is not an independent reviewing officer."
    ]


@pytest.mark.django_db
def test_a_child_without_a_social_worker_has_no_case_conflict(service):
    child = make_child()
    assert conflicts(service.conflicted_iro, child) == []


def _chain(top, *names):
    """Staff who line-manage each other upwards, the last line-managed by `top`."""
    from carereview.accounts.models import Role, User
    from carereview.core.testing import make_user

    people: list[User] = []
    boss = top
    for name in reversed(names):
        boss = make_user(name, Role.SENIOR_MANAGER, line_manager=boss)
        people.insert(0, boss)
    return people


@pytest.mark.django_db
def test_anyone_up_the_social_workers_chain_of_line_management_cannot_be_the_iro(service):
    # Four levels: the worker -> a -> b -> c -> the IRO. Only the first rung was checked before.
    worker = service.other_social_worker
    a, b, c = _chain(service.iro2, "ash.level1", "bo.level2", "cy.level3")
    worker.line_manager = a
    worker.save()
    child = make_child(social_worker=worker)
    reasons = conflicts(service.iro2, child)
    assert len(reasons) == 1 and "line management above the social worker" in reasons[0]
    assert f"{worker} → {a} → {b} → {c} → {service.iro2}" in reasons[0]
    # Everyone on the way up is caught, not only the top.
    assert conflicts(service.iro, child) == []


@pytest.mark.django_db
def test_anyone_up_the_team_managers_chain_cannot_be_the_iro(service):
    # The team manager's line manager's line manager's line manager.
    team_manager = service.other_team_manager
    a, b = _chain(service.iro2, "ash.level1", "bo.level2")
    team_manager.line_manager = a
    team_manager.save()
    child = make_child(social_worker=service.other_social_worker)
    reasons = conflicts(service.iro2, child)
    # The worker's own chain runs through the team manager too: both are named.
    assert any("line management above the team manager" in r for r in reasons)
    assert any(f"{team_manager} → {a} → {b} → {service.iro2}" in r for r in reasons)


@pytest.mark.django_db
def test_a_cycle_in_line_management_ends_the_walk(service):
    worker = service.other_social_worker
    a, b = _chain(None, "ash.level1", "bo.level2")
    b.line_manager = a  # a -> b -> a -> ...
    b.save()
    worker.line_manager = a
    worker.save()
    service.other_team_manager.line_manager = b
    service.other_team_manager.save()
    child = make_child(social_worker=worker)
    assert conflicts(service.iro2, child) == []
    # And with the IRO inside a cycle that passes through the worker's chain.
    a.line_manager = service.iro2
    a.save()
    service.iro2.line_manager = b
    service.iro2.save()
    reasons = conflicts(service.iro2, child)
    assert any("line management above the social worker" in r for r in reasons)


@pytest.mark.django_db
def test_a_social_worker_is_refused_when_the_iro_is_high_up_their_chain(service):
    from carereview.allocation import services

    child = make_child(iro=service.iro2, social_worker=service.social_worker2)
    worker = service.other_social_worker
    a, b, c = _chain(service.iro2, "ash.level1", "bo.level2", "cy.level3")
    worker.line_manager = a
    worker.save()
    with pytest.raises(services.AllocationRefused, match="no longer be independent"):
        services.allocate_social_worker(child, worker, by=service.team_manager, reason="Move")


@pytest.mark.django_db
def test_the_appoint_page_reads_the_chain_once_however_many_iros(client, service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from carereview.accounts.models import Role
    from carereview.core.testing import make_user

    worker = service.other_social_worker
    a, b, c = _chain(service.iro2, "ash.level1", "bo.level2", "cy.level3")
    worker.line_manager = a
    worker.save()
    child = make_child(social_worker=worker)
    client.force_login(service.iro_manager)
    url = reverse("allocation:appoint-iro", kwargs={"pk": child.pk})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the first request of a session does more
    before = count()
    for i in range(10):
        make_user(f"extra{i}.iro", Role.IRO, line_manager=service.iro_manager)
    assert count() == before

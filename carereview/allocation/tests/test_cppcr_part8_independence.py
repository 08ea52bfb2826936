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

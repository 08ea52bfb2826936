"""Who each stage of the ladder is addressed to, through skipped stages and missing managers."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from carereview.accounts.models import Role
from carereview.core.testing import make_child, make_user
from carereview.disputes import ladder

pytestmark = pytest.mark.django_db


def stage(code):
    return ladder.get(code)


def test_the_default_ladder_goes_from_the_social_worker_up_the_line(service, child):
    walked = ladder.chain(child, stage("director"))
    assert [(s.code, person) for s, person in walked] == [
        ("informal", service.social_worker),
        ("team_manager", service.team_manager),
        ("service_manager", service.service_manager),
        ("head_of_service", service.head_of_service),
        ("director", service.director),
    ]
    assert [s.working_days for s, _ in walked] == [10] * 5


def test_starting_higher_walks_the_chain_through_the_skipped_stages(service, child):
    assert ladder.addressee(child, stage("head_of_service")) == service.head_of_service


def test_escalating_starts_from_the_current_stages_actual_addressee(service, child):
    # Whoever really answered stage 1 (here someone standing in) is the base of the next rung.
    stand_in = make_user("stella.standin", Role.TEAM_MANAGER, line_manager=service.head_of_service)
    assert (
        ladder.addressee(
            child, stage("service_manager"), after=stage("team_manager"), previous=stand_in
        )
        == service.head_of_service
    )
    assert (
        ladder.addressee(
            child, stage("director"), after=stage("team_manager"), previous=service.team_manager
        )
        == service.director
    )


def test_the_team_manager_falls_back_to_the_workers_line_manager(service):
    service.social_worker2.team.manager = None
    service.social_worker2.team.save()
    child = make_child(iro=service.iro, social_worker=service.social_worker2)
    assert ladder.addressee(child, stage("team_manager")) == service.team_manager


def test_no_team_manager_and_no_line_manager_names_who_is_missing(service):
    worker = make_user("nia.newstarter", Role.SOCIAL_WORKER, first_name="Nia", last_name="Holt")
    child = make_child(iro=service.iro, social_worker=worker)
    with pytest.raises(ladder.NoAddressee, match="Nia Holt's team manager is missing"):
        ladder.addressee(child, stage("team_manager"))
    # The informal stage still has someone.
    assert ladder.addressee(child, stage("informal")) == worker


def test_a_fallback_who_cannot_respond_is_refused_by_name(service, child):
    # Sam's line manager is an IRO (the dual-role conflict): an IRO cannot answer a dispute.
    service.team_manager.team.manager = None
    service.team_manager.team.save()
    child.current_social_worker.refresh_from_db()
    with pytest.raises(ladder.NoAddressee, match="Connor Cobblewick .*cannot respond"):
        ladder.addressee(child, stage("team_manager"))


def test_no_social_worker_refuses_every_stage(service):
    child = make_child(iro=service.iro, social_worker=None, first_name="Kit", last_name="Ashby")
    for s in ladder.stages():
        with pytest.raises(ladder.NoAddressee, match="Kit Ashby has no social worker"):
            ladder.addressee(child, s)


def test_a_missing_line_manager_is_named(service, child):
    service.head_of_service.line_manager = None
    service.head_of_service.save()
    with pytest.raises(ladder.NoAddressee, match="no line manager is recorded for Hal Fairholm"):
        ladder.addressee(child, stage("director"))


def test_skipping_over_a_gap_names_the_gap(service, child):
    service.service_manager.line_manager = None
    service.service_manager.save()
    with pytest.raises(ladder.NoAddressee) as missing:
        ladder.addressee(child, stage("director"))
    assert "Stage 3: head of service" in str(missing.value)
    assert "Sian Gorsedale" in str(missing.value)


def test_a_closed_account_is_refused(service, child):
    service.director.is_active = False
    service.director.save()
    with pytest.raises(ladder.NoAddressee, match="Dara Elmsworth, whose account is closed"):
        ladder.addressee(child, stage("director"))


def test_line_management_going_round_in_a_circle_is_refused(service, child):
    service.head_of_service.line_manager = service.team_manager
    service.head_of_service.save()
    with pytest.raises(ladder.NoAddressee, match="goes round in a circle"):
        ladder.addressee(child, stage("director"))


def test_preview_gives_each_stage_its_person_or_the_reason(service, child):
    service.head_of_service.line_manager = None
    service.head_of_service.save()
    preview = ladder.preview(child, ladder.stages())
    assert preview["informal"] == (service.social_worker, "")
    assert preview["head_of_service"] == (service.head_of_service, "")
    person, why = preview["director"]
    assert person is None and "Hal Fairholm" in why


def test_the_ladder_is_a_setting(settings, service, child):
    settings.CAREREVIEW = {
        **settings.CAREREVIEW,
        "DISPUTE_LADDER": [
            {"code": "sw", "label": "Stage 1", "addressee": "social_worker", "working_days": 5},
            {"code": "tm", "label": "Stage 2", "addressee": "team_manager", "working_days": 3},
        ],
    }
    assert [s.code for s in ladder.stages()] == ["sw", "tm"]
    assert ladder.get("informal") is None
    assert ladder.addressee(child, stage("tm")) == service.team_manager
    assert ladder.label("gone") == "gone"


@pytest.mark.parametrize(
    "broken",
    [
        [{"code": "a", "label": "A", "addressee": "the_mayor", "working_days": 1}],
        [{"code": "a", "label": "A", "addressee": "social_worker"}],
        [
            {"code": "a", "label": "A", "addressee": "social_worker", "working_days": 1},
            {"code": "a", "label": "B", "addressee": "line_manager", "working_days": 1},
        ],
        [{"code": "a", "label": "A", "addressee": "social_worker", "working_days": -1}],
        [],
    ],
)
def test_a_malformed_ladder_is_a_configuration_error(settings, broken):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "DISPUTE_LADDER": broken}
    with pytest.raises(ImproperlyConfigured):
        ladder.stages()

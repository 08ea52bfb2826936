"""Raising, escalating, responding, resolving and referring to Cafcass: dated, by whom, audited."""

from datetime import date

import pytest

from carereview.core.models import AuditEvent
from carereview.core.testing import make_child
from carereview.disputes import services
from carereview.disputes.models import Dispute, DisputeStep

from .conftest import DAY, DUE, HOSTILE

pytestmark = pytest.mark.django_db

SUMMARY = "Life-story work has not started"
MESSAGE = "Robin's life-story work was due in January and has not started. Please start it."


def raise_one(service, child, **extra):
    args = {"summary": SUMMARY, "message": MESSAGE, "themes": ["drift", "permanence"]} | extra
    return services.raise_dispute(child, by=service.iro, **args)


def refused(match):
    return pytest.raises(services.DisputeRefused, match=match)


def test_raising_opens_the_informal_stage_with_the_social_worker(service, child, drifting):
    dispute = raise_one(service, child, decision=drifting)
    assert (dispute.raised_by, dispute.raised_on, dispute.status) == (service.iro, DAY, "open")
    assert dispute.themes == ["drift", "permanence"] and dispute.decision == drifting
    step = dispute.steps.get()
    assert step.stage == "informal" and step.addressee == service.social_worker
    assert (step.opened_on, step.opened_by, step.respond_by) == (DAY, service.iro, DUE)
    assert step.message == MESSAGE and step.skipped == [] and step.outcome == ""


def test_every_write_is_audited_without_what_anyone_wrote(service, child, on_day):
    dispute = raise_one(service, child, summary="Contact " + HOSTILE)
    step = dispute.steps.get()
    on_day(date(2026, 2, 10))
    services.respond(step, by=service.social_worker, response="Started next week")
    services.escalate(dispute, by=service.iro, message="Still not started")
    services.refer_to_cafcass(dispute, by=service.iro, on=date(2026, 2, 10), note="Rang them")
    services.resolve(dispute, by=service.iro, resolution="Work has started")
    events = list(AuditEvent.objects.filter(operation__startswith="dispute.").order_by("id"))
    assert [e.operation for e in events] == [
        "dispute.raise",
        "dispute.step_open",
        "dispute.respond",
        "dispute.escalate",
        "dispute.step_open",
        "dispute.cafcass",
        "dispute.resolve",
    ]
    assert {e.actor for e in events} == {service.iro, service.social_worker}
    everything = repr([e.snapshot for e in events])
    for text in ("Contact", "script", "Started", "Still", "Rang", "Work has"):
        assert text not in everything
    assert events[0].snapshot["themes"] == ["drift", "permanence"]
    assert events[1].snapshot["respond_by"] == DUE.isoformat()


def test_the_deadline_counts_working_days_over_bank_holidays(service, child, on_day):
    on_day(date(2026, 12, 21))
    step = raise_one(service, child).steps.get()
    # 25 and 28 Dec 2026 and 1 Jan 2027 are bank holidays.
    assert step.respond_by == date(2027, 1, 7)


def test_only_the_childs_iro_raises(service, child):
    for someone in (service.iro2, service.social_worker, service.iro_manager):
        with refused("Only the child's IRO"):
            services.raise_dispute(child, by=someone, summary="x", message="y", themes=["drift"])
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"summary": "  "}, "Enter what the concern is about"),
        ({"summary": "x" * 201}, "200 characters or fewer"),
        ({"message": ""}, "Enter your concern"),
        ({"message": "x" * 100_000}, "5000 characters or fewer"),
        ({"themes": []}, "Choose at least one theme"),
        ({"themes": ["drift", "world_peace"]}, "Choose themes from the list"),
        ({"start_stage": "the_mayor"}, "Choose a stage from the ladder"),
        ({"start_stage": "service_manager"}, "Say why the dispute starts at Stage 2"),
    ],
)
def test_raising_refuses_what_does_not_make_sense(service, child, extra, match):
    with refused(match):
        raise_one(service, child, **extra)
    assert not Dispute.objects.exists() and not DisputeStep.objects.exists()


def test_another_childs_decision_is_refused(service, child):
    other = make_child(iro=service.iro, social_worker=service.social_worker, reviews=[DAY])
    theirs = other.reviews.get().decisions.create(text="x", due_on=DAY, owner=None)
    with refused("this child's decisions"):
        raise_one(service, child, decision=theirs)


def test_starting_higher_with_a_reason_records_the_skipped_stages(service, child):
    dispute = raise_one(
        service, child, start_stage="service_manager", skip_reason="Placement breaking down"
    )
    step = dispute.steps.get()
    assert step.stage == "service_manager" and step.addressee == service.service_manager
    assert step.skipped == ["informal", "team_manager"]
    assert step.skip_reason == "Placement breaking down"


def test_a_missing_manager_refuses_with_their_name_and_writes_nothing(service, child):
    service.service_manager.line_manager = None
    service.service_manager.save()
    with refused("no line manager is recorded for Sian Gorsedale"):
        raise_one(service, child, start_stage="head_of_service", skip_reason="Urgent")
    assert not Dispute.objects.exists()


def test_escalating_closes_the_stage_and_opens_the_next(service, child, on_day):
    dispute = raise_one(service, child)
    informal = dispute.steps.get()
    on_day(date(2026, 2, 17))
    step = services.escalate(dispute, by=service.iro, message="No reply")
    informal.refresh_from_db()
    assert (informal.outcome, informal.closed_on) == ("escalated", date(2026, 2, 17))
    assert step.stage == "team_manager" and step.addressee == service.team_manager
    assert (step.opened_on, step.respond_by) == (date(2026, 2, 17), date(2026, 3, 3))
    assert step.skipped == [] and step.skip_reason == ""


def test_escalating_over_stages_needs_a_reason_and_walks_the_chain(service, child):
    dispute = raise_one(service, child)
    with refused("skipping Stage 1: team manager, Stage 2: service manager"):
        services.escalate(dispute, by=service.iro, message="m", to_stage="head_of_service")
    assert dispute.steps.count() == 1
    step = services.escalate(
        dispute, by=service.iro, message="m", to_stage="head_of_service", skip_reason="Unsafe"
    )
    assert step.addressee == service.head_of_service
    assert step.skipped == ["team_manager", "service_manager"]


def test_escalating_only_goes_up_and_not_beyond_the_top(service, child):
    dispute = raise_one(service, child)
    services.escalate(dispute, by=service.iro, message="m", to_stage="team_manager")
    with refused("Choose a stage above Stage 1"):
        services.escalate(dispute, by=service.iro, message="m", to_stage="informal")
    with refused("Choose a stage above Stage 1"):
        services.escalate(dispute, by=service.iro, message="m", to_stage="team_manager")
    with refused("Choose a stage from the ladder"):
        services.escalate(dispute, by=service.iro, message="m", to_stage="<script>")
    services.escalate(
        dispute, by=service.iro, message="m", to_stage="director", skip_reason="Emergency"
    )
    with refused("top of the ladder"):
        services.escalate(dispute, by=service.iro, message="m")
    assert dispute.steps.count() == 3


def test_a_resolved_dispute_cannot_be_escalated_or_resolved_again(service, child):
    dispute = raise_one(service, child)
    services.resolve(dispute, by=service.iro, resolution="Sorted")
    with refused("resolved on 2 February 2026, so it cannot be escalated"):
        services.escalate(dispute, by=service.iro, message="m")
    with refused("cannot be resolved again"):
        services.resolve(dispute, by=service.iro, resolution="Again")


def test_only_the_iro_escalates_resolves_and_refers(service, child):
    dispute = raise_one(service, child)
    for someone in (service.social_worker, service.team_manager, service.iro2):
        with refused("Only the IRO who raised this dispute"):
            services.escalate(dispute, by=someone, message="m")
        with refused("Only the IRO who raised this dispute"):
            services.resolve(dispute, by=someone, resolution="r")
        with refused("Only the IRO who raised this dispute"):
            services.refer_to_cafcass(dispute, by=someone, on=DAY)


def test_the_childs_new_iro_can_take_it_over(service, child):
    dispute = raise_one(service, child)
    child.current_iro = service.iro2
    child.save()
    dispute.refresh_from_db()
    services.resolve(dispute, by=service.iro2, resolution="Sorted")
    assert Dispute.objects.get().status == "resolved"


def test_only_the_addressee_responds_and_only_once(service, child, on_day):
    dispute = raise_one(service, child)
    step = dispute.steps.get()
    for someone in (service.team_manager, service.iro, service.social_worker2):
        with refused("addressed to Sam Testington: only they can respond"):
            services.respond(step, by=someone, response="r")
    with refused("Enter your response"):
        services.respond(step, by=service.social_worker, response="   ")
    on_day(date(2026, 2, 5))
    services.respond(step, by=service.social_worker, response="Starting Monday")
    step.refresh_from_db()
    assert (step.response, step.responded_on, step.responded_by) == (
        "Starting Monday",
        date(2026, 2, 5),
        service.social_worker,
    )
    assert step.closed_on is None and step.outcome == ""
    with refused("already responded to this stage on 5 February 2026"):
        services.respond(step, by=service.social_worker, response="Again")


def test_a_closed_stage_cannot_be_responded_to(service, child):
    dispute = raise_one(service, child)
    step = dispute.steps.get()
    services.escalate(dispute, by=service.iro, message="m")
    with refused("was escalated on 2 February 2026"):
        services.respond(step, by=service.social_worker, response="Late")


def test_resolving_closes_the_open_stage(service, child, on_day):
    dispute = raise_one(service, child)
    services.escalate(dispute, by=service.iro, message="m")
    on_day(date(2026, 2, 20))
    services.resolve(dispute, by=service.iro, resolution="Agreed a date")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.resolved_on, dispute.resolution) == (
        "resolved",
        date(2026, 2, 20),
        "Agreed a date",
    )
    last = dispute.steps.order_by("id").last()
    assert (last.stage, last.outcome, last.closed_on) == (
        "team_manager",
        "resolved",
        dispute.resolved_on,
    )


def test_cafcass_at_any_stage_once_and_not_in_the_future(service, child, on_day):
    dispute = raise_one(service, child)
    with refused("cannot be in the future"):
        services.refer_to_cafcass(dispute, by=service.iro, on=date(2026, 2, 3))
    with refused("before the dispute was raised"):
        services.refer_to_cafcass(dispute, by=service.iro, on=date(2026, 1, 1))
    with refused("5000 characters or fewer"):
        services.refer_to_cafcass(dispute, by=service.iro, on=DAY, note="x" * 100_000)
    services.refer_to_cafcass(dispute, by=service.iro, on=DAY, note="Spoke to the duty officer")
    dispute.refresh_from_db()
    assert dispute.cafcass_referred_on == DAY and dispute.status == "open"
    with refused("already recorded on 2 February 2026"):
        services.refer_to_cafcass(dispute, by=service.iro, on=DAY)
    # The dispute carries on up the ladder as before.
    assert services.escalate(dispute, by=service.iro, message="m").stage == "team_manager"

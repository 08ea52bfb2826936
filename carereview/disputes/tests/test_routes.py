"""The dispute routes as every staff role, with the objects the policy walk
(core/tests/test_policy_routes.py) needs: a dispute raised by the IRO and escalated to stage 2, so
that the service manager (a senior manager) is an addressee and every role the policy allows
reaches each page (2xx, or a redirect back to the dispute with the reason)."""

import pytest
from django.urls import reverse

from carereview.core.policy import allows
from carereview.core.testing import make_child
from carereview.disputes import services

pytestmark = pytest.mark.django_db

ROUTES = {
    "disputes:mine": {},
    "disputes:overview": {},
    "disputes:raise": {"pk"},
    "disputes:detail": {"dispute_id"},
    "disputes:escalate": {"dispute_id"},
    "disputes:resolve": {"dispute_id"},
    "disputes:cafcass": {"dispute_id"},
    "disputes:respond": {"step_id"},
}


def walk_objects(child, service):
    """What the walk's `_kwargs` needs for dispute_id and step_id."""
    dispute = services.raise_dispute(
        child, by=service.iro, summary="Drift", message="m", themes=["drift"]
    )
    step = services.escalate(
        dispute, by=service.iro, message="m", to_stage="service_manager", skip_reason="Urgent"
    )
    return {"pk": child.pk, "dispute_id": dispute.pk, "step_id": step.pk}


def test_every_role_against_the_policy(client, service, child):
    values = walk_objects(child, service)
    failures = []
    for role, user in service.by_role().items():
        client.force_login(user)
        for route, names in ROUTES.items():
            url = reverse(route, kwargs={n: values[n] for n in names})
            status = client.get(url).status_code
            allowed = allows(user, route)
            if (status >= 400) if allowed else status != 403:
                failures.append(f"{role} {route}: {status}, allowed={allowed}")
    assert failures == []


def test_another_childs_dispute_is_not_found_for_every_role(client, service):
    """As the walk's out-of-scope test: the stranger's dispute (their IRO raised it with their
    social worker in another team) is a 404 for every role allowed the page, never the record."""
    stranger = make_child(
        iro=service.iro2, social_worker=service.other_social_worker, last_name="Strangeways"
    )
    dispute = services.raise_dispute(
        stranger, by=service.iro2, summary="Drift", message="m", themes=["drift"]
    )
    values = {"pk": stranger.pk, "dispute_id": dispute.pk, "step_id": dispute.steps.get().pk}
    for role, user in service.by_role().items():
        if role == "iro_manager":
            continue  # iro2 is in the IRO manager's team
        client.force_login(user)
        for route, names in ROUTES.items():
            if not names or not allows(user, route):
                continue
            response = client.get(reverse(route, kwargs={n: values[n] for n in names}))
            assert response.status_code == 404, (role, route, response.status_code)
            assert b"Strangeways" not in response.content

from datetime import date, timedelta

import pytest
from django.urls import reverse

from carereview.allocation import services
from carereview.allocation.models import IROAllocation, SocialWorkerAllocation
from carereview.allocation.selectors import caseloads, children_without_iro
from carereview.core.calendar import working_calendar
from carereview.core.models import AuditEvent
from carereview.core.testing import make_child


@pytest.mark.django_db
def test_appointing_an_iro_keeps_history_and_the_current_pointer(service):
    child = make_child(social_worker=service.social_worker2)
    services.appoint_iro(child, service.iro, by=service.iro_manager, on=date(2026, 1, 5))
    services.appoint_iro(
        child, service.iro2, by=service.iro_manager, reason="IRO left", on=date(2026, 6, 1)
    )
    child.refresh_from_db()
    assert child.current_iro == service.iro2
    history = list(IROAllocation.objects.filter(child=child).order_by("started_on"))
    assert [(a.iro, a.started_on, a.ended_on, a.reason) for a in history] == [
        (service.iro, date(2026, 1, 5), date(2026, 6, 1), ""),
        (service.iro2, date(2026, 6, 1), None, "IRO left"),
    ]
    assert AuditEvent.objects.filter(operation="allocate.iro").count() == 2


@pytest.mark.django_db
def test_changing_the_iro_needs_a_reason(service):
    child = make_child(iro=service.iro, social_worker=service.social_worker2)
    with pytest.raises(services.AllocationRefused, match="Enter why the IRO is changing"):
        services.appoint_iro(child, service.iro2, by=service.iro_manager, reason="  ")


@pytest.mark.django_db
def test_a_conflicted_iro_is_refused_and_nothing_changes(service):
    child = make_child(social_worker=service.social_worker)
    with pytest.raises(services.AllocationRefused, match="line-manages the social worker"):
        services.appoint_iro(child, service.conflicted_iro, by=service.iro_manager)
    child.refresh_from_db()
    assert child.current_iro is None
    assert not IROAllocation.objects.filter(child=child).exists()


@pytest.mark.django_db
def test_a_social_worker_who_would_break_the_iros_independence_is_refused(service):
    child = make_child(iro=service.conflicted_iro, social_worker=service.social_worker2)
    with pytest.raises(services.AllocationRefused, match="no longer be independent"):
        services.allocate_social_worker(
            child, service.social_worker, by=service.team_manager, reason="Move"
        )
    services.allocate_social_worker(
        child, service.other_social_worker, by=service.team_manager, reason="Team change"
    )
    child.refresh_from_db()
    assert child.current_social_worker == service.other_social_worker
    assert SocialWorkerAllocation.objects.filter(child=child, ended_on__isnull=True).count() == 1


@pytest.mark.django_db
def test_waiting_list_is_oldest_first_against_five_working_days(service):
    calendar = working_calendar()
    today = date(2026, 11, 20)  # a Friday
    old = make_child(start=date(2026, 11, 2), social_worker=service.social_worker2, as_at=today)
    new = make_child(start=date(2026, 11, 16), social_worker=service.social_worker2, as_at=today)
    make_child(start=date(2026, 11, 2), iro=service.iro, as_at=today)  # has one: not listed
    waiting = children_without_iro(service.iro_manager, today, calendar)
    assert [w.child for w in waiting] == [old, new]
    # 2 Nov 2026 + 5 working days = 9 Nov: missed by 20 Nov. 16 Nov + 5 = 23 Nov: not yet.
    assert (waiting[0].target, waiting[0].missed) == (date(2026, 11, 9), True)
    assert (waiting[1].target, waiting[1].missed) == (date(2026, 11, 23), False)
    assert waiting[1].working_days_waiting == 4


@pytest.mark.django_db
def test_caseload_per_fte_against_the_guide(service, settings):
    for _ in range(3):
        make_child(iro=service.iro2)  # iro2 is 0.5 FTE
    rows = {c.person: c for c in caseloads("iro", date.today())}
    assert rows[service.iro2].children == 3
    assert str(rows[service.iro2].per_fte) == "6.0"
    assert rows[service.iro2].guide == "below"
    settings.CAREREVIEW = {**settings.CAREREVIEW, "CASELOAD_GUIDE_MIN": 1, "CASELOAD_GUIDE_MAX": 5}
    assert caseloads("iro", date.today())[1].guide in {"above", "within", "below"}
    assert {c.person: c for c in caseloads("iro", date.today())}[service.iro2].guide == "above"


@pytest.mark.django_db
def test_appoint_page_explains_conflicts_and_offers_the_siblings_iro(client, service):
    child = make_child(social_worker=service.social_worker, last_name="Larkspurr")
    sibling = make_child(iro=service.iro2, social_worker=service.social_worker2)
    child.siblings.add(sibling)
    client.force_login(service.iro_manager)
    page = client.get(reverse("allocation:appoint-iro", kwargs={"pk": child.pk}))
    html = page.content.decode()
    assert "Cannot be appointed" in html and "line-manages the social worker" in html
    assert f"Also the IRO of {sibling.first_name}, a sibling." in html
    options = page.context["options"]
    assert options[0]["caseload"].person == service.iro2  # the sibling's IRO comes first
    assert [o["caseload"].person for o in options if o["conflicts"]] == [service.conflicted_iro]


@pytest.mark.django_db
def test_a_forged_post_for_a_conflicted_iro_is_refused_with_the_reason(client, service):
    child = make_child(social_worker=service.social_worker)
    client.force_login(service.iro_manager)
    url = reverse("allocation:appoint-iro", kwargs={"pk": child.pk})
    page = client.post(url, {"person": service.conflicted_iro.pk})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "line-manages the social worker" in page.content.decode()
    child.refresh_from_db()
    assert child.current_iro is None


@pytest.mark.django_db
def test_appointing_through_the_page(client, service):
    child = make_child(social_worker=service.social_worker, start=date.today() - timedelta(3))
    client.force_login(service.iro_manager)
    url = reverse("allocation:appoint-iro", kwargs={"pk": child.pk})
    page = client.post(url, {"person": service.iro.pk}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("children:detail", kwargs={"pk": child.pk})
    assert f"{service.iro} is now {child.first_name}&#x27;s IRO." in page.content.decode()
    child.refresh_from_db()
    assert child.current_iro == service.iro
    # Changing without a reason is refused on the page.
    page = client.post(url, {"person": service.iro2.pk})
    assert "Enter why the IRO is changing" in page.content.decode()


@pytest.mark.django_db
def test_team_manager_allocates_only_their_own_social_workers(client, service):
    child = make_child(social_worker=service.social_worker2)
    client.force_login(service.team_manager)
    url = reverse("allocation:appoint-social-worker", kwargs={"pk": child.pk})
    offered = {o["caseload"].person for o in client.get(url).context["options"]}
    assert offered == {service.social_worker, service.social_worker2}
    page = client.post(url, {"person": service.other_social_worker.pk, "reason": "x"})
    assert page.status_code == 200 and "Choose one of the people listed" in page.content.decode()

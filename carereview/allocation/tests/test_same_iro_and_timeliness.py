"""rules.md §4 around appointing an IRO (issue 12, items 12-15): siblings share an IRO unless there
is a conflict; a looked-after parent and their child have different IROs; the IRO is appointed
within 5 working days, counted; the IRO service is told within 2 working days, flagged late."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from carereview.allocation import services
from carereview.allocation.models import IROAllocation, IROServiceNotice
from carereview.children.models import Episode
from carereview.children.services import refresh_summary
from carereview.core.testing import make_child
from carereview.notifications.models import Message


def _on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


# --- item 12: siblings share an IRO unless there is a conflict -----------------------------


@pytest.mark.django_db
def test_a_different_iro_from_a_siblings_needs_a_recorded_reason(service):
    child = make_child(social_worker=service.social_worker2)
    sibling = make_child(iro=service.iro2, social_worker=service.social_worker2)
    child.siblings.add(sibling)
    with pytest.raises(services.SiblingReasonNeeded, match=sibling.first_name):
        services.appoint_iro(child, service.iro, by=service.iro_manager)
    assert not IROAllocation.objects.filter(child=child).exists()
    allocation = services.appoint_iro(
        child, service.iro, by=service.iro_manager, sibling_reason="Irene's caseload is full"
    )
    assert allocation.sibling_reason == "Irene's caseload is full"
    # The sibling's own IRO needs no reason; nor a change of IRO to the sibling's.
    other = make_child(social_worker=service.social_worker2)
    other.siblings.add(sibling)
    assert services.appoint_iro(other, service.iro2, by=service.iro_manager).sibling_reason == ""


@pytest.mark.django_db
def test_when_every_siblings_iro_has_a_conflict_the_conflict_is_the_reason(service):
    child = make_child(social_worker=service.social_worker)  # conflicted_iro manages sam
    sibling = make_child(iro=service.conflicted_iro, social_worker=service.social_worker2)
    child.siblings.add(sibling)
    allocation = services.appoint_iro(child, service.iro, by=service.iro_manager)
    assert "line-manages the social worker" in allocation.sibling_reason
    assert str(service.conflicted_iro) in allocation.sibling_reason


@pytest.mark.django_db
def test_the_appoint_page_asks_for_the_sibling_reason_and_the_managers_view_shows_it(
    client, service
):
    child = make_child(social_worker=service.social_worker2, first_name="Rowan")
    sibling = make_child(iro=service.iro2, social_worker=service.social_worker2, first_name="Ash")
    child.siblings.add(sibling)
    client.force_login(service.iro_manager)
    url = reverse("allocation:appoint-iro", kwargs={"pk": child.pk})
    html = client.get(url).content.decode()
    assert 'name="sibling_reason"' in html
    page = client.post(url, {"person": service.iro.pk})
    assert page.status_code == 200
    assert "Enter why Rowan&#x27;s IRO is not Ash&#x27;s" in page.content.decode()
    client.post(url, {"person": service.iro.pk, "sibling_reason": "A court asked for a new IRO"})
    child.refresh_from_db()
    assert child.current_iro == service.iro
    managers = client.get(reverse("caseload:managers")).content.decode()
    assert "Brothers and sisters with different IROs" in managers
    assert "A court asked for a new IRO" in managers and child.full_name in managers
    # A child with no sibling who has an IRO is not asked.
    lone = make_child(social_worker=service.social_worker2)
    lone_url = reverse("allocation:appoint-iro", kwargs={"pk": lone.pk})
    assert 'name="sibling_reason"' not in client.get(lone_url).content.decode()


# --- item 13: a looked-after parent and their child have different IROs ----------------------


@pytest.mark.django_db
def test_a_looked_after_parent_and_their_child_cannot_share_an_iro(service):
    mother = make_child(iro=service.iro, social_worker=service.social_worker2, dob=date(2009, 3, 1))
    baby = make_child(social_worker=service.social_worker2, dob=date(2026, 1, 2))
    services.link_looked_after_parent(baby, mother, by=service.social_worker2)
    with pytest.raises(services.AllocationRefused, match="looked-after parent"):
        services.appoint_iro(baby, service.iro, by=service.iro_manager)
    services.appoint_iro(baby, service.iro2, by=service.iro_manager)
    # And the other way round: the mother's IRO cannot become the baby's.
    with pytest.raises(services.AllocationRefused, match="looked-after parent"):
        services.appoint_iro(mother, service.iro2, by=service.iro_manager, reason="Handover")


@pytest.mark.django_db
def test_recording_the_link_through_the_page_shows_it_on_both_children(client, service):
    mother = make_child(iro=service.iro, social_worker=service.social_worker2, first_name="Kit")
    baby = make_child(social_worker=service.social_worker2, first_name="Wren")
    client.force_login(service.social_worker2)
    url = reverse("allocation:looked-after-parent", kwargs={"pk": baby.pk})
    page = client.post(url, {"parent": "NOPE", "date_of_birth": "2014-05-14"})
    assert "There is a problem" in page.content.decode()
    assert "No child has the identifier NOPE and that date of birth" in page.content.decode()
    # The identifier alone is not enough: the date of birth must match too.
    page = client.post(url, {"parent": mother.la_child_id, "date_of_birth": "2014-05-15"})
    assert "No child has the identifier" in page.content.decode()
    assert not baby.looked_after_parents.exists()
    page = client.post(url, {"parent": mother.la_child_id, "date_of_birth": ""})
    assert "Enter the parent&#x27;s date of birth" in page.content.decode()
    born = mother.date_of_birth.isoformat()
    page = client.post(url, {"parent": mother.la_child_id, "date_of_birth": born}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("children:detail", kwargs={"pk": baby.pk})
    assert list(baby.looked_after_parents.all()) == [mother]
    html = client.get(reverse("children:detail", kwargs={"pk": baby.pk})).content.decode()
    assert "Kit" in html and "looked-after parent" in html
    client.force_login(service.iro_manager)
    appoint = client.get(reverse("allocation:appoint-iro", kwargs={"pk": baby.pk}))
    barred = [o["caseload"].person for o in appoint.context["options"] if o["conflicts"]]
    assert service.iro in barred


# --- item 14: the IRO appointed within 5 working days, counted -------------------------------


@pytest.mark.django_db
def test_each_first_appointment_records_whether_it_was_within_5_working_days(service):
    # Looked after on Christmas Eve 2026: appoint by Tuesday 5 January 2027.
    late = make_child(social_worker=service.social_worker2, start=date(2026, 12, 24))
    on_time = make_child(social_worker=service.social_worker2, start=date(2026, 12, 24))
    first = services.appoint_iro(late, service.iro, by=service.iro_manager, on=date(2027, 1, 6))
    services.appoint_iro(on_time, service.iro, by=service.iro_manager, on=date(2027, 1, 5))
    first.refresh_from_db()
    assert (first.appoint_by, first.appointed_in_time) == (date(2027, 1, 5), False)
    assert IROAllocation.objects.get(child=on_time).appointed_in_time is True
    # A later change of IRO is not an appointment on coming into care.
    change = services.appoint_iro(
        late, service.iro2, by=service.iro_manager, reason="Leave", on=date(2027, 2, 1)
    )
    change.refresh_from_db()
    assert (change.appoint_by, change.appointed_in_time) == (None, None)
    # Counted (not only those still waiting): one late, one in time.
    counts = services.appointment_counts(date(2026, 4, 1), date(2027, 3, 31))
    assert (counts.appointed, counts.late) == (2, 1)


# --- item 15: the IRO service told within 2 working days -------------------------------------


def _becomes_looked_after(child, start: date) -> None:
    Episode.objects.create(
        child=child, decom=start, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
    )
    refresh_summary(child, as_at=start)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "told", "late"),
    [
        (date(2026, 11, 13), date(2026, 11, 17), False),  # Friday: Monday, Tuesday
        (date(2026, 11, 13), date(2026, 11, 18), True),
        (date(2026, 11, 14), date(2026, 11, 17), False),  # Saturday: the same Tuesday
        (date(2026, 4, 2), date(2026, 4, 8), False),  # over Good Friday and Easter Monday
        (date(2026, 4, 2), date(2026, 4, 9), True),
        (date(2026, 12, 24), date(2026, 12, 30), False),  # over Christmas and Boxing Day
        (date(2026, 12, 24), date(2026, 12, 31), True),
    ],
)
def test_the_iro_service_is_told_when_a_child_becomes_looked_after(service, start, told, late):
    service.iro_manager.email = "ivy.manager@example.test"
    service.iro_manager.save()
    with _on(told):
        child = make_child(social_worker=service.social_worker2, start=date(2020, 1, 1))
        Episode.objects.filter(child=child).update(dec=date(2020, 2, 1), rec="E11")
        refresh_summary(child, as_at=date(2020, 3, 1))  # left care in 2020
        _becomes_looked_after(child, start)
        refresh_summary(child)  # again (a bank-holiday recompute, say): nothing twice
    notice = IROServiceNotice.objects.get(child=child, looked_after_from=start)
    assert (notice.told_on, notice.late) == (told, late)
    assert notice.told_by == (told if not late else told.replace(day=told.day - 1))
    sent = Message.objects.filter(
        user=service.iro_manager, subject__endswith=f"from {start:%-d %B %Y}"
    )
    assert sent.count() == 1
    assert child.la_child_id in sent.get().body


@pytest.mark.django_db
def test_the_setting_decides_the_working_days(service, settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "IRO_TOLD_WORKING_DAYS": 3}
    with _on(date(2026, 11, 18)):
        child = make_child(social_worker=service.social_worker2, start=date(2026, 11, 13))
    notice = IROServiceNotice.objects.get(child=child)
    assert (notice.told_by, notice.late) == (date(2026, 11, 18), False)


@pytest.mark.django_db
def test_the_notices_are_shown_to_the_iro_manager_flagged_late(client, service):
    with _on(date(2026, 11, 18)):
        late = make_child(start=date(2026, 11, 13), first_name="Sorrel")
        client.force_login(service.iro_manager)
        html = client.get(reverse("allocation:unallocated")).content.decode()
    assert "IRO service told" in html
    assert late.full_name in html and "Told late" in html


@pytest.mark.django_db
def test_the_data_migration_marks_existing_appointments_from_their_dates(service):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "carereview.allocation.migrations.0002_appointment_siblings_iro_service_told"
    )
    late = make_child(start=date(2026, 12, 24))
    in_time = make_child(start=date(2026, 12, 24))
    IROAllocation.objects.create(child=late, iro=service.iro, started_on=date(2027, 1, 6))
    IROAllocation.objects.create(child=in_time, iro=service.iro, started_on=date(2027, 1, 5))
    IROAllocation.objects.update(appoint_by=None, appointed_in_time=None)  # as before issue 12
    migration.mark_existing_appointments(apps, None)
    rows = {a.child_id: (a.appoint_by, a.appointed_in_time) for a in IROAllocation.objects.all()}
    assert rows == {
        late.pk: (date(2027, 1, 5), False),
        in_time.pk: (date(2027, 1, 5), True),
    }


@pytest.mark.django_db
def test_the_managers_view_counts_late_appointments_and_late_notices(client, service):
    with _on(date(2027, 1, 20)):
        # Became looked after on Christmas Eve; the system learnt of it on 20 January.
        child = make_child(social_worker=service.social_worker2, start=date(2026, 12, 24))
        services.appoint_iro(child, service.iro, by=service.iro_manager, on=date(2027, 1, 6))
        client.force_login(service.iro_manager)
        html = " ".join(client.get(reverse("caseload:managers")).content.decode().split())
    assert "1 child given their first IRO," in html
    assert "1 appointed late" in html
    assert "the IRO service told late of 1" in html


@pytest.mark.django_db
def test_a_link_recorded_in_error_is_removed_after_a_confirmation(client, service):
    mother = make_child(iro=service.iro, social_worker=service.social_worker2, first_name="Kit")
    baby = make_child(social_worker=service.social_worker2)
    services.link_looked_after_parent(baby, mother, by=service.social_worker2)
    client.force_login(service.social_worker2)
    url = reverse("allocation:looked-after-parent-remove", kwargs={"pk": baby.pk})
    page = client.get(url, {"parent": mother.pk})
    assert "Remove Kit as a looked-after parent?" in page.content.decode()
    assert baby.looked_after_parents.exists()  # asking changes nothing
    assert client.get(url, {"parent": "x"}).status_code == 302  # back to the list
    client.post(url, {"parent": mother.pk})
    assert not baby.looked_after_parents.exists()
    services.appoint_iro(baby, service.iro, by=service.iro_manager)  # allowed again


@pytest.mark.django_db
def test_a_link_recorded_when_parent_and_child_already_share_an_iro_is_put_before_the_managers(
    client, service
):
    """Item 13, the whole class: the rule is enforced at appointment, but the link can be
    recorded after both were given the same IRO. The link is a fact and is kept; the one who
    records it is told, and the managers' view lists the pair until one has another IRO."""
    mother = make_child(iro=service.iro, social_worker=service.social_worker2, first_name="Kit")
    baby = make_child(iro=service.iro, social_worker=service.social_worker2, first_name="Wren")
    client.force_login(service.social_worker2)
    url = reverse("allocation:looked-after-parent", kwargs={"pk": baby.pk})
    born = mother.date_of_birth.isoformat()
    page = client.post(url, {"parent": mother.la_child_id, "date_of_birth": born}, follow=True)
    assert list(baby.looked_after_parents.all()) == [mother]
    told = " ".join(page.content.decode().split())
    assert f"Wren and Kit both have {service.iro} as their IRO" in told

    client.force_login(service.iro_manager)
    managers = reverse("caseload:managers")
    html = " ".join(client.get(managers).content.decode().split())
    assert "Looked-after parents and their children with the same IRO" in html
    assert f"Wren {baby.last_name}" in html and f"Kit {mother.last_name}" in html
    assert reverse("allocation:appoint-iro", kwargs={"pk": baby.pk}) in html

    services.appoint_iro(baby, service.iro2, by=service.iro_manager, reason="Parent's IRO")
    html = " ".join(client.get(managers).content.decode().split())
    assert f"Wren {baby.last_name}" not in html.split("with the same IRO")[1]


@pytest.mark.django_db
def test_a_child_returning_to_care_is_offered_their_previous_iro_first(client, service):
    """rules.md §4 "same IRO": a child returning to care gets the same IRO where practicable.
    The appointment page puts their last IRO first and says why."""
    child = make_child(iro=service.iro2, social_worker=service.social_worker2)
    IROAllocation.objects.filter(child=child).update(ended_on=date(2026, 1, 9))
    child.current_iro = None
    child.save(update_fields=["current_iro"])
    client.force_login(service.iro_manager)
    page = client.get(reverse("allocation:appoint-iro", kwargs={"pk": child.pk}))
    first = page.context["options"][0]
    assert first["caseload"].person == service.iro2
    assert "the same IRO where practicable" in first["note"]
    assert "IRO until 9 January 2026" in " ".join(page.content.decode().split())

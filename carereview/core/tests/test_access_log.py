import pytest
from django.urls import reverse

from carereview.core.models import AccessEvent
from carereview.core.testing import make_child


@pytest.mark.django_db
def test_viewing_a_child_page_writes_an_access_event(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker)
    client.force_login(service.iro)
    url = reverse("children:detail", kwargs={"pk": child.pk})
    assert client.get(url).status_code == 200
    event = AccessEvent.objects.get()
    assert (event.user, event.child, event.path) == (service.iro, child, url)
    assert "viewed" in event.action
    assert event.at is not None


@pytest.mark.django_db
def test_a_refused_view_writes_no_access_event(client, service):
    child = make_child(iro=service.iro2, social_worker=service.other_social_worker)
    client.force_login(service.iro)
    assert client.get(reverse("children:detail", kwargs={"pk": child.pk})).status_code == 404
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db
def test_every_role_that_may_read_the_page_leaves_a_trace(client, service):
    child = make_child(iro=service.iro, social_worker=service.social_worker2)
    readers = [service.iro, service.iro_manager, service.social_worker2, service.team_manager]
    for user in readers:
        client.force_login(user)
        assert client.get(reverse("children:detail", kwargs={"pk": child.pk})).status_code == 200
    logged = list(AccessEvent.objects.order_by("at", "id").values_list("user", flat=True))
    assert logged == [u.pk for u in readers]


@pytest.mark.django_db
def test_the_allocation_page_is_a_read_of_the_record(client, service):
    child = make_child(social_worker=service.social_worker2)
    client.force_login(service.iro_manager)
    client.get(reverse("allocation:appoint-iro", kwargs={"pk": child.pk}))
    assert AccessEvent.objects.get().action == "opened the IRO allocation page"

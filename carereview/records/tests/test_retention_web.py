"""Retention on the web (rules.md §7, issue 7): an administrator proposes, a different
administrator approves while signed in, and only then can the command line delete."""

from datetime import date

import pytest
from django.urls import reverse

from carereview.accounts.models import Role
from carereview.children.models import Child
from carereview.core.models import AuditEvent
from carereview.core.testing import make_child, make_user
from carereview.records import services
from carereview.records.models import DeletionLog, RetentionProposal, Via

pytestmark = pytest.mark.django_db

LIST = "/admin/retention/"


@pytest.fixture
def admins(service):
    return service.administrator, make_user("abe.admin", Role.ADMINISTRATOR, last_name="Hollins")


def test_nothing_past_its_date_says_so_and_offers_nothing_to_propose(client, admins):
    make_child(dob=date(2014, 5, 14))
    client.force_login(admins[0])
    page = client.get(LIST).content.decode()
    assert "No record is past its retention date today" in page
    assert "Propose deleting" not in page
    assert "There are no proposals yet" in page


def test_propose_then_a_second_administrator_approves_signed_in(client, admins):
    old = make_child(dob=date(1940, 1, 1))
    make_child(dob=date(2014, 5, 14))
    first, second = admins
    client.force_login(first)
    page = client.get(LIST).content.decode()
    assert "1 record is past its retention date today" in page
    response = client.post(LIST)
    proposal = RetentionProposal.objects.get()
    assert response["Location"] == reverse("records:retention-proposal", args=[proposal.pk])
    assert proposal.proposed_by == first
    page = client.get(response["Location"]).content.decode()
    assert old.la_child_id in page and old.first_name not in page  # identifiers, never names
    assert "You proposed this. A different administrator must approve it." in page
    assert "Approve deleting" not in page
    # The proposer's own approval, posted anyway, is refused.
    client.post(response["Location"], {"checked": "on"})
    assert RetentionProposal.objects.get().status == RetentionProposal.Status.PROPOSED

    client.force_login(second)
    page = client.get(response["Location"]).content.decode()
    assert "Approve deleting 1 record" in page
    unchecked = client.post(response["Location"], {})
    assert unchecked.status_code == 200
    assert "Confirm that you have checked the list" in unchecked.content.decode()
    assert RetentionProposal.objects.get().status == RetentionProposal.Status.PROPOSED
    approved = client.post(response["Location"], {"checked": "on"}, follow=True)
    assert f"You approved proposal {proposal.pk}." in approved.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == RetentionProposal.Status.APPROVED
    assert proposal.approved_by == second and proposal.approved_via == Via.WEB
    assert "signed in on the web" in approved.content.decode()
    assert AuditEvent.objects.filter(operation="retention.approve", actor=second).exists()

    entry = services.carry_out(proposal.pk, run_by="ops")
    assert entry.approved_via == Via.WEB and entry.approved_by == second.username
    assert not Child.objects.filter(pk=old.pk).exists()
    assert DeletionLog.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Carried out" in page and "1 record" in page


def test_only_administrators(client, service, admins):
    make_child(dob=date(1940, 1, 1))
    proposal = services.propose(admins[0].username)
    for user in (service.iro_manager, service.iro, service.director):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        url = reverse("records:retention-proposal", args=[proposal.pk])
        assert client.post(url, {"checked": "on"}).status_code == 403
    assert RetentionProposal.objects.get().status == RetentionProposal.Status.PROPOSED

"""Retention (rules.md §7): listing, the two-person rule, and deleting exactly what belongs."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from carereview.accounts.models import PORTAL_ROLES, Role, User
from carereview.children.models import Child, Person
from carereview.core.models import AccessEvent, AuditEvent
from carereview.core.testing import make_child, make_user
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.notifications.models import Message
from carereview.portal.models import PortalAccess
from carereview.records import services
from carereview.records.erase import EraseRefused, edges, plan_erasure
from carereview.records.models import DeletionLog, RetentionProposal, Via
from carereview.reviews.models import EarlierReviewRequirement

from .builders import FIRST, LAST, MOTHER_FIRST, full_record
from .tables import model_rows, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(service):
    second = make_user("abe.admin", Role.ADMINISTRATOR, last_name="Hollins")
    return service.administrator, second


def _run(*args) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def _approved(admins) -> RetentionProposal:
    first, second = admins
    proposal = services.propose(first.username)
    return services.approve(proposal.pk, second.username, via=Via.WEB)


# --- What is past its date ------------------------------------------------------------------


def test_list_shows_identifier_rule_and_date_and_nothing_else(service):
    old = make_child(first_name="Oswin", last_name="Threlkeld", dob=date(1948, 2, 29))
    died = make_child(first_name="Lark", last_name="Penhallow", dob=date(2000, 1, 1))
    Child.objects.filter(pk=died.pk).update(date_of_death=date(2005, 6, 1))
    make_child(first_name="Young", last_name="Fenwick", dob=date(2012, 1, 1))
    out = _run("list", "--as-at", "2026-01-01")
    lines = out.splitlines()
    assert lines[0] == "child\trule\tretention date"
    assert sorted(lines[1:3]) == sorted(
        [
            f"{old.la_child_id}\t75th birthday\t2023-03-01",
            f"{died.la_child_id}\t15 years after death before 18\t2020-06-01",
        ]
    )
    assert lines[3] == "2 past their retention date on 2026-01-01."
    for name in ("Oswin", "Threlkeld", "Lark", "Penhallow", "Fenwick", "1948", "2000-01-01"):
        assert name not in out
    # The day of the 75th birthday (1 March 2023, for a 29 February birth) the record is kept.
    assert old.la_child_id not in _run("list", "--as-at", "2023-03-01")
    assert old.la_child_id in _run("list", "--as-at", "2023-03-02")


def test_list_rejects_a_bad_date():
    with pytest.raises(CommandError) as refused:
        _run("list", "--as-at", "1 March")
    assert refused.value.returncode == 2


# --- The two-person rule --------------------------------------------------------------------


def test_only_an_administrator_may_propose_or_approve(service, admins):
    make_child(dob=date(1940, 1, 1))
    for user in (service.iro_manager, service.iro, service.complaints_manager):
        with pytest.raises(services.RetentionRefused, match="only an active administrator"):
            services.propose(user.username)
    proposal = services.propose(admins[0].username)
    with pytest.raises(services.RetentionRefused, match="only an active administrator"):
        services.approve(proposal.pk, service.iro_manager.username, via=Via.WEB)
    admins[1].is_active = False
    admins[1].save()
    with pytest.raises(services.RetentionRefused, match="only an active administrator"):
        services.approve(proposal.pk, admins[1].username, via=Via.WEB)
    with pytest.raises(services.RetentionRefused, match="no user"):
        services.approve(proposal.pk, "nobody", via=Via.WEB)
    assert RetentionProposal.objects.get().status == RetentionProposal.Status.PROPOSED


def test_the_proposer_cannot_approve_their_own_proposal(admins):
    make_child(dob=date(1940, 1, 1))
    proposal = services.propose(admins[0].username)
    with pytest.raises(services.RetentionRefused, match="a different administrator"):
        services.approve(proposal.pk, admins[0].username, via=Via.WEB)
    with override_settings(
        CAREREVIEW={**settings.CAREREVIEW, "RETENTION_APPROVAL": "web or command line"}
    ):
        with pytest.raises(CommandError, match="a different administrator") as refused:
            _run("approve", str(proposal.pk), "--by", admins[0].username)
    assert refused.value.returncode == 2
    approved = services.approve(proposal.pk, admins[1].username, via=Via.WEB)
    assert approved.approved_by == admins[1]
    with pytest.raises(services.RetentionRefused, match="cannot be approved again"):
        services.approve(proposal.pk, admins[1].username, via=Via.WEB)


def test_nothing_is_deleted_without_approval(admins):
    child = make_child(dob=date(1940, 1, 1))
    proposal = services.propose(admins[0].username)
    with pytest.raises(services.RetentionRefused, match="not approved"):
        services.carry_out(proposal.pk)
    with pytest.raises(CommandError, match="not approved"):
        _run("delete", str(proposal.pk), "--yes")
    with pytest.raises(services.RetentionRefused, match="no retention proposal"):
        services.carry_out(proposal.pk + 100)
    assert Child.objects.filter(pk=child.pk).exists()
    assert not DeletionLog.objects.exists()


def test_a_proposal_is_of_records_past_their_date_today_at_the_latest(admins):
    with pytest.raises(services.RetentionRefused, match="nothing to propose"):
        services.propose(admins[0].username)
    with pytest.raises(services.RetentionRefused, match="after today"):
        services.propose(admins[0].username, date.today() + timedelta(days=1))


def test_a_proposal_is_carried_out_once(admins):
    make_child(dob=date(1940, 1, 1))
    proposal = _approved(admins)
    services.carry_out(proposal.pk, run_by="ops")
    with pytest.raises(services.RetentionRefused, match="was carried out"):
        services.carry_out(proposal.pk)


def test_declining_the_question_deletes_nothing(admins, monkeypatch):
    child = make_child(dob=date(1940, 1, 1))
    proposal = _approved(admins)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was deleted") as declined:
        _run("delete", str(proposal.pk))
    assert declined.value.returncode == 1
    assert Child.objects.filter(pk=child.pk).exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "delete")
    out = _run("delete", str(proposal.pk))
    assert "Deleted 1 records" in out
    assert not Child.objects.filter(pk=child.pk).exists()


# --- Checked again when deleting ------------------------------------------------------------


def test_each_record_is_checked_again_when_deleting(admins):
    corrected = make_child(first_name="Corrie", dob=date(1940, 1, 1))
    gone = make_child(first_name="Gwen", dob=date(1941, 1, 1))
    renumbered = make_child(first_name="Rhys", dob=date(1942, 1, 1))
    still = make_child(first_name="Stella", dob=date(1943, 1, 1))
    proposal = _approved(admins)
    assert proposal.children.count() == 4
    # After approval: a date of birth corrected, a record gone, an identifier changed.
    Child.objects.filter(pk=corrected.pk).update(date_of_birth=date(1990, 1, 1))
    Child.objects.filter(pk=gone.pk).delete()
    Child.objects.filter(pk=renumbered.pk).update(la_child_id="NEW1")
    entry = services.carry_out(proposal.pk, run_by="ops")
    assert entry.child_ids == [still.la_child_id]
    kept = {k["la_child_id"]: k["reason"] for k in entry.kept}
    assert kept == {
        corrected.la_child_id: "not past its retention date: kept until 2065-01-01 (75th birthday)",
        gone.la_child_id: "no longer in the database",
        renumbered.la_child_id: "its identifier has changed",
    }
    assert Child.objects.filter(pk=corrected.pk).exists()
    assert Child.objects.filter(pk=renumbered.pk).exists()
    assert not Child.objects.filter(pk=still.pk).exists()


def test_the_date_is_checked_on_the_day_of_deletion(admins, monkeypatch):
    from django.utils import timezone

    child = make_child(dob=date(2000, 5, 10))
    Child.objects.filter(pk=child.pk).update(date_of_death=date(2005, 1, 1))  # kept to 2020-01-01
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2020, 1, 2))
    proposal = _approved(admins)
    # The death is corrected to a later date before the deletion runs.
    Child.objects.filter(pk=child.pk).update(date_of_death=date(2010, 1, 1))
    entry = services.carry_out(proposal.pk, run_by="ops")
    assert entry.child_ids == [] and entry.rows_deleted == {}
    assert entry.kept[0]["reason"].startswith("not past its retention date: kept until 2025-01-01")
    assert Child.objects.filter(pk=child.pk).exists()


# --- Deleting everything that belongs, and nothing else -------------------------------------


def test_deletion_removes_the_whole_record_and_leaves_everything_else(service, admins):
    family = full_record(service)
    child, brother = family.child, family.brother
    identifier = child.la_child_id
    before = model_rows()
    mother_user = Person.objects.get(first_name=MOTHER_FIRST).portal_user
    child_user = child.portal_user
    assert mother_user is not None and child_user is not None

    proposal = _approved(admins)
    assert [c.la_child_id for c in proposal.children.all()] == [identifier]
    planned = plan_erasure([child.pk]).counts()
    entry = services.carry_out(proposal.pk, run_by="ops")
    after = model_rows()

    # Every row that stays is unchanged; every row that went is counted in the log.
    gone: dict[str, int] = {}
    for label, rows in before.items():
        for pk, row in rows.items():
            if pk in after[label]:
                assert after[label][pk] == row, f"{label} {pk} changed"
            else:
                gone[label] = gone.get(label, 0) + 1
    assert gone == entry.rows_deleted == planned
    new = {
        label: set(after[label]) - set(before[label])
        for label in after
        if set(after[label]) - set(before[label])
    }
    assert set(new) == {
        "records.RetentionProposal",
        "records.ProposedChild",
        "records.DeletionLog",
        "core.AuditEvent",
    }
    assert {AuditEvent.objects.get(pk=pk).operation for pk in new["core.AuditEvent"]} == {
        "retention.propose",
        "retention.approve",
        "retention.delete",
    }

    # What went: the record and all that hangs from it, across the apps.
    for label in (
        "children.Child",
        "children.Child_siblings",
        "children.Episode",
        "children.Relationship",
        "allocation.IROAllocation",
        "allocation.SocialWorkerAllocation",
        "reviews.Review",
        "reviews.Meeting",
        "reviews.ChecklistEntry",
        "reviews.Consultation",
        "reviews.Invitation",
        "reviews.Exclusion",
        "reviews.MatterConsidered",
        "reviews.MatterConsidered_hidden_from",
        "reviews.Decision",
        "reviews.DecisionUpdate",
        "reviews.Dispatch",
        "documents.ParentCopyConfirmation",
        "documents.HeldCopy",
        "reviews.EarlierReviewRequirement",
        "followup.MidwayCheck",
        "followup.SignificantEvent",
        "disputes.Dispute",
        "disputes.DisputeStep",
        "portal.PortalAccess",
        "portal.PortalInvitation",
        "portal.VisitRequest",
        "representations.Representation",
        "representations.AdvocacyRequest",
        "core.AccessEvent",
        "core.AuditEvent",
        "notifications.Message",
        "otp_totp.TOTPDevice",
        "children.Person",
        "accounts.User",
    ):
        assert entry.rows_deleted.get(label), label
    assert entry.rows_deleted["children.Child"] == 1
    # Every table with a key to a child had a row of this one, and it went.
    pointing = {e.source._meta.label for e in edges()[Child]}
    assert pointing <= set(entry.rows_deleted), pointing - set(entry.rows_deleted)
    # The mother and the father (only this child's), not the aunt (the brother's too).
    assert entry.rows_deleted["children.Person"] == 2
    # The child's and the mother's portal sign-ins, no member of staff.
    assert entry.rows_deleted["accounts.User"] == 2
    assert not User.objects.filter(pk__in=[mother_user.pk, child_user.pk]).exists()
    assert entry.people_kept == 1 and entry.accounts_kept == 0
    assert entry.links_cleared == {}

    # What stays: the brother, the aunt and her portal access for him, the staff, his messages.
    brother.refresh_from_db()
    assert list(brother.siblings.all()) == []
    family.shared.refresh_from_db()
    assert PortalAccess.objects.filter(pk=family.aunt_access.pk).exists()
    assert AccessEvent.objects.filter(child=brother).count() == 1
    assert Message.objects.filter(body__contains=brother.la_child_id).count() == 1
    assert User.objects.filter(username=service.iro.username).exists()

    # No name, email or username of the child or mother is left anywhere, in any table.
    for table, value in texts():
        for word in (FIRST, LAST, MOTHER_FIRST, "Qwyll", "qwyll.z", "m@example.com"):
            assert word not in value, f"{word!r} left in {table}"
    # And no row points at a row that is gone; nobody is left with nothing to belong to.
    connection.check_constraints()
    assert not Person.objects.filter(relationships__isnull=True).exists()
    assert not User.objects.filter(
        role__in=list(PORTAL_ROLES), portal_accesses__isnull=True
    ).exists()

    # The log: who proposed and approved, when, the identifiers, rows per table; no names.
    assert entry.proposed_by == admins[0].username
    assert entry.approved_by == admins[1].username
    assert entry.proposed_at and entry.approved_at and entry.deleted_at
    assert entry.run_by == "ops"
    assert entry.child_ids == [identifier] and entry.kept == []
    text = json.dumps(
        [entry.child_ids, entry.kept, entry.rows_deleted, entry.links_cleared], default=str
    )
    for word in (FIRST, LAST, MOTHER_FIRST, str(child.date_of_birth)):
        assert word not in text
    proposal.refresh_from_db()
    assert proposal.status == RetentionProposal.Status.CARRIED_OUT
    shown = _run("show", str(proposal.pk))
    assert identifier in shown and "children.Child: 1 deleted" in shown
    assert FIRST not in shown and LAST not in shown


def test_a_record_that_died_before_18_goes_15_years_on(service, admins):
    family = full_record(service, dob=date(2000, 3, 3), died=date(2010, 2, 1))
    proposal = _approved(admins)
    assert [(c.la_child_id, c.rule) for c in proposal.children.all()] == [
        (family.child.la_child_id, "died-before-18")
    ]
    entry = services.carry_out(proposal.pk, run_by="ops")
    assert entry.child_ids == [family.child.la_child_id]
    assert Child.objects.filter(pk=family.brother.pk).exists()


def test_a_link_from_a_record_that_stays_is_emptied(service, admins):
    old = make_child(iro=service.iro, dob=date(1940, 1, 1))
    young = make_child(iro=service.iro)
    earlier = EarlierReviewRequirement.objects.create(
        child=old, reason="iro_request", required_by=date.today()
    )
    event = SignificantEvent.objects.create(
        child=young, kind="s47", source="social_worker", occurred_on=date.today()
    )
    SignificantEvent.objects.filter(pk=event.pk).update(earlier_review=earlier)
    entry = services.carry_out(_approved(admins).pk, run_by="ops")
    assert entry.links_cleared == {"followup.SignificantEvent.earlier_review": 1}
    event.refresh_from_db()
    assert event.earlier_review_id is None and event.child == young


def test_a_row_of_another_childs_record_stops_the_deletion(service, admins):
    old = make_child(iro=service.iro, dob=date(1940, 1, 1), reviews=[date(2025, 1, 1)])
    young = make_child(iro=service.iro)
    # A midway check of the young child hung (wrongly) on the old child's review.
    MidwayCheck.objects.create(child=young, after_review=old.reviews.get(), due_on=date.today())
    proposal = _approved(admins)
    with pytest.raises(EraseRefused, match="another child's record"):
        services.carry_out(proposal.pk, run_by="ops")
    assert Child.objects.filter(pk=old.pk).exists()
    assert MidwayCheck.objects.filter(child=young).exists()
    assert not DeletionLog.objects.exists()
    assert RetentionProposal.objects.get().status == RetentionProposal.Status.APPROVED


def test_the_command_line_approves_only_where_the_setting_allows(admins):
    """By default a second administrator approves on the web, signed in: a name typed on the
    command line proves nobody's approval (CAREREVIEW["RETENTION_APPROVAL"])."""
    make_child(dob=date(1940, 1, 1))
    proposal = services.propose(admins[0].username)
    with pytest.raises(CommandError, match=f"Approve proposal {proposal.pk} on the web") as refused:
        _run("approve", str(proposal.pk), "--by", admins[1].username)
    assert refused.value.returncode == 2
    assert RetentionProposal.objects.get().status == RetentionProposal.Status.PROPOSED
    allowed = {**settings.CAREREVIEW, "RETENTION_APPROVAL": "web or command line"}
    with override_settings(CAREREVIEW=allowed):
        out = _run("approve", str(proposal.pk), "--by", admins[1].username)
    assert f"Proposal {proposal.pk} approved by {admins[1].username}" in out
    approved = RetentionProposal.objects.get()
    assert approved.approved_via == Via.COMMAND
    assert "named on the command line (not verified)" in _run("show", str(proposal.pk))
    entry = services.carry_out(proposal.pk, run_by="ops")
    assert entry.approved_via == Via.COMMAND

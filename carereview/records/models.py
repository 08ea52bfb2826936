"""The retention job's own records: proposals, their approval, and the log of what was deleted.

None of these has a foreign key to a child: they outlive the records they name, by the child's
identifier (la_child_id) only, never a name.
"""

from django.conf import settings
from django.db import models

from .retention import Rule


class Via(models.TextChoices):
    WEB = "web", "signed in on the web"
    COMMAND = "command", "named on the command line (not verified)"


class RetentionProposal(models.Model):
    """One administrator proposes deleting the records past their retention date; another approves;
    then (and only then) `carereview retention delete` carries it out, once."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed, waiting for approval"
        APPROVED = "approved", "Approved, waiting to be carried out"
        CARRIED_OUT = "carried_out", "Carried out"

    as_at = models.DateField("past their retention date on")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    #: How the approver was known: signed in on the web (password and, in production, the second
    #: step) or a name typed on the command line (CAREREVIEW["RETENTION_APPROVAL"]).
    approved_via = models.CharField(max_length=8, choices=Via.choices, blank=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"Retention proposal {self.pk} ({self.get_status_display()})"


class ProposedChild(models.Model):
    """A child's record in a proposal. `child_pk` is a plain number, not a foreign key: the
    proposal is kept after the record is gone."""

    proposal = models.ForeignKey(
        RetentionProposal, on_delete=models.CASCADE, related_name="children"
    )
    child_pk = models.BigIntegerField()
    la_child_id = models.CharField(max_length=20)
    rule = models.CharField(max_length=20, choices=Rule.CHOICES)
    retention_until = models.DateField()

    class Meta:
        ordering = ["proposal", "la_child_id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "child_pk"], name="child_once_a_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.la_child_id}: {self.get_rule_display()} {self.retention_until:%d/%m/%Y}"


class DeletionLog(models.Model):
    """What a carried-out proposal deleted: who proposed and approved it and when, the children's
    identifiers, the rows deleted per table. Written once, never edited; no names."""

    proposal = models.OneToOneField(
        RetentionProposal, on_delete=models.PROTECT, related_name="deletion_log"
    )
    proposed_by = models.CharField(max_length=150)
    proposed_at = models.DateTimeField()
    approved_by = models.CharField(max_length=150)
    approved_at = models.DateTimeField()
    approved_via = models.CharField(max_length=8, choices=Via.choices, blank=True)
    deleted_at = models.DateTimeField()
    #: The operating-system account that ran `carereview retention delete`.
    run_by = models.CharField(max_length=150, blank=True)
    #: The identifiers (la_child_id) of the children whose records were deleted.
    child_ids = models.JSONField(default=list)
    #: Children of the proposal not deleted, with why: [{"la_child_id": ..., "reason": ...}].
    kept = models.JSONField(default=list)
    #: Rows deleted, per table (model label): {"reviews.Review": 12, ...}.
    rows_deleted = models.JSONField(default=dict)
    #: Links to deleted rows emptied in rows that stay (SET_NULL): {"app.Model.field": n}.
    links_cleared = models.JSONField(default=dict)
    #: Related people and portal sign-ins left in place because other records still use them.
    people_kept = models.PositiveIntegerField(default=0)
    accounts_kept = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"Deletion {self.deleted_at:%Y-%m-%d %H:%M}: {len(self.child_ids)} records"

    @property
    def total_rows(self) -> int:
        return sum(self.rows_deleted.values())

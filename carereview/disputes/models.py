"""Dispute resolution (rules.md §5): the IRO's concern, up a ladder of managers to Cafcass.

The ladder and each stage's response time are settings (`CAREREVIEW["DISPUTE_LADDER"]`). Each step
is addressed to a person (the child's social worker, then their team manager, then up the line
management), dated, with its response deadline in working days; a stage may be skipped with a
reason. A Cafcass referral (s25B(3)) may be recorded at any stage.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from carereview.reviews.models import ScopedQuerySet


class Theme(models.TextChoices):
    PERMANENCE = "permanence", "Permanence"
    PLACEMENT = "placement", "Placement"
    CONTACT = "contact", "Contact and family time"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    DRIFT = "drift", "Drift and delay"
    PARTICIPATION = "participation", "The child's participation"
    LEAVING_CARE = "leaving_care", "Leaving care"
    OTHER = "other", "Other"


class Dispute(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="disputes")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField()
    summary = models.CharField("what the concern is about", max_length=200)
    themes = models.JSONField(default=list)
    # The drifting decision it is about, if any.
    decision = models.ForeignKey(
        "reviews.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    cafcass_referred_on = models.DateField(null=True, blank=True)
    cafcass_note = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    # For display: its open stage, set by disputes.selectors (not stored).
    current: "DisputeStep | None"

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["status", "raised_on"])]

    def __str__(self) -> str:
        return self.summary


class StepScoped(ScopedQuerySet):
    child_path = "dispute__child"


class DisputeStep(models.Model):
    """One stage of a dispute: addressed to one person, with a response deadline."""

    class Outcome(models.TextChoices):
        WAITING = "", "Waiting for a response"
        RESOLVED = "resolved", "Resolved"
        ESCALATED = "escalated", "Escalated"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=30)
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dispute_steps"
    )
    opened_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("the IRO's concern at this stage")
    respond_by = models.DateField()
    # Stages passed over to reach this one, with the reason (the child's welfare needed it).
    skipped = models.JSONField(default=list)
    skip_reason = models.TextField(blank=True)
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    closed_on = models.DateField(null=True, blank=True)

    objects = StepScoped.as_manager()

    # For display, set by disputes.selectors.decorate (not stored).
    stage_label: str
    waiting: bool
    overdue: bool
    skipped_labels: list[str]

    class Meta:
        ordering = ["dispute", "opened_on", "id"]
        indexes = [models.Index(fields=["addressee", "responded_on"])]

    def __str__(self) -> str:
        return f"{self.stage} stage opened {self.opened_on:%d/%m/%Y}"


def addressed_scope(user) -> Q:
    """core.policy's "disputes" scope: the children of the dispute steps addressed to `user`
    (moved from core.policy.child_scope; ADR 0013)."""
    return Q(pk__in=DisputeStep.objects.filter(addressee=user).values("dispute__child"))

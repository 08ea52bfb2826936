"""Reviews held for a child, with what the schedule engine says of each (rules.md §3)."""

from django.conf import settings
from django.db import models

from carereview.children import codes


class Review(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="reviews")
    # The date of the meeting that completes the review (rules.md §3, ours).
    held_on = models.DateField()
    participation_code = models.CharField(
        max_length=3, blank=True, choices=codes.choices(codes.PARTICIPATION)
    )
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # What the schedule engine computed; refreshed whenever episodes or reviews change.
    counts = models.BooleanField(default=False)
    due_on = models.DateField(null=True, blank=True)
    on_time = models.BooleanField(null=True)
    regime = models.CharField(max_length=20, blank=True)
    sequence = models.PositiveSmallIntegerField(null=True)
    data_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["child", "held_on", "id"]
        indexes = [models.Index(fields=["child", "held_on"])]

    def __str__(self) -> str:
        return f"Review held {self.held_on:%d/%m/%Y}"

    @property
    def participation_label(self) -> str:
        return codes.PARTICIPATION.get(self.participation_code, "")


class EarlierReviewRequirement(models.Model):
    """CPPCR reg 33(3): a review required earlier than the schedule, with its reason and date."""

    class Reason(models.TextChoices):
        IRO_REQUEST = "iro_request", "The IRO asked for it"
        WELFARE_NOT_SAFEGUARDED = "reg30_visit", "Social worker visit: welfare not safeguarded"
        REMAND_ENDED = "remand_ended", "End of remand, custody or accommodation"
        PLAN_CHANGE = "plan_change", "Proposed significant change to the care plan (reg 32(2))"

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="earlier_reviews"
    )
    reason = models.CharField(max_length=30, choices=Reason.choices)
    details = models.TextField(blank=True)
    required_by = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["required_by"]

    def __str__(self) -> str:
        return f"Review required by {self.required_by:%d/%m/%Y} ({self.get_reason_display()})"

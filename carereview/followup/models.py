"""Between reviews (issue 6): the IRO's midway check and the significant events that reach them.

Decisions themselves are `reviews.Decision`, tracked with their status and updates.
"""

from django.conf import settings
from django.db import models

from carereview.reviews.models import ScopedQuerySet


class MidwayCheck(models.Model):
    """The IRO's check between two reviews (rules.md §4 "follow-up"; ours: at the midpoint)."""

    class Outcome(models.TextChoices):
        ON_TRACK = "on_track", "On track: decisions progressing"
        CONCERNS = "concerns", "Concerns raised with the social worker"
        EARLIER_REVIEW = "earlier_review", "An earlier review is needed"

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="midway_checks"
    )
    # The held review this check follows; one check per review.
    after_review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="midway_check"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    progress_note = models.TextField("progress on the decisions", blank=True)
    earlier_review = models.ForeignKey(
        "reviews.EarlierReviewRequirement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        from carereview.core.calendar import due_words

        return f"Midway check due {due_words(self.due_on, 'd/m/Y')}"


class SignificantEvent(models.Model):
    """Something the social worker must tell the IRO of (rules.md §4 "significant events")."""

    class Kind(models.TextChoices):
        PLAN_CHANGE = "plan_change", "A change to the care plan"
        DECISION_NOT_DONE = "decision_not_done", "A decision not carried out"
        SOCIAL_WORKER_CHANGE = "sw_change", "A change of social worker"
        PLACEMENT_CHANGE = "placement_change", "A change of placement"
        S47 = "s47", "A section 47 enquiry"
        COMPLAINT = "complaint", "A complaint"
        SCHOOL_EXCLUSION = "school_exclusion", "An exclusion from school"

    class Source(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Told by the social worker"
        EPISODE = "episode", "From the child's episodes"
        ALLOCATION = "allocation", "From the allocation history"
        REPRESENTATION = "representation", "From a representation"
        API = "api", "From the case system"

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="significant_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    occurred_on = models.DateField()
    details = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    # The episode that made it, so an episode makes at most one event.
    episode = models.OneToOneField(
        "children.Episode", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The IRO reads it and decides whether an earlier review is needed.
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    iro_note = models.TextField(blank=True)
    earlier_review = models.ForeignKey(
        "reviews.EarlierReviewRequirement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d/%m/%Y}"

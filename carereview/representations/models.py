"""Representations (comments, compliments, complaints) and requests for an advocate (rules.md §6).

A representation made through the portal starts at stage 1 (local resolution) and is acknowledged
at once with its response date. The dates come from the engine (`engine.representations`), by the
Children Act 1989 Representations Procedure (England) Regulations 2006.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from carereview.reviews.models import ScopedQuerySet


class Representation(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "A comment"
        COMPLIMENT = "compliment", "A compliment"
        COMPLAINT = "complaint", "A complaint"

    class MadeBy(models.TextChoices):
        CHILD = "child", "The child"
        PARENT = "parent", "A parent"
        CARER = "carer", "A foster carer"
        OTHER = "other", "Someone else"

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="representations"
    )
    # Made through the portal by this access (empty when staff record one made another way).
    access = models.ForeignKey(
        "portal.PortalAccess",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representations",
    )
    made_by = models.CharField(max_length=10, choices=MadeBy.choices)
    made_by_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    about = models.TextField("what it is about")
    put_right = models.TextField("what would put it right", blank=True)
    # When the matter happened (a complaint is made within 1 year; the authority may accept later).
    happened_on = models.DateField(null=True, blank=True)
    received_on = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    stage = models.PositiveSmallIntegerField(default=1)
    response_due_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    response_summary = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.made_by_name}, {self.received_on:%d/%m/%Y}"

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}"


class AdvocacyRequest(models.Model):
    """A request for an advocate (Children Act 1989 s26A): the offer and the referral, dated."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="advocacy_requests"
    )
    access = models.ForeignKey(
        "portal.PortalAccess",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advocacy_requests",
    )
    requested_by_name = models.CharField(max_length=200)
    requested_on = models.DateField()
    about = models.TextField("what the child wants help with", blank=True)
    how_to_contact = models.CharField(max_length=300, blank=True)
    referred_on = models.DateField(null=True, blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"Advocate asked for by {self.requested_by_name}, {self.requested_on:%d/%m/%Y}"


def complaints_scope(user) -> Q:
    """core.policy's "representations" scope (the complaints manager's): children with a
    representation or an advocacy request (moved from core.policy.child_scope; ADR 0013)."""
    return Q(pk__in=Representation.objects.values("child_id")) | Q(
        pk__in=AdvocacyRequest.objects.values("child_id")
    )

"""A person's check of what a parent reads where the placement address is confidential from them
(rules.md §7, ADR 0009): the IRO's confirmation of one version, and the copies held until then."""

from django.conf import settings
from django.db import models


class ParentCopyConfirmation(models.Model):
    """The IRO read this parent's version (the text staff typed, as the parent would get it) and
    confirmed it holds nothing that leads to the placement. It holds for that version only: the
    hash of its content. `review` is empty for text not tied to a review (answers to visits)."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="parent_copy_confirmations"
    )
    person = models.ForeignKey(
        "children.Person", on_delete=models.CASCADE, related_name="copy_confirmations"
    )
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parent_copy_confirmations",
    )
    content_hash = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        indexes = [models.Index(fields=["person", "review", "content_hash"])]

    def __str__(self) -> str:
        return f"Copy for {self.person} confirmed {self.confirmed_at:%d/%m/%Y %H:%M}"


class HeldCopy(models.Model):
    """An email of a review's document to a parent, held until their version is confirmed."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="held_copies"
    )
    invitation = models.ForeignKey(
        "reviews.Invitation", on_delete=models.CASCADE, related_name="held_copies"
    )
    kind = models.CharField(max_length=20)
    email = models.EmailField()
    held_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["held_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind"],
                condition=models.Q(sent_at__isnull=True),
                name="one_held_copy_per_document",
            )
        ]

    def __str__(self) -> str:
        return f"Held {self.kind} for {self.invitation.name}"

"""Break-glass access (issue 7, item 4): an IRO manager opens a record outside their scope.

A grant is for one manager and one child, with a reason, for `CAREREVIEW["BREAK_GLASS_HOURS"]`
hours. While it is live the child is in the manager's scope (`core.policy.child_scope`), and every
read of the child's record by them that only the grant allows is marked in the access log
(`core.audit.record_access`) and counted here. Someone else then reviews it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carereview.core.authority import authority

#: The suffix of an access-log action read through a grant.
BREAK_GLASS_MARK = " (break-glass)"
#: The fewest characters a reason may have.
REASON_MIN_LENGTH = 20


def grant_hours() -> int:
    return authority().break_glass_hours


class BreakGlassGrantQuerySet(models.QuerySet):
    def live(self, at=None) -> "BreakGlassGrantQuerySet":
        """Grants open at `at` (default: now)."""
        at = at or timezone.now()
        return self.filter(opened_at__lte=at, expires_at__gt=at)

    def waiting_for_review(self) -> "BreakGlassGrantQuerySet":
        return self.filter(reviewed_at__isnull=True)

    def reviewed(self) -> "BreakGlassGrantQuerySet":
        return self.filter(reviewed_at__isnull=False)


class BreakGlassGrant(models.Model):
    class Outcome(models.TextChoices):
        APPROPRIATE = "appropriate", "Appropriate"
        NOT_APPROPRIATE = "not_appropriate", "Not appropriate"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(validators=[MinLengthValidator(REASON_MIN_LENGTH)])
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    #: Reads of the record made through this grant (kept by `core.audit.record_access`).
    reads = models.PositiveIntegerField(default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["user", "child", "expires_at"]),
            models.Index(fields=["reviewed_at", "-opened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("opened_at")), name="breakglass_expires_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass {self.pk}: user {self.user_id}, child {self.child_id}"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.opened_at + timedelta(hours=grant_hours())
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return self.opened_at <= timezone.now() < self.expires_at

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    def access_events(self):
        """The access-log entries of the reads made through this grant."""
        from carereview.core.models import AccessEvent

        return AccessEvent.objects.filter(
            user_id=self.user_id,
            child_id=self.child_id,
            at__gte=self.opened_at,
            at__lt=self.expires_at,
            action__endswith=BREAK_GLASS_MARK,
        ).order_by("at", "id")


def granted_scope(user) -> Q:
    """core.policy's "breakglass" scope: the children `user` opened with a reason, while the
    grant lasts (moved from core.policy.child_scope; ADR 0013)."""
    granted = BreakGlassGrant.objects.live().filter(user=user).values("child_id")
    return Q(pk__in=granted)

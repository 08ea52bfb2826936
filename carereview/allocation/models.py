"""Who is the child's IRO and social worker, and who was before (rules.md §4).

The history rows are the record; `Child.current_iro` / `current_social_worker` are kept in step
with them by `allocation.services` in the same transaction.
"""

from django.conf import settings
from django.db import models


class Allocation(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField(
        blank=True, help_text="Why the allocation changed (required on change)"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        until = f" to {self.ended_on:%d/%m/%Y}" if self.ended_on else ""
        return f"{type(self).__name__} from {self.started_on:%d/%m/%Y}{until}"


class IROAllocation(Allocation):
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="iro_allocations"
    )

    class Meta(Allocation.Meta):
        default_related_name = "iro_allocations"
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_iro_per_child",
            )
        ]


class SocialWorkerAllocation(Allocation):
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sw_allocations"
    )

    class Meta(Allocation.Meta):
        default_related_name = "sw_allocations"
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_sw_per_child",
            )
        ]

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
    # rules.md §4 "IRO appointed": the first IRO of a period of care is appointed within
    # IRO_APPOINTMENT_WORKING_DAYS of the child becoming looked after. `started_on` is the day
    # the IRO was appointed; these say against which target, and whether it was met. Both are
    # empty for a change of IRO later in the period (not an appointment on coming into care).
    appoint_by = models.DateField(null=True, blank=True)
    appointed_in_time = models.BooleanField(null=True, blank=True)
    # rules.md §4 "same IRO": siblings share an IRO unless there is a conflict. Why this IRO is
    # not a sibling's (required then; shown on the managers' view).
    sibling_reason = models.TextField(
        blank=True, help_text="Why the IRO is not the IRO of a brother or sister"
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


class IROServiceNotice(models.Model):
    """rules.md §4 "IRO told": the IRO service is told of a new looked-after child within
    IRO_TOLD_WORKING_DAYS (ours, default 2) of the child becoming looked after. One notice for
    each period of care, made when the system first learns the period began."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="iro_service_notices"
    )
    looked_after_from = models.DateField()
    told_by = models.DateField(help_text="The last day telling the IRO service is on time")
    told_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-looked_after_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "looked_after_from"], name="one_iro_notice_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"IRO service told on {self.told_on:%d/%m/%Y}"

    @property
    def late(self) -> bool:
        return self.told_on > self.told_by

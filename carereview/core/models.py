"""Cross-cutting records: the bank-holiday table, the access log and the audit log."""

from django.conf import settings
from django.db import models


class BankHoliday(models.Model):
    """A bank holiday in England and Wales (rules.md §1). Seeded from `holidays`, editable."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.name}"


class BankHolidayVersion(models.Model):
    """One row: a new token at every change to the bank-holiday table (issue 12 item 9).

    Each process keeps the calendar it last read with the token it read it at, and reads the
    table again only when the token has changed: one small query, and every web worker and the
    background worker sees a change made by any of them. `core.calendar.forget_bank_holidays`
    writes it, in the transaction of the change.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)
    # The token every stored date was last worked out with (issue 12 item 10): while it differs
    # from `token`, the dates are being worked out again and the bank-holiday page says so.
    recomputed_token = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"Bank holidays changed at {self.changed_at:%Y-%m-%d %H:%M}"


class AccessEvent(models.Model):
    """One read of a child's record: who, which child, what, when. Written, never edited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=120)
    path = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} user {self.user_id} {self.action} child {self.child_id}"


class AuditEvent(models.Model):
    """One change made through a service: who did what to which record, with a snapshot."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    operation = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    snapshot = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.operation} {self.object_type} {self.object_id}"

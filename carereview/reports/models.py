"""Reports worked out once and kept a few minutes (issue 7, speed at national scale).

The timeliness report aggregates every review due in a year: at 100,000 children that is some
140,000 reviews, which no page should add up again on each view. The figures are kept here, as
JSON, for each person, year and as-at date, and worked out again after
CAREREVIEW["REPORT_FRESH_MINUTES"] (default 10) or when the person asks. Only numbers and IRO
names are kept: nothing about any one child.
"""

from django.db import models


class Snapshot(models.Model):
    key = models.CharField(max_length=200, unique=True)
    computed_at = models.DateTimeField()
    figures = models.JSONField()

    def __str__(self) -> str:
        return f"{self.key} at {self.computed_at:%Y-%m-%d %H:%M}"

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "carereview.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from carereview.core.calendar import register_stored_dates

        # Figures added up from dates worked out in working days (issue 12 item 10).
        register_stored_dates(
            "kept report figures",
            count="carereview.reports.kept.kept_records",
            recompute="carereview.reports.kept.forget_kept",
        )

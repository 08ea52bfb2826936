from django.apps import AppConfig


class RepresentationsConfig(AppConfig):
    name = "carereview.representations"
    label = "representations"
    verbose_name = "Representations and advocacy"

    def ready(self) -> None:
        from carereview.core.calendar import register_stored_dates

        # Worked out in working days: again after a bank-holiday change (issue 12 item 10).
        register_stored_dates(
            "representation stage dates",
            count="carereview.representations.services.stage_date_records",
            recompute="carereview.representations.services.recompute_stage_dates",
        )

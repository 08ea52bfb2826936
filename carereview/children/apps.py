from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "carereview.children"
    label = "children"

    def ready(self) -> None:
        from carereview.core.calendar import register_stored_dates

        # Worked out in working days: again after a bank-holiday change (issue 12 item 10).
        register_stored_dates(
            "review schedules",
            count="carereview.children.services.schedule_records",
            recompute="carereview.children.services.recompute_schedules",
        )

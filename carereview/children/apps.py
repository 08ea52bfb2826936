from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "carereview.children"
    label = "children"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.children.models import Child
        from carereview.core.access import child_kwarg, declare_child_model

        declare_child_model(Child)  # the child that every scoped lookup reaches (ADR 0013)
        child_kwarg("pk", "children.Child")  # a child's pk, on every staff route that names one
        child_kwarg("child_id", "children.Child")

        from carereview.core.calendar import register_stored_dates

        # Worked out in working days: again after a bank-holiday change (issue 12 item 10).
        register_stored_dates(
            "review schedules",
            count="carereview.children.services.schedule_records",
            recompute="carereview.children.services.recompute_schedules",
        )

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carereview.core"
    label = "core"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import not_child_data

        not_child_data("holiday_id", "a bank holiday")

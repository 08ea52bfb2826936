from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "carereview.caseload"
    label = "caseload"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import not_child_data

        not_child_data("user_id", "an IRO, whose caseload is a list")

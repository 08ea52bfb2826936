from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "carereview.records"
    label = "records"
    verbose_name = "Backups and retention"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import not_child_data

        not_child_data("proposal_id", "a retention proposal: identifiers and dates only")

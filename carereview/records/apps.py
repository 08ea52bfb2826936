from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "carereview.records"
    label = "records"
    verbose_name = "Backups and retention"

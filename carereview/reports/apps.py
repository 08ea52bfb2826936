from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "carereview.reports"
    label = "reports"
    verbose_name = "Reports"

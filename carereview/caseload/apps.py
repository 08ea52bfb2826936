from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "carereview.caseload"
    label = "caseload"

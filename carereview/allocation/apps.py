from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "carereview.allocation"
    label = "allocation"

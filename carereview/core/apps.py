from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carereview.core"
    label = "core"

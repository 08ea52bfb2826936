from django.apps import AppConfig


class RepresentationsConfig(AppConfig):
    name = "carereview.representations"
    label = "representations"
    verbose_name = "Representations and advocacy"

from django.apps import AppConfig


class Ssda903Config(AppConfig):
    name = "carereview.ssda903"
    label = "ssda903"

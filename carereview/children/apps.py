from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "carereview.children"
    label = "children"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carereview.core"
    label = "core"

    def ready(self) -> None:
        # A change to the bank-holiday table, however saved, marks it changed for every process.
        from carereview.core import calendar  # noqa: F401

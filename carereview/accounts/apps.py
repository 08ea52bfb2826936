from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carereview.accounts"
    label = "accounts"

    def ready(self):
        from carereview.accounts import checks  # noqa: F401 - registers the deployment checks

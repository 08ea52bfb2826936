from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carereview.accounts"
    label = "accounts"

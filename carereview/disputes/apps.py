from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "carereview.disputes"
    label = "disputes"
    verbose_name = "Dispute resolution"

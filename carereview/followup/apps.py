from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "carereview.followup"
    label = "followup"
    verbose_name = "Between reviews: decisions, midway checks and significant events"

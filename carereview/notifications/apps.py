from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "carereview.notifications"
    label = "notifications"
    verbose_name = "Messages and reminders"

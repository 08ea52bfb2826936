from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "carereview.portal"
    label = "portal"
    verbose_name = "The portal for children, parents and carers"

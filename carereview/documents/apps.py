from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "carereview.documents"
    label = "documents"
    verbose_name = "Documents"

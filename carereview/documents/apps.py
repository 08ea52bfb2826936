from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "carereview.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        # URL keywords of a review's documents (core.access; issue 12, item 3): the review itself
        # is reviews' `review_id`.
        from carereview.core.access import not_child_data

        not_child_data("kind", "which document or send, on a review's page")
        not_child_data("recipient", "whose copy, on a review's page")

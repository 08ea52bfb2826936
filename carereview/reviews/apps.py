from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "carereview.reviews"
    label = "reviews"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import child_kwarg, not_child_data

        child_kwarg("review_id", "reviews.Review")
        child_kwarg("meeting_id", "reviews.Meeting")
        child_kwarg("consultation_id", "reviews.Consultation")
        child_kwarg("exclusion_id", "reviews.Exclusion")
        not_child_data("item", "which checklist item, on a review's page")

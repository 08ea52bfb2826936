from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "carereview.reviews"
    label = "reviews"

"""A review's pages that show or send its documents. config.urls mounts them under reviews/ in the
reviews namespace, with the review's own pages (reviews.urls): their names and paths are the
review's, their views are here because documents is the layer above reviews (ADR 0013)."""

from django.urls import path

from carereview.documents import views
from carereview.reviews import converters  # noqa: F401 (registers the URL types)

review_patterns = [
    path("support/", views.support, name="support"),
    path("<int:review_id>/letters/posted/", views.letters_posted, name="letters-posted"),
    path("<int:review_id>/", views.detail, name="detail"),
    path("<int:review_id>/consultation/", views.consultation_send, name="consultation-send"),
    path("<int:review_id>/invitations/", views.invitations, name="invitations"),
    path("<int:review_id>/send/<send:kind>/", views.send, name="send"),
    path(
        "<int:review_id>/documents/<document:kind>/<recipient:recipient>.pdf",
        views.document,
        name="document",
    ),
    path("<int:review_id>/letter/", views.child_letter, name="child-letter"),
    path("<int:review_id>/decisions-for-child/", views.child_wording, name="child-wording"),
]

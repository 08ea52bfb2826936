from django.urls import path

from . import converters, views  # noqa: F401 (converters registers the URL types)

# A review's own pages, in the reviews namespace with those of documents.urls (config.urls).
urlpatterns = [
    path("children/<int:pk>/book/", views.book, name="book"),
    path("children/<int:pk>/earlier/", views.earlier, name="earlier"),
    path("approvals/", views.approvals, name="approvals"),
    path("meetings/<int:meeting_id>/change/", views.meeting_change, name="meeting-change"),
    path("meetings/<int:meeting_id>/decide/", views.approval_decide, name="approval-decide"),
    path("<int:review_id>/checklist/<checklist:item>/", views.checklist, name="checklist"),
    path("<int:review_id>/choices/", views.choices, name="choices"),
    path(
        "consultations/<int:consultation_id>/",
        views.consultation_answers,
        name="consultation-answers",
    ),
    path(
        "consultations/<int:consultation_id>/read/",
        views.consultation_read,
        name="consultation-read",
    ),
    path("<int:review_id>/exclude/", views.exclude, name="exclude"),
    path("exclusions/<int:exclusion_id>/", views.exclusion, name="exclusion"),
    path("<int:review_id>/record/", views.record, name="record"),
    path("<int:review_id>/care-plan/", views.care_plan, name="care-plan"),
]

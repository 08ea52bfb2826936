from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.work, name="work"),
    path("decisions/", views.my_decisions, name="my-decisions"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    path("children/<int:pk>/decisions/", views.child_decisions, name="child-decisions"),
    path("midway/<int:check_id>/", views.midway, name="midway"),
    path("children/<int:pk>/events/new/", views.event_new, name="event-new"),
    path("events/<int:event_id>/", views.event, name="event"),
]

from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.proposals, name="retention"),
    path("<int:proposal_id>/", views.proposal, name="retention-proposal"),
]

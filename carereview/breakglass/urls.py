from django.urls import path

from . import views

app_name = "breakglass"
urlpatterns = [
    path("children/<int:pk>/", views.open_record, name="open"),
    path("", views.review_list, name="list"),
    path("<int:grant_id>/review/", views.review, name="review"),
]

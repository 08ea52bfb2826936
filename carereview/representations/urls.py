from django.urls import path

from . import views

app_name = "representations"
urlpatterns = [
    path("", views.representation_list, name="list"),
    path("<int:representation_id>/", views.representation_detail, name="detail"),
    path("advocacy/", views.advocacy_list, name="advocacy-list"),
    path("advocacy/<int:advocacy_id>/", views.advocacy_detail, name="advocacy-detail"),
]

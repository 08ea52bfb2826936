from django.urls import path

from . import views

app_name = "caseload"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("iros/", views.managers, name="managers"),
    path("iros/<int:user_id>/", views.iro, name="iro"),
    path("my-children/", views.social_worker, name="social-worker"),
    path("reviews-to-book/", views.scheduling, name="scheduling"),
]

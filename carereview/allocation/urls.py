from django.urls import path

from . import views

app_name = "allocation"
urlpatterns = [
    path("waiting/", views.unallocated, name="unallocated"),
    path("children/<int:pk>/iro/", views.appoint_iro, name="appoint-iro"),
    path(
        "children/<int:pk>/looked-after-parent/",
        views.looked_after_parent,
        name="looked-after-parent",
    ),
    path(
        "children/<int:pk>/looked-after-parent/remove/",
        views.remove_looked_after_parent,
        name="looked-after-parent-remove",
    ),
    path(
        "children/<int:pk>/social-worker/",
        views.appoint_social_worker,
        name="appoint-social-worker",
    ),
]

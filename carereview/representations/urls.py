from django.urls import path

from . import portal_views, views

app_name = "representations"
urlpatterns = [
    path("", views.representation_list, name="list"),
    path("<int:representation_id>/", views.representation_detail, name="detail"),
    path("advocacy/", views.advocacy_list, name="advocacy-list"),
    path("advocacy/<int:advocacy_id>/", views.advocacy_detail, name="advocacy-detail"),
]

# The portal's help pages, in the portal namespace (config.urls mounts them with the portal's own).
portal_patterns = [
    path("<int:child_id>/help/", portal_views.help_page, name="help"),
    path("<int:child_id>/help/advocate/", portal_views.advocate, name="advocate"),
    path("<int:child_id>/help/tell-us/", portal_views.representation, name="representation"),
    path(
        "<int:child_id>/help/tell-us/<int:representation_id>/",
        portal_views.representation_done,
        name="representation-done",
    ),
]

# The IRO's work list, in the requests namespace with the portal's requests pages (config.urls).
requests_patterns = [
    path("", portal_views.work_list, name="list"),
]

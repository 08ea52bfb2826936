from django.urls import path

from . import child_page, views

app_name = "caseload"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("iros/", views.managers, name="managers"),
    path("iros/<int:user_id>/", views.iro, name="iro"),
    path("my-children/", views.social_worker, name="social-worker"),
    path("reviews-to-book/", views.scheduling, name="scheduling"),
]

# The child's page keeps its "children" namespace (config.urls mounts it under children/).
children_patterns = ([path("<int:pk>/", child_page.detail, name="detail")], "children")

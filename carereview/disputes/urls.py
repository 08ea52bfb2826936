from django.urls import path

from . import views

app_name = "disputes"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("overview/", views.overview, name="overview"),
    path("children/<int:pk>/raise/", views.raise_dispute, name="raise"),
    path("<int:dispute_id>/", views.detail, name="detail"),
    path("<int:dispute_id>/escalate/", views.escalate, name="escalate"),
    path("<int:dispute_id>/resolve/", views.resolve, name="resolve"),
    path("<int:dispute_id>/cafcass/", views.cafcass, name="cafcass"),
    path("steps/<int:step_id>/respond/", views.respond, name="respond"),
]

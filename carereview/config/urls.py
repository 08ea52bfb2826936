from django.urls import include, path

urlpatterns = [
    path("", include("carereview.core.urls")),
    path("children/", include("carereview.children.urls")),
    path("allocation/", include("carereview.allocation.urls")),
    path("caseload/", include("carereview.caseload.urls")),
    path("reviews/", include("carereview.reviews.urls")),
]

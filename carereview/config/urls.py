from django.urls import include, path

from carereview.portal.urls import access_patterns, requests_patterns

urlpatterns = [
    path("", include("carereview.core.urls")),
    path("children/", include("carereview.children.urls")),
    path("allocation/", include("carereview.allocation.urls")),
    path("caseload/", include("carereview.caseload.urls")),
    path("reviews/", include("carereview.reviews.urls")),
    path("portal/", include("carereview.portal.urls")),
    path("portal-access/", include(access_patterns)),
    path("requests/", include(requests_patterns)),
    path("representations/", include("carereview.representations.urls")),
    path("between-reviews/", include("carereview.followup.urls")),
    path("disputes/", include("carereview.disputes.urls")),
    path("admin/messages/", include("carereview.notifications.urls")),
    path("admin/retention/", include("carereview.records.urls")),
    path("account/", include("carereview.accounts.urls")),
    path("break-glass/", include("carereview.breakglass.urls")),
    path("reports/", include("carereview.reports.urls")),
]

# The error pages (issue 12, item 6), for the staff site and the portal.
handler400 = "carereview.core.errors.bad_request"
handler403 = "carereview.core.errors.permission_denied"
handler404 = "carereview.core.errors.page_not_found"
handler500 = "carereview.core.errors.server_error"

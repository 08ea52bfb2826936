from django.urls import include, path

from carereview.accounts.views import SignInView, staff
from carereview.caseload.urls import children_patterns
from carereview.core.urls import admin_patterns
from carereview.documents.urls import review_patterns as review_document_patterns
from carereview.portal.urls import access_patterns
from carereview.portal.urls import requests_patterns as portal_requests_patterns
from carereview.portal.urls import urlpatterns as portal_own_patterns
from carereview.portal.views.profile import profile
from carereview.representations.urls import portal_patterns as representation_portal_patterns
from carereview.representations.urls import requests_patterns as representation_requests_patterns
from carereview.reviews.urls import urlpatterns as review_own_patterns

# The administration pages ("core:..."): core's own, the staff list (accounts) and a member of
# staff's own details (portal), gathered here since core names no app (ADR 0013).
core_patterns = (
    [
        path("staff/", staff, name="staff"),
        path("profile/", profile, name="profile"),
        *admin_patterns,
    ],
    "core",
)

# A review's pages ("reviews:..."): its own (reviews) and those that show or send its documents
# (documents, the layer above, whose views call down to the review; ADR 0013).
review_patterns = ([*review_own_patterns, *review_document_patterns], "reviews")

# The portal ("portal:...") and the staff pages that serve it ("requests:..."): the portal's own,
# and the help pages and work list of representations, the layer above (ADR 0013).
portal_patterns = ([*portal_own_patterns, *representation_portal_patterns], "portal")
requests_patterns = ([*representation_requests_patterns, *portal_requests_patterns], "requests")

urlpatterns = [
    path("", include("carereview.core.urls")),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("admin/", include(core_patterns)),
    path("children/", include(children_patterns)),
    path("allocation/", include("carereview.allocation.urls")),
    path("caseload/", include("carereview.caseload.urls")),
    path("reviews/", include(review_patterns)),
    path("portal/", include(portal_patterns)),
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

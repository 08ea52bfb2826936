"""The portal's routes (namespace "portal") and the staff pages that serve it ("access",
"requests"). Every route has its rule in core.policy.ROUTES."""

from django.urls import path

from carereview.accounts.views import keep_alive

from .views import access, consultation, copies, pages, requests, security

# The portal's own pages, in the portal namespace with representations.urls.portal_patterns
# (config.urls).
urlpatterns = [
    # Ways in.
    path("sign-in/", access.sign_in, name="sign-in"),
    path("sign-in/code/", security.sign_in_code, name="sign-in-code"),
    path("invitation/<str:token>/", access.accept, name="accept"),
    path("sign-out/", access.sign_out, name="sign-out"),
    # The warning before an idle session ends asks here how long is left ("Stay signed in").
    path("keep-alive/", keep_alive, name="keep-alive"),
    path("", access.home, name="home"),
    path("security/", security.second_factor, name="second-factor"),
    # One child's part of the portal.
    path("<int:child_id>/", pages.child, name="child"),
    path("<int:child_id>/iro-photo/", pages.iro_photo, name="iro-photo"),
    path("<int:child_id>/visit/", pages.visit, name="visit"),
    path("<int:child_id>/review/", pages.review, name="review"),
    path("<int:child_id>/review/choices/", pages.choices, name="choices"),
    path("<int:child_id>/say/", consultation.start, name="consultation"),
    path("<int:child_id>/say/<int:position>/", consultation.question, name="consultation-question"),
    path("<int:child_id>/say/check/", consultation.check, name="consultation-check"),
    path("<int:child_id>/after/", pages.after, name="after"),
    path("<int:child_id>/after/<int:review_id>/record.pdf", pages.record_pdf, name="record-pdf"),
    path(
        "<int:child_id>/after/<int:review_id>/separate-meeting/",
        pages.separate_meeting,
        name="separate-meeting",
    ),
]

access_patterns = (
    [
        path("children/<int:pk>/", access.staff_list, name="list"),
        path("children/<int:pk>/invite/", access.staff_invite, name="invite"),
        path("<int:access_id>/revoke/", access.staff_revoke, name="revoke"),
        path("<int:access_id>/new-link/", access.staff_new_link, name="new-link"),
        path("<int:access_id>/second-step/", access.staff_second_step, name="second-step"),
    ],
    "access",
)

# The requests' pages but the work list (representations.urls.requests_patterns; config.urls).
requests_patterns = [
    path("visits/<int:visit_id>/", requests.visit_answer, name="visit"),
    path(
        "reviews/<int:review_id>/copies-for-parents/",
        copies.parent_copies,
        name="parent-copies",
    ),
    path(
        "children/<int:child_id>/visit-answers-for-parents/",
        copies.visit_answers_check,
        name="visit-answers-check",
    ),
]

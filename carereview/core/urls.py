from django.urls import include, path

from . import health, views

core_patterns = (
    [
        path("staff/", views.staff, name="staff"),
        path("profile/", views.profile, name="profile"),
        path("bank-holidays/", views.bank_holidays, name="bank-holidays"),
        path(
            "bank-holidays/<int:holiday_id>/delete/",
            views.bank_holiday_delete,
            name="bank-holiday-delete",
        ),
    ],
    "core",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("accessibility/", views.accessibility, name="accessibility"),
    # For the load balancer (issue 13, item 6): no slash, as probes are configured.
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("admin/", include(core_patterns)),
]

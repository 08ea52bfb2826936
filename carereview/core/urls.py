from django.urls import path

from . import health, views

# The administration pages in the "core" namespace; config.urls adds the staff list (accounts) and
# a member of staff's own details (portal) to them, since core names no app (ADR 0013).
admin_patterns = [
    path("bank-holidays/", views.bank_holidays, name="bank-holidays"),
    path(
        "bank-holidays/<int:holiday_id>/delete/",
        views.bank_holiday_delete,
        name="bank-holiday-delete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("accessibility/", views.accessibility, name="accessibility"),
    # For the load balancer (issue 13, item 6): no slash, as probes are configured.
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
]

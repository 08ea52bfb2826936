from django.urls import include, path

from . import views

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
    path("admin/", include(core_patterns)),
]

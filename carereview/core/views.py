from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from carereview.accounts.models import Team, User
from carereview.core import audit
from carereview.core.calendar import recompute_pending
from carereview.core.context_processors import NAVIGATION
from carereview.core.forms import BankHolidayForm, ChoiceFilterForm, SignInForm, parse_id
from carereview.core.images import smaller_copy
from carereview.core.models import BankHoliday
from carereview.core.policy import allows
from carereview.core.services import add_bank_holiday, remove_bank_holiday


class SignInView(auth_views.LoginView):
    """Staff sign in with their password; then, if they have set up the app, with its code
    (accounts.views.two_factor_verify). Failed passwords are counted by django-axes, which the
    form's authenticate() call reaches with the request."""

    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        from carereview.accounts import second_factor
        from carereview.accounts.views import begin_second_step

        user = form.get_user()
        if second_factor.has_app(user):
            return begin_second_step(self.request, user, self.get_redirect_url())
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    pass


def home(request):
    """Send each person to the first page their role uses; a page of links if there is none."""
    for route, _label in NAVIGATION:
        if allows(request.user, route):
            return redirect(route)
    return render(request, "core/home.html")


def accessibility(request):
    return render(request, "core/accessibility.html")


def staff(request):
    teams = Team.objects.select_related("manager").prefetch_related("members").order_by("name")
    unteamed = User.objects.filter(team__isnull=True, is_active=True).exclude(
        role__in=["child", "parent", "carer"]
    )
    return render(request, "core/staff.html", {"teams": teams, "unteamed": unteamed})


def _recomputed(done: dict[str, int] | None) -> str:
    """What the bank-holiday page says after a change."""
    if done is None:
        return (
            "Every date counted in working days is being worked out again in the background. "
            "This page says when it is done."
        )
    return "Every date counted in working days was worked out again."


def bank_holidays(request):
    form = BankHolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holiday, done = add_bank_holiday(
            request.user, form.cleaned_data["date"], form.cleaned_data["name"]
        )
        messages.success(request, f"{holiday} added. {_recomputed(done)}")
        return redirect("core:bank-holidays")
    year = request.GET.get("year", "")
    holidays = BankHoliday.objects.all()
    years = sorted({d.year for d in holidays.values_list("date", flat=True)}, reverse=True)
    if parse_id(year, lowest=1, highest=9999) is not None:
        holidays = holidays.filter(date__year=int(year))
    return render(
        request,
        "core/bank_holidays.html",
        {
            "form": form,
            "holidays": holidays,
            "year": year,
            "year_filter": ChoiceFilterForm(
                "year", "Show year", [("", "All years"), *((str(y), y) for y in years)], year
            ),
            "recomputing": recompute_pending(),
        },
    )


def bank_holiday_delete(request, holiday_id: int):
    holiday = get_object_or_404(BankHoliday, pk=holiday_id)
    if request.method == "POST":
        done = remove_bank_holiday(request.user, holiday)
        messages.success(request, f"{holiday} removed. {_recomputed(done)}")
        return redirect(reverse("core:bank-holidays"))
    return render(request, "core/bank_holiday_delete.html", {"holiday": holiday})


def profile(request):
    """A member of staff's contact details and photo, as children and families see them."""
    from carereview.portal.forms import ProfileForm

    user = request.user
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "phone": user.phone,
            "mobile": user.mobile,
            "email": user.email,
            "contact_by": user.contact_by,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user.phone, user.mobile, user.email = data["phone"], data["mobile"], data["email"]
            user.contact_by = data["contact_by"]
            if data["remove_photo"] and user.photo:
                user.photo.delete(save=False)
                user.photo = ""
            elif data["photo"]:
                if user.photo:
                    user.photo.delete(save=False)
                content, extension = smaller_copy(data["photo"])
                user.photo.save(f"{user.pk}.{extension}", content, save=False)
            user.save(update_fields=["phone", "mobile", "email", "photo", "contact_by"])
            audit.record_change(user, "profile.update", user, {"photo": bool(user.photo)})
        messages.success(request, "Your details are saved.")
        return redirect("core:profile")
    return render(request, "core/profile.html", {"form": form})

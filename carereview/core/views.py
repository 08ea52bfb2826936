from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from carereview.core.calendar import recompute_pending
from carereview.core.context_processors import NAVIGATION
from carereview.core.forms import BankHolidayForm, ChoiceFilterForm, parse_id
from carereview.core.models import BankHoliday
from carereview.core.policy import allows
from carereview.core.services import add_bank_holiday, remove_bank_holiday


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

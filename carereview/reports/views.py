"""The timeliness report (rules.md §8) for IRO managers, on the page and as CSV."""

from __future__ import annotations

import csv
from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from carereview.children.models import Child
from carereview.core.authority import authority
from carereview.core.calendar import today
from carereview.core.forms import PARTS, GovUKDateField
from carereview.core.typing import choice_field
from carereview.reports import selectors
from carereview.reports.kept import kept
from carereview.reports.selectors import Timeliness, year_label, year_of

#: How many reporting years back the page offers.
YEARS_BACK = 6
CSV_HEADER = ["IRO", "Reviews due", "On time", "Late", "Missing", "Timeliness (%)"]


def fresh_minutes() -> int:
    return authority().report_fresh_minutes


def page_size() -> int:
    return authority().report_page_size


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label="Reporting year (1 April to 31 March)", coerce=int)
    as_at = GovUKDateField(
        label="As at",
        subject="the as-at date",
        help_text="Reviews not held by this date count as missing. For example, 31 3 2026.",
    )

    def __init__(self, data, *, now: date):
        self.now = now
        current = year_of(now)
        super().__init__(data)
        choice_field(self, "year").choices = [
            (y, year_label(y)) for y in range(current, current - YEARS_BACK, -1)
        ]
        self.fields["year"].error_messages["invalid_choice"] = (
            "Choose a reporting year from the list"
        )

    def clean_as_at(self):
        as_at = self.cleaned_data["as_at"]
        if as_at > self.now:
            raise forms.ValidationError("The as-at date must be today or in the past")
        return as_at

    def clean(self):
        super().clean()
        data = self.cleaned_data
        year, as_at = data.get("year"), data.get("as_at")
        if year is not None and as_at is not None and as_at < date(year, 4, 1):
            self.add_error(
                "as_at", f"The as-at date must be on or after the start of the year, 1 April {year}"
            )
        return data


def _choices(request, now: date) -> tuple[ReportForm, int, date]:
    """The form as filled in (defaults: as at today, in the reporting year of the as-at date),
    and the year and date to show: the defaults while the form has a problem."""
    data = request.GET.copy()
    field = ReportForm.base_fields["as_at"]
    try:
        # The three boxes of the date input, or an ISO date in a link (the CSV link's).
        as_at = field.to_python(field.widget.value_from_datadict(data, {}, "as_at"))
    except forms.ValidationError:
        as_at = None  # the form says what is wrong
    else:
        if as_at is None:  # nothing typed: as at today
            for part in PARTS:
                data.pop(f"as_at_{part}", None)
            data["as_at"] = now.isoformat()
    if not data.get("year"):
        # The as-at date's year, or this year when that is older than every year listed: the
        # form then says the as-at date is wrong, not the year nobody chose.
        year = year_of(min(as_at or now, now))
        data["year"] = str(year if year > year_of(now) - YEARS_BACK else year_of(now))
    form = ReportForm(data, now=now)
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["as_at"]
    return form, year_of(now), now


def _report(request, year: int, as_at: date) -> tuple[Timeliness, object]:
    """The figures kept for this person, year and as-at date, or worked out again (six
    aggregate queries) when older than REPORT_FRESH_MINUTES or asked for."""
    key = f"timeliness:v1:user={request.user.pk}:year={year}:as_at={as_at.isoformat()}"
    figures, computed_at = kept(
        key,
        fresh_minutes(),
        lambda: selectors.timeliness(Child.objects.visible_to(request.user), year, as_at).to_dict(),
        refresh=bool(request.GET.get("refresh")),
    )
    return Timeliness.from_dict(figures), computed_at


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@never_cache
def timeliness(request):
    now = today()
    form, year, as_at = _choices(request, now)
    report, computed_at = _report(request, year, as_at)
    if request.GET.get("format") == "csv":
        return _csv(report)
    paginator = Paginator(report.by_iro, page_size())
    page = paginator.get_page(request.GET.get("page"))
    csv_query = request.GET.copy()
    for key in ("page", "refresh", *(f"as_at_{part}" for part in PARTS)):
        csv_query.pop(key, None)
    csv_query["format"] = "csv"
    csv_query["year"], csv_query["as_at"] = str(year), as_at.isoformat()
    return render(
        request,
        "reports/timeliness.html",
        {
            "form": form,
            "r": report,
            "page": page,
            "computed_at": computed_at,
            "fresh_minutes": fresh_minutes(),
            "year_label": year_label(year),
            "csv_query": csv_query.urlencode(),
        },
    )


def _csv(report: Timeliness) -> HttpResponse:
    name = f"timeliness-{report.year}-{report.year + 1}-as-at-{report.as_at.isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in [*report.by_iro, report.total_row]:
        writer.writerow(
            [
                _safe_cell(row.name),
                row.due,
                row.on_time,
                row.late,
                row.missing,
                _percent(row.timeliness),
            ]
        )
    return response

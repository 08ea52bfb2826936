"""The complaints manager's pages: representations (rules.md §6) and requests for an advocate.

Reached only through core.policy's "representations" scope (`visible_to`); the routes need
"manage_representations" or "arrange_advocacy". Opening a record writes the access log.
"""

from django.contrib import messages
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render

from carereview.core import access
from carereview.core.calendar import due_words, today, working_calendar
from carereview.representations import forms, services
from carereview.representations.models import AdvocacyRequest, Representation
from carereview.representations.presenters import AdvocacyPresenter, RepresentationPresenter


def _refused(form, refused: services.RepresentationRefused):
    for reason in refused.reasons:
        form.add_error(None, reason)


def _show(request) -> str:
    return "all" if request.GET.get("show") == "all" else "open"


def representation_list(request):
    """Representations, open ones first by the date the response is due."""
    show = _show(request)
    found = Representation.objects.visible_to(request.user, "representations").select_related(
        "child"
    )
    if show == "open":
        found = found.filter(responded_on__isnull=True).order_by(
            Coalesce("extended_to", "response_due_on"), "id"
        )
    calendar, now = working_calendar(), today()
    rows = [RepresentationPresenter(r, now, calendar) for r in found]
    return render(request, "representations/list.html", {"rows": rows, "show": show})


def representation_detail(request, representation_id: int):
    """One representation, with the forms to record the response and to extend stage 1."""
    representation = get_object_or_404(
        Representation.objects.visible_to(request.user, "representations").select_related(
            "child", "access", "responded_by"
        ),
        pk=representation_id,
    )
    access.describe(request, "viewed a representation")
    action = request.POST.get("action") if request.method == "POST" else None
    respond_form = forms.ResponseForm(
        request.POST if action == "respond" else None,
        prefix="respond",
        initial={"responded_on": today()},
    )
    extend_form = forms.ExtendForm(request.POST if action == "extend" else None, prefix="extend")
    if action == "respond" and respond_form.is_valid():
        try:
            services.record_response(
                representation,
                by=request.user,
                responded_on=respond_form.cleaned_data["responded_on"],
                summary=respond_form.cleaned_data["summary"],
            )
        except services.RepresentationRefused as refused:
            _refused(respond_form, refused)
        else:
            messages.success(request, f"Response to {representation.reference} recorded.")
            return redirect("representations:detail", representation_id=representation.pk)
    elif action == "extend" and extend_form.is_valid():
        try:
            extended = services.extend_stage1(
                representation, by=request.user, reason=extend_form.cleaned_data["reason"]
            )
        except services.RepresentationRefused as refused:
            _refused(extend_form, refused)
        else:
            assert extended.extended_to is not None  # set by extend_stage1
            messages.success(
                request,
                f"Stage 1 extended: the response is now due by {due_words(extended.extended_to)}.",
            )
            return redirect("representations:detail", representation_id=representation.pk)
    p = RepresentationPresenter(representation, today(), working_calendar())
    context = {
        "r": representation,
        "p": p,
        "child": representation.child,
        "respond_form": respond_form,
        "extend_form": extend_form,
        "error_form": respond_form if respond_form.errors else extend_form,
    }
    return render(request, "representations/detail.html", context)


def advocacy_list(request):
    """Requests for an advocate: waiting ones first, by the day they were asked for."""
    show = _show(request)
    found = AdvocacyRequest.objects.visible_to(request.user, "representations").select_related(
        "child"
    )
    if show == "open":
        found = found.filter(closed_on__isnull=True).order_by("-referred_on", "requested_on", "id")
    calendar, now = working_calendar(), today()
    days = services.advocacy_referral_working_days()
    rows = [AdvocacyPresenter(a, now, calendar, days) for a in found]
    if show == "open":
        # Waiting to be referred first, then referred; each oldest first.
        rows.sort(key=lambda p: (p.state != "waiting", p.advocacy.requested_on, p.advocacy.pk))
    return render(request, "representations/advocacy_list.html", {"rows": rows, "show": show})


def advocacy_detail(request, advocacy_id: int):
    """One request for an advocate, with the forms to record the referral and to close it."""
    advocacy = get_object_or_404(
        AdvocacyRequest.objects.visible_to(request.user, "representations").select_related(
            "child", "access", "referred_by"
        ),
        pk=advocacy_id,
    )
    access.describe(request, "viewed a request for an advocate")
    action = request.POST.get("action") if request.method == "POST" else None
    refer_form = forms.ReferralForm(request.POST if action == "refer" else None, prefix="refer")
    close_form = forms.CloseAdvocacyForm(
        request.POST if action == "close" else None,
        prefix="close",
        initial={"closed_on": today()},
    )
    p = AdvocacyPresenter(
        advocacy, today(), working_calendar(), services.advocacy_referral_working_days()
    )
    if action == "refer" and refer_form.is_valid():
        try:
            services.record_referral(
                advocacy,
                by=request.user,
                referred_on=refer_form.cleaned_data["referred_on"],
                referred_to=refer_form.cleaned_data["referred_to"],
            )
        except services.RepresentationRefused as refused:
            _refused(refer_form, refused)
        else:
            messages.success(request, f"Referral of {p.reference} recorded.")
            return redirect("representations:advocacy-detail", advocacy_id=advocacy.pk)
    elif action == "close" and close_form.is_valid():
        try:
            services.close_advocacy(
                advocacy,
                by=request.user,
                closed_on=close_form.cleaned_data["closed_on"],
                outcome=close_form.cleaned_data["outcome"],
            )
        except services.RepresentationRefused as refused:
            _refused(close_form, refused)
        else:
            messages.success(request, f"{p.reference} closed.")
            return redirect("representations:advocacy-detail", advocacy_id=advocacy.pk)
    context = {
        "a": advocacy,
        "p": p,
        "child": advocacy.child,
        "refer_form": refer_form,
        "close_form": close_form,
        "error_form": refer_form if refer_form.errors else close_form,
    }
    return render(request, "representations/advocacy_detail.html", context)

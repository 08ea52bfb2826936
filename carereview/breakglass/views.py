"""Break-glass (issue 7, item 4): find a child by identifier, open with a reason, review."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from carereview.breakglass import services
from carereview.breakglass.forms import FilterForm, FindForm, OpenForm, ReviewForm
from carereview.breakglass.models import BreakGlassGrant, grant_hours
from carereview.core.access import describe as describe_access
from carereview.core.policy import allows

PAGE_SIZE = 50


def review_list(request):
    """Grants waiting for review (or reviewed, or all); and, for IRO managers, the way in."""
    may_open = allows(request.user, "breakglass:open")
    find = None
    if may_open and "child" in request.GET:
        find = FindForm(request.GET)
        if find.is_valid():
            identifier = services.normalise_identifier(find.cleaned_data["child"])
            child_id = services.find_child(identifier)
            if child_id is None:
                find.add_error("child", f"No child has the identifier {identifier}")
            else:
                return redirect("breakglass:open", pk=child_id)
    elif may_open:
        find = FindForm()
    filters = FilterForm(request.GET or None)
    status = filters.cleaned_data.get("status") if filters.is_valid() else ""
    status = status or "waiting"
    grants = BreakGlassGrant.objects.select_related("user", "child", "reviewed_by")
    if status == "waiting":
        grants = grants.waiting_for_review()
    elif status == "reviewed":
        grants = grants.reviewed()
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "breakglass/list.html",
        {
            "find": find,
            "filters": filters if filters.is_bound else FilterForm(initial={"status": status}),
            "status": status,
            "page": page,
            "now": timezone.now(),
            "hours": grant_hours(),
        },
    )


def open_record(request, pk: int):
    """Confirm opening one child's record, by its identifier only, with a reason."""
    child = services.child_for_break_glass(pk)
    if child is None:
        raise Http404("No such child")
    if services.in_own_scope(request.user, child.pk):
        messages.info(request, "This child is in your team's caseloads: no break-glass needed.")
        return redirect("children:detail", pk=child.pk)
    live = services.live_grant(request.user, child.pk)
    if live is not None:
        messages.info(
            request,
            f"You have break-glass access to this record until "
            f"{timezone.localtime(live.expires_at):%H:%M on %-d %B %Y}.",
        )
        return redirect("children:detail", pk=child.pk)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.open_grant(request.user, child, form.cleaned_data["reason"])
        except services.BreakGlassRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"You can see this record until "
                f"{timezone.localtime(grant.expires_at):%H:%M on %-d %B %Y}. "
                "Every page of it you open is recorded as break-glass access.",
            )
            return redirect("children:detail", pk=child.pk)
    describe_access(request, "opened the break-glass form (identifier only)")
    return render(
        request,
        "breakglass/open.html",
        {"identifier": child.la_child_id, "form": form, "hours": grant_hours()},
    )


def review(request, grant_id: int):
    grant = get_object_or_404(
        BreakGlassGrant.objects.select_related("user", "child", "reviewed_by"), pk=grant_id
    )
    own = grant.user_id == request.user.pk
    can_review = not own and not grant.is_reviewed
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        if form is None:
            messages.error(
                request,
                "You cannot review your own break-glass access."
                if own
                else "This break-glass access has already been reviewed.",
            )
            return redirect("breakglass:review", grant_id=grant.pk)
        if form.is_valid():
            try:
                services.review_grant(
                    grant,
                    by=request.user,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                )
            except services.BreakGlassRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "The break-glass access is marked as reviewed.")
                return redirect("breakglass:list")
    describe_access(request, "read a break-glass grant and its reads")
    return render(
        request,
        "breakglass/review.html",
        {
            "grant": grant,
            "form": form,
            "own": own,
            "events": grant.access_events()[:500],
        },
    )

"""Between reviews (issue 6): the IRO's work list, decisions, midway checks, significant events.

Thin: scoped reads from `selectors`, writes through `services`. Every record is reached through
`visible_to(request.user)` (a decision also through `user.owned_decisions`: it names them), so a
child out of scope is not found.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from carereview.children.models import Child
from carereview.core import access
from carereview.core.calendar import due_words, today, working_calendar
from carereview.followup import forms, selectors, services
from carereview.followup.models import MidwayCheck, SignificantEvent


def _child(request, pk: int) -> Child:
    return get_object_or_404(
        Child.objects.visible_to(request.user).select_related("current_iro"), pk=pk
    )


def _refused(form, refused: services.FollowupRefused) -> None:
    for reason in refused.reasons:
        form.add_error(None, reason)


def work(request):
    """The IRO's "Between reviews" list, with their midway counts for the reporting year."""
    w = selectors.work_list(request.user, today(), working_calendar())
    from carereview.disputes.models import Dispute

    disputes = (
        Dispute.objects.visible_to(request.user, "disputes")
        .filter(status=Dispute.Status.OPEN, child__current_iro=request.user)
        .select_related("child")
        .order_by("raised_on", "id")
    )
    return render(request, "followup/work.html", {"w": w, "disputes": disputes})


def my_decisions(request):
    groups = selectors.my_decisions(request.user, today(), working_calendar())
    return render(request, "followup/my_decisions.html", {"g": groups, "today": today()})


def decision(request, decision_id: int):
    """One decision: what, for whom, by when, its history; the owner (or the child's IRO)
    updates it."""
    d = get_object_or_404(
        selectors.decisions_for(request.user).select_related(
            "review__child__current_iro", "owner", "progress_updated_by"
        ),
        pk=decision_id,
    )
    child = d.review.child
    access.describe(request, "read a decision")
    can_update = services.can_update_decision(request.user, d)
    form = None
    if can_update:
        initial = {"status": d.status, "done_on": d.done_on or today()}
        form = forms.DecisionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_update or form is None:
            raise PermissionDenied("Only the person responsible, or the child's IRO, can update it")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_decision(
                    d,
                    by=request.user,
                    status=data["status"],
                    note=data["note"],
                    done_on=data.get("done_on"),
                )
            except services.FollowupRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"Updated: {d.get_status_display().lower()}.")
                if d.owner_id == request.user.pk:
                    return redirect("followup:my-decisions")
                return redirect("followup:child-decisions", pk=child.pk)
    context = {
        "d": d,
        "child": child,
        "form": form,
        "history": list(d.updates.select_related("by").order_by("-at", "-id")),
        "overdue": d.is_overdue(today()),
        "child_visible": Child.objects.visible_to(request.user).filter(pk=child.pk).exists(),
    }
    return render(request, "followup/decision.html", context)


def child_decisions(request, pk: int):
    child = _child(request, pk)
    access.describe(request, "read the decisions of the child's reviews")
    data = selectors.child_decisions(request.user, child, today())
    return render(request, "followup/child_decisions.html", {"child": child, "data": data})


def midway(request, check_id: int):
    check = get_object_or_404(
        MidwayCheck.objects.visible_to(request.user).select_related(
            "child", "after_review", "done_by", "earlier_review"
        ),
        pk=check_id,
    )
    child = check.child
    access.describe(request, "opened the midway check")
    form = None
    if check.done_on is None:
        form = forms.MidwayForm(request.POST or None, initial={"done_on": today()})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.record_midway_check(
                    check,
                    by=request.user,
                    outcome=data["outcome"],
                    progress_note=data["progress_note"],
                    done_on=data["done_on"],
                    required_by=data.get("required_by"),
                )
            except services.FollowupRefused as refused:
                _refused(form, refused)
            else:
                child.refresh_from_db()
                text = f"The midway check for {child.full_name} is recorded."
                if check.earlier_review_id:
                    text += f" The next review is now due by {due_words(child.next_review_due)}."
                messages.success(request, text)
                return redirect("followup:work")
    decisions = list(check.after_review.decisions.select_related("owner"))
    return render(
        request,
        "followup/midway.html",
        {
            "check": check,
            "child": child,
            "form": form,
            "rows": [(d, d.is_overdue(today())) for d in decisions],
            "overdue": check.done_on is None and check.due_on < today(),
        },
    )


def event_new(request, pk: int):
    """A social worker (or team manager, or the IRO) tells the IRO of a significant event."""
    child = _child(request, pk)
    access.describe(request, "opened the form to report a significant event")
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.report_event(
                child,
                by=request.user,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                details=data["details"],
            )
        except services.FollowupRefused as refused:
            _refused(form, refused)
        else:
            if child.current_iro_id == request.user.pk:
                messages.success(request, "Recorded. Decide whether an earlier review is needed.")
                return redirect("followup:event", event_id=event.pk)
            if child.current_iro_id:
                messages.success(request, f"Sent to {child.current_iro}, the IRO.")
            else:
                messages.success(
                    request,
                    f"Recorded. {child.first_name} has no IRO yet: the IRO appointed will see it.",
                )
            return redirect("children:detail", pk=child.pk)
    return render(request, "followup/event_new.html", {"child": child, "form": form})


def event(request, event_id: int):
    """The IRO reads a significant event, notes it, and may require an earlier review."""
    ev = get_object_or_404(
        SignificantEvent.objects.visible_to(request.user).select_related(
            "child", "reported_by", "seen_by", "earlier_review", "episode"
        ),
        pk=event_id,
    )
    child = ev.child
    access.describe(request, "read a significant event")
    form = forms.EventSeenForm(request.POST or None, initial={"note": ev.iro_note})
    if ev.earlier_review_id:
        del form.fields["earlier_review"], form.fields["required_by"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mark_event_seen(
                ev,
                by=request.user,
                note=data["note"],
                earlier_review=data.get("earlier_review", False),
                required_by=data.get("required_by"),
            )
        except services.FollowupRefused as refused:
            _refused(form, refused)
        else:
            text = "Marked as seen."
            if ev.earlier_review_id and data.get("earlier_review"):
                child.refresh_from_db()
                text += f" The next review is now due by {due_words(child.next_review_due)}."
            messages.success(request, text)
            return redirect("followup:work")
    return render(request, "followup/event.html", {"ev": ev, "child": child, "form": form})

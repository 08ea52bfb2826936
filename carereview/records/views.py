"""Retention on the web (rules.md §7, issue 7): administrators see the records past their
retention date and the proposals to delete them, propose, and approve another administrator's
proposal while signed in, so the approval is known to be theirs (the command line can only take
a typed name). Deleting stays on the command line (`carereview retention delete`), for whoever
runs the server."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from carereview.core.calendar import today

from . import services
from .models import RetentionProposal, Via

PAGE_SIZE = 100


class ApproveForm(forms.Form):
    checked = forms.BooleanField(
        label="I have checked this list: these records are past their retention date and "
        "may be deleted",
        error_messages={"required": "Confirm that you have checked the list"},
    )


@never_cache
def proposals(request):
    """The proposals, newest first, how many records are past their date today, and "Propose"."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        try:
            proposal = services.propose(request.user.username)
        except services.RetentionRefused as refused:
            messages.error(request, str(refused))
            return redirect("records:retention")
        messages.success(
            request,
            f"Proposal {proposal.pk} made: {proposal.children.count()} records. A different "
            "administrator must approve it before anything is deleted.",
        )
        return redirect("records:retention-proposal", proposal_id=proposal.pk)
    now = today()
    due = services.past_retention(now)
    listed = RetentionProposal.objects.select_related("proposed_by", "approved_by")
    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "records/proposals.html",
        {"due": len(due), "today": now, "page": page},
    )


@never_cache
def proposal(request, proposal_id: int):
    """One proposal: its records (identifier, rule, date) and, for a different administrator
    while it waits, the approval."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    found = get_object_or_404(
        RetentionProposal.objects.select_related("proposed_by", "approved_by"), pk=proposal_id
    )
    waiting = found.status == RetentionProposal.Status.PROPOSED
    own = found.proposed_by_id == request.user.pk
    form = ApproveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.approve(found.pk, request.user.username, via=Via.WEB)
            except services.RetentionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, f"You approved proposal {found.pk}.")
            return redirect("records:retention-proposal", proposal_id=found.pk)
    items = found.children.order_by("la_child_id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/proposal.html",
        {
            "proposal": found,
            "page": page,
            "count": page.paginator.count,
            "may_approve": waiting and not own,
            "own": own,
            "form": form,
            "log": getattr(found, "deletion_log", None),
        },
    )

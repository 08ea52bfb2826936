from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from carereview.accounts.models import Role, User
from carereview.allocation import selectors, services
from carereview.allocation.forms import AppointForm
from carereview.allocation.independence import (
    conflicts_if_social_worker,
    cppcr_part8_independence_conflicts,
)
from carereview.children.models import Child
from carereview.core import access
from carereview.core.calendar import today, working_calendar


def unallocated(request):
    waiting = selectors.children_without_iro(request.user, today(), working_calendar())
    return render(request, "allocation/unallocated.html", {"waiting": waiting})


def _option(caseload, conflicts, note=""):
    return {"caseload": caseload, "conflicts": conflicts, "note": note}


def _appoint(request, pk, *, role, child_field, conflicts_for, allocate, template_label, people):
    child = get_object_or_404(
        Child.objects.visible_to(request.user).select_related(
            "current_iro", "current_social_worker__team__manager"
        ),
        pk=pk,
    )
    access.describe(request, f"opened the {template_label} allocation page")
    current = getattr(child, child_field)
    sibling_people = {
        getattr(s, f"{child_field}_id"): s for s in child.siblings.all() if getattr(s, child_field)
    }
    options = []
    for caseload in selectors.caseloads(role, today(), people):
        person = caseload.person
        sibling = sibling_people.get(person.pk)
        note = f"Also the {template_label} of {sibling.first_name}, a sibling." if sibling else ""
        options.append(_option(caseload, conflicts_for(person, child), note))
    # Siblings' IRO first (IRO Handbook: siblings share an IRO), then the lightest caseloads.
    options.sort(key=lambda o: (not o["note"], bool(o["conflicts"]), o["caseload"].per_fte))
    choices = [(o["caseload"].person.pk, str(o["caseload"].person)) for o in options]
    form = AppointForm(
        request.POST or None,
        choices=choices,
        changing=current is not None,
        role_label=template_label,
    )
    if request.method == "POST" and form.is_valid():
        person = get_object_or_404(User, pk=form.cleaned_data["person"], role=role)
        try:
            allocate(child, person, by=request.user, reason=form.cleaned_data["reason"])
        except services.AllocationRefused as refused:
            for reason in refused.reasons:
                form.add_error("person", reason)
        else:
            messages.success(request, f"{person} is now {child.first_name}'s {template_label}.")
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "allocation/appoint.html",
        {
            "child": child,
            "current": current,
            "options": options,
            "form": form,
            "role_label": template_label,
        },
    )


def appoint_iro(request, pk: int):
    return _appoint(
        request,
        pk,
        role=Role.IRO,
        child_field="current_iro",
        conflicts_for=cppcr_part8_independence_conflicts,
        allocate=services.appoint_iro,
        template_label="IRO",
        people=None,
    )


def appoint_social_worker(request, pk: int):
    people = User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True)
    if request.user.role == Role.TEAM_MANAGER:
        people = people.filter(team__manager=request.user)
    return _appoint(
        request,
        pk,
        role=Role.SOCIAL_WORKER,
        child_field="current_social_worker",
        conflicts_for=conflicts_if_social_worker,
        allocate=services.allocate_social_worker,
        template_label="social worker",
        people=people,
    )

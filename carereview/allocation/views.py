from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from carereview.accounts.models import Role, User
from carereview.allocation import selectors, services
from carereview.allocation.forms import AppointForm, LookedAfterParentForm
from carereview.allocation.independence import iro_checker, social_worker_checker
from carereview.children.models import Child
from carereview.core import access, audit
from carereview.core.authority import authority
from carereview.core.calendar import today, working_calendar
from carereview.core.forms import parse_id


def unallocated(request):
    waiting = selectors.children_without_iro(request.user, today(), working_calendar())
    notices = selectors.recent_notices(request.user, today())
    return render(
        request,
        "allocation/unallocated.html",
        {
            "waiting": waiting,
            "notices": notices,
            "told_days": authority().iro_told_working_days,
        },
    )


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
    # rules.md §4 "same IRO": a child returning to care gets the same IRO where practicable.
    previous = None
    if role == Role.IRO and current is None:
        previous = (
            child.iro_allocations.filter(ended_on__isnull=False)
            .order_by("-ended_on", "-pk")
            .select_related("iro")
            .first()
        )
    options = []
    conflicts = conflicts_for(child)  # what the checks need, read once for every option
    for caseload in selectors.caseloads(role, today(), people):
        person = caseload.person
        sibling = sibling_people.get(person.pk)
        note = f"Also the {template_label} of {sibling.first_name}, a sibling." if sibling else ""
        if previous is not None and previous.iro_id == person.pk:
            note = " ".join(
                filter(
                    None,
                    [
                        f"Was {child.first_name}'s IRO until {previous.ended_on:%-d %B %Y}: a "
                        "child returning to care gets the same IRO where practicable.",
                        note,
                    ],
                )
            )
        options.append(_option(caseload, conflicts(person), note))
    # The IRO a returning child had, and siblings' IRO, first (IRO Handbook: the same IRO), then
    # the lightest caseloads.
    options.sort(key=lambda o: (not o["note"], bool(o["conflicts"]), o["caseload"].per_fte))
    choices = [(o["caseload"].person.pk, str(o["caseload"].person)) for o in options]
    sibling_note = ""
    if role == Role.IRO and sibling_people:
        names = " and ".join(f"{s.first_name}'s" for s in sibling_people.values())
        sibling_note = (
            f"Brothers and sisters share an IRO unless there is a conflict. Needed if the IRO "
            f"is not {names}; shown to IRO managers."
        )
    form = AppointForm(
        request.POST or None,
        choices=choices,
        changing=current is not None,
        role_label=template_label,
        sibling_note=sibling_note,
    )
    if request.method == "POST" and form.is_valid():
        person = get_object_or_404(User, pk=form.cleaned_data["person"], role=role)
        extra = {}
        if "sibling_reason" in form.cleaned_data:
            extra["sibling_reason"] = form.cleaned_data["sibling_reason"]
        try:
            allocate(child, person, by=request.user, reason=form.cleaned_data["reason"], **extra)
        except services.AllocationRefused as refused:
            field = refused.field if refused.field in form.fields else "person"
            for reason in refused.reasons:
                form.add_error(field, reason)
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
        conflicts_for=iro_checker,
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
        conflicts_for=social_worker_checker,
        allocate=services.allocate_social_worker,
        template_label="social worker",
        people=people,
    )


def looked_after_parent(request, pk: int):
    """Record that the child's mother or father is a looked-after child too (rules.md §4: they
    have different IROs)."""
    child = get_object_or_404(Child.objects.visible_to(request.user), pk=pk)
    access.describe(request, "opened the looked-after parent page")
    form = LookedAfterParentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["parent"].strip()
        born = form.cleaned_data["date_of_birth"]
        # Unscoped by design: the parent is often on another worker's caseload. Found only by
        # their identifier and date of birth together, as brothers and sisters are shown; the
        # read is logged.
        parent = Child.objects.filter(  # scoped: identifier and date of birth both known
            la_child_id__iexact=identifier, date_of_birth=born
        ).first()
        if parent is None:
            form.add_error(
                "parent", f"No child has the identifier {identifier} and that date of birth"
            )
        else:
            try:
                warnings = services.link_looked_after_parent(child, parent, by=request.user)
            except services.AllocationRefused as refused:
                for reason in refused.reasons:
                    form.add_error("parent", reason)
            else:
                audit.record_access(request, parent, "recorded as a looked-after parent")
                messages.success(
                    request,
                    " ".join(
                        [
                            f"{parent.first_name} is recorded as {child.first_name}'s "
                            "looked-after parent.",
                            *warnings,
                        ]
                    ),
                )
                return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "allocation/looked_after_parent.html",
        {"child": child, "form": form, "parents": list(child.looked_after_parents.all())},
    )


def remove_looked_after_parent(request, pk: int):
    """Ask, then remove a looked-after parent link recorded in error (the parent's id in the
    address on the question, in the form on the answer)."""
    child = get_object_or_404(Child.objects.visible_to(request.user), pk=pk)
    access.describe(request, "opened the remove looked-after parent page")
    chosen = (request.POST if request.method == "POST" else request.GET).get("parent", "")
    if parse_id(chosen) is None:
        return redirect("allocation:looked-after-parent", pk=child.pk)
    parent = get_object_or_404(child.looked_after_parents.all(), pk=parse_id(chosen))
    if request.method == "POST":
        services.unlink_looked_after_parent(child, parent, by=request.user)
        messages.success(
            request,
            f"{parent.first_name} is no longer recorded as "
            f"{child.first_name}'s looked-after parent.",
        )
        return redirect("children:detail", pk=child.pk)
    return render(
        request, "allocation/remove_looked_after_parent.html", {"child": child, "parent": parent}
    )

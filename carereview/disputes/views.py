"""Dispute resolution pages (rules.md §5, issue 6): thin, over forms, selectors and services.

The IRO raises a concern from the child's page, escalates, resolves and records a Cafcass
referral; the person each stage is addressed to responds; the IRO manager sees the overview.
Everything is reached through `visible_to(user, "disputes")`, so someone outside the case (or not
addressed) gets a 404, and each read of a dispute is written to the access log.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from carereview.children.models import Child
from carereview.core import access
from carereview.core.calendar import due_words, today
from carereview.core.forms import parse_id
from carereview.disputes import forms, ladder, selectors, services


def _refused(form, refused: services.DisputeRefused, field=None):
    for reason in refused.reasons:
        form.add_error(field, reason)


def _dispute(request, dispute_id: int):
    dispute = selectors.dispute_for(request.user, dispute_id)
    if dispute is None:
        raise Http404("No such dispute")
    return dispute


def _name(user) -> str:
    return user.get_full_name() or user.username


def raise_dispute(request, pk: int):
    """The child's IRO raises a concern: themes, the drifting decision, the first stage."""
    child = get_object_or_404(
        Child.objects.visible_to(request.user).select_related(
            "current_social_worker__team__manager", "current_social_worker__line_manager"
        ),
        pk=pk,
    )
    on = today()
    stages = ladder.stages()
    preview = ladder.preview(child, stages)
    decisions = selectors.child_decisions(request.user, child)
    initial = {"start_stage": stages[0].code}
    wanted = request.GET.get("decision", "")
    if parse_id(wanted) is not None:
        initial["decision"] = wanted
    form = forms.RaiseForm(
        request.POST or None,
        decisions=decisions,
        stages=stages,
        preview=preview,
        on=on,
        initial=initial,
    )
    if request.method == "GET":
        access.describe(request, "opened the form to raise a dispute")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = services.raise_dispute(
                child,
                by=request.user,
                summary=data["summary"],
                message=data["message"],
                themes=data["themes"],
                decision=data["decision"],
                start_stage=data["start_stage"],
                skip_reason=data["skip_reason"],
            )
        except services.DisputeRefused as refused:
            _refused(form, refused)
        else:
            step = dispute.steps.select_related("addressee").get()
            messages.success(
                request,
                f"Sent to {_name(step.addressee)} ({ladder.label(step.stage)}). They are asked "
                f"to respond by {due_words(step.respond_by)}.",
            )
            return redirect("disputes:detail", dispute_id=dispute.pk)
    missing = [why for person, why in preview.values() if person is None]
    return render(
        request,
        "disputes/raise.html",
        {"child": child, "form": form, "first_missing": missing[0] if missing else ""},
    )


def detail(request, dispute_id: int):
    """The dispute and its timeline of steps, with the actions open to this person."""
    dispute = _dispute(request, dispute_id)
    access.describe(request, "viewed a dispute")
    on = today()
    steps = selectors.timeline(dispute, on)
    current = next((s for s in steps if s.closed_on is None), None)
    is_open = dispute.status == dispute.Status.OPEN
    can_act = is_open and services.may_act_as_iro(dispute, request.user)
    here = ladder.get(current.stage) if current else None
    context = {
        "dispute": dispute,
        "child": dispute.child,
        "back": _back(request.user, dispute),
        "steps": steps,
        "current": current,
        "themes": selectors.theme_labels(dispute.themes),
        "can_respond": bool(
            is_open and current and current.addressee_id == request.user.pk and current.waiting
        ),
        "can_act": can_act,
        "can_escalate": bool(can_act and here and ladder.above(here)),
        "can_refer": services.may_act_as_iro(dispute, request.user)
        and dispute.cafcass_referred_on is None,
        "decision_overdue": bool(dispute.decision and dispute.decision.is_overdue(on)),
    }
    return render(request, "disputes/detail.html", context)


def _back(user, dispute) -> str:
    """Where this person came from: the IRO the child's page; an addressee their list."""
    if user.has_perm("carereview.raise_dispute"):
        return reverse("children:detail", args=[dispute.child_id])
    if user.has_perm("carereview.view_dispute_overview"):
        return reverse("disputes:overview")
    if user.has_perm("carereview.respond_to_dispute"):
        return reverse("disputes:mine")
    return reverse("home")


def _for_the_iro(request, dispute, doing: str):
    """A redirect back to the dispute, with the reason, where the IRO cannot do this now."""
    if not services.may_act_as_iro(dispute, request.user):
        messages.error(request, "Only the child's IRO can do this.")
        return redirect("disputes:detail", dispute_id=dispute.pk)
    if dispute.status == dispute.Status.RESOLVED:
        messages.error(
            request,
            f"This dispute was resolved on {dispute.resolved_on:%-d %B %Y}, so it cannot be "
            f"{doing}.",
        )
        return redirect("disputes:detail", dispute_id=dispute.pk)
    return None


def _form_page(request, dispute, form, *, current=None, title, intro, button, template=None):
    context = {
        "dispute": dispute,
        "child": dispute.child,
        "form": form,
        "current": current,
        "title": title,
        "intro": intro,
        "button": button,
    }
    return render(request, template or "disputes/form_page.html", context)


def escalate(request, dispute_id: int):
    dispute = _dispute(request, dispute_id)
    refusal = _for_the_iro(request, dispute, "escalated")
    if refusal:
        return refusal
    current = services.open_step(dispute)
    here = ladder.get(current.stage) if current else None
    higher = ladder.above(here) if here else []
    if not higher:
        messages.error(
            request,
            "There is no stage above this one to escalate to. You can record a referral to "
            "Cafcass.",
        )
        return redirect("disputes:detail", dispute_id=dispute.pk)
    assert current is not None and here is not None  # else there is no stage higher
    preview = ladder.preview(dispute.child, higher, after=here, previous=current.addressee)
    form = forms.EscalateForm(
        request.POST or None, stages=higher, preview=preview, initial={"to_stage": higher[0].code}
    )
    if request.method == "GET":
        access.describe(request, "opened the form to escalate a dispute")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step = services.escalate(
                dispute,
                by=request.user,
                message=data["message"],
                to_stage=data["to_stage"],
                skip_reason=data["skip_reason"],
            )
        except services.DisputeRefused as refused:
            _refused(form, refused)
        else:
            messages.success(
                request,
                f"Escalated to {ladder.label(step.stage)}: sent to {_name(step.addressee)}, "
                f"who is asked to respond by {due_words(step.respond_by)}.",
            )
            return redirect("disputes:detail", dispute_id=dispute.pk)
    selectors.decorate(current, today())
    return _form_page(
        request,
        dispute,
        form,
        current=current,
        title="Escalate the dispute",
        intro=f"It is now at {here.label.lower()}, with {_name(current.addressee)}.",
        button="Escalate",
    )


def resolve(request, dispute_id: int):
    dispute = _dispute(request, dispute_id)
    refusal = _for_the_iro(request, dispute, "resolved again")
    if refusal:
        return refusal
    form = forms.ResolveForm(request.POST or None)
    if request.method == "GET":
        access.describe(request, "opened the form to resolve a dispute")
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve(dispute, by=request.user, resolution=form.cleaned_data["resolution"])
        except services.DisputeRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The dispute is resolved.")
            return redirect("disputes:detail", dispute_id=dispute.pk)
    return _form_page(
        request,
        dispute,
        form,
        title="Resolve the dispute",
        intro="Resolve it when you are satisfied the child's plan is back on track.",
        button="Resolve",
    )


def cafcass(request, dispute_id: int):
    dispute = _dispute(request, dispute_id)
    if not services.may_act_as_iro(dispute, request.user):
        messages.error(request, "Only the child's IRO can do this.")
        return redirect("disputes:detail", dispute_id=dispute.pk)
    if dispute.cafcass_referred_on is not None:
        messages.error(
            request,
            f"A referral to Cafcass was already recorded on "
            f"{dispute.cafcass_referred_on:%-d %B %Y}.",
        )
        return redirect("disputes:detail", dispute_id=dispute.pk)
    form = forms.CafcassForm(request.POST or None, initial={"referred_on": today()})
    if request.method == "GET":
        access.describe(request, "opened the form to record a Cafcass referral")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.refer_to_cafcass(
                dispute, by=request.user, on=data["referred_on"], note=data["note"]
            )
        except services.DisputeRefused as refused:
            _refused(form, refused, "referred_on")
        else:
            messages.success(request, "The referral to Cafcass is recorded.")
            return redirect("disputes:detail", dispute_id=dispute.pk)
    return _form_page(
        request,
        dispute,
        form,
        title="Record a referral to Cafcass",
        intro="The IRO may refer the case to Cafcass at any stage (Children Act 1989, s25B(3)).",
        button="Record the referral",
    )


def respond(request, step_id: int):
    """The person a stage is addressed to answers it, once."""
    step = selectors.step_for(request.user, step_id)
    if step is None:
        raise Http404("No such stage of a dispute")
    dispute = step.dispute
    if step.addressee_id != request.user.pk:
        messages.error(
            request, f"This stage is addressed to {_name(step.addressee)}: only they can respond."
        )
        return redirect("disputes:detail", dispute_id=dispute.pk)
    if step.responded_on is not None or step.closed_on is not None:
        when = step.responded_on or step.closed_on
        what = "You responded to" if step.responded_on else "The IRO closed"
        messages.error(request, f"{what} this stage on {when:%-d %B %Y}.")
        return redirect("disputes:detail", dispute_id=dispute.pk)
    form = forms.RespondForm(request.POST or None)
    if request.method == "GET":
        access.describe(request, "opened a dispute to respond")
    if request.method == "POST" and form.is_valid():
        try:
            services.respond(step, by=request.user, response=form.cleaned_data["response"])
        except services.DisputeRefused as refused:
            _refused(form, refused)
        else:
            messages.success(
                request, "Your response is recorded. The IRO will now resolve or escalate it."
            )
            return redirect("disputes:detail", dispute_id=dispute.pk)
    selectors.decorate(step, today())
    return _form_page(
        request,
        dispute,
        form,
        current=step,
        title="Respond to the dispute",
        intro=f"{_name(step.opened_by)}, the IRO, raised this with you at "
        f"{ladder.label(step.stage).lower()}.",
        button="Send the response",
    )


def mine(request):
    """The stages addressed to me: those waiting for my response first."""
    waiting, rest = selectors.my_steps(request.user, today())
    return render(request, "disputes/mine.html", {"waiting": waiting, "rest": rest})


def overview(request):
    """The IRO manager's view: open disputes by stage and age; counts over a period."""
    on = today()
    start, end = selectors.reporting_year(on)
    fields = forms.PeriodForm.base_fields
    asked = not all(
        fields[name].widget.value_omitted_from_data(request.GET, {}, name)
        for name in ("start", "end")
    )
    form = forms.PeriodForm(request.GET if asked else None, initial={"start": start, "end": end})
    if asked and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = selectors.overview(request.user, start, end, on)
    return render(request, "disputes/overview.html", {"form": form, "r": report})

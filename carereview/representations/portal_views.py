"""The portal's help pages (issue 5, item 6): rights in plain words, asking for an advocate, and
making a comment, compliment or complaint (rules.md §6); and the IRO's work list of requests,
with the advocacy and representations made.

Their routes stay in the portal's and the requests' namespaces (config.urls mounts them there);
they live here because representations is the layer above the portal (ADR 0013): a
representation is made through a portal access.

Every view starts with `portal_access`: the person's own access to this child, or 404. A person
sees only what they asked for themself (through `visible_to(..., "portal")` and their access).
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from carereview.core.authority import authority
from carereview.core.calendar import today, working_calendar
from carereview.core.forms import parse_id
from carereview.engine import representations as rules
from carereview.portal.views.common import portal_access, render_portal
from carereview.portal.views.requests import render_work_list, work_list_context
from carereview.representations import forms, services
from carereview.representations.models import AdvocacyRequest, Representation
from carereview.representations.presenters import AdvocacyPresenter, RepresentationPresenter


def _contacts() -> dict:
    cfg = authority()
    return {
        "advocacy_name": cfg.advocacy_service_name,
        "advocacy_phone": cfg.advocacy_service_phone,
        "complaints_phone": cfg.complaints_phone,
        "complaints_email": cfg.complaints_email,
        "iro_phone": cfg.iro_service_phone,
        "authority": cfg.authority_name,
        "stage1_days": rules.STAGE1_RESPONSE_WORKING_DAYS,
        "stage1_extended_days": rules.STAGE1_EXTENDED_WORKING_DAYS,
        "ask_again_days": rules.STAGE2_REQUEST_WORKING_DAYS,
        "referral_days": services.advocacy_referral_working_days(),
    }


def _own_representations(request, access):
    return (
        Representation.objects.visible_to(request.user, "portal")
        .filter(access=access)
        .order_by("-received_on", "-id")
    )


def _own_advocacy_requests(request, access):
    return (
        AdvocacyRequest.objects.visible_to(request.user, "portal")
        .filter(access=access)
        .order_by("-requested_on", "-id")
    )


def _id(value) -> int | None:
    """An id from the query string, or None for anything that is not a plain number."""
    return parse_id((value or "").strip())


def _refused(form, refused: services.RepresentationRefused):
    for reason in refused.reasons:
        form.add_error(None, reason)


def help_page(request, child_id: int):
    """What an IRO is, an advocate, and how to comment, compliment or complain."""
    access = portal_access(request, child_id, "help")
    context = _contacts() | {"iro": access.child.current_iro}
    return render_portal(request, "portal/help.html", access, context)


def advocate(request, child_id: int):
    """Ask for an advocate; then say who will get in touch and when. Lists earlier requests."""
    access = portal_access(request, child_id, "advocate")
    calendar, now = working_calendar(), today()
    mine = _own_advocacy_requests(request, access)
    days = services.advocacy_referral_working_days()
    sent_id = _id(request.GET.get("sent"))
    if request.method == "GET" and sent_id is not None:
        sent = get_object_or_404(mine, pk=sent_id)
        context = _contacts() | {"p": AdvocacyPresenter(sent, now, calendar, days)}
        return render_portal(request, "portal/advocate_done.html", access, context)
    form = forms.AdvocateForm(
        request.POST or None, is_child=access.is_child, child_name=access.child.first_name
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.request_advocate(
                access,
                about=form.cleaned_data["about"],
                how_to_contact=form.cleaned_data["how_to_contact"],
            )
        except services.RepresentationRefused as refused:
            _refused(form, refused)
        else:
            url = reverse("portal:advocate", kwargs={"child_id": access.child_id})
            return redirect(f"{url}?sent={sent.pk}")
    earlier = [AdvocacyPresenter(a, now, calendar, days) for a in mine]
    context = _contacts() | {"form": form, "earlier": earlier}
    return render_portal(request, "portal/advocate.html", access, context)


def representation(request, child_id: int):
    """A comment, compliment or complaint: starts stage 1 and goes to its acknowledgement."""
    access = portal_access(request, child_id, "representation")
    initial = {}
    if request.GET.get("kind") in Representation.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = forms.RepresentationForm(request.POST or None, initial=initial, is_child=access.is_child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.make_representation(
                access,
                kind=data["kind"],
                about=data["about"],
                put_right=data["put_right"],
                happened_on=data["happened_on"],
            )
        except services.RepresentationRefused as refused:
            _refused(form, refused)
        else:
            return redirect(
                "portal:representation-done",
                child_id=access.child_id,
                representation_id=made.pk,
            )
    calendar, now = working_calendar(), today()
    earlier = [
        RepresentationPresenter(r, now, calendar) for r in _own_representations(request, access)
    ]
    context = _contacts() | {"form": form, "earlier": earlier}
    return render_portal(request, "portal/representation.html", access, context)


def representation_done(request, child_id: int, representation_id: int):
    """The acknowledgement: the reference and the date we will reply by. Only the person's own."""
    access = portal_access(request, child_id, "representation-done")
    made = get_object_or_404(_own_representations(request, access), pk=representation_id)
    p = RepresentationPresenter(made, today(), working_calendar())
    context = _contacts() | {"r": made, "p": p}
    return render_portal(request, "portal/representation_done.html", access, context)


def work_list(request):
    """The IRO's work list (portal.views.requests), with the advocacy asked for and the
    representations made, not yet closed."""
    user = request.user
    context = work_list_context(user)
    context["advocacy"] = (
        AdvocacyRequest.objects.visible_to(user)
        .filter(closed_on__isnull=True)
        .select_related("child")
        .order_by("requested_on")
    )
    context["representations"] = (
        Representation.objects.visible_to(user)
        .filter(responded_on__isnull=True)
        .select_related("child")
        .order_by("received_on")
    )
    rows = [*context["advocacy"], *context["representations"]]
    return render_work_list(request, context, also_shown=[row.child for row in rows])

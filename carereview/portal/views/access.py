"""Getting in and out: the portal's sign-in, the invitation link, and staff granting and ending
access (issue 5, item 1)."""

import django_otp
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from carereview.accounts.models import User
from carereview.accounts.pending import PORTAL as PENDING
from carereview.children.models import Child
from carereview.core.access import describe as describe_access
from carereview.core.authority import authority
from carereview.core.second_factor import has_second_factor
from carereview.portal import services
from carereview.portal.forms import (
    InviteForm,
    NewLinkForm,
    NewPasswordForm,
    PortalSignInForm,
    RevokeForm,
    SecondStepRemovalForm,
    SetUpForm,
)
from carereview.portal.models import PortalAccess
from carereview.portal.views.common import render_portal

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, url: str) -> str:
    # A path on this site only: redirect() would take "-1" or "home" for a view name (and a
    # name that is not one is a NoReverseMatch, a 500).
    ok = url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and ok else ""


def sign_in(request):
    """Children, parents and carers sign in here; a second step follows if they turned it on."""
    if request.user.is_authenticated:
        return redirect("portal:home" if request.user.is_portal_user else "home")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = PortalSignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if has_second_factor(user):
            PENDING.begin(request, user, next_url)
            return redirect("portal:sign-in-code")
        login(request, user, backend=BACKEND)
        return redirect(next_url or "portal:home")
    return render_portal(request, "portal/sign_in.html", None, {"form": form, "next": next_url})


def sign_out(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("portal:sign-in")


def accept(request, token: str):
    """The invitation link: choose a username and password (or, for someone who already uses the
    portal, sign in to add this child)."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render_portal(request, "portal/link_not_working.html", None, status=410)
    access = invitation.access
    if invitation.resets_password:
        return _new_password(request, invitation)
    existing = services.existing_user(access)
    if existing is not None:
        # Someone already using the portal: they prove it is them by signing in.
        sign_in = PortalSignInForm(request, data=request.POST or None)
        if request.method == "POST" and sign_in.is_valid():
            if sign_in.get_user() != existing:
                sign_in.add_error(None, "Sign in as the person this link was sent to.")
            else:
                try:
                    services.accept(invitation, user=existing)
                except services.PortalRefused:
                    return render_portal(request, "portal/link_not_working.html", None, status=410)
                login(request, existing, backend=BACKEND)
                messages.success(request, f"You can now see {access.child.first_name}'s reviews.")
                return redirect("portal:child", child_id=access.child_id)
        return render_portal(
            request, "portal/accept_existing.html", None, {"form": sign_in, "access": access}
        )
    source = access.person or access.child
    form = SetUpForm(
        request.POST or None,
        user_for_checks=User(
            username=request.POST.get("username", ""),
            first_name=source.first_name,
            last_name=source.last_name,
            email=source.email,
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept(
                invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except services.PortalRefused as refused:
            invitation.refresh_from_db()
            if invitation.used_at or invitation.cancelled_at:  # used in another tab meanwhile
                return render_portal(request, "portal/link_not_working.html", None, status=410)
            form.add_error("username", str(refused))
        else:
            login(request, user, backend=BACKEND)
            return redirect(reverse("portal:second-factor") + "?welcome=1")
    return render_portal(request, "portal/accept.html", None, {"form": form, "access": access})


def _new_password(request, invitation):
    """A new-sign-in link: choose a new password. Someone with the second step on gives its code
    too, and it stays on (issue 12, item 5)."""
    access = invitation.access
    user = access.user
    needs_code = has_second_factor(user)
    form = NewPasswordForm(request.POST or None, user_for_checks=user, with_code=needs_code)
    if request.method == "POST" and form.is_valid():
        try:
            user, device = services.reset_password(
                invitation,
                password=form.cleaned_data["password1"],
                code=form.cleaned_data.get("code", ""),
            )
        except services.WrongCode as wrong:
            form.add_error("code", str(wrong))
        except services.PortalRefused:
            return render_portal(request, "portal/link_not_working.html", None, status=410)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, "Your new password is set.")
            if device is not None:
                django_otp.login(request, device)
                return redirect("portal:home")
            return redirect(reverse("portal:second-factor") + "?welcome=1")
    return render_portal(
        request,
        "portal/new_password.html",
        None,
        {"form": form, "access": access, "who": user, "needs_code": needs_code},
    )


def home(request):
    """The person's children. With one, straight to that child's first screen."""
    accesses = list(PortalAccess.objects.of(request.user).select_related("child", "person"))
    if len(accesses) == 1:
        return redirect("portal:child", child_id=accesses[0].child_id)
    return render_portal(request, "portal/home.html", None, {"accesses": accesses})


# --- staff: who has access to a child's portal -----------------------------------------------


def _child(request, pk: int) -> Child:
    return get_object_or_404(Child.objects.visible_to(request.user), pk=pk)


def _people(child: Child) -> list[tuple[str, str]]:
    """Who may be invited: the child, and each parent and carer (once each)."""
    people = [("child", f"{child.full_name} (the child)")]
    seen = set()
    for rel in child.relationships.select_related("person"):
        if rel.person_id in seen:
            continue
        if rel.is_parent or rel.kind == rel.Kind.CARER:
            seen.add(rel.person_id)
            people.append((f"person-{rel.person_id}", f"{rel.person} ({rel.get_kind_display()})"))
    return people


def staff_list(request, pk: int):
    child = _child(request, pk)
    describe_access(request, "viewed portal access")
    accesses = list(
        child.portal_accesses.select_related("person", "user", "granted_by").prefetch_related(
            "invitations", "second_step_removals"
        )
    )
    for a in accesses:
        a.second_step_on = a.user is not None and has_second_factor(a.user)
        a.removal_waiting = next((r for r in a.second_step_removals.all() if r.is_waiting), None)
    return render(
        request,
        "portal/staff_access.html",
        {
            "child": child,
            "accesses": accesses,
            "min_age": authority().portal_child_min_age,
            "invitation_days": authority().portal_invitation_days,
        },
    )


def staff_invite(request, pk: int):
    child = _child(request, pk)
    describe_access(request, "invite to the portal")
    people = _people(child)
    form = InviteForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if data["who"] != "child":
            rel = child.relationships.filter(person_id=int(data["who"].split("-")[1])).first()
            assert rel is not None  # the form offers only the child's people
            person = rel.person
        who = person or child
        sent_to = data["sent_to"].strip() or (
            who.email if data["channel"] == "email" else who.phone
        )
        try:
            sent = services.grant_and_invite(
                child,
                by=request.user,
                person=person,
                channel=data["channel"],
                sent_to=sent_to,
                base_url=request.build_absolute_uri("/"),
                with_help_from=data["with_help_from"],
            )
        except services.PortalRefused as refused:
            form.add_error(None, str(refused))
        else:
            how = "email" if data["channel"] == "email" else "text message"
            messages.success(
                request, _link_news(sent, f"Link sent to {sent.access.name} by {how}.")
            )
            return redirect("access:list", pk=child.pk)
    return render(request, "portal/staff_invite.html", {"child": child, "form": form})


def _link_news(sent, done: str) -> str:
    """What the member of staff is told: sent, or (the email or text service did not take it
    at once) waiting in the outbox, where the worker keeps trying."""
    if sent.gone():
        return done
    return (
        f"The link to {sent.access.name} has not gone yet: the email or text service did not "
        "take it. It will be tried again every few minutes, and an administrator can see it on "
        "the Messages page."
    )


def staff_revoke(request, access_id: int):
    access = get_object_or_404(
        PortalAccess.objects.visible_to(request.user).select_related("child", "person"),
        pk=access_id,
    )
    describe_access(request, "end portal access")
    if access.revoked_at:
        messages.success(request, f"{access.name}'s access had already ended.")
        return redirect("access:list", pk=access.child_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.revoke(access, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{access.name} can no longer use the portal for this child.")
        return redirect("access:list", pk=access.child_id)
    return render(
        request, "portal/staff_revoke.html", {"access": access, "child": access.child, "form": form}
    )


def staff_new_link(request, access_id: int):
    """Send someone already using the portal a link to choose a new password (it changes nothing
    until they use it; a new address or number tells them at their old ones)."""
    access = get_object_or_404(
        PortalAccess.objects.visible_to(request.user).select_related("child", "person", "user"),
        pk=access_id,
    )
    describe_access(request, "new portal sign-in link")
    who = access.person or access.child
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent_to = data["sent_to"].strip() or (
            who.email if data["channel"] == "email" else who.phone
        )
        try:
            sent = services.send_new_sign_in_link(
                access,
                by=request.user,
                channel=data["channel"],
                sent_to=sent_to,
                base_url=request.build_absolute_uri("/"),
            )
        except services.PortalRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _link_news(sent, f"A new sign-in link was sent to {access.name}.")
            )
            return redirect("access:list", pk=access.child_id)
    return render(
        request,
        "portal/staff_new_link.html",
        {
            "access": access,
            "child": access.child,
            "form": form,
            "second_step_on": access.user is not None and has_second_factor(access.user),
        },
    )


def staff_second_step(request, access_id: int):
    """Turning off someone's second step (a lost phone): one member of staff asks, with a reason;
    a different one who may manage this child's portal access approves or refuses (issue 12,
    item 5). Only an approval turns it off."""
    access = get_object_or_404(
        PortalAccess.objects.visible_to(request.user).select_related("child", "person", "user"),
        pk=access_id,
    )
    describe_access(request, "portal second step")
    waiting = (
        access.second_step_removals.filter(decided_at__isnull=True)
        .select_related("requested_by")
        .first()
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = SecondStepRemovalForm(request.POST if action == "request" else None)
    problem = ""
    if action == "request" and form.is_valid():
        try:
            services.request_second_step_removal(
                access, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.PortalRefused as refused:
            form.add_error("reason", str(refused))
        else:
            messages.success(
                request,
                f"You asked for {access.name}'s second step to be turned off. Another member of "
                "staff must approve it before it is.",
            )
            return redirect("access:list", pk=access.child_id)
    elif action in ("approve", "refuse") and waiting is not None:
        try:
            services.decide_second_step_removal(
                waiting, by=request.user, approve=action == "approve"
            )
        except services.PortalRefused as refused:
            problem = str(refused)
        else:
            messages.success(
                request,
                f"{access.name}'s second step is turned off and they have been told."
                if action == "approve"
                else f"The request was refused: {access.name}'s second step stays on.",
            )
            return redirect("access:list", pk=access.child_id)
    return render(
        request,
        "portal/staff_second_step.html",
        {
            "access": access,
            "child": access.child,
            "form": form,
            "waiting": waiting,
            "is_on": access.user is not None and has_second_factor(access.user),
            "may_decide": waiting is not None and services.may_decide(request.user, waiting),
            "asked_by_me": waiting is not None and waiting.requested_by_id == request.user.pk,
            "problem": problem,
        },
    )

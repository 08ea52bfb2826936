"""The one declared policy of who may see and do what (issue 2, item 8).

Two halves, both declared here and nowhere else:

* **Routes.** Every named URL route has an entry in `ROUTES`: public, any signed-in staff member, or
  a named permission. `PolicyMiddleware` enforces it before any view runs, and refuses a route that
  has no entry, so a new page without a rule cannot be reached (and the route-by-role test fails).
* **Scope.** `child_scope(user, purpose)` is the filter every query for child data goes through
  (`Child.objects.visible_to(user)`): an IRO sees their allocated children; a social worker their
  own; team managers the children of their team's social workers; IRO managers the children of
  their team's IROs and the children waiting for one; business support the scheduling details of
  every child and no case content; the administrator and complaints manager no case content.
"""

from __future__ import annotations

from collections.abc import Callable

import rules
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect

from carereview.core import access
from carereview.core.roles import PORTAL_ROLES, STAFF_ROLES, Role

PUBLIC = "public"
STAFF = "staff"


def _role(*roles: str, name: str):
    return rules.predicate(
        lambda user: bool(getattr(user, "is_authenticated", False)) and user.role in roles,
        name=name,
    )


is_staff = _role(*STAFF_ROLES, name="is_staff")
is_iro = _role(Role.IRO, name="is_iro")
is_iro_manager = _role(Role.IRO_MANAGER, name="is_iro_manager")
is_social_worker = _role(Role.SOCIAL_WORKER, name="is_social_worker")
is_team_manager = _role(Role.TEAM_MANAGER, name="is_team_manager")
is_business_support = _role(Role.BUSINESS_SUPPORT, name="is_business_support")
is_administrator = _role(Role.ADMINISTRATOR, name="is_administrator")
is_senior_manager = _role(Role.SENIOR_MANAGER, name="is_senior_manager")
is_complaints_manager = _role(Role.COMPLAINTS_MANAGER, name="is_complaints_manager")
is_portal_user = _role(*PORTAL_ROLES, name="is_portal_user")

# Role-level permissions. Object-level scope for child data is `child_scope`, below.
PERMISSIONS = {
    "view_child": is_iro | is_iro_manager | is_social_worker | is_team_manager,
    "view_own_caseload": is_iro,
    "view_all_caseloads": is_iro_manager,
    "view_iro_caseload": is_iro_manager,
    "allocate_iro": is_iro_manager,
    "allocate_social_worker": is_team_manager | is_iro_manager,
    "record_looked_after_parent": is_iro_manager | is_social_worker | is_team_manager,
    "view_my_children": is_social_worker | is_team_manager,
    "view_scheduling": is_business_support | is_iro_manager | is_iro,
    "view_staff": is_administrator | is_iro_manager,
    "manage_bank_holidays": is_administrator,
    # Reviews (issue 4).
    "book_review": is_iro | is_iro_manager | is_business_support,
    "view_review": is_iro | is_iro_manager | is_social_worker | is_team_manager,
    "prepare_review": is_iro,
    "invite_to_review": is_iro | is_business_support,
    "send_review_documents": is_iro | is_business_support,
    "download_review_document": is_iro | is_iro_manager | is_business_support,
    "approve_meeting_change": is_iro_manager,
    # Business support's own work (issue 12, item 21): their workspace, and a review's page
    # with its scheduling details and their tasks (no case content).
    "support_reviews": is_business_support,
    "open_review": is_iro
    | is_iro_manager
    | is_social_worker
    | is_team_manager
    | is_business_support,
    "require_earlier_review": is_iro | is_iro_manager | is_social_worker,
    # The portal (issue 5): staff let people in; people use their own part of it.
    "manage_portal_access": is_iro | is_iro_manager | is_social_worker | is_team_manager,
    "answer_portal_requests": is_iro,
    "use_portal": is_portal_user,
    "edit_own_profile": is_staff,
    # Between reviews (issue 6).
    "update_decisions": is_iro
    | is_iro_manager
    | is_social_worker
    | is_team_manager
    | is_senior_manager,
    "follow_up": is_iro,
    "report_significant_event": is_social_worker | is_team_manager | is_iro,
    "raise_dispute": is_iro,
    "view_disputes": is_iro
    | is_iro_manager
    | is_social_worker
    | is_team_manager
    | is_senior_manager,
    "respond_to_dispute": is_social_worker | is_team_manager | is_senior_manager,
    "view_dispute_overview": is_iro_manager,
    "view_outbox": is_administrator,
    # Hardening (issue 7).
    "manage_accounts": is_administrator,
    "break_glass": is_iro_manager,
    "review_break_glass": is_administrator | is_iro_manager,
    "view_reports": is_iro_manager,
    "manage_retention": is_administrator,
    # Representations and advocacy (rules.md §6).
    "manage_representations": is_complaints_manager,
    "arrange_advocacy": is_complaints_manager,
}

for _name, _predicate in PERMISSIONS.items():
    rules.add_perm(f"carereview.{_name}", _predicate)

# Every named route, and what it needs. PolicyMiddleware refuses any route missing here.
ROUTES: dict[str, str] = {
    "sign-in": PUBLIC,
    "sign-out": STAFF,
    "home": STAFF,
    "accessibility": PUBLIC,
    # Liveness and readiness (core/health.py): for the load balancer, no person's data.
    "healthz-live": PUBLIC,
    "healthz-ready": PUBLIC,
    "children:detail": "view_child",
    "caseload:mine": "view_own_caseload",
    "caseload:iro": "view_iro_caseload",
    "caseload:managers": "view_all_caseloads",
    "caseload:social-worker": "view_my_children",
    "caseload:scheduling": "view_scheduling",
    "allocation:unallocated": "allocate_iro",
    "allocation:appoint-iro": "allocate_iro",
    "allocation:appoint-social-worker": "allocate_social_worker",
    "allocation:looked-after-parent": "record_looked_after_parent",
    "allocation:looked-after-parent-remove": "record_looked_after_parent",
    "core:staff": "view_staff",
    "core:bank-holidays": "manage_bank_holidays",
    "core:bank-holiday-delete": "manage_bank_holidays",
    "reviews:book": "book_review",
    "reviews:meeting-change": "book_review",
    "reviews:approvals": "approve_meeting_change",
    "reviews:approval-decide": "approve_meeting_change",
    "reviews:earlier": "require_earlier_review",
    "reviews:detail": "open_review",
    "reviews:support": "support_reviews",
    "reviews:letters-posted": "support_reviews",
    "reviews:checklist": "prepare_review",
    "reviews:choices": "prepare_review",
    "reviews:consultation-send": "prepare_review",
    "reviews:consultation-answers": "prepare_review",
    "reviews:invitations": "invite_to_review",
    "reviews:exclude": "prepare_review",
    "reviews:exclusion": "prepare_review",
    "reviews:record": "prepare_review",
    "reviews:send": "send_review_documents",
    "reviews:document": "download_review_document",
    "reviews:child-letter": "prepare_review",
    "reviews:child-wording": "prepare_review",
    "reviews:care-plan": "prepare_review",
    "reviews:consultation-read": "view_review",
    # Staff side of the portal (issue 5).
    "core:profile": "edit_own_profile",
    "access:list": "manage_portal_access",
    "access:invite": "manage_portal_access",
    "access:revoke": "manage_portal_access",
    "access:new-link": "manage_portal_access",
    "access:second-step": "manage_portal_access",
    "requests:list": "answer_portal_requests",
    "requests:visit": "answer_portal_requests",
    "requests:parent-copies": "answer_portal_requests",
    "requests:visit-answers-check": "answer_portal_requests",
    "representations:list": "manage_representations",
    "representations:detail": "manage_representations",
    "representations:advocacy-list": "arrange_advocacy",
    "representations:advocacy-detail": "arrange_advocacy",
    # Between reviews (issue 6).
    "followup:work": "follow_up",
    "followup:my-decisions": "update_decisions",
    "followup:decision": "update_decisions",
    "followup:child-decisions": "view_child",
    "followup:midway": "follow_up",
    "followup:event-new": "report_significant_event",
    "followup:event": "follow_up",
    "disputes:raise": "raise_dispute",
    "disputes:detail": "view_disputes",
    "disputes:escalate": "raise_dispute",
    "disputes:resolve": "raise_dispute",
    "disputes:cafcass": "raise_dispute",
    "disputes:respond": "respond_to_dispute",
    "disputes:mine": "respond_to_dispute",
    "disputes:overview": "view_dispute_overview",
    "notifications:outbox": "view_outbox",
    # Hardening (issue 7).
    "accounts:two-factor": STAFF,
    "accounts:two-factor-verify": PUBLIC,
    "accounts:recovery-codes": STAFF,
    "accounts:keep-alive": STAFF,
    "accounts:locked": "manage_accounts",
    "accounts:unlock": "manage_accounts",
    "breakglass:open": "break_glass",
    "breakglass:list": "review_break_glass",
    "breakglass:review": "review_break_glass",
    "reports:timeliness": "view_reports",
    "records:retention": "manage_retention",
    "records:retention-proposal": "manage_retention",
    # The portal: public ways in, then the person's own pages.
    "portal:sign-in": PUBLIC,
    "portal:accept": PUBLIC,
    "portal:sign-in-code": PUBLIC,
    "portal:sign-out": "use_portal",
    "portal:keep-alive": "use_portal",
    "portal:home": "use_portal",
    "portal:second-factor": "use_portal",
    "portal:iro-photo": "use_portal",
    "portal:child": "use_portal",
    "portal:visit": "use_portal",
    "portal:review": "use_portal",
    "portal:choices": "use_portal",
    "portal:consultation": "use_portal",
    "portal:consultation-question": "use_portal",
    "portal:consultation-check": "use_portal",
    "portal:after": "use_portal",
    "portal:record-pdf": "use_portal",
    "portal:separate-meeting": "use_portal",
    "portal:help": "use_portal",
    "portal:advocate": "use_portal",
    "portal:representation": "use_portal",
    "portal:representation-done": "use_portal",
}


# The scope through which each route's child is resolved (core.access; issue 12, item 3): "case"
# unless the route or its namespace names another.
PURPOSE_BY_NAMESPACE = {
    "portal": "portal",
    "disputes": "disputes",
    "representations": "representations",
    "breakglass": "breakglass",
}
PURPOSE_BY_ROUTE = {
    "reviews:book": "scheduling",
    "reviews:meeting-change": "scheduling",
    "reviews:invitations": "scheduling",
    "reviews:send": "scheduling",
    "reviews:document": "scheduling",
    "reviews:detail": "scheduling",
    "reviews:letters-posted": "scheduling",
}


def purpose_for(route_name: str) -> str:
    if route_name in PURPOSE_BY_ROUTE:
        return PURPOSE_BY_ROUTE[route_name]
    return PURPOSE_BY_NAMESPACE.get(route_name.partition(":")[0], "case")


def allows(user, route_name: str) -> bool:
    """Whether `user` may use the route at all (before any object scope)."""
    need = ROUTES[route_name]
    if need == PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if need == STAFF:
        return is_staff(user)
    return user.has_perm(f"carereview.{need}")


# Each app's own part of the scope (ADR 0013): core names no app. An app adds its part from its
# AppConfig.ready, as it declares its URL keywords (core.access): "portal" (the children a portal
# user holds an active access for), "representations" (the children with a representation or an
# advocacy request, for the complaints manager), "disputes" (the children of the dispute steps
# addressed to the user) and "breakglass" (the children an IRO manager opened with a reason,
# while the grant lasts). A part no app added is nothing.
_APP_SCOPES: dict[str, Callable[[object], Q]] = {}


def add_scope(name: str, rule: Callable[[object], Q]) -> None:
    """Declare an app's part of the child scope: `rule(user)` is a filter on Child."""
    held = _APP_SCOPES.get(name)
    if held is not None and held is not rule:
        raise ImproperlyConfigured(f"The scope {name!r} is already declared by {held!r}")
    _APP_SCOPES[name] = rule


def app_scope(name: str, user) -> Q:
    rule = _APP_SCOPES.get(name)
    return rule(user) if rule is not None else Q(pk__in=[])


def child_scope(user, purpose: str = "case") -> Q:
    """The filter on Child for what `user` may see. `purpose` is "case" or "scheduling"."""
    nothing = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False):
        return nothing
    role = user.role
    if purpose == "portal":
        # A portal user: the children they hold an active access for, and nothing once revoked.
        if role not in PORTAL_ROLES or not user.is_active:
            return nothing
        return app_scope("portal", user)
    if role in PORTAL_ROLES:
        return nothing
    if purpose == "representations":
        # The complaints manager: children with a representation or an advocacy request.
        if role == Role.COMPLAINTS_MANAGER:
            return app_scope("representations", user)
        return nothing
    if purpose == "disputes":
        # Everyone a dispute step is addressed to, as well as those who see the case.
        return app_scope("disputes", user) | child_scope(user, "case")
    if purpose == "scheduling" and role == Role.BUSINESS_SUPPORT:
        return Q()
    if purpose == "breakglass" and role in {Role.IRO_MANAGER, Role.ADMINISTRATOR}:
        # Opening with a reason, and reviewing grants: the page names the child by identifier
        # only, and the read is logged (core.access), like every other.
        return Q()
    if role == Role.IRO:
        return Q(current_iro=user)
    if role == Role.SOCIAL_WORKER:
        return Q(current_social_worker=user)
    if role == Role.TEAM_MANAGER:
        return Q(current_social_worker__team__manager=user) | Q(
            current_social_worker__line_manager=user
        )
    if role == Role.IRO_MANAGER:
        own = (
            Q(current_iro__team__manager=user)
            | Q(current_iro__line_manager=user)
            | Q(current_iro__isnull=True)
        )
        if purpose == "own":  # without break-glass (core.audit marks reads beyond it)
            return own
        # Break-glass (issue 7): a child the manager opened with a reason, while the grant lasts.
        return own | app_scope("breakglass", user)
    return nothing


class PolicyMiddleware:
    """Enforces `ROUTES` on every request that resolves to a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        access.log_read(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name if request.resolver_match else None
        if name not in ROUTES:
            raise PermissionDenied("This page has no access rule, so nobody may use it.")
        need = ROUTES[name]
        if need == PUBLIC:
            return None
        if not request.user.is_authenticated:
            if name.startswith("portal:"):
                return redirect_to_login(request.get_full_path(), "portal:sign-in")
            return redirect_to_login(request.get_full_path())
        if request.user.is_portal_user:
            if name == "home":
                return redirect("portal:home")
            if need == "use_portal" and not _second_step_done(request):
                # A session opened before the person turned on the second step: sign in again.
                logout(request)
                return redirect_to_login(request.get_full_path(), "portal:sign-in")
        if not allows(request.user, name):
            raise PermissionDenied("Your role does not give you access to this page.")
        access.resolve(request, name, view_kwargs, purpose_for(name))
        return None


def _second_step_done(request) -> bool:
    """A portal user who turned on the second step (issue 5) has used it in this session."""
    from carereview.core.second_factor import has_second_factor

    verified = getattr(request.user, "is_verified", None)
    return not has_second_factor(request.user) or bool(verified and verified())

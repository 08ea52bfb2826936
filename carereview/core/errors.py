"""The error pages (issue 12, item 6): GOV.UK-styled 400, 403, 404 and 500 pages for the staff
site and the portal (the portal's look for any path under /portal/), in plain words, with a way
back. They never show the exception's message: it is written for the log, not for the reader,
and may name internals.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse

from carereview.core.authority import authority

PAGES = {
    400: "Sorry, there is a problem with that request",
    403: "You cannot see this page",
    404: "Page not found",
    500: "Sorry, there is a problem with the service",
}


class Refusal(PermissionDenied):
    """A refusal whose message is written for the person refused (plain words, no internals): the
    403 page shows it in place of the general words, so the reader learns why and what happens
    next, e.g. a letter waiting for the IRO's check (documents.redaction.NotReleased)."""


def is_portal(request) -> bool:
    return request.path.startswith(reverse("portal:home"))


def _reader_in_portal(request, portal_path: bool) -> bool:
    """Whether the reader's own home is the portal's: a signed-in reader's by who they are, so a
    member of staff on a portal page (or a parent on a staff page) is led to their own home, not
    back to the page that refused them; anyone else's by the path."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return portal_path
    return user.is_portal_user


def _render(request, status: int, *, with_request: bool = True, reason: str = "") -> HttpResponse:
    portal = is_portal(request)
    # A 500 reads nothing of the user (see below): the way back follows the path.
    reader_in_portal = _reader_in_portal(request, portal) if with_request else portal
    context = {
        "title": PAGES[status],
        "status": status,
        "portal": portal,
        "reader_in_portal": reader_in_portal,
        "other_side": reader_in_portal != portal,
        # A refusal's reason is written for staff: a child, parent or carer gets the general words.
        "reason": "" if reader_in_portal else reason,
        "base_template": "portal/base.html" if portal else "base.html",
        "home": reverse("portal:home" if reader_in_portal else "home"),
        "authority_name": authority().authority_name,
        "iro_service_phone": authority().iro_service_phone,
    }
    template = loader.get_template(f"errors/{status}.html")
    # A 500 is drawn without the request: its context processors read the session and the user,
    # which may be what failed.
    body = template.render(context, request if with_request else None)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _render(request, 400)


def permission_denied(request, exception=None):
    reason = str(exception) if isinstance(exception, Refusal) else ""
    return _render(request, 403, reason=reason)


def page_not_found(request, exception=None):
    return _render(request, 404)


def server_error(request):
    return _render(request, 500, with_request=False)


def csrf_failure(request, reason: str = ""):
    """A form sent without its security token (an old tab, cookies off): the 403 page, not
    Django's technical one. The reason goes to the log only."""
    return _render(request, 403)

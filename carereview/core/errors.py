"""The error pages (issue 12, item 6): GOV.UK-styled 400, 403, 404 and 500 pages for the staff
site and the portal (the portal's look for any path under /portal/), in plain words, with a way
back. They never show the exception's message: it is written for the log, not for the reader,
and may name internals.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse

PAGES = {
    400: "Sorry, there is a problem with that request",
    403: "You cannot see this page",
    404: "Page not found",
    500: "Sorry, there is a problem with the service",
}


def is_portal(request) -> bool:
    return request.path.startswith(reverse("portal:home"))


def _render(request, status: int, *, with_request: bool = True) -> HttpResponse:
    portal = is_portal(request)
    context = {
        "title": PAGES[status],
        "status": status,
        "portal": portal,
        "base_template": "portal/base.html" if portal else "base.html",
        "home": reverse("portal:home" if portal else "home"),
        "authority_name": settings.CAREREVIEW["AUTHORITY_NAME"],
        "iro_service_phone": settings.CAREREVIEW["IRO_SERVICE_PHONE"],
    }
    template = loader.get_template(f"errors/{status}.html")
    # A 500 is drawn without the request: its context processors read the session and the user,
    # which may be what failed.
    body = template.render(context, request if with_request else None)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _render(request, 400)


def permission_denied(request, exception=None):
    return _render(request, 403)


def page_not_found(request, exception=None):
    return _render(request, 404)


def server_error(request):
    return _render(request, 500, with_request=False)


def csrf_failure(request, reason: str = ""):
    """A form sent without its security token (an old tab, cookies off): the 403 page, not
    Django's technical one. The reason goes to the log only."""
    return _render(request, 403)

"""What every portal page does first: find the person's own access for this child, or 404.

`portal_access(request, child_id, action)` is the one way a portal view reaches a child: through
the person's active accesses (core.policy's "portal" scope), never by the child's id alone. It
names the read for the access log, which core.access writes once the page is shown.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from carereview.core.access import describe as describe_access
from carereview.portal.models import PortalAccess

# (route, words) for the portal's menu, in order. The child sees "I" words; adults see "the child".
NAVIGATION = [
    ("portal:child", "Home"),
    ("portal:review", "Next review"),
    ("portal:consultation", "Say what you think"),
    ("portal:after", "After the review"),
    ("portal:help", "Help"),
]


def portal_access(request, child_id: int, action: str) -> PortalAccess:
    """The signed-in person's live access for `child_id` (the read named for the log); else 404."""
    if not 0 < child_id < 2**63:
        raise Http404("Not found")
    access = (
        PortalAccess.objects.of(request.user)
        .select_related("child", "child__current_iro", "person")
        .filter(child_id=child_id)
        .first()
    )
    if access is None:
        raise Http404("Not found")
    describe_access(request, f"portal.{action}")
    return access


def render_portal(request, template: str, access: PortalAccess | None, context=None, **kwargs):
    """Render a portal page with its menu for `access`'s child."""
    context = dict(context or {})
    if access is not None:
        current = request.resolver_match.view_name if request.resolver_match else ""
        context["portal_access"] = access
        context["child"] = access.child
        context["is_child"] = access.is_child
        context["portal_navigation"] = [
            {
                "href": reverse(route, kwargs={"child_id": access.child_id}),
                "text": text,
                "current": current == route or current.startswith(route + "-"),
            }
            for route, text in NAVIGATION
        ]
    return render(request, template, context, **kwargs)

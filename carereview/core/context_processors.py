from carereview.core import authority as choices


def authority(request):
    the = choices.authority()
    return {"authority_name": the.authority_name, "iro_service_phone": the.iro_service_phone}


# (route, label) in the order they appear; each shown only to those the policy lets use it.
NAVIGATION = [
    ("caseload:mine", "My caseload"),
    ("requests:list", "Requests"),
    ("followup:work", "Between reviews"),
    ("caseload:social-worker", "My children"),
    ("caseload:managers", "IRO caseloads"),
    ("reports:timeliness", "Timeliness"),
    ("allocation:unallocated", "Children without an IRO"),
    ("reviews:approvals", "Changes to approve"),
    ("reviews:support", "Your reviews"),
    ("caseload:scheduling", "Reviews to book"),
    ("disputes:mine", "Disputes"),
    ("disputes:overview", "Disputes"),
    ("followup:my-decisions", "My decisions"),
    ("core:staff", "Staff and teams"),
    ("core:bank-holidays", "Bank holidays"),
    ("representations:list", "Representations"),
    ("representations:advocacy-list", "Advocacy requests"),
    ("notifications:outbox", "Messages"),
    ("accounts:locked", "Locked accounts"),
    ("records:retention", "Retention"),
    ("breakglass:list", "Break-glass"),
    ("core:profile", "Your profile"),
]


def navigation(request):
    from django.urls import reverse

    from carereview.core.policy import allows

    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"navigation": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"href": reverse(route), "text": label, "current": route == current}
        for route, label in NAVIGATION
        if allows(user, route)
    ]
    return {"navigation": items}

from django.shortcuts import get_object_or_404, render

from carereview.accounts.models import Role, User
from carereview.allocation.selectors import caseloads
from carereview.caseload.selectors import caseload
from carereview.children.models import Child
from carereview.core.calendar import today, working_calendar
from carereview.followup.selectors import overdue_decisions_by_iro, overdue_decisions_count
from carereview.reviews.presenters import latest_review_stages


def _render_caseload(request, queryset, *, title, intro, person=None, scheduling=False):
    if not scheduling:
        # Issue 6: each row's overdue decisions, counted in the same query as the page.
        queryset = queryset.annotate(overdue_decisions=overdue_decisions_count(today()))
    view = caseload(queryset, request.GET, today())
    stages = latest_review_stages(
        request.user,
        [row.child for row in view.rows],
        today(),
        working_calendar(),
        purpose="scheduling" if scheduling else "case",
    )
    for row in view.rows:
        row.stage = stages.get(row.child.pk)
    return render(
        request,
        "caseload/caseload.html",
        {
            "v": view,
            "title": title,
            "intro": intro,
            "person": person,
            "scheduling": scheduling,
            "query": request.GET.copy(),
        },
    )


def mine(request):
    children = Child.objects.visible_to(request.user).in_care().filter(current_iro=request.user)
    return _render_caseload(
        request, children, title="My caseload", intro="Children you are the IRO for."
    )


def iro(request, user_id: int):
    person = get_object_or_404(User, pk=user_id, role=Role.IRO)
    children = Child.objects.visible_to(request.user).in_care().filter(current_iro=person)
    return _render_caseload(
        request,
        children,
        title=f"{person.get_full_name()}'s caseload",
        intro=f"Children {person.first_name} is the IRO for, as far as your teams reach.",
        person=person,
    )


def social_worker(request):
    children = Child.objects.visible_to(request.user).in_care().select_related("current_iro")
    title = "My children" if request.user.role == Role.SOCIAL_WORKER else "My team's children"
    return _render_caseload(
        request, children, title=title, intro="Children in care you or your team work with."
    )


def scheduling(request):
    children = (
        Child.objects.visible_to(request.user, purpose="scheduling")
        .in_care()
        .select_related("current_iro")
    )
    return _render_caseload(
        request,
        children,
        title="Reviews to book",
        intro="Every child's next review due date and IRO, for booking meetings.",
        scheduling=True,
    )


def managers(request):
    rows = caseloads(Role.IRO, today())
    visible = set(
        Child.objects.visible_to(request.user)
        .in_care()
        .values_list("current_iro", flat=True)
        .distinct()
    )
    waiting = Child.objects.visible_to(request.user).in_care().filter(current_iro__isnull=True)
    total = sum(r.children for r in rows)
    # Issue 6: overdue decisions across each IRO's children (those this manager may see).
    decisions = overdue_decisions_by_iro(Child.objects.visible_to(request.user).in_care(), today())
    return render(
        request,
        "caseload/managers.html",
        {
            "rows": rows,
            "table": [(r, decisions.get(r.person.pk, 0)) for r in rows],
            "decisions_overdue": sum(decisions.values()),
            "visible": visible,
            "waiting": waiting.count(),
            "total": total,
            "overdue": sum(r.overdue for r in rows),
        },
    )

"""The child's page: everything that hangs from the child, gathered above the apps it reads
(moved from children.views, ADR 0013; its URL stays "children:detail")."""

from django.shortcuts import get_object_or_404, render

from carereview.caseload.presenters import ChildPresenter
from carereview.children.models import Child
from carereview.core import access
from carereview.core.calendar import today, working_calendar
from carereview.followup.selectors import overdue_decisions_count


def detail(request, pk: int):
    child = get_object_or_404(
        Child.objects.visible_to(request.user)
        .select_related("current_iro", "current_social_worker")
        # Issue 6's overdue decisions, in the same query as the child (issue 7).
        .annotate(overdue_decisions=overdue_decisions_count(today())),
        pk=pk,
    )
    access.describe(request, "viewed the child's page")
    presenter = ChildPresenter(child, today=today(), calendar=working_calendar(), user=request.user)
    return render(request, "children/detail.html", {"child": child, "p": presenter})

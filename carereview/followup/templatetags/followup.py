"""Template helpers for pages outside this app that show how a child's decisions stand."""

from django import template

from carereview.core.calendar import today
from carereview.reviews.models import Decision

register = template.Library()


@register.filter
def decision_overdue(decision: Decision) -> bool:
    """Not done and past its date, as of today."""
    return decision.is_overdue(today())


@register.simple_tag(takes_context=True)
def overdue_decisions_count(context, child) -> int:
    """How many of the child's decisions are not done and past their date (one query, scoped).
    Use: {% overdue_decisions_count child as n %}, then include "followup/_overdue_flag.html"."""
    request = context.get("request")
    if request is None:
        return 0
    return (
        Decision.objects.visible_to(request.user)
        .filter(review__child=child, due_on__lt=today())
        .exclude(status=Decision.Status.DONE)
        .count()
    )

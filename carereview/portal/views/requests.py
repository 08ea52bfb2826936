"""The IRO's work list of what children and families asked for through the portal (issue 5):
visits to answer, separate meetings asked for, choices changed, forms sent in; and advocacy and
representations made (handled by the complaints team, shown so the IRO knows), which
representations.portal_views.work_list adds to this context."""

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from carereview.accounts.models import PORTAL_ROLES
from carereview.children.models import Episode
from carereview.core import audit
from carereview.core.access import describe as describe_access
from carereview.documents import release
from carereview.portal.forms import VisitAnswerForm
from carereview.portal.models import VisitRequest
from carereview.portal.views.pages import visit_answers_copy
from carereview.reviews.models import Consultation, Decision, Exclusion, Review

RECENT_DAYS = 30


def _blocked_by_the_iro(user) -> dict:
    """What only this IRO can unblock before a review's text reaches the family: a parent's
    version waiting for their check (rules.md §7, ADR 0009) and decisions not yet in the child's
    words. Of the reviews of the children they are the IRO for, until the record is sent."""
    reviews = (
        Review.objects.visible_to(user)
        .filter(child__current_iro=user, record_sent_on__isnull=True)
        .select_related("child")
        .order_by("pk")
    )
    confidential = Episode.objects.filter(  # scoped: of the scoped reviews' children
        child=OuterRef("child"), address_confidential=True
    )
    to_check = []
    for review in reviews.filter(Exists(confidential)):
        people = release.waiting_for_check(review)
        if people:
            to_check.append((review, people))
    unworded = Decision.objects.filter(  # scoped: of the scoped reviews
        review=OuterRef("pk"), child_wording=""
    )
    answers = {}  # the IRO's answers to visit requests waiting for their check, any review or none
    answered = (
        VisitRequest.objects.visible_to(user)
        .filter(child__current_iro=user, answered_at__isnull=False)
        .filter(Exists(confidential))
        .select_related("access__child", "access__person")
    )
    for visit in answered:
        if visit.access_id not in answers and not release.is_released(
            visit_answers_copy(visit.access)
        ):
            answers[visit.access_id] = visit.access
    return {
        "copies_to_check": to_check,
        "answers_to_check": list(answers.values()),
        "to_word": reviews.filter(held_on__isnull=False).filter(Exists(unworded)),
    }


def work_list_context(user) -> dict:
    """What the work list shows of the portal and the reviews. The page itself is
    representations.portal_views.work_list, which adds the advocacy and representations made
    (ADR 0013: representations is the layer above the portal)."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    visits = VisitRequest.objects.visible_to(user).select_related(
        "child", "access", "access__person"
    )
    return {
        "waiting_visits": visits.filter(answered_at__isnull=True).order_by("asked_at"),
        "answered_visits": visits.filter(answered_at__gte=since).order_by("-answered_at")[:20],
        "separate_meetings": Exclusion.objects.visible_to(user)
        .filter(separate_meeting_requested_at__isnull=False, outcome="")
        .select_related("review__child", "person")
        .order_by("separate_meeting_requested_at"),
        "choices_changed": Review.objects.visible_to(user)
        .filter(held_on__isnull=True, choices_updated_at__gte=since)
        .select_related("child")
        .order_by("-choices_updated_at"),
        "forms_sent_in": Consultation.objects.visible_to(user)
        .filter(
            review__held_on__isnull=True,
            returned_on__isnull=False,
            submitted_by__role__in=PORTAL_ROLES,
        )
        .select_related("review__child", "person", "form")
        .order_by("-returned_on"),
        "recent_days": RECENT_DAYS,
        **_blocked_by_the_iro(user),
    }


def render_work_list(request, context: dict, *, also_shown=()):
    """The work list page, with one access event for each child whose requests are shown: those
    of `context` (work_list_context) and the children `also_shown` (what the caller added)."""
    shown = {child.pk: child for child in also_shown}
    for key in ("waiting_visits", "answered_visits"):
        for row in context[key]:
            shown[row.child.pk] = row.child
    for row in context["separate_meetings"]:
        shown[row.review.child.pk] = row.review.child
    for row in context["forms_sent_in"]:
        shown[row.review.child.pk] = row.review.child
    for row in context["choices_changed"]:
        shown[row.child.pk] = row.child
    for row in context["answers_to_check"]:
        shown[row.child.pk] = row.child
    for row in [r for r, _people in context["copies_to_check"]] + list(context["to_word"]):
        shown[row.child.pk] = row.child
    for child in shown.values():
        audit.record_access(request, child, "requests from children and families")
    return render(request, "portal/staff_requests.html", context)


def _check_first(visit: VisitRequest):
    """rules.md §7 (ADR 0009): an answer to a person the address is confidential from waits for
    the IRO's check; the child's check of visit answers shows it, whether or not the child has a
    review (None: no check needed)."""
    if release.is_released(visit_answers_copy(visit.access)):
        return None
    return redirect("requests:visit-answers-check", child_id=visit.child_id)


def visit_answer(request, visit_id: int):
    visit = get_object_or_404(
        VisitRequest.objects.visible_to(request.user).select_related("child", "access__person"),
        pk=visit_id,
    )
    describe_access(request, "read a visit request")
    form = VisitAnswerForm(
        request.POST or None, initial={"answer": visit.answer, "visit_on": visit.visit_on}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            visit.answer = form.cleaned_data["answer"].strip()
            visit.visit_on = form.cleaned_data["visit_on"]
            visit.answered_at = timezone.now()
            visit.answered_by = request.user
            visit.save(update_fields=["answer", "visit_on", "answered_at", "answered_by"])
            audit.record_change(
                request.user, "portal.visit_answer", visit, {"visit_on": str(visit.visit_on)}
            )
        check = _check_first(visit)
        if check is not None:
            messages.success(
                request,
                f"Answer saved. It waits for your check: the placement address is confidential "
                f"from {visit.access.name}, so they read it once you have confirmed it below.",
            )
            return check
        messages.success(
            request, f"Answer sent to {visit.access.name}. They read it in the portal."
        )
        return redirect("requests:list")
    return render(
        request,
        "portal/staff_visit_answer.html",
        {"visit": visit, "child": visit.child, "form": form},
    )

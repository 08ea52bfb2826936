from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, render

from carereview.accounts.models import Role, User
from carereview.allocation.selectors import (
    Caseload,
    looked_after_parents_sharing_an_iro,
    siblings_with_different_iros,
)
from carereview.allocation.services import appointment_counts, notice_counts
from carereview.caseload.forms import CaseloadFilterForm
from carereview.caseload.selectors import caseload
from carereview.children.models import Child
from carereview.core.authority import authority
from carereview.core.calendar import today, working_calendar
from carereview.followup.selectors import OPEN, overdue_decisions_count
from carereview.reports.kept import kept
from carereview.reviews.models import ChecklistEntry, Consultation, Decision, Meeting, Review
from carereview.reviews.presenters import ReviewPresenter, Stage


def latest_review_stages(user, children, today, calendar, purpose: str = "case") -> dict:
    """The stage each child's next review has reached (reviews.presenters.latest_review_stages),
    in four queries for the page whatever its rows: each child's latest review, then the
    meetings, checklist and consultations of those reviews, one query each, handed to each
    review's presenter as the reads it would otherwise make itself (its own read of the
    consultations is one query per review being prepared, so the page's count grew with the
    reviews booked; and related managers built per review cost more than the queries)."""
    by_id = {c.pk: c for c in children}
    latest = (
        Review.objects.filter(child_id__in=list(by_id))  # scoped: the children passed in
        .order_by()
        .values("child_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    reviews = list(Review.objects.visible_to(user, purpose).filter(pk__in=latest).order_by())
    ids = [r.pk for r in reviews]
    related: dict[str, dict[int, list]] = {}
    for name, objects in (
        ("meetings", Meeting.objects.all()),  # scoped: filtered to the scoped reviews below
        ("checklist", ChecklistEntry.objects.all()),  # scoped: filtered to the scoped reviews
        (
            "consultations",
            Consultation.objects.select_related("form", "person"),  # scoped: as above
        ),
    ):
        related[name] = {}
        for obj in objects.filter(review_id__in=ids).order_by():
            related[name].setdefault(obj.review_id, []).append(obj)
    stages: dict[int, Stage] = {}
    for review in reviews:
        review.child = by_id[review.child_id]  # already read for the page
        if review.record_sent_on:
            stages[review.child_id] = Stage("Not booked")
            continue
        presenter = ReviewPresenter(review, today, calendar)
        presenter.__dict__.update(
            meetings=related["meetings"].get(review.pk, []),
            entries={e.item: e for e in related["checklist"].get(review.pk, [])},
            consultations=related["consultations"].get(review.pk, []),
        )
        stages[review.child_id] = presenter.stage
    return stages


def _render_caseload(request, queryset, *, title, intro, person=None, scheduling=False):
    # Issue 6: each row's overdue decisions, counted in the same query as the page's rows.
    rows = None if scheduling else {"overdue_decisions": overdue_decisions_count(today())}
    view = caseload(queryset, request.GET, today(), row_annotations=rows)
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
            "filters": CaseloadFilterForm(view, scheduling=scheduling),
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


def _service_figures(user, now) -> dict:
    """What the managers' view adds up over the whole service: in-care children with an (active)
    IRO and those with a review overdue; the overdue decisions of the children `user` may see,
    by IRO (JSON keys: strings) and in all."""
    counts = (
        Child.objects.in_care()  # scoped: counts only, no rows
        .filter(current_iro__role=Role.IRO, current_iro__is_active=True)
        .aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(next_review_due__lt=now)))
    )
    scoped = Child.objects.visible_to(user).in_care().filter(current_iro__isnull=False)
    by_iro = {
        str(row["review__child__current_iro"]): row["n"]
        for row in Decision.objects.filter(  # scoped: of the scoped children
            due_on__lt=now, status__in=OPEN, review__child__in=scoped.values("pk")
        )
        .order_by()
        .values("review__child__current_iro")
        .annotate(n=Count("pk"))
    }
    return {**counts, "decisions_by_iro": by_iro, "decisions_overdue": sum(by_iro.values())}


def managers(request):
    """Every active IRO's caseload, a page of IROs at a time, with what this manager's teams
    reach (issue 7: at national scale there are some 1,500 IROs).

    The rows' children and overdue reviews are counted for the IROs on the page only, as is
    which of them this manager may see; so are the children waiting for an IRO. The overdue
    decisions by IRO and the totals across the service are kept for
    CASELOAD_TOTALS_FRESH_MINUTES (default 2; reports.kept): counting every decision of 100,000
    children on each view would take most of a second.
    """
    now = today()
    people = (
        User.objects.filter(role=Role.IRO, is_active=True)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(people, authority().iro_caseloads_page_size).get_page(request.GET.get("page"))
    on_page = list(page.object_list)
    ids = [p.pk for p in on_page]
    counts = {
        row["current_iro"]: row
        for row in Child.objects.in_care()  # scoped: counts only, no rows
        .filter(current_iro__in=ids)
        .order_by()
        .values("current_iro")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(next_review_due__lt=now)))
    }
    none = {"n": 0, "late": 0}
    rows = [
        Caseload(p, counts.get(p.pk, none)["n"], counts.get(p.pk, none)["late"]) for p in on_page
    ]
    scoped = Child.objects.visible_to(request.user).in_care()
    visible = set(
        scoped.filter(current_iro__in=ids)
        .order_by()
        .values_list("current_iro", flat=True)
        .distinct()
    )
    # Issue 6: overdue decisions across each IRO's children (those this manager may see), with
    # the service's totals: kept a few minutes, as counting them takes most of a second.
    figures, figures_at = kept(
        f"caseload:iros:v1:user={request.user.pk}:day={now.isoformat()}",
        authority().caseload_totals_fresh_minutes,
        lambda: _service_figures(request.user, now),
    )
    decisions = {int(iro): n for iro, n in figures["decisions_by_iro"].items()}
    waiting = scoped.filter(current_iro__isnull=True)
    # Issue 12: appointments and notices of this reporting year (rules.md §8), late ones counted,
    # and the brothers and sisters whose IROs differ, with the reason recorded.
    year_start = date(now.year if now.month >= 4 else now.year - 1, 4, 1)
    return render(
        request,
        # caseload/managers.html with the pages of IROs after it (reports/templates).
        "reports/iro_caseloads.html",
        {
            "rows": rows,
            "table": [(r, decisions.get(r.person.pk, 0)) for r in rows],
            "decisions_overdue": figures["decisions_overdue"],
            "visible": visible,
            "waiting": waiting.count(),
            "total": figures["total"],
            "overdue": figures["overdue"],
            "page": page,
            "figures_at": figures_at,
            "year_start": year_start,
            "appointments": appointment_counts(year_start, now),
            "notices": notice_counts(year_start, now),
            "sibling_allocations": siblings_with_different_iros(request.user),
            "parents_sharing": looked_after_parents_sharing_an_iro(request.user),
        },
    )

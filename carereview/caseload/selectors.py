"""The caseload list: filter, sort and page a scoped set of children."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import F, OrderBy, Q, QuerySet

from carereview.children import codes
from carereview.core.authority import authority

if TYPE_CHECKING:
    from carereview.children.models import Child

SORTS: dict[str, list[str | OrderBy]] = {
    "due": [F("next_review_due").asc(nulls_last=True), "last_name", "first_name"],
    "name": ["last_name", "first_name"],
    "legal": ["current_legal_status", "last_name", "first_name"],
    "placement": ["current_placement", "last_name", "first_name"],
    "since": [F("looked_after_since").asc(nulls_last=True), "last_name"],
}
STATUSES = {
    "": "All",
    "overdue": "Overdue",
    "due-28": "Due in the next 28 days",
}
DUE_SOON_DAYS = 28


@dataclass
class CaseloadRow:
    child: Child
    today: date
    stage: object = None

    @property
    def days_left(self) -> int | None:
        due = self.child.next_review_due
        return (due - self.today).days if due else None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -(self.days_left or 0)


@dataclass
class CaseloadView:
    page: Page
    rows: list[CaseloadRow]
    sort: str
    descending: bool
    status: str
    legal: str
    placement: str
    q: str
    total: int
    legal_choices: list = field(default_factory=list)
    placement_choices: list = field(default_factory=list)
    status_choices: dict = field(default_factory=dict)


def _descending(orderings: list[str | OrderBy]) -> list[OrderBy]:
    out = []
    for o in orderings:
        if isinstance(o, str):
            out.append(F(o).desc())
        else:
            out.append(o.expression.desc(nulls_last=True))
    return out


def caseload(
    queryset: QuerySet, params, today: date, row_annotations: dict | None = None
) -> CaseloadView:
    """Filter, sort and page `queryset`. `row_annotations` are added to the page's rows only, so
    the count and the filter choices stay plain queries on the children (an annotation that
    joins reviews and decisions would otherwise join them for every child in the list)."""
    sort = params.get("sort", "due")
    if sort not in SORTS:
        sort = "due"
    descending = params.get("order") == "desc"
    status = params.get("status", "")
    status = status if status in STATUSES else ""
    legal = params.get("legal", "")
    legal = legal if legal in codes.LS else ""
    placement = params.get("placement", "")
    placement = placement if placement in codes.PLACE else ""
    q = params.get("q", "").strip()[:80]

    qs = queryset
    if status == "overdue":
        qs = qs.filter(next_review_due__lt=today)
    elif status == "due-28":
        qs = qs.filter(
            next_review_due__gte=today, next_review_due__lte=today + timedelta(DUE_SOON_DAYS)
        )
    if legal:
        qs = qs.filter(current_legal_status=legal)
    if placement:
        qs = qs.filter(current_placement=placement)
    if q:
        for word in q.split()[:4]:
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(la_child_id__iexact=word)
            )
    orderings = SORTS[sort]
    qs = qs.order_by(*(_descending(orderings) if descending else orderings))
    paginator = Paginator(qs, authority().caseload_page_size)
    page = paginator.get_page(params.get("page"))
    if row_annotations:
        bottom = (page.number - 1) * paginator.per_page
        page.object_list = qs.annotate(**row_annotations)[bottom : bottom + paginator.per_page]
    # The legal statuses and placements present, for the filters: one query for both.
    present = set(
        queryset.order_by().values_list("current_legal_status", "current_placement").distinct()
    )
    present_legal = sorted({legal for legal, _ in present} - {""})
    present_place = sorted({place for _, place in present} - {""})
    return CaseloadView(
        page=page,
        rows=[CaseloadRow(c, today) for c in page.object_list],
        sort=sort,
        descending=descending,
        status=status,
        legal=legal,
        placement=placement,
        q=q,
        total=paginator.count,
        legal_choices=[(c, f"{c}: {codes.LS[c]}") for c in present_legal if c in codes.LS],
        placement_choices=[
            (c, f"{c}: {codes.PLACE[c]}") for c in present_place if c in codes.PLACE
        ],
        status_choices=STATUSES,
    )

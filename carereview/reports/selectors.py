"""What the timeliness report counts (rules.md §8), in aggregate SQL.

For a reporting year (1 April to 31 March) and an as-at date, over the children the user may see
(the children `visible_to` the user), from what `children.services.refresh_summary` stores:

* **Reviews due** are the reviews whose due date falls in the year and had come due by the as-at
  date. A held review that counts (`Review.counts`) carries its due date (`due_on`) and whether it
  was held by it (`on_time`): held by the as-at date, it is **on time** or **late**; held after the
  as-at date but due before it, it was **missing** then. A review not held at all has no row: the
  engine keeps one due date a child has not met, `Child.next_review_due` (it stays the next review
  due until held), so a child whose next review due falls in the year and before the as-at date
  has one **missing** review. A review due on the as-at date itself can still be held that day, so
  it is not yet missing. Reviews held early for a due date later than the as-at date count as due
  (and on time); those due later and not held yet are counted apart, as **not yet due**.
* **Timeliness** = on time / due, and the share of children with a review due whose every due
  review was on time.
* **Participation**: reviews held in the year up to the as-at date, that count, for children aged
  4 or over on the day: how many were coded PN1-PN6, and the count per code.
* **Children in care** at the start of the year (end of 31 March) and at its end (or the as-at
  date, if earlier), and how many periods of care started and ended in between, counted from the
  SSDA903 episodes as the return counts them (an episode with RNE S starts a period; one ending
  with a REC other than X1 ends it).
* **By IRO**: a held review belongs to the IRO who chaired it (else the child's IRO); a missing one
  to the child's current IRO.

Six queries whatever the size of the data (`timeliness`), none per child or per IRO. What the
stored data cannot say: a review missed in a period of care that has since ended (the child left
care with the review overdue) leaves no due date behind, so it is not counted as missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from carereview.accounts.models import User
from carereview.children import codes
from carereview.children.models import Episode
from carereview.reviews.models import Review

#: Participation codes that mean the child took part (rules.md §8).
PARTICIPATED = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")
#: Ages from which participation is reported.
PARTICIPATION_MIN_AGE = 4
NO_IRO = "No IRO allocated"


def year_of(day: date) -> int:
    """The reporting year a day falls in, named by the calendar year it starts (1 April)."""
    return day.year if (day.month, day.day) >= (4, 1) else day.year - 1


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def share(part: int, whole: int) -> float | None:
    """Percentage to one decimal place, or None where there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class IroRow:
    iro_id: int | None
    name: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def timeliness(self) -> float | None:
        return share(self.on_time, self.due)


@dataclass
class Timeliness:
    """The report's figures. Plain numbers and strings, so it is kept as JSON (`to_dict`)."""

    year: int
    as_at: date
    start: date
    end: date
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_yet_due: int = 0
    children_due: int = 0
    children_all_on_time: int = 0
    participation_reviews: int = 0
    participation_codes: dict[str, int] = field(default_factory=dict)
    in_care_at_start: int = 0
    in_care_at_end: int = 0
    started: int = 0
    ended: int = 0
    by_iro: list[IroRow] = field(default_factory=list)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def timeliness(self) -> float | None:
        return share(self.on_time, self.due)

    @property
    def late_share(self) -> float | None:
        return share(self.late, self.due)

    @property
    def missing_share(self) -> float | None:
        return share(self.missing, self.due)

    @property
    def children_all_on_time_share(self) -> float | None:
        return share(self.children_all_on_time, self.children_due)

    @property
    def counted_to(self) -> date:
        """The last day the report counts: the year's end, or the as-at date if earlier."""
        return min(self.end, self.as_at)

    @property
    def participated(self) -> int:
        return sum(self.participation_codes.get(c, 0) for c in PARTICIPATED)

    @property
    def participation_share(self) -> float | None:
        return share(self.participated, self.participation_reviews)

    @property
    def participation_table(self) -> list[tuple[str, str, int, float | None]]:
        """(code, meaning, count, share of the reviews) for every code, and any not recorded."""
        rows = [
            (code, label, self.participation_codes.get(code, 0))
            for code, label in codes.PARTICIPATION.items()
        ]
        blank = self.participation_codes.get("", 0)
        if blank:
            rows.append(("", "Not recorded", blank))
        return [(c, lab, n, share(n, self.participation_reviews)) for c, lab, n in rows]

    @property
    def total_row(self) -> IroRow:
        return IroRow(None, "All IROs", self.due, self.on_time, self.late, self.missing)

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("as_at", "start", "end"):
            data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Timeliness:
        data = dict(data)
        for key in ("as_at", "start", "end"):
            data[key] = date.fromisoformat(data[key])
        data["by_iro"] = [IroRow(**row) for row in data["by_iro"]]
        return cls(**data)


def _aged_at_least(years: int) -> Q:
    """On a queryset from `_with_ages`: the day is on or after the `years`th birthday."""
    return (
        Q(_years__gt=years)
        | Q(_years=years, _on_m__gt=F("_born_m"))
        | Q(_years=years, _on_m=F("_born_m"), _on_d__gte=F("_born_d"))
    )


def _with_ages(qs: QuerySet, on: str, born: str) -> QuerySet:
    """Years between the dates by calendar year, and each date's month and day (portable SQL)."""
    return qs.annotate(
        _years=ExtractYear(on) - ExtractYear(born),
        _on_m=ExtractMonth(on),
        _born_m=ExtractMonth(born),
        _on_d=ExtractDay(on),
        _born_d=ExtractDay(born),
    )


def timeliness(children: QuerySet, year: int, as_at: date) -> Timeliness:
    """The report for `year` as at `as_at`, over `children` (already scoped to the user)."""
    start, end = year_bounds(year)
    report = Timeliness(year=year, as_at=as_at, start=start, end=end)
    counted_to = min(end, as_at)
    scope = children.values("pk")
    last_missing_day = min(end, as_at - timedelta(days=1))

    # Held reviews that count, due in the year. Held by the as-at date: on time or late; held
    # after it: missing then if due before it, else not yet due.
    held_by = Q(held_on__lte=as_at)
    on_time = held_by & Q(on_time=True)
    late = held_by & Q(on_time=False)
    missing = Q(held_on__gt=as_at, due_on__lt=as_at)
    later = Q(held_on__gt=as_at, due_on__gte=as_at)
    held = Review.objects.filter(  # scoped: of `scope`
        child__in=scope, counts=True, held_on__isnull=False, due_on__gte=start, due_on__lte=end
    )

    # 1. Held reviews by IRO (the IRO who chaired, else the child's).
    iros: dict[int | None, IroRow] = {}
    for row in (
        held.annotate(iro=Coalesce("chaired_by", "child__current_iro"))
        .order_by()
        .values("iro")
        .annotate(
            n_on_time=Count("pk", filter=on_time),
            n_late=Count("pk", filter=late),
            n_missing=Count("pk", filter=missing),
            n_later=Count("pk", filter=later),
        )
    ):
        iros[row["iro"]] = IroRow(
            row["iro"], "", 0, row["n_on_time"], row["n_late"], row["n_missing"]
        )
        report.not_yet_due += row["n_later"]

    # 2. Reviews not held: a child's next review due in the year is missing if it was due before
    # the as-at date, else not yet due; it belongs to the child's current IRO.
    children_missing = 0
    missing_then = Q(next_review_due__lte=last_missing_day)
    for row in (
        children.filter(next_review_due__gte=start, next_review_due__lte=end)
        .order_by()
        .values("current_iro")
        .annotate(
            n_missing=Count("pk", filter=missing_then), n_later=Count("pk", filter=~missing_then)
        )
    ):
        iro = iros.setdefault(row["current_iro"], IroRow(row["current_iro"], ""))
        iro.missing += row["n_missing"]
        children_missing += row["n_missing"]
        report.not_yet_due += row["n_later"]

    # 3. Children with a review due, and those whose every due review was on time: per child over
    # their held reviews due, noting whether they also have a missing one from query 2.
    has_missing = Max(
        Case(
            When(
                child__next_review_due__gte=start,
                child__next_review_due__lte=last_missing_day,
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    per_child = (
        held.filter(~later)
        .order_by()
        .values("child")
        .annotate(not_on_time=Count("pk", filter=~on_time), has_missing=has_missing)
    )
    counts = per_child.aggregate(
        with_held=Count("child"),
        all_on_time=Count("child", filter=Q(not_on_time=0, has_missing=0)),
        also_missing=Count("child", filter=Q(has_missing=1)),
    )
    report.children_all_on_time = counts["all_on_time"]
    report.children_due = counts["with_held"] + children_missing - counts["also_missing"]

    # 4. Participation: reviews held in the year to the as-at date for children aged 4 or over.
    held_in_year = Review.objects.filter(  # scoped: of `scope`
        child__in=scope, counts=True, held_on__gte=start, held_on__lte=counted_to
    )
    aged = _with_ages(held_in_year, "held_on", "child__date_of_birth").filter(
        _aged_at_least(PARTICIPATION_MIN_AGE)
    )
    report.participation_codes = {
        row["participation_code"]: row["n"]
        for row in aged.order_by().values("participation_code").annotate(n=Count("pk"))
    }
    report.participation_reviews = sum(report.participation_codes.values())

    # 5. Children in care at the start (end of 31 March) and at the end, and the periods of care
    # started and ended in between, from the SSDA903 episodes.
    movement = (
        Episode.objects.filter(child__in=scope, decom__lte=counted_to)  # scoped: of `scope`
        .filter(Q(dec__isnull=True) | Q(dec__gte=start))
        .aggregate(
            at_start=Count("child", distinct=True, filter=_open_on(start - timedelta(days=1))),
            at_end=Count("child", distinct=True, filter=_open_on(counted_to)),
            started=Count("pk", filter=Q(rne="S", decom__gte=start)),
            ended=Count("pk", filter=Q(dec__lte=counted_to) & ~Q(rec="X1") & ~Q(rec="")),
        )
    )
    report.in_care_at_start = movement["at_start"]
    report.in_care_at_end = movement["at_end"]
    report.started = movement["started"]
    report.ended = movement["ended"]

    # 6. The IROs' names; the table in name order, children without an IRO last.
    people: dict[int | None, User] = {
        u.pk: u for u in User.objects.filter(pk__in=[k for k in iros if k is not None])
    }
    for key, iro_row in iros.items():
        iro_row.name = people[key].get_full_name() if key in people else NO_IRO
        iro_row.due = iro_row.on_time + iro_row.late + iro_row.missing
        report.on_time += iro_row.on_time
        report.late += iro_row.late
        report.missing += iro_row.missing
    named = [r for k, r in iros.items() if k in people and r.due]
    named.sort(key=lambda r: (people[r.iro_id].last_name, people[r.iro_id].first_name, r.iro_id))
    report.by_iro = named + [r for k, r in iros.items() if k not in people and r.due]
    return report


def _open_on(day: date) -> Q:
    """An episode open at the end of `day`: started by then, not ended by then."""
    return Q(decom__lte=day) & (Q(dec__isnull=True) | Q(dec__gt=day))

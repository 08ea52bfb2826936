"""Reads for the dispute pages: always through `visible_to(user, "disputes")`, with a fixed number
of queries however many disputes there are (no query per row)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from carereview.disputes import ladder
from carereview.disputes.models import Dispute, DisputeStep, Theme
from carereview.reviews.models import Decision

PURPOSE = "disputes"


def reporting_year(on: date) -> tuple[date, date]:
    """The reporting year (1 April to 31 March) that `on` falls in."""
    start_year = on.year if (on.month, on.day) >= (4, 1) else on.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def theme_labels(codes) -> list[str]:
    """The themes' labels, in the order of the list of themes."""
    chosen = set(codes or [])
    return [label for code, label in Theme.choices if code in chosen]


def decorate(step: DisputeStep, on: date, labels: dict[str, str] | None = None) -> DisputeStep:
    """Add the stage's label, whether it waits for a response and whether that is overdue."""
    labels = ladder.labels() if labels is None else labels
    step.stage_label = labels.get(step.stage, step.stage)
    step.waiting = step.closed_on is None and step.responded_on is None
    step.overdue = step.waiting and step.respond_by < on
    step.skipped_labels = [labels.get(code, code) for code in step.skipped or []]
    return step


def _with_open_step(disputes, labels, on):
    for dispute in disputes:
        dispute.current = None
        for step in getattr(dispute, "open_steps", []):
            dispute.current = decorate(step, on, labels)
        dispute.theme_labels = theme_labels(dispute.themes)
        dispute.age_days = (on - dispute.raised_on).days
    return disputes


def _open_steps(user):
    return Prefetch(
        "steps",
        queryset=DisputeStep.objects.visible_to(user, PURPOSE)
        .filter(closed_on__isnull=True)
        .select_related("addressee"),
        to_attr="open_steps",
    )


def dispute_for(user, dispute_id: int):
    """One dispute the user may see, with its child and the decision it is about; or None."""
    return (
        Dispute.objects.visible_to(user, PURPOSE)
        .select_related(
            "child",
            "child__current_iro",
            "child__current_social_worker",
            "raised_by",
            "decision",
            "decision__owner",
        )
        .filter(pk=dispute_id)
        .first()
    )


def timeline(dispute: Dispute, on: date) -> list[DisputeStep]:
    """The dispute's steps, oldest first, each with its stage label and overdue flag."""
    labels = ladder.labels()
    steps = dispute.steps.select_related("addressee", "opened_by", "responded_by").order_by(
        "opened_on", "id"
    )
    return [decorate(step, on, labels) for step in steps]


def step_for(user, step_id: int):
    """One step the user may see, with its dispute and child; or None."""
    return (
        DisputeStep.objects.visible_to(user, PURPOSE)
        .select_related("dispute", "dispute__child", "addressee", "opened_by")
        .filter(pk=step_id)
        .first()
    )


def child_decisions(user, child):
    """The child's decisions, for choosing the one a dispute is about (drifting ones first)."""
    return (
        Decision.objects.visible_to(user)
        .filter(review__child=child)
        .select_related("owner")
        .order_by("status", "due_on", "id")
    )


def child_disputes(user, child, on: date) -> list[Dispute]:
    """The child's disputes, newest first, each with its open step (for the child's page)."""
    labels = ladder.labels()
    disputes = (
        Dispute.objects.visible_to(user, PURPOSE)
        .filter(child=child)
        .prefetch_related(_open_steps(user))
        .order_by("-raised_on", "-id")
    )
    return _with_open_step(list(disputes), labels, on)


def my_steps(user, on: date) -> tuple[list[DisputeStep], list[DisputeStep]]:
    """The steps addressed to `user`: (waiting for their response, the rest), waiting ones by
    their respond-by date, the rest newest first."""
    labels = ladder.labels()
    steps = (
        DisputeStep.objects.visible_to(user, PURPOSE)
        .filter(addressee=user)
        .select_related("dispute", "dispute__child", "opened_by")
        .order_by("respond_by", "id")
    )
    decorated = [decorate(step, on, labels) for step in steps]
    waiting = [s for s in decorated if s.waiting]
    rest = sorted(
        (s for s in decorated if not s.waiting), key=lambda s: (s.opened_on, s.pk), reverse=True
    )
    return waiting, rest


@dataclass
class StageRow:
    stage: str
    label: str
    open_now: int = 0
    oldest_days: int | None = None
    reached: int = 0
    skipped: int = 0
    resolved: int = 0
    escalated: int = 0
    waiting: int = 0


@dataclass
class Overview:
    start: date
    end: date
    on: date
    open_disputes: list = field(default_factory=list)
    stages: list[StageRow] = field(default_factory=list)
    themes: list[tuple[str, int]] = field(default_factory=list)
    raised: int = 0
    resolved: int = 0
    still_open: int = 0
    resolved_in_period: int = 0
    cafcass: list = field(default_factory=list)

    @property
    def any_in_period(self) -> bool:
        return bool(self.raised or self.resolved_in_period or self.cafcass or self.reached_any)

    @property
    def reached_any(self) -> bool:
        return any(row.reached for row in self.stages)


def overview(user, start: date, end: date, on: date) -> Overview:
    """The IRO manager's view: open disputes now, by stage and age; and for the period, steps by
    stage and outcome, disputes raised by theme and by outcome, and Cafcass referrals."""
    labels = ladder.labels()
    result = Overview(start=start, end=end, on=on)
    rows: dict[str, StageRow] = {s.code: StageRow(s.code, s.label) for s in ladder.stages()}

    def row(code: str) -> StageRow:
        if code not in rows:  # a stage since taken out of the ladder
            rows[code] = StageRow(code, labels.get(code, code))
        return rows[code]

    disputes = Dispute.objects.visible_to(user, PURPOSE)
    open_now = _with_open_step(
        list(
            disputes.filter(status=Dispute.Status.OPEN)
            .select_related("child")
            .prefetch_related(_open_steps(user))
        ),
        labels,
        on,
    )
    positions = {s.code: s.position for s in ladder.stages()}
    open_now.sort(
        key=lambda d: (
            -positions.get(d.current.stage, -1) if d.current else 1,
            d.raised_on,
            d.pk,
        )
    )
    result.open_disputes = open_now
    for dispute in open_now:
        if dispute.current is None:
            continue
        r = row(dispute.current.stage)
        r.open_now += 1
        r.oldest_days = max(r.oldest_days or 0, dispute.age_days)

    steps = DisputeStep.objects.visible_to(user, PURPOSE).filter(opened_on__range=(start, end))
    for stage, outcome, skipped, closed_on in steps.values_list(
        "stage", "outcome", "skipped", "closed_on"
    ):
        r = row(stage)
        r.reached += 1
        if outcome == DisputeStep.Outcome.RESOLVED:
            r.resolved += 1
        elif outcome == DisputeStep.Outcome.ESCALATED:
            r.escalated += 1
        elif closed_on is None:
            r.waiting += 1
        for code in skipped or []:
            row(code).skipped += 1
    result.stages = list(rows.values())

    themes: Counter[str] = Counter()
    raised = disputes.filter(raised_on__range=(start, end))
    for dispute_themes, status in raised.values_list("themes", "status"):
        result.raised += 1
        if status == Dispute.Status.RESOLVED:
            result.resolved += 1
        else:
            result.still_open += 1
        themes.update(t for t in dict.fromkeys(dispute_themes or []))
    result.themes = [(label, themes.get(code, 0)) for code, label in Theme.choices]
    result.resolved_in_period = disputes.filter(resolved_on__range=(start, end)).count()
    result.cafcass = list(
        disputes.filter(cafcass_referred_on__range=(start, end))
        .select_related("child")
        .order_by("cafcass_referred_on", "id")
    )
    return result

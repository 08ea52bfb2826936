"""Write a generated authority into the database, in one transaction, in bulk.

The database ends exactly as if each child had been created and then passed through
`children.services.refresh_summary` (schedule, summary, midway check, placement-change events and
their audit events), but no query is made per child: the schedule engine runs on the generated
data in memory (`summarise`, the same `compute_schedule` call `refresh_summary` makes) and every
table is written with `bulk_create` in batches, each row already complete. 100,000 children
(about half a million reviews) load in a few minutes; `tests/test_synth.py` checks the result
against `refresh_summary` child by child.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from carereview.accounts.models import Role, Team, User
from carereview.allocation.models import (
    Allocation,
    IROAllocation,
    IROServiceNotice,
    SocialWorkerAllocation,
)
from carereview.children import codes
from carereview.children.models import Child, Episode, Person, Relationship
from carereview.children.services import adoption_ended_resumes, short_break_window_months
from carereview.core.authority import authority as authority_settings
from carereview.core.calendar import working_calendar
from carereview.core.models import AuditEvent
from carereview.engine import periods as engine_periods
from carereview.engine import schedule as engine_schedule
from carereview.engine.calendar import WorkingCalendar
from carereview.engine.midway import midway_check_due
from carereview.engine.timescales import first_iro_appointments, iro_service_told_by
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.followup.services import NO_REVIEW_LOOKBACK_DAYS, PLACEMENT_CHANGE_RNE
from carereview.reviews.models import ChecklistEntry, Meeting, Review

from .generator import Authority, SynthChild

BATCH = 5000


@dataclass
class ReviewSummary:
    """What `refresh_summary` stores on one held review."""

    counts: bool
    due_on: date | None
    on_time: bool | None
    regime: str
    sequence: int | None
    data_error: str


@dataclass
class ChildSummary:
    """What `refresh_summary` stores on the child, with its reviews' fields in held order, and
    the index of the review a midway check follows (and its due date), if one is made."""

    in_care: bool
    looked_after_since: date | None
    current_legal_status: str
    current_placement: str
    next_review_due: date | None
    reviews: list[ReviewSummary] = field(default_factory=list)
    midway_after: int | None = None
    midway_due: date | None = None
    event_episodes: list[int] = field(default_factory=list)


def summarise(child: SynthChild, as_at: date, calendar: WorkingCalendar) -> ChildSummary:
    """`refresh_summary` and `refresh_between_reviews` for one generated child, without the
    database: the engine's schedule and the summary, which review a midway check follows, and
    which episodes tell the IRO of a change of placement. Reviews and episodes are taken in the
    order the loader writes them (held date, and DECOM, then the order made), as the service
    reads them back."""
    order = sorted(range(len(child.episodes)), key=lambda i: child.episodes[i].decom)
    episodes = [child.episodes[i] for i in order]
    engine_episodes = [e.engine() for e in episodes]
    held = [r.held_on for r in child.reviews]
    window = short_break_window_months()
    result = engine_schedule.compute_schedule(
        engine_episodes,
        held,
        as_at,
        calendar,
        [],
        short_break_window_months=window,
        adoption_ended_resumes=adoption_ended_resumes(),
    )
    counted = {r.date: r for r in result.reviews}
    errors = {e.review_date: e.message for e in result.errors}
    seen: set[date] = set()
    reviews = []
    for day in held:
        found = counted.get(day) if day not in seen else None
        seen.add(day)
        reviews.append(
            ReviewSummary(
                counts=found is not None,
                due_on=found.due if found else None,
                on_time=found.on_time if found else None,
                regime=found.regime if found else "",
                sequence=found.sequence if found else None,
                data_error="" if found else errors.get(day, "Does not count")[:200],
            )
        )
    periods = engine_periods.periods_of_care(
        engine_periods.episodes_known_at(engine_episodes, as_at), short_break_window_months=window
    )
    open_period = engine_periods.period_open_at(periods, as_at)
    latest = episodes[-1] if episodes else None
    summary = ChildSummary(
        in_care=open_period is not None,
        looked_after_since=open_period.start if open_period else None,
        current_legal_status=latest.ls if (latest and open_period) else "",
        current_placement=latest.place if (latest and open_period) else "",
        next_review_due=result.next_due,
        reviews=reviews,
    )
    _midway(summary, held, as_at, calendar)
    # followup.services.record_episode_events: placement changes since the latest review held.
    done = [d for d in held if d <= as_at]
    since = max(done) if done else as_at - timedelta(days=NO_REVIEW_LOOKBACK_DAYS)
    summary.event_episodes = [
        i
        for i, e in zip(order, episodes, strict=True)
        if e.rne in PLACEMENT_CHANGE_RNE and since <= e.decom <= as_at
    ]
    return summary


def _midway(summary: ChildSummary, held: list[date], as_at: date, calendar) -> None:
    """followup.services.refresh_midway on a child with no midway check yet."""
    next_due = summary.next_review_due
    if next_due is None or not summary.in_care:
        return
    since = summary.looked_after_since
    candidates = [
        i
        for i, (day, r) in enumerate(zip(held, summary.reviews, strict=True))
        if r.counts and day <= as_at and (since is None or day >= since)
    ]
    if not candidates:
        return
    latest = max(candidates, key=lambda i: (held[i], i))
    if next_due <= held[latest]:
        return
    fraction = authority_settings().midway_fraction
    summary.midway_after = latest
    summary.midway_due = midway_check_due(held[latest], next_due, fraction)


def _event_details(e) -> str:
    return (
        f"New episode from {e.decom:%-d %B %Y}: "
        f"{codes.RNE.get(e.rne, e.rne)} "
        f"(placement {e.place}: {codes.PLACE.get(e.place, '')})."
    )


@transaction.atomic
def load(authority: Authority, *, password: str, progress=None) -> dict[str, int]:
    """Create the staff, teams, people and children of `authority`; returns counts made."""
    hashed = make_password(password)
    teams: dict[str | None, Team] = {
        t.name: Team.objects.create(name=t.name, kind=t.kind) for t in authority.teams
    }
    users: dict[str, User] = {}
    for s in authority.staff:
        users[s.key] = User.objects.create(
            username=s.username,
            first_name=s.first_name,
            last_name=s.last_name,
            email=f"{s.username}@northmoor.example.org",
            role=s.role,
            team=teams.get(s.team),
            fte=Decimal(str(s.fte)),
            password=hashed,
            job_title=Role(s.role).label,
        )
    for s in authority.staff:
        if s.line_manager:
            users[s.key].line_manager = users[s.line_manager]
            users[s.key].save(update_fields=["line_manager"])
    for t in authority.teams:
        if t.manager:
            teams[t.name].manager = users[t.manager]
            teams[t.name].save(update_fields=["manager"])

    calendar = working_calendar()
    as_at = authority.as_at
    total = len(authority.children)
    summaries = []
    for i, c in enumerate(authority.children, start=1):
        summaries.append(summarise(c, as_at, calendar))
        if progress and (i % 1000 == 0 or i == total):
            progress(i, total)

    people = Person.objects.bulk_create(
        [
            Person(
                first_name=p.first_name,
                last_name=p.last_name,
                phone=p.phone,
                email=p.email,
                address=p.address,
            )
            for p in authority.people
        ],
        batch_size=BATCH,
    )
    person_by_key = {p.key: obj for p, obj in zip(authority.people, people, strict=True)}

    children = Child.objects.bulk_create(
        [
            Child(
                la_child_id=c.key,
                upn=c.upn,
                first_name=c.first_name,
                last_name=c.last_name,
                date_of_birth=c.dob,
                sex=c.sex,
                ethnicity=c.ethnicity,
                first_language=c.language,
                has_disability=c.has_disability,
                disability_details=c.disability,
                profound_disability=c.profound,
                phone=c.phone,
                email=c.email,
                current_iro=users[c.iro[-1].person] if c.iro and not c.iro[-1].ended_on else None,
                current_social_worker=users[c.social_worker[-1].person]
                if c.social_worker
                else None,
                in_care=s.in_care,
                looked_after_since=s.looked_after_since,
                current_legal_status=s.current_legal_status,
                current_placement=s.current_placement,
                next_review_due=s.next_review_due,
            )
            for c, s in zip(authority.children, summaries, strict=True)
        ],
        batch_size=BATCH,
    )
    by_key = {c.key: obj for c, obj in zip(authority.children, children, strict=True)}

    # Episodes in DECOM order within each child, as the service reads them back (decom, id).
    episodes = Episode.objects.bulk_create(
        [
            Episode(
                child=by_key[c.key],
                decom=e.decom,
                rne=e.rne,
                ls=e.ls,
                cin=e.cin,
                place=e.place,
                place_provider=e.place_provider,
                dec=e.dec,
                rec=e.rec,
                reason_place_change=e.reason_place_change,
                home_post=e.home_post,
                pl_post=e.pl_post,
                urn=e.urn,
                placement_address=e.address,
                address_confidential=e.confidential,
            )
            for c in authority.children
            for e in c.episodes
        ],
        batch_size=BATCH,
    )
    iro_by_key = {c.key: users[c.iro[-1].person] for c in authority.children if c.iro}
    reviews = Review.objects.bulk_create(
        [
            Review(
                child=by_key[c.key],
                held_on=r.held_on,
                participation_code=r.code,
                chaired_by=iro_by_key.get(c.key),
                decisions_sent_on=r.decisions_sent_on,
                record_sent_on=r.record_sent_on,
                counts=f.counts,
                due_on=f.due_on,
                on_time=f.on_time,
                regime=f.regime,
                sequence=f.sequence,
                data_error=f.data_error,
            )
            for c, s in zip(authority.children, summaries, strict=True)
            for r, f in zip(c.reviews, s.reviews, strict=True)
        ],
        batch_size=BATCH,
    )
    # Each review held at a meeting that day (rules.md §3, ours: the date held is its meeting's).
    Meeting.objects.bulk_create(
        [
            Meeting(review=r, on=r.held_on, at=time(10), status=Meeting.Status.HELD)
            for r in reviews
            if r.held_on is not None
        ],
        batch_size=BATCH,
    )
    Relationship.objects.bulk_create(
        [
            Relationship(
                child=by_key[c.key],
                person=person_by_key[link.person],
                kind=link.kind,
                parental_responsibility=link.parental_responsibility,
                description=link.description,
            )
            for c in authority.children
            for link in c.links
        ],
        batch_size=BATCH,
    )
    through = Child.siblings.through
    through.objects.bulk_create(
        [
            through(from_child=by_key[c.key], to_child=by_key[s])
            for c in authority.children
            for s in c.siblings
        ],
        batch_size=BATCH,
    )
    first_iros = _first_iros(authority, calendar)
    kinds: tuple[tuple[type[Allocation], str, str], ...] = (
        (IROAllocation, "iro", "iro"),
        (SocialWorkerAllocation, "social_worker", "social_worker"),
    )
    for model, attr, fk in kinds:
        model._default_manager.bulk_create(
            [
                model(
                    child=by_key[c.key],
                    started_on=a.started_on,
                    ended_on=a.ended_on,
                    reason=a.reason,
                    **{fk: users[a.person]},
                    **(first_iros.get((c.key, i), {}) if model is IROAllocation else {}),
                )
                for c in authority.children
                for i, a in enumerate(getattr(c, attr))
            ],
            batch_size=BATCH,
        )
    IROServiceNotice.objects.bulk_create(
        _iro_service_notices(authority, by_key, calendar), batch_size=BATCH
    )
    _looked_after_parents(authority, by_key, users)

    _between_reviews(authority, summaries, children, episodes, reviews)
    booked = book_upcoming(children, as_at=as_at, calendar=calendar)
    return {
        "staff": len(users),
        "teams": len(teams),
        "children": len(children),
        "people": len(people),
        "reviews": len(reviews),
        "episodes": len(episodes),
        "booked": booked,
    }


def _between_reviews(authority, summaries, children, episodes, reviews) -> None:
    """The midway checks and placement-change events `refresh_between_reviews` makes, with the
    audit events it records, child by child in the same order (so the same ids)."""
    checks: list[MidwayCheck] = []
    events: list[SignificantEvent] = []
    order: list[tuple[str, int]] = []  # ("midway" | "event", index), in the order made
    first_episode = first_review = 0
    for c, s, child in zip(authority.children, summaries, children, strict=True):
        if s.midway_after is not None:
            order.append(("midway", len(checks)))
            checks.append(
                MidwayCheck(
                    child=child,
                    after_review=reviews[first_review + s.midway_after],
                    due_on=s.midway_due,
                )
            )
        for i in s.event_episodes:
            e = c.episodes[i]
            order.append(("event", len(events)))
            events.append(
                SignificantEvent(
                    child=child,
                    kind=SignificantEvent.Kind.PLACEMENT_CHANGE,
                    source=SignificantEvent.Source.EPISODE,
                    occurred_on=e.decom,
                    details=_event_details(e),
                    reported_by=None,
                    episode=episodes[first_episode + i],
                )
            )
        first_episode += len(c.episodes)
        first_review += len(c.reviews)
    checks = MidwayCheck.objects.bulk_create(checks, batch_size=BATCH)
    events = SignificantEvent.objects.bulk_create(events, batch_size=BATCH)
    audits = []
    for kind, i in order:
        if kind == "midway":
            check = checks[i]
            audits.append(
                AuditEvent(
                    actor=None,
                    operation="midway.create",
                    object_type=MidwayCheck._meta.label,
                    object_id=str(check.pk),
                    snapshot={
                        "child": check.child_id,
                        "review": check.after_review_id,
                        "due_on": check.due_on.isoformat(),
                    },
                )
            )
        else:
            event = events[i]
            audits.append(
                AuditEvent(
                    actor=None,
                    operation="event.report",
                    object_type=SignificantEvent._meta.label,
                    object_id=str(event.pk),
                    snapshot={
                        "child": event.child_id,
                        "kind": event.kind,
                        "source": event.source,
                        "occurred_on": event.occurred_on.isoformat(),
                        "episode": event.episode_id,
                        "details_length": len(event.details),
                    },
                )
            )
    AuditEvent.objects.bulk_create(audits, batch_size=BATCH)


def book_upcoming(children, *, as_at, calendar, horizon_days: int = 42, seed: int = 0) -> int:
    """Book most reviews due in the next six weeks, as a service would have: a meeting on a
    working day shortly before the due date, the social worker contacted where that was due."""
    rng = random.Random(seed)
    planned = []
    for child in children:
        due = child.next_review_due
        if not (child.in_care and child.current_iro_id and due):
            continue
        if not (as_at < due <= as_at + timedelta(days=horizon_days)) or rng.random() < 0.25:
            continue
        on = calendar.last_working_day_on_or_before(due - timedelta(days=rng.choice([0, 1, 3, 7])))
        if on <= as_at:
            continue
        review = Review(
            child=child,
            due_when_booked=due,
            booked_by_id=child.current_iro_id,
            chaired_by_id=child.current_iro_id,
        )
        meeting = Meeting(
            on=on,
            at=time(rng.choice([9, 10, 11, 14, 15]), 30),
            venue=rng.choice(["The child's home", "School", "Family centre", "Northmoor House"]),
        )
        entry = None
        contact_by = calendar.subtract_working_days(on, 15)
        if contact_by <= as_at:
            entry = ChecklistEntry(
                item=ChecklistEntry.Item.SOCIAL_WORKER_CONTACT,
                done_on=min(as_at, contact_by + timedelta(days=rng.choice([-3, -1, 0, 2]))),
                recorded_by_id=child.current_iro_id,
            )
        planned.append((review, meeting, entry))
    reviews = Review.objects.bulk_create([r for r, _, _ in planned], batch_size=BATCH)
    meetings, entries = [], []
    for review, (_, meeting, entry) in zip(reviews, planned, strict=True):
        meeting.review = review
        meetings.append(meeting)
        if entry is not None:
            entry.review = review
            entries.append(entry)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    ChecklistEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(planned)


def _periods(c):
    return engine_periods.periods_of_care(
        sorted((e.engine() for e in c.episodes), key=_decom),
        short_break_window_months=short_break_window_months(),
    )


def _decom(e):
    return e.decom


def _first_iros(authority, calendar) -> dict:
    """(child key, index of IRO allocation) -> (appoint by, in time): allocation.services'
    mark_appointments over the generated dates (rules.md §4, within 5 working days)."""
    days = authority_settings().iro_appointment_working_days
    found = {}
    for c in authority.children:
        if not c.iro:
            continue
        marks = first_iro_appointments(
            [(p.start, p.end) for p in _periods(c)],
            [((c.key, i), a.started_on, a.ended_on) for i, a in enumerate(c.iro)],
            calendar,
            days,
        )
        found.update(
            {k: {"appoint_by": by, "appointed_in_time": ok} for k, (by, ok) in marks.items()}
        )
    return found


def _iro_service_notices(authority, by_key, calendar) -> list:
    """The IRO service told of each period of care (rules.md §4, within IRO_TOLD_WORKING_DAYS):
    mostly on the day or within 2 working days, about one in fifteen later. Each drawn from its
    own generator, so the rest of the authority is unchanged for a seed."""
    days = authority_settings().iro_told_working_days
    notices = []
    for c in authority.children:
        for p in _periods(c):
            if p.start > authority.as_at:
                continue
            own = random.Random(f"iro-told:{c.key}:{p.start}")
            after = own.randint(3, 5) if own.random() < 0.07 else own.randint(0, 2)
            told = calendar.add_working_days(p.start, after) if after else p.start
            notices.append(
                IROServiceNotice(
                    child=by_key[c.key],
                    looked_after_from=p.start,
                    told_by=iro_service_told_by(p.start, calendar, days),
                    told_on=min(told, authority.as_at),
                )
            )
    return notices


def _looked_after_parents(authority, by_key, users) -> None:
    """A case or two for the demo: a looked-after young woman of 16 or over recorded as the
    mother of a looked-after baby, with a different IRO (rules.md §4)."""
    as_at = authority.as_at
    in_care = [c for c in authority.children if by_key[c.key].in_care and c.iro]
    mothers = [c for c in in_care if c.sex == "F" and (as_at - c.dob).days >= 16 * 365]
    babies = [c for c in in_care if (as_at - c.dob).days < 2 * 365]
    through = Child.looked_after_parents.through
    links = []
    linked: set[str] = set()
    for mother in mothers:
        baby = next(
            (
                b
                for b in babies
                if b.key not in linked
                and b.iro[-1].person != mother.iro[-1].person
                and b.key not in mother.siblings
            ),
            None,
        )
        if baby is not None:
            linked.add(baby.key)
            links.append(through(from_child=by_key[baby.key], to_child=by_key[mother.key]))
        if len(links) == 2:
            break
    through.objects.bulk_create(links)

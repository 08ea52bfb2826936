"""Write a generated authority into the database, in one transaction, in bulk."""

from __future__ import annotations

import random
from datetime import time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from carereview.accounts.models import Team, User
from carereview.allocation.models import IROAllocation, SocialWorkerAllocation
from carereview.children.models import Child, Episode, Person, Relationship
from carereview.children.services import refresh_summary
from carereview.core.calendar import working_calendar
from carereview.reviews.models import ChecklistEntry, Meeting, Review

from .generator import Authority

BATCH = 2000


@transaction.atomic
def load(authority: Authority, *, password: str, progress=None) -> dict[str, int]:
    """Create the staff, teams, people and children of `authority`; returns counts made."""
    hashed = make_password(password)
    teams = {t.name: Team.objects.create(name=t.name, kind=t.kind) for t in authority.teams}
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
            job_title=dict(User._meta.get_field("role").choices)[s.role],
        )
    for s in authority.staff:
        if s.line_manager:
            users[s.key].line_manager = users[s.line_manager]
            users[s.key].save(update_fields=["line_manager"])
    for t in authority.teams:
        if t.manager:
            teams[t.name].manager = users[t.manager]
            teams[t.name].save(update_fields=["manager"])

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
            )
            for c in authority.children
        ],
        batch_size=BATCH,
    )
    by_key = {c.key: obj for c, obj in zip(authority.children, children, strict=True)}

    Episode.objects.bulk_create(
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
    Review.objects.bulk_create(
        [
            Review(
                child=by_key[c.key],
                held_on=r.held_on,
                participation_code=r.code,
                chaired_by=iro_by_key.get(c.key),
                decisions_sent_on=r.decisions_sent_on,
                record_sent_on=r.record_sent_on,
            )
            for c in authority.children
            for r in c.reviews
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
    for model, attr, field in (
        (IROAllocation, "iro", "iro"),
        (SocialWorkerAllocation, "social_worker", "social_worker"),
    ):
        model.objects.bulk_create(
            [
                model(
                    child=by_key[c.key],
                    started_on=a.started_on,
                    ended_on=a.ended_on,
                    reason=a.reason,
                    **{field: users[a.person]},
                )
                for c in authority.children
                for a in getattr(c, attr)
            ],
            batch_size=BATCH,
        )

    calendar = working_calendar()
    total = len(children)
    for i, child in enumerate(children, start=1):
        refresh_summary(child, as_at=authority.as_at, calendar=calendar)
        if progress and (i % 100 == 0 or i == total):
            progress(i, total)
    booked = book_upcoming(children, as_at=authority.as_at, calendar=calendar)
    return {
        "staff": len(users),
        "teams": len(teams),
        "children": len(children),
        "people": len(people),
        "reviews": sum(len(c.reviews) for c in authority.children),
        "episodes": sum(len(c.episodes) for c in authority.children),
        "booked": booked,
    }


def book_upcoming(children, *, as_at, calendar, horizon_days: int = 42, seed: int = 0) -> int:
    """Book most reviews due in the next six weeks, as a service would have: a meeting on a
    working day shortly before the due date, the social worker contacted where that was due."""
    rng = random.Random(seed)
    booked = 0
    for child in children:
        due = child.next_review_due
        if not (child.in_care and child.current_iro_id and due):
            continue
        if not (as_at < due <= as_at + timedelta(days=horizon_days)) or rng.random() < 0.25:
            continue
        on = calendar.last_working_day_on_or_before(due - timedelta(days=rng.choice([0, 1, 3, 7])))
        if on <= as_at:
            continue
        review = Review.objects.create(
            child=child,
            due_when_booked=due,
            booked_by=child.current_iro,
            chaired_by=child.current_iro,
        )
        Meeting.objects.create(
            review=review,
            on=on,
            at=time(rng.choice([9, 10, 11, 14, 15]), 30),
            venue=rng.choice(["The child's home", "School", "Family centre", "Northmoor House"]),
        )
        contact_by = calendar.subtract_working_days(on, 15)
        if contact_by <= as_at:
            ChecklistEntry.objects.create(
                review=review,
                item=ChecklistEntry.Item.SOCIAL_WORKER_CONTACT,
                done_on=min(as_at, contact_by + timedelta(days=rng.choice([-3, -1, 0, 2]))),
                recorded_by=child.current_iro,
            )
        booked += 1
    return booked

"""Builders for tests: a small synthetic service with one person in every role, and children.

Used by the unit tests and the browser tests alike. Only synthetic people.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from carereview.accounts.models import Role, Team, User
from carereview.allocation.models import IROAllocation, SocialWorkerAllocation
from carereview.children.models import Child, Episode, Person, Relationship
from carereview.children.services import refresh_summary
from carereview.reviews.models import Consultation, Exclusion, Invitation, Meeting, Review

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test-only


def date_parts(name: str, day: date | None) -> dict[str, str]:
    """What the GOV.UK date input posts for `day`: `{name}_day`, `_month` and `_year`, as a
    person types them (no leading zeros); three empty boxes for None."""
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def make_user(username: str, role: str, team: Team | None = None, **extra) -> User:
    user = User(
        username=username,
        first_name=extra.pop("first_name", username.split(".")[0].title()),
        last_name=extra.pop("last_name", "Testington"),
        role=role,
        team=team,
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@dataclass
class Service:
    iro_manager: User
    iro: User
    iro2: User
    conflicted_iro: User
    team_manager: User
    social_worker: User
    social_worker2: User
    other_team_manager: User
    other_social_worker: User
    # The upper rungs of the dispute ladder: tara.manager's line manager, theirs, and theirs.
    service_manager: User
    head_of_service: User
    director: User
    business_support: User
    complaints_manager: User
    administrator: User

    def by_role(self) -> dict[str, User]:
        return {
            Role.IRO: self.iro,
            Role.IRO_MANAGER: self.iro_manager,
            Role.SOCIAL_WORKER: self.social_worker,
            Role.TEAM_MANAGER: self.team_manager,
            Role.SENIOR_MANAGER: self.service_manager,
            Role.BUSINESS_SUPPORT: self.business_support,
            Role.COMPLAINTS_MANAGER: self.complaints_manager,
            Role.ADMINISTRATOR: self.administrator,
        }


def make_service() -> Service:
    iro_team = Team.objects.create(name="IRO Service", kind=Team.Kind.IRO_SERVICE)
    manager = make_user("ivy.manager", Role.IRO_MANAGER, iro_team, last_name="Quillbrook")
    iro_team.manager = manager
    iro_team.save()
    iro = make_user("ian.iro", Role.IRO, iro_team, line_manager=manager, last_name="Applewood")
    iro2 = make_user(
        "irene.iro",
        Role.IRO,
        iro_team,
        line_manager=manager,
        fte=Decimal("0.5"),
        last_name="Brackenby",
    )
    conflicted = make_user(
        "connor.iro", Role.IRO, iro_team, line_manager=manager, last_name="Cobblewick"
    )
    director = make_user("dara.director", Role.SENIOR_MANAGER, last_name="Elmsworth")
    head = make_user("hal.head", Role.SENIOR_MANAGER, line_manager=director, last_name="Fairholm")
    service_manager = make_user(
        "sian.service", Role.SENIOR_MANAGER, line_manager=head, last_name="Gorsedale"
    )
    sw_team = Team.objects.create(name="Children in Care North", kind=Team.Kind.SOCIAL_WORK)
    tm = make_user(
        "tara.manager",
        Role.TEAM_MANAGER,
        sw_team,
        last_name="Dapplegrove",
        line_manager=service_manager,
    )
    sw_team.manager = tm
    sw_team.save()
    # The conflicted IRO line-manages this social worker (a dual role): CPPCR Part 8 conflict.
    sw = make_user("sam.worker", Role.SOCIAL_WORKER, sw_team, line_manager=conflicted)
    sw2 = make_user("sid.worker", Role.SOCIAL_WORKER, sw_team, line_manager=tm)
    other_team = Team.objects.create(name="Permanence", kind=Team.Kind.SOCIAL_WORK)
    other_tm = make_user("olga.manager", Role.TEAM_MANAGER, other_team)
    other_team.manager = other_tm
    other_team.save()
    other_sw = make_user("omar.worker", Role.SOCIAL_WORKER, other_team, line_manager=other_tm)
    support = Team.objects.create(name="Business Support", kind=Team.Kind.SUPPORT)
    return Service(
        iro_manager=manager,
        iro=iro,
        iro2=iro2,
        conflicted_iro=conflicted,
        team_manager=tm,
        social_worker=sw,
        social_worker2=sw2,
        other_team_manager=other_tm,
        other_social_worker=other_sw,
        service_manager=service_manager,
        head_of_service=head,
        director=director,
        business_support=make_user("bea.support", Role.BUSINESS_SUPPORT, support),
        complaints_manager=make_user("cal.complaints", Role.COMPLAINTS_MANAGER, support),
        administrator=make_user("ada.admin", Role.ADMINISTRATOR, support),
    )


_counter = {"n": 0}


def make_child(
    *,
    iro: User | None = None,
    social_worker: User | None = None,
    start: date | None = None,
    reviews: Sequence[date] = (),
    first_name: str = "Robin",
    last_name: str | None = None,
    dob: date = date(2014, 5, 14),
    as_at: date | None = None,
    confidential: bool = False,
) -> Child:
    _counter["n"] += 1
    n = _counter["n"]
    start = start or (date.today() - timedelta(days=100))
    child = Child.objects.create(
        la_child_id=f"T{n:05d}",
        first_name=first_name,
        last_name=last_name or f"Fernhollow{n}",
        date_of_birth=dob,
        sex="F",
        ethnicity="WBRI",
        current_iro=iro,
        current_social_worker=social_worker,
    )
    Episode.objects.create(
        child=child,
        decom=start,
        rne="S",
        ls="C2",
        cin="N1",
        place="U4",
        place_provider="PR1",
        placement_address="1 Example Lane\nNorthmoor\nNM1 1AA",
        address_confidential=confidential,
    )
    if iro:
        IROAllocation.objects.create(child=child, iro=iro, started_on=start)
    if social_worker:
        SocialWorkerAllocation.objects.create(
            child=child, social_worker=social_worker, started_on=start
        )
    for held in reviews:
        # History: its decisions and record went out at the time.
        Review.objects.create(
            child=child,
            held_on=held,
            participation_code="PN1",
            decisions_sent_on=held,
            record_sent_on=held,
        )
    mother = Person.objects.create(first_name="Morgan", last_name=child.last_name)
    Relationship.objects.create(
        child=child, person=mother, kind=Relationship.Kind.MOTHER, parental_responsibility=True
    )
    refresh_summary(child, as_at=as_at)
    return child


@dataclass
class ReviewObjects:
    review: Review
    meeting: Meeting
    consultation: Consultation
    invitation: Invitation
    exclusion: Exclusion


def make_review_objects(child: Child, by: User) -> ReviewObjects:
    """A booked review of `child` with one of everything: meeting, consultation form sent,
    the mother invited, a second parent excluded. Through the services, as a user would."""
    from datetime import time

    from carereview.documents import services as document_services
    from carereview.reviews import services

    meeting = services.book_meeting(
        child, by=by, on=date.today() + timedelta(days=10), at=time(10), venue="Family centre"
    )
    review = meeting.review
    consultation = document_services.send_consultation(review, by=by)
    services.invite(
        review,
        by=by,
        keys=["child"] + [f"person-{r.person_id}" for r in child.relationships.all()],
        method="letter",
    )
    invitation = review.invitations.exclude(for_child=True).first()
    assert invitation is not None, "the child's people are invited"
    father = Person.objects.create(first_name="Frankie", last_name=child.last_name)
    Relationship.objects.create(
        child=child, person=father, kind=Relationship.Kind.FATHER, parental_responsibility=True
    )
    exclusion = services.exclude_parent(review, by=by, person=father, reason="A court order")
    return ReviewObjects(review, meeting, consultation, invitation, exclusion)

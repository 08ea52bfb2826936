"""A held review with every kind of recipient: the child, a mother, an excluded father, a carer,
a grandmother (another significant person), the social worker and the IRO. The child's placement
address is confidential from parents; the IRO has checked and confirmed the parents' versions
(documents.release), so a test that changes the text afterwards confirms again."""

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from carereview.children.models import Child, Person, Relationship
from carereview.children.services import refresh_summary
from carereview.core.testing import Service, make_child
from carereview.documents.testing import confirm_parents_versions
from carereview.reviews.models import (
    Decision,
    Exclusion,
    Invitation,
    MatterConsidered,
    Meeting,
    Review,
)

ADDRESS_LINE = "1 Example Lane"
POSTCODE = "NM1 1AA"
HIDDEN_FROM_MOTHER = "Supervised family time continues after the concern raised in June."
HIDDEN_FROM_CARER = "The carer's own assessment is still under way."


@dataclass
class Case:
    child: Child
    review: Review
    mother: Person
    father: Person
    carer: Person
    gran: Person
    exclusion: Exclusion
    invitations: dict[str, Invitation]
    service: Service


@pytest.fixture
def case(service) -> Case:
    iro = service.iro
    iro.email, iro.phone = "ian.applewood@northmoor.example.org", "01632 960123"
    iro.save()
    sw = service.social_worker
    sw.email = "sam.worker@northmoor.example.org"
    sw.save()
    today = date.today()
    child = make_child(
        iro=iro,
        social_worker=sw,
        first_name="Robin",
        last_name="Quenby",
        confidential=True,
        start=today - timedelta(days=120),
    )
    child.email = "robin@example.org"
    child.save()
    mother = child.relationships.get(kind="mother").person
    mother.email = "morgan@example.org"
    mother.address = "22 Other Road\nSouthdale\nSD2 2BB"
    mother.save()
    father = Person.objects.create(first_name="Felix", last_name="Quenby", email="f@example.org")
    carer = Person.objects.create(first_name="Cara", last_name="Holt", email="cara@example.org")
    gran = Person.objects.create(first_name="Greta", last_name="Quenby", email="g@example.org")
    Relationship.objects.create(child=child, person=father, kind="father")
    Relationship.objects.create(child=child, person=carer, kind="carer")
    Relationship.objects.create(
        child=child, person=gran, kind="significant", description="grandmother"
    )

    held = today - timedelta(days=7)
    review = Review.objects.create(
        child=child,
        held_on=held,
        chaired_by=iro,
        participation_code="PN1",
        wishes_and_feelings="I like living with Cara. I want to see my gran more.",
        parents_views="Morgan wants more family time.",
    )
    refresh_summary(child)
    child.refresh_from_db()
    review.refresh_from_db()

    # Created out of Schedule 7 order on purpose.
    MatterConsidered.objects.create(
        review=review, matter="health", iro_view="Health assessment up to date."
    )
    MatterConsidered.objects.create(
        review=review,
        matter="education",
        iro_view=f"Robin walks to school from {ADDRESS_LINE} and is settled in year 5.",
    )
    contact = MatterConsidered.objects.create(
        review=review, matter="contact", iro_view=HIDDEN_FROM_MOTHER
    )
    contact.hidden_from.add(mother)
    leisure = MatterConsidered.objects.create(
        review=review, matter="leisure", iro_view=HIDDEN_FROM_CARER
    )
    leisure.hidden_from.add(carer)
    MatterConsidered.objects.create(
        review=review, matter="changes", iro_view="Last review's decisions were all done."
    )

    Decision.objects.create(
        review=review,
        text="Robin will start swimming lessons",
        owner_description="the foster carer",
        due_on=today + timedelta(days=30),
    )
    Decision.objects.create(
        review=review,
        text="Plan a day out with Gran",
        owner=sw,
        due_on=today + timedelta(days=40),
    )
    Decision.objects.create(
        review=review,
        text="Check the school plan is working",
        owner=iro,
        due_on=today + timedelta(days=60),
    )

    Meeting.objects.create(
        review=review,
        on=today + timedelta(days=3),
        at=time(10, 30),
        venue=f"Foster home, {ADDRESS_LINE}, Northmoor, {POSTCODE}",
    )
    Meeting.objects.create(
        review=review, on=today + timedelta(days=4), at=time(14, 0), venue="Northmoor Library"
    )
    Meeting.objects.create(
        review=review,
        on=today + timedelta(days=5),
        at=time(9, 0),
        venue="Old Town Hall",
        status=Meeting.Status.CANCELLED,
    )

    invitations = {
        "child": Invitation.objects.create(
            review=review, for_child=True, role="The child", attendance="attended"
        ),
        "mother": Invitation.objects.create(
            review=review, person=mother, role="Mother", attendance="attended", method="both"
        ),
        "carer": Invitation.objects.create(
            review=review, person=carer, role="Carer", attendance="apologies", method="both"
        ),
        "gran": Invitation.objects.create(
            review=review, person=gran, role="Grandmother", attendance="absent", method="email"
        ),
        "sw": Invitation.objects.create(
            review=review, staff=sw, role="Social worker", attendance="attended", method="email"
        ),
    }
    exclusion = Exclusion.objects.create(
        review=review,
        person=father,
        reason="The court has ordered that Felix has no contact with Robin at present.",
        decided_by=iro,
        decided_on=today - timedelta(days=20),
        separate_meeting_offered_on=today - timedelta(days=19),
    )
    confirm_parents_versions(review, iro)
    return Case(child, review, mother, father, carer, gran, exclusion, invitations, service)


def word_every_decision_for_the_child(case: Case) -> None:
    """The IRO writes each decision in the child's words (issue 12 item 24), as they must before
    the decisions or the record can be sent."""
    from carereview.reviews import services

    wordings = {d.pk: f"In your words: {d.text}" for d in case.review.decisions.all()}
    services.save_child_wording(case.review, by=case.service.iro, wordings=wordings)

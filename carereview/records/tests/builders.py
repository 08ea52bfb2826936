"""A child's record with one of everything, and a brother who stays: for the deletion tests.

The child's names are unusual on purpose: after the deletion, no text column of any table may still
hold them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from carereview.breakglass.models import BreakGlassGrant
from carereview.children.models import Child, Person, Relationship
from carereview.core import audit
from carereview.core.models import AccessEvent
from carereview.core.testing import make_child, make_review_objects
from carereview.disputes import services as disputes
from carereview.disputes.models import Theme
from carereview.documents import copies
from carereview.documents import services as document_services
from carereview.documents.models import HeldCopy
from carereview.documents.records import recipient_of_child
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.notifications import outbox
from carereview.portal.models import PortalAccess
from carereview.portal.testing import make_portal_objects, make_portal_user
from carereview.reviews.models import (
    ChecklistEntry,
    ConsultationAnswer,
    Decision,
    DecisionUpdate,
    Dispatch,
    EarlierReviewRequirement,
    MatterConsidered,
)

FIRST = "Quillanthe"
LAST = "Zarethwick"
MOTHER_FIRST = "Morvenna"


@dataclass
class Family:
    child: Child  # the record that goes
    brother: Child  # stays
    shared: Person  # related to both: stays
    aunt_access: PortalAccess  # the shared person's portal access for the brother: stays


def full_record(service, *, dob: date = date(1948, 2, 29), died: date | None = None) -> Family:
    """A child (to be deleted) with reviews, decisions, a dispute, portal accounts, requests,
    checks, events, access and audit entries and messages; their brother and a person they share
    stay."""
    child = make_child(
        iro=service.iro,
        social_worker=service.social_worker,
        start=date.today() - timedelta(days=400),
        reviews=[date.today() - timedelta(days=200), date.today() - timedelta(days=20)],
        first_name=FIRST,
        last_name=LAST,
        dob=dob,
    )
    Child.objects.filter(pk=child.pk).update(
        date_of_death=died, email="quillanthe@example.com", preferred_name="Qwyll"
    )
    child.refresh_from_db()
    mother = child.relationships.get().person
    Person.objects.filter(pk=mother.pk).update(first_name=MOTHER_FIRST, email="m@example.com")
    mother.refresh_from_db()
    brother = make_child(
        iro=service.iro, social_worker=service.social_worker, first_name="Ned", last_name="Ollerby"
    )
    child.siblings.add(brother)
    # Issue 12: the record's child is the looked-after parent of a child who stays.
    son = make_child(first_name="Pip", last_name="Ollerby")
    son.looked_after_parents.add(child)
    shared = Person.objects.create(first_name="Cara", last_name="Ollerby", email="cara@example.com")
    for someone in (child, brother):
        Relationship.objects.create(
            child=someone, person=shared, kind=Relationship.Kind.CARER, description="foster carer"
        )

    held = child.reviews.order_by("held_on").last()
    assert held is not None
    objects = make_review_objects(child, by=service.iro)
    decision = Decision.objects.create(
        review=held,
        text=f"{FIRST} to see {MOTHER_FIRST} monthly",
        owner=service.social_worker,
        due_on=date.today() + timedelta(days=30),
    )
    DecisionUpdate.objects.create(
        decision=decision, status="in_progress", note="Started", by=service.social_worker
    )
    matter = MatterConsidered.objects.create(review=held, matter="health", iro_view="Well")
    matter.hidden_from.add(mother)
    ChecklistEntry.objects.create(
        review=objects.review, item="sw_contact", done_on=date.today(), recorded_by=service.iro
    )
    question = objects.consultation.form.questions.first()
    if question is not None:
        ConsultationAnswer.objects.create(
            consultation=objects.consultation, question=question, answer="Fine"
        )
    Dispatch.objects.create(
        review=held,
        kind="decisions",
        recipient=MOTHER_FIRST,
        person=mother,
        method="letter",
        sent_on=date.today(),
        sent_by=service.iro,
    )
    earlier = EarlierReviewRequirement.objects.create(
        child=child,
        reason=EarlierReviewRequirement.Reason.IRO_REQUEST,
        required_by=date.today() + timedelta(days=10),
        recorded_by=service.iro,
    )
    MidwayCheck.objects.update_or_create(
        after_review=held,
        defaults={"child": child, "due_on": date.today(), "earlier_review": earlier},
    )
    SignificantEvent.objects.create(
        child=child,
        kind=SignificantEvent.Kind.S47,
        source=SignificantEvent.Source.SOCIAL_WORKER,
        occurred_on=date.today(),
        details=f"{FIRST} moved school",
        episode=child.episodes.exclude(
            pk__in=SignificantEvent.objects.filter(episode__isnull=False).values("episode")
        ).first(),
        earlier_review=earlier,
    )
    dispute = disputes.raise_dispute(
        child,
        service.iro,
        summary=f"Contact for {FIRST}",
        message="Please arrange contact",
        themes=[Theme.CONTACT],
        decision=decision,
    )
    assert dispute.steps.exists()
    # The IRO checked the mother's version of the held review (ADR 0009), and an email of it waits.
    copy = copies.review_copy(held, recipient_of_child(child, mother))
    document_services.confirm(copy, by=service.iro, read_hash=copy.hash)
    HeldCopy.objects.create(
        review=held,
        invitation=objects.review.invitations.filter(person=mother).first()
        or held.invitations.create(person=mother),
        kind="record",
        email="m@example.com",
    )

    # The portal: the mother (with a visit request, a representation, an advocacy request and a
    # link for the child), then the child's own sign-in with a second factor.
    portal = make_portal_objects(child, service)
    # A new sign-in link for the mother at an address she has not used: she is told at hers,
    # and those notices name her (they go with the child's record too).
    from carereview.portal import services as portal_services

    portal_services.send_new_sign_in_link(
        portal.access,
        by=service.social_worker,
        channel="email",
        sent_to="elsewhere@example.net",
        base_url="http://testserver",
    )
    child_access, child_user = make_portal_user(child, by=service.iro, username="qwyll.z")
    TOTPDevice.objects.create(user=child_user, name="phone")
    audit.record_change(child_user, "portal.second_factor.on", child_user, {})
    AccessEvent.objects.create(
        user=portal.user, child=child, action="portal: read the plan", path="/portal/"
    )
    # The carer uses the portal for the brother only.
    aunt_access, _ = make_portal_user(brother, by=service.iro, person=shared)

    AccessEvent.objects.create(
        user=service.iro, child=child, action="viewed the child's page", path="/x"
    )
    # Break-glass (issue 7, item 4): a manager's grant to read the record.
    BreakGlassGrant.objects.create(
        user=service.iro,
        child=child,
        reason=f"Checking {FIRST}'s placement out of hours",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    AccessEvent.objects.create(
        user=service.iro, child=brother, action="viewed the child's page", path="/y"
    )
    outbox.notify(
        f"test-reminder:{child.pk}",
        user=service.iro,
        to="ian@example.org",
        subject=f"Reminder: {FIRST}",
        body=f"{FIRST} ({child.la_child_id})'s review is due.",
    )
    outbox.notify(
        f"test-reminder:{brother.pk}",
        user=service.iro,
        to="ian@example.org",
        subject="Reminder: Ned",
        body=f"Ned ({brother.la_child_id})'s review is due.",
    )
    outbox.notify(
        "test-to-mother",
        user=portal.user,
        subject="Your review",
        body="The review is booked.",
    )
    child.refresh_from_db()
    return Family(child, brother, shared, aunt_access)

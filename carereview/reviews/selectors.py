"""Business support's work (issue 12, items 4 and 21; docs/adr/0011).

Business support administers the reviews of every child in care (their scheduling scope): a
review is in their work from the first meeting booked until its record has been sent and every
letter that went on paper has been posted. For each, what is left to do: invitations to send, the
decisions and the record to send, letters to print and post. The letters they may open are
exactly these: documents addressed to a recipient who gets paper, for a review in their work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from carereview.reviews.models import Dispatch, Meeting, PostedLetter, Review

# A dispatch that went on paper: what business support prints and posts.
PAPER = ("letter", "both")

# The document route's kind for each kind of dispatch.
DOCUMENT_KIND = {
    Dispatch.Kind.INVITATION: "invitation",
    Dispatch.Kind.EXCLUSION_LETTER: "exclusion-letter",
    Dispatch.Kind.DECISIONS: "decisions",
    Dispatch.Kind.RECORD: "record",
    Dispatch.Kind.CHILD_LETTER: "letter-to-child",
}


def _unposted_paper(review_ref) -> QuerySet:
    return Dispatch.objects.filter(  # scoped: of the scoped review it is filtered by
        review=review_ref, method__in=PAPER
    ).exclude(Exists(PostedLetter.objects.filter(dispatch=OuterRef("pk"))))


def supported_reviews(user) -> QuerySet[Review]:
    """The reviews in business support's work, soonest meeting first."""
    booked = Meeting.objects.filter(review=OuterRef("pk"))  # scoped: of the scoped review
    return (
        Review.objects.visible_to(user, "scheduling")
        .filter(Exists(booked))
        .filter(Q(record_sent_on__isnull=True) | Exists(_unposted_paper(OuterRef("pk"))))
        .select_related("child", "child__current_iro")
        .order_by("child__next_review_due", "pk")
    )


def is_supported(user, review: Review) -> bool:
    return supported_reviews(user).filter(pk=review.pk).exists()


@dataclass(frozen=True)
class Letter:
    """One letter to print and post: which document, for whom."""

    dispatch: Dispatch
    kind: str
    recipient: int | str

    @property
    def url(self) -> str:
        return reverse(
            "reviews:document",
            kwargs={
                "review_id": self.dispatch.review_id,
                "kind": self.kind,
                "recipient": self.recipient,
            },
        )


def _recipient(review: Review, dispatch: Dispatch) -> int | str | None:
    """The document route's recipient for a dispatch: an invitation's or exclusion's id, or the
    recipient key (documents.records.Recipient.key)."""
    if dispatch.kind == Dispatch.Kind.INVITATION:
        invitation = review.invitations.filter(
            for_child=dispatch.for_child, person=dispatch.person, staff=dispatch.staff
        ).first()
        return invitation.pk if invitation else None
    if dispatch.kind == Dispatch.Kind.EXCLUSION_LETTER:
        exclusion = review.exclusions.filter(person=dispatch.person).first()
        return exclusion.pk if exclusion else None
    if dispatch.for_child:
        return "child"
    if dispatch.person_id:
        return f"person-{dispatch.person_id}"
    if dispatch.staff_id:
        return f"staff-{dispatch.staff_id}"
    return None


def letters_to_post(review: Review) -> list[Letter]:
    """The paper letters of `review` not yet marked posted."""
    letters = []
    for dispatch in _unposted_paper(review).select_related("person", "staff"):
        kind = DOCUMENT_KIND.get(dispatch.kind)
        recipient = _recipient(review, dispatch)
        if kind and recipient is not None:
            letters.append(Letter(dispatch, kind, recipient))
    return letters


def may_print(user, review: Review, kind: str, recipient: int | str) -> bool:
    """Whether business support may open this document: a letter to post, of a review in their
    work (docs/adr/0011)."""
    if not is_supported(user, review):
        return False
    return any(x.kind == kind and x.recipient == recipient for x in letters_to_post(review))


@dataclass
class Task:
    text: str
    url: str
    link: str


@dataclass
class SupportRow:
    review: Review
    meeting: Meeting | None
    tasks: list[Task] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)


def support_row(review: Review) -> SupportRow:
    """What is left to do for business support on `review`."""
    meeting = review.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("on", "at").first()
    row = SupportRow(review, meeting, letters=letters_to_post(review))
    unsent = review.invitations.filter(sent_on__isnull=True).count()
    held = review.held_on is not None
    if not held:
        invitations_url = reverse("reviews:invitations", kwargs={"review_id": review.pk})
        if unsent:
            row.tasks.append(
                Task(
                    f"{unsent} invitation{'s' if unsent != 1 else ''} to send",
                    invitations_url,
                    "Send invitations",
                )
            )
        elif not review.invitations.exists():
            row.tasks.append(Task("Nobody invited yet", invitations_url, "Invite people"))
    if held and review.decisions_sent_on is None and review.decisions.exists():
        row.tasks.append(
            Task(
                "Decisions to send",
                reverse("reviews:send", kwargs={"review_id": review.pk, "kind": "decisions"}),
                "Send the decisions",
            )
        )
    if held and review.record_sent_on is None:
        row.tasks.append(
            Task(
                "Record to send",
                reverse("reviews:send", kwargs={"review_id": review.pk, "kind": "record"}),
                "Send the record",
            )
        )
    if row.letters:
        n = len(row.letters)
        row.tasks.append(
            Task(
                f"{n} letter{'s' if n != 1 else ''} to print and post",
                reverse("reviews:detail", kwargs={"review_id": review.pk}) + "#letters",
                "Print and post",
            )
        )
    return row

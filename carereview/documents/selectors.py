"""Business support's work (issue 12, items 4 and 21; docs/adr/0011).

Business support administers the reviews of every child in care (their scheduling scope): a
review is in their work from the first meeting booked until its record has been sent and every
letter that went on paper has been posted. For each, what is left to do: invitations to send, the
decisions and the record to send, letters to print and post. The letters they may open are
exactly these: documents addressed to a recipient who gets paper, for a review in their work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from carereview.children.models import Episode
from carereview.documents.records import recipient_for_person
from carereview.documents.release import released_to
from carereview.reviews.models import Decision, Dispatch, Meeting, PostedLetter, Review
from carereview.reviews.selectors import known_as, send_blockers

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
    """The reviews in business support's work, by their meeting (the first not cancelled, as
    `support_row` shows it), soonest first: the day's work reads top down."""
    booked = Meeting.objects.filter(review=OuterRef("pk"))  # scoped: of the scoped review
    live = booked.exclude(status=Meeting.Status.CANCELLED).order_by("on", "at", "pk")
    return (
        Review.objects.visible_to(user, "scheduling")
        .filter(Exists(booked))
        .filter(Q(record_sent_on__isnull=True) | Exists(_unposted_paper(OuterRef("pk"))))
        .select_related("child", "child__current_iro")
        .annotate(
            meeting_on=Subquery(live.values("on")[:1]),
            meeting_at=Subquery(live.values("at")[:1]),
        )
        .order_by(F("meeting_on").asc(nulls_last=True), F("meeting_at").asc(nulls_last=True), "pk")
    )


def with_support_details(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """`reviews` with what `support_row` reads, in a fixed number of queries for the page."""
    paper = Dispatch.objects.filter(method__in=PAPER).exclude(  # scoped: of the reviews
        Exists(PostedLetter.objects.filter(dispatch=OuterRef("pk")))
    )
    unworded = (
        Decision.objects.filter(review=OuterRef("pk"), child_wording="")  # scoped: as above
        .order_by()
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return reviews.annotate(
        has_decisions=Exists(Decision.objects.filter(review=OuterRef("pk"))),  # scoped: as above
        child_wording_missing_count=Coalesce(Subquery(unworded), Value(0)),
        # Whether any letter may wait for the IRO's check (letters_to_post): only then is it read.
        address_confidential=Exists(
            Episode.objects.filter(  # scoped: of the scoped reviews' children
                child=OuterRef("child"), address_confidential=True
            ).exclude(placement_address="")
        ),
    ).prefetch_related(
        "meetings",
        "invitations",
        "exclusions",
        Prefetch(
            "dispatches",
            queryset=paper.select_related("person").order_by("sent_on", "id"),
            to_attr="unposted_paper",
        ),
    )


def is_supported(user, review: Review) -> bool:
    return supported_reviews(user).filter(pk=review.pk).exists()


@dataclass(frozen=True)
class Letter:
    """One letter to print and post: which document, for whom."""

    dispatch: Dispatch
    kind: str
    recipient: int | str
    # To a person the placement address is confidential from, whose version the IRO has not yet
    # confirmed (rules.md §7, documents.release): not to open, print or post until then.
    waiting: bool = False

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
        invitation = next(
            (
                i
                for i in review.invitations.all()
                if (i.for_child, i.person_id, i.staff_id)
                == (dispatch.for_child, dispatch.person_id, dispatch.staff_id)
            ),
            None,
        )
        return invitation.pk if invitation else None
    if dispatch.kind == Dispatch.Kind.EXCLUSION_LETTER:
        exclusion = next(
            (x for x in review.exclusions.all() if x.person_id == dispatch.person_id), None
        )
        return exclusion.pk if exclusion else None
    if dispatch.for_child:
        return "child"
    if dispatch.person_id:
        return f"person-{dispatch.person_id}"
    if dispatch.staff_id:
        return f"staff-{dispatch.staff_id}"
    return None


def _waits_for_check(review: Review, dispatch: Dispatch) -> bool:
    """Whether the letter's text may not reach its person yet: the same gate the document itself
    passes (documents.release.released_to), so a letter offered to print is one that opens."""
    if (
        dispatch.person_id is None
        or dispatch.for_child
        or not getattr(review, "address_confidential", True)  # read for the page at once
    ):
        return False
    return not released_to(recipient_for_person(review, dispatch.person), review)


def letters_to_post(review: Review) -> list[Letter]:
    """The paper letters of `review` not yet marked posted, each saying whether it still waits
    for the IRO's check."""
    letters = []
    dispatches = getattr(review, "unposted_paper", None)
    if dispatches is None:
        dispatches = _unposted_paper(review).select_related("person").order_by("sent_on", "id")
    for dispatch in dispatches:
        kind = DOCUMENT_KIND.get(dispatch.kind)
        recipient = _recipient(review, dispatch)
        if kind and recipient is not None:
            letters.append(Letter(dispatch, kind, recipient, _waits_for_check(review, dispatch)))
    return letters


def letter_to_post(user, review: Review, kind: str, recipient: int | str) -> Letter | None:
    """The paper letter of `kind` to `recipient`, of a review in business support's work, that
    they may be shown (docs/adr/0011); None for anything else. They open it only when it is not
    `waiting` for the IRO's check."""
    if not is_supported(user, review):
        return None
    return next(
        (x for x in letters_to_post(review) if x.kind == kind and x.recipient == recipient), None
    )


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
    waiting: list[str] = field(default_factory=list)  # not business support's to do yet

    @property
    def ready_letters(self) -> list[Letter]:
        return [x for x in self.letters if not x.waiting]

    @property
    def waiting_letters(self) -> list[Letter]:
        return [x for x in self.letters if x.waiting]


def support_row(review: Review) -> SupportRow:
    """What is left to do for business support on `review` (`with_support_details` reads it all
    at once for a page of reviews)."""
    meetings = sorted(
        (m for m in review.meetings.all() if m.status != Meeting.Status.CANCELLED),
        key=lambda m: (m.on, m.at),
    )
    row = SupportRow(review, meetings[0] if meetings else None, letters=letters_to_post(review))
    invitations = list(review.invitations.all())
    unsent = sum(1 for i in invitations if i.sent_on is None)
    held = review.held_on is not None
    has_decisions = getattr(review, "has_decisions", None)
    if has_decisions is None:
        has_decisions = review.decisions.exists()

    def url(route: str, **kwargs) -> str:
        return reverse(route, kwargs={"review_id": review.pk, **kwargs})

    if not held and unsent:
        text = f"{unsent} invitation{'s' if unsent != 1 else ''} to send"
        row.tasks.append(Task(text, url("reviews:invitations"), "Send invitations"))
    elif not held and not invitations:
        row.tasks.append(Task("Nobody invited yet", url("reviews:invitations"), "Invite people"))
    to_send = []
    if held and review.decisions_sent_on is None and has_decisions:
        to_send.append((Dispatch.Kind.DECISIONS, "Decisions"))
    if held and review.record_sent_on is None:
        to_send.append((Dispatch.Kind.RECORD, "Record"))
    waiting = []
    for kind, label in to_send:
        if send_blockers(review, kind):
            waiting.append(label)  # only the IRO can unblock it: not a task with a send link
        else:
            send = url("reviews:send", kind=kind)
            row.tasks.append(Task(f"{label} to send", send, f"Send the {kind}"))
    if waiting:
        what = " and ".join(waiting).capitalize() if len(waiting) > 1 else waiting[0]
        name = known_as(review.child)
        row.waiting.append(
            f"{what} to send, waiting for the IRO to write the decisions in {name}'s words"
        )
    if row.ready_letters:
        n = len(row.ready_letters)
        text = f"{n} letter{'s' if n != 1 else ''} to print and post"
        row.tasks.append(Task(text, url("reviews:detail") + "#letters", "Print and post"))
    waiting_letters = len(row.waiting_letters)
    if waiting_letters:
        row.waiting.append(
            f"{waiting_letters} letter{'s' if waiting_letters != 1 else ''} waiting for the IRO "
            "to check what the parents read"
        )
    return row

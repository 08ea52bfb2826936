"""What a review's pages and its sends read: what stops a send, and the child's words
(issue 12, item 24). Business support's workspace, which reads these, is documents.selectors."""

from __future__ import annotations

from carereview.children.models import Child
from carereview.reviews.models import Decision, Dispatch, Review


# Moved from reviews.services (ADR 0013: services and selectors no longer import each other).
def send_blockers(review: Review, kind: str) -> list[str]:
    """What stops the decisions or the record (`kind`) being sent now, in words for whoever is
    sending (the IRO or business support), each naming who acts. Empty when it can go. The
    send itself refuses with these; the send page and business support's workspace show them
    first, so nobody is offered a send that would be refused. Reads the annotations of
    `selectors.with_support_details` where present."""
    if review.held_on is None:
        return ["The review is not recorded as held yet: the IRO records it"]
    has_decisions = getattr(review, "has_decisions", None)
    if has_decisions is None:
        has_decisions = review.decisions.exists()
    if kind == Dispatch.Kind.DECISIONS and not has_decisions:
        return ["No decisions are recorded for this review yet: the IRO records them"]
    missing = getattr(review, "child_wording_missing_count", None)
    if missing is None:
        missing = len(child_wording_missing(review))
    if missing:
        name = known_as(review.child)
        decisions = "1 decision is" if missing == 1 else f"{missing} decisions are"
        return [
            f"{decisions} not yet written in {name}'s words, and the IRO writes them: {name}'s "
            "letter and copy use those words, not the professional ones"
        ]
    return []


def child_wording_missing(review: Review) -> list[Decision]:
    """The review's decisions not yet written in the child's words: a to-do for the IRO."""
    return list(review.decisions.filter(child_wording=""))


def known_as(child: Child) -> str:
    return child.preferred_name or child.first_name

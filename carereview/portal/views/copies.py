"""The IRO's check of what each parent reads where the placement address is confidential from
them (rules.md §7, ADR 0009): each such person's version of a review, and the IRO's answers to
their visit requests, with every suspected fragment marked; confirming releases that version.

The answers belong to the child, not to a review, so they have their own check page of the child
(`visit_answers_check`): a child with no review yet still has somewhere the IRO releases them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from carereview.children.models import Child
from carereview.core.access import describe as describe_access
from carereview.documents import copies, redaction, release
from carereview.documents import services as document_services
from carereview.documents.models import ParentCopyConfirmation
from carereview.portal.models import PortalAccess
from carereview.portal.views.pages import visit_answers_copy
from carereview.reviews.models import Review


def _answers(child: Child, recipient) -> list[tuple[str, copies.ParentCopy]]:
    """("answers-<access id>", copy) for each of this person's accesses with answers to check."""
    found = []
    for access in PortalAccess.objects.filter(child=child, person=recipient.person):
        copy = visit_answers_copy(access)
        if copy.sections:
            found.append((f"answers-{access.pk}", copy))
    return found


def _copies(review: Review, recipient) -> list[tuple[str, copies.ParentCopy]]:
    """("review" | "answers-<access id>", copy) for everything of this person's to check."""
    return [("review", copies.review_copy(review, recipient)), *_answers(review.child, recipient)]


def _shown(recipient, what: str, copy: copies.ParentCopy) -> dict:
    matcher = redaction.matcher_for(copy.child, recipient)
    confirmed = release.confirmation_of(copy)
    earlier = (
        ParentCopyConfirmation.objects.filter(
            child=copy.child, person=recipient.person, review=copy.review
        )
        .exclude(content_hash=copy.hash)
        .select_related("confirmed_by")
        .first()
    )
    return {
        "what": what,
        "title": "This review" if what == "review" else "The IRO's answers to visit requests",
        "copy": copy,
        "sections": [(s.label, redaction.marked(s.text, matcher)) for s in copy.sections],
        "confirmed": confirmed,
        "earlier": earlier,
        "held": len(release.held_for(copy.review, recipient)) if copy.review is not None else 0,
    }


def _confirm(request, people, copies_of) -> None:
    """The POST of a check page: confirm the version of the person and part the IRO read."""
    person_id, what = request.POST.get("person", ""), request.POST.get("what", "")
    recipient = next((r for r in people if str(r.person.pk) == person_id), None)
    copy = None
    if recipient is not None:
        copy = dict(copies_of(recipient)).get(what)
    if recipient is None or copy is None:
        messages.error(request, "There is nothing of that to confirm. Choose from the page.")
        return
    try:
        document_services.confirm(copy, by=request.user, read_hash=request.POST.get("hash", ""))
    except document_services.CopyChanged as changed:
        messages.error(request, str(changed))
    else:
        messages.success(request, f"Confirmed. {recipient.name} can now read this version.")


def parent_copies(request, review_id: int):
    review = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("child"), pk=review_id
    )
    child = review.child
    describe_access(request, "checked the parents' versions")
    return _check_page(
        request,
        release.people_checked(review),
        lambda r: _copies(review, r),
        review=review,
        child=child,
        done=redirect("requests:parent-copies", review_id=review.pk),
    )


def visit_answers_check(request, child_id: int):
    """The check of the IRO's answers to the visit requests of each person the address is
    confidential from: of the child, whether or not the child has a review."""
    child = get_object_or_404(Child.objects.visible_to(request.user), pk=child_id)
    describe_access(request, "checked the parents' versions of visit answers")
    return _check_page(
        request,
        release.people_checked_for(child),
        lambda r: _answers(child, r),
        review=None,
        child=child,
        done=redirect("requests:visit-answers-check", child_id=child.pk),
    )


def _check_page(request, people, copies_of, *, review, child, done):
    """The check page of one review's copies or one child's visit answers: on a post, confirm the
    versions shown and go to `done`; else show each person's versions with suspected fragments."""
    if request.method == "POST":
        _confirm(request, people, copies_of)
        return done
    shown = [(r, [_shown(r, what, copy) for what, copy in copies_of(r)]) for r in people]
    return render(
        request,
        "portal/staff_parent_copies.html",
        {"review": review, "child": child, "people": shown},
    )

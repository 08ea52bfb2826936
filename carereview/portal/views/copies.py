"""The IRO's check of what each parent reads where the placement address is confidential from
them (rules.md §7, ADR 0009): each such person's version of a review, and the IRO's answers to
their visit requests, with every suspected fragment marked; confirming releases that version."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from carereview.core.access import describe as describe_access
from carereview.documents import release
from carereview.documents.models import ParentCopyConfirmation
from carereview.portal.models import PortalAccess
from carereview.portal.views.pages import visit_answers_copy
from carereview.reviews.models import Review


def _copies(review: Review, recipient) -> list[tuple[str, release.ParentCopy]]:
    """("review" | "answers-<access id>", copy) for everything of this person's to check."""
    found = [("review", release.review_copy(review, recipient))]
    accesses = PortalAccess.objects.filter(child=review.child, person=recipient.person)
    for access in accesses:
        copy = visit_answers_copy(access)
        if copy.sections:
            found.append((f"answers-{access.pk}", copy))
    return found


def _shown(review: Review, recipient, what: str, copy: release.ParentCopy) -> dict:
    matcher = release.matcher_for(review.child, recipient)
    confirmed = release.confirmation_of(copy)
    earlier = (
        ParentCopyConfirmation.objects.filter(
            child=review.child, person=recipient.person, review=copy.review
        )
        .exclude(content_hash=copy.hash)
        .select_related("confirmed_by")
        .first()
    )
    return {
        "what": what,
        "title": "This review" if what == "review" else "The IRO's answers to visit requests",
        "copy": copy,
        "sections": [(s.label, release.marked(s.text, matcher)) for s in copy.sections],
        "confirmed": confirmed,
        "earlier": earlier,
        "held": len(release.held_for(review, recipient)) if what == "review" else 0,
    }


def parent_copies(request, review_id: int):
    review = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("child"), pk=review_id
    )
    child = review.child
    describe_access(request, "checked the parents' versions")
    people = release.people_checked(review)
    if request.method == "POST":
        person_id, what = request.POST.get("person", ""), request.POST.get("what", "")
        recipient = next((r for r in people if str(r.person.pk) == person_id), None)
        copy = None
        if recipient is not None:
            copy = dict(_copies(review, recipient)).get(what)
        if copy is None:
            messages.error(request, "There is nothing of that to confirm. Choose from the page.")
        else:
            try:
                release.confirm(copy, by=request.user, read_hash=request.POST.get("hash", ""))
            except release.CopyChanged as changed:
                messages.error(request, str(changed))
            else:
                messages.success(request, f"Confirmed. {recipient.name} can now read this version.")
        return redirect("requests:parent-copies", review_id=review.pk)
    shown = [
        (r, [_shown(review, r, what, copy) for what, copy in _copies(review, r)]) for r in people
    ]
    return render(
        request,
        "portal/staff_parent_copies.html",
        {"review": review, "child": child, "people": shown},
    )

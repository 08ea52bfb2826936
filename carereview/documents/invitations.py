"""The letters sent to the people of a review: the invitation, and the written reason to a parent
who is not invited (seeds; rules.md §4 "parents"). Each is a version a person gets, so each
refuses one the IRO has not yet checked (documents.require_released); the text they are
built from is documents.letters'.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from carereview.core.authority import authority
from carereview.documents.headings import heading_about as document_heading
from carereview.documents.letters import long_date, meeting_lines, review_iro
from carereview.documents.pdf import html_to_pdf
from carereview.documents.recipients import (
    authority_name,
    is_excluded,
    recipient_for_invitation,
    recipient_for_person,
    sees_confidential_address,
)
from carereview.documents.redaction import exclusion_reason_for, matcher_for
from carereview.documents.release import require_released
from carereview.reviews.models import Dispatch, Exclusion, Invitation, Review


def render_invitation_html(review: Review, invitation: Invitation) -> str:
    """The invitation letter to one invitee. Refuses a parent excluded from the review."""
    recipient = recipient_for_invitation(review, invitation)
    if is_excluded(review, recipient):
        raise ValueError(f"{recipient.name} is not invited to this review")
    require_released(recipient, review)
    child = review.child
    for_child = recipient.kind == "child"
    greeting = (child.preferred_name or child.first_name) if for_child else recipient.name
    heading = document_heading(Dispatch.Kind.INVITATION, child, for_child=for_child)
    return render_to_string(
        "documents/invitation.html",
        {
            "title": heading.title,
            "heading": heading.h1,
            "authority_name": authority_name(),
            "for_child": for_child,
            "greeting": greeting,
            "child": child,
            "address": recipient.person.address if recipient.person else "",
            "meetings": meeting_lines(
                review,
                may_see_address=for_child or sees_confidential_address(recipient.kind),
                matcher=matcher_for(child, recipient),
            ),
            "iro": review_iro(review),
            "service_phone": authority().iro_service_phone,
        },
    )


def render_invitation_pdf(review: Review, invitation: Invitation) -> bytes:
    return html_to_pdf(render_invitation_html(review, invitation))


def render_exclusion_letter_html(exclusion: Exclusion) -> str:
    """The written reason to the parent, the offer to meet the IRO separately, how to reach the
    IRO service and how to complain (seeds)."""
    review = exclusion.review
    child = review.child
    # The reason is typed by a person: it must not give away a confidential placement address,
    # and it reaches the parent only once the IRO has checked their version.
    recipient = recipient_for_person(review, exclusion.person)
    require_released(recipient, review)
    reason = exclusion_reason_for(exclusion, recipient)
    heading = document_heading(Dispatch.Kind.EXCLUSION_LETTER, child)
    return render_to_string(
        "documents/exclusion_letter.html",
        {
            "title": heading.title,
            "heading": heading.h1,
            "authority_name": authority_name(),
            "exclusion": exclusion,
            "person": exclusion.person,
            "child": child,
            "reason": reason,
            "decided_on": long_date(exclusion.decided_on),
            "offered_on": long_date(exclusion.separate_meeting_offered_on),
            "signed_by": exclusion.decided_by,
            "iro": review_iro(review) or exclusion.decided_by,
            "service_phone": authority().iro_service_phone,
        },
    )


def render_exclusion_letter_pdf(exclusion: Exclusion) -> bytes:
    return html_to_pdf(render_exclusion_letter_html(exclusion))

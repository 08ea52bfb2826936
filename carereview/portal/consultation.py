"""Consultation forms online (issue 5, item 4): the child, a parent or a carer fills in their
form in the portal before a review, saved as they go, then sends it to the IRO.

- `find` / `find_or_send`: the person's form for the child's open review (the one not yet held).
  The child's own form is the one for their age band; a parent's or a carer's is theirs by name.
  If the IRO has not sent one yet, starting makes one (sent online, through reviews.services).
- `save_answer`: one answer, saved at once (`last_saved_at`), until the form is sent.
- `submit`: sends the form to the IRO (`returned_on`, `submitted_by`). A child also says whether
  their social worker may read it; parents' and carers' forms are for the IRO service only.

Pictures for the under-8 form: a feeling (happy, OK, sad) and, if they like, a few words. The
answer is stored as text the IRO can read anywhere: "Happy", "Happy: <words>" or "<words>".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from carereview.accounts.models import Role
from carereview.core import audit
from carereview.core.calendar import today
from carereview.documents import services as document_services
from carereview.portal.models import PortalAccess
from carereview.reviews import services as review_services
from carereview.reviews.forms import TEXT_LIMIT
from carereview.reviews.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationForm,
    ConsultationQuestion,
    Review,
)

ANSWER_LIMIT = TEXT_LIMIT


class ConsultationRefused(Exception):
    """A step the rules do not allow, with the reason in words for the person."""


@dataclass(frozen=True)
class Feeling:
    key: str
    label: str  # what is stored and shown: one word
    alt: str  # the picture's text alternative
    picture: str  # static path


FEELINGS = [
    Feeling("happy", "Happy", "A happy, smiling face", "portal/feeling-happy.svg"),
    Feeling("ok", "OK", "A face that is not happy or sad", "portal/feeling-ok.svg"),
    Feeling("sad", "Sad", "A sad face", "portal/feeling-sad.svg"),
]
FEELINGS_BY_KEY = {f.key: f for f in FEELINGS}


def is_under_8(consultation: Consultation) -> bool:
    return consultation.form.audience == ConsultationForm.Audience.CHILD_UNDER_8


def pictures_answer(feeling_key: str, words: str) -> str:
    """The stored text for a picture and some words (either may be empty)."""
    words = (words or "").strip()
    feeling = FEELINGS_BY_KEY.get(feeling_key)
    if feeling and words:
        return f"{feeling.label}: {words}"
    return feeling.label if feeling else words


def read_pictures_answer(answer: str) -> tuple[Feeling | None, str]:
    """The picture and the words of a stored under-8 answer."""
    answer = answer or ""
    for feeling in FEELINGS:
        if answer == feeling.label:
            return feeling, ""
        if answer.startswith(feeling.label + ": "):
            return feeling, answer[len(feeling.label) + 2 :]
    return None, answer


def audience_for(access: PortalAccess) -> str | None:
    """The form a person gets: None for the child (their age band), else parent's or carer's."""
    if access.is_child:
        return None  # the child's age band, chosen by send_consultation
    if access.role == Role.CARER:
        return ConsultationForm.Audience.CARER
    return ConsultationForm.Audience.PARENT


def _theirs(review: Review, access: PortalAccess):
    consultations = review.consultations.select_related("form", "review")
    if access.is_child:
        return consultations.filter(for_child=True)
    return consultations.filter(for_child=False, person=access.person)


def find(access: PortalAccess) -> tuple[Review | None, Consultation | None]:
    """The child's open review and this person's form for it: one not yet sent back if there is
    one (the newest), else the newest sent back."""
    review = review_services.open_review(access.child)
    if review is None:
        return None, None
    consultations = _theirs(review, access)
    consultation = (
        consultations.filter(returned_on__isnull=True).order_by("-id").first()
        or consultations.order_by("-id").first()
    )
    return review, consultation


@transaction.atomic
def find_or_send(access: PortalAccess, *, by) -> Consultation | None:
    """The person's form for the open review, sent to them online now if they have none yet."""
    review, consultation = find(access)
    if review is None:
        return None
    # One at a time per review, so two tabs pressing Start do not make two forms.
    Review.objects.select_for_update().filter(pk=review.pk).first()
    review, consultation = find(access)
    if consultation is not None:
        return consultation
    assert review is not None  # found above, and locked since
    return document_services.send_consultation(
        review,
        by=by,
        person=access.person,
        audience=audience_for(access),
        method=Consultation.Method.ONLINE,
    )


def _check_open(consultation: Consultation) -> None:
    if consultation.returned_on is not None:
        raise ConsultationRefused("This form has been sent already, so it cannot be changed")
    if consultation.review.held_on is not None:
        raise ConsultationRefused("The review has happened, so this form cannot be changed")


@transaction.atomic
def save_answer(
    consultation: Consultation, *, by, question: ConsultationQuestion, answer: str
) -> ConsultationAnswer:
    """Save one answer now (an empty answer records that the question was seen)."""
    consultation = (
        Consultation.objects.select_for_update().select_related("review").get(pk=consultation.pk)
    )
    _check_open(consultation)
    if question.form_id != consultation.form_id:
        raise ConsultationRefused("That question is not on this form")
    answer = (answer or "").strip()
    if len(answer) > ANSWER_LIMIT:
        raise ConsultationRefused(f"An answer can be up to {ANSWER_LIMIT:,} characters")
    saved, _ = ConsultationAnswer.objects.update_or_create(
        consultation=consultation, question=question, defaults={"answer": answer}
    )
    consultation.last_saved_at = timezone.now()
    consultation.save(update_fields=["last_saved_at"])
    # The answer itself is not copied into the audit log: only which question, and how long.
    audit.record_change(
        by,
        "consultation.save_answer",
        consultation,
        {"question": question.position, "length": len(answer)},
    )
    return saved


@transaction.atomic
def submit(
    consultation: Consultation, *, by, share_with_social_worker: bool = False
) -> Consultation:
    """Send the form to the IRO. Only a child's own form can be shared with their social
    worker."""
    consultation = (
        Consultation.objects.select_for_update().select_related("review").get(pk=consultation.pk)
    )
    _check_open(consultation)
    consultation.returned_on = today()
    consultation.submitted_by = by
    consultation.share_with_social_worker = bool(
        share_with_social_worker and consultation.for_child
    )
    consultation.last_saved_at = timezone.now()
    consultation.save(
        update_fields=["returned_on", "submitted_by", "share_with_social_worker", "last_saved_at"]
    )
    audit.record_change(
        by,
        "consultation.submit",
        consultation,
        {
            "returned_on": str(consultation.returned_on),
            "share_with_social_worker": consultation.share_with_social_worker,
            "answers": consultation.answers.count(),
        },
    )
    return consultation

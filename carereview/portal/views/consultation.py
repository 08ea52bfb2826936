"""Say what you think (issue 5, item 4): the consultation form for the next review, online.

One question a page, saved as the person goes; then "Check your answers" and send it to the IRO.
The child's form is for their age (under 8: pictures and few words, and a button that reads the
page aloud; 8 to 11; 12 and over); parents and carers have their own. The person's form is
reached only through their own access to the child (`portal_access`) and the child's open review:
never by a form's id.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from carereview.core.calendar import today
from carereview.portal import consultation as consult
from carereview.portal.views.common import portal_access, render_portal
from carereview.reviews.models import ConsultationForm, Meeting
from carereview.reviews.services import child_form_audience

LIMIT = consult.ANSWER_LIMIT


def _too_long(is_child: bool) -> str:
    if is_child:
        return f"Your answer is too long. Make it shorter: up to {LIMIT:,} letters and spaces"
    return f"Your answer must be {LIMIT:,} characters or fewer"


class AnswerForm(forms.Form):
    """One question's answer in the person's own words. It may be left empty to skip it."""

    answer = forms.CharField(required=False, max_length=LIMIT, strip=True)

    def __init__(self, *args, is_child: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].error_messages["max_length"] = _too_long(is_child)

    def answer_text(self) -> str:
        return self.cleaned_data["answer"]


class PicturesForm(forms.Form):
    """The under-8 form: choose a picture, and add some words if they like. Both are optional."""

    feeling = forms.ChoiceField(
        required=False,
        choices=[("", "No picture")] + [(f.key, f.label) for f in consult.FEELINGS],
        error_messages={"invalid_choice": "Choose a picture, or leave them all empty"},
    )
    words = forms.CharField(required=False, max_length=LIMIT, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["words"].error_messages["max_length"] = _too_long(True)

    def answer_text(self) -> str:
        return consult.pictures_answer(self.cleaned_data["feeling"], self.cleaned_data["words"])


class ShareForm(forms.Form):
    share = forms.ChoiceField(
        label="Can your social worker read this too?",
        help_text="Your IRO will always read it. If you say yes, your social worker can read "
        "it too.",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say if your social worker can read this too",
            "invalid_choice": "Say if your social worker can read this too",
        },
    )


def _url(name: str, child_id: int, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"child_id": child_id, **kwargs})


def _question_url(child_id: int, position: int, from_check: bool = False) -> str:
    url = _url("consultation-question", child_id, position=position)
    return url + "?from=check" if from_check else url


def _first_unanswered(consultation, questions) -> str:
    """Where to carry on: the first question with nothing saved, else the check page."""
    answered = set(consultation.answers.values_list("question_id", flat=True))
    child_id = consultation.review.child_id
    for q in questions:
        if q.pk not in answered:
            return _question_url(child_id, q.position)
    return _url("consultation-check", child_id)


def _rows(consultation, questions, *, change: bool) -> list[dict]:
    """Each question with its answer (and, for the under-8 form, its picture)."""
    answers = {a.question_id: a.answer for a in consultation.answers.all()}
    under_8 = consult.is_under_8(consultation)
    rows = []
    for q in questions:
        answer = answers.get(q.pk, "")
        feeling, words = consult.read_pictures_answer(answer) if under_8 else (None, answer)
        rows.append(
            {
                "question": q,
                "answered": q.pk in answers,
                "answer": answer,
                "feeling": feeling,
                "words": words,
                "change_url": _question_url(consultation.review.child_id, q.position, True)
                if change
                else "",
            }
        )
    return rows


def _base_context(access, review, consultation) -> dict:
    form = consultation.form if consultation else None
    if form is None and review is not None:
        audience = (
            child_form_audience(access.child, today())
            if access.is_child
            else consult.audience_for(access)
        )
        form = ConsultationForm.objects.filter(audience=audience).first()
    meeting = None
    excluded = (
        review is not None
        and access.person_id is not None
        and review.exclusions.filter(person_id=access.person_id).exists()
    )
    if review is not None and not excluded:
        # A parent not invited is still heard, but is not told when the meeting is.
        meeting = (
            review.meetings.filter(status=Meeting.Status.SCHEDULED).order_by("on", "at").first()
        )
    return {
        "review": review,
        "consultation": consultation,
        "form_kind": form,
        "meeting": meeting,
        "under_8": bool(form and form.audience == ConsultationForm.Audience.CHILD_UNDER_8),
    }


def start(request, child_id: int):
    """The form's first page: nothing booked yet, the form already sent, or how to start."""
    access = portal_access(request, child_id, "consultation")
    if request.method == "POST":
        consultation = consult.find_or_send(access, by=request.user)
        if consultation is None or consultation.returned_on is not None:
            return redirect(_url("consultation", child_id))
        return redirect(_first_unanswered(consultation, list(consultation.form.questions.all())))
    review, consultation = consult.find(access)
    context = _base_context(access, review, consultation)
    if consultation is not None:
        questions = list(consultation.form.questions.all())
        sent = consultation.returned_on is not None
        context |= {
            "sent": sent,
            "rows": _rows(consultation, questions, change=False) if sent else [],
            "started": consultation.answers.exists(),
            "question_count": len(questions),
        }
    elif context["form_kind"] is not None:
        context["question_count"] = context["form_kind"].questions.count()
    return render_portal(request, "portal/consultation/start.html", access, context)


def question(request, child_id: int, position: int):
    """One question on a page. Saving keeps the answer at once; the person can stop any time."""
    access = portal_access(request, child_id, "consultation.question")
    review, consultation = consult.find(access)
    if consultation is None:
        return redirect(_url("consultation", child_id))
    questions = list(consultation.form.questions.all())
    index = next((i for i, q in enumerate(questions) if q.position == position), None)
    if index is None:
        raise Http404("No such question")
    if consultation.returned_on is not None:
        messages.info(request, _sent_already(access))
        return redirect(_url("consultation", child_id))
    q = questions[index]
    under_8 = consult.is_under_8(consultation)
    from_check = request.GET.get("from") == "check"
    saved = consultation.answers.filter(question=q).first()
    form: PicturesForm | AnswerForm
    if under_8:
        feeling, words = consult.read_pictures_answer(saved.answer if saved else "")
        initial = {"feeling": feeling.key if feeling else "", "words": words}
        form = PicturesForm(request.POST or None, initial=initial)
    else:
        initial = {"answer": saved.answer if saved else ""}
        form = AnswerForm(request.POST or None, initial=initial, is_child=access.is_child)
    if request.method == "POST" and form.is_valid():
        try:
            consult.save_answer(
                consultation, by=request.user, question=q, answer=form.answer_text()
            )
        except consult.ConsultationRefused as refused:
            messages.info(request, str(refused))
            return redirect(_url("consultation", child_id))
        if request.POST.get("action") == "later":
            messages.success(
                request,
                "Saved. You can come back and carry on when you like."
                if access.is_child
                else "Your answers are saved. You can come back and finish later.",
            )
            return redirect(_url("consultation", child_id))
        if from_check or index + 1 == len(questions):
            return redirect(_url("consultation-check", child_id))
        return redirect(_question_url(child_id, questions[index + 1].position))
    if from_check:
        back = _url("consultation-check", child_id)
    elif index == 0:
        back = _url("consultation", child_id)
    else:
        back = _question_url(child_id, questions[index - 1].position)
    context = _base_context(access, review, consultation) | {
        "form": form,
        "question": q,
        "number": index + 1,
        "question_count": len(questions),
        "back_url": back,
        "action_url": _question_url(child_id, q.position, from_check),
        "feelings": consult.FEELINGS,
        "chosen_feeling": form["feeling"].value() if under_8 else "",
        "limit": LIMIT,
    }
    return render_portal(request, "portal/consultation/question.html", access, context)


def _sent_already(access) -> str:
    if access.is_child:
        return "You have sent this to your IRO already."
    return "You have sent this form to the IRO already."


def check(request, child_id: int):
    """Check your answers, then send them to the IRO. The child says if their social worker may
    read them too (No unless they choose Yes)."""
    access = portal_access(request, child_id, "consultation.check")
    review, consultation = consult.find(access)
    if consultation is None:
        return redirect(_url("consultation", child_id))
    if consultation.returned_on is not None:
        messages.info(request, _sent_already(access))
        return redirect(_url("consultation", child_id))
    questions = list(consultation.form.questions.all())
    share_form = None
    if access.is_child:
        share_form = ShareForm(request.POST or None, initial={"share": "no"})
    if request.method == "POST" and (share_form is None or share_form.is_valid()):
        share = share_form is not None and share_form.cleaned_data["share"] == "yes"
        try:
            consult.submit(consultation, by=request.user, share_with_social_worker=share)
        except consult.ConsultationRefused as refused:
            messages.info(request, str(refused))
        else:
            messages.success(
                request,
                "Sent to your IRO. Thank you for telling us what you think."
                if access.is_child
                else "Your form has been sent to the IRO. Thank you.",
            )
        return redirect(_url("consultation", child_id))
    context = _base_context(access, review, consultation) | {
        "form": share_form,
        "rows": _rows(consultation, questions, change=True),
        "back_url": _question_url(child_id, questions[-1].position)
        if questions
        else _url("consultation", child_id),
    }
    return render_portal(request, "portal/consultation/check.html", access, context)

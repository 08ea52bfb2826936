"""The review's pages: book, prepare, hold, record and send (issue 4). Thin: forms and services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from carereview.children.models import Child
from carereview.core import access
from carereview.core.calendar import due_words, today
from carereview.reviews import forms, services
from carereview.reviews.models import (
    ChecklistEntry,
    Consultation,
    Exclusion,
    MatterConsidered,
    Meeting,
    Review,
)


def _child(request, pk, purpose="case"):
    return get_object_or_404(Child.objects.visible_to(request.user, purpose), pk=pk)


def get_review(request, review_id, purpose="case"):
    review = get_object_or_404(
        Review.objects.visible_to(request.user, purpose).select_related(
            "child", "child__current_iro", "child__current_social_worker"
        ),
        pk=review_id,
    )
    return review


def add_refusal(form, refused: services.ReviewRefused, field=None):
    for reason in refused.reasons:
        form.add_error(field, reason)


def form_page(request, review, form, *, title: str, intro: str, button: str):
    """One form on a page of its own, for a step of the review."""
    context = {"review": review, "child": review.child, "form": form}
    context |= {"title": title, "intro": intro, "button": button}
    return render(request, "reviews/form_page.html", context)


def to_review(request, review):
    """Back to the review's page (business support see their own view of it)."""
    return redirect("reviews:detail", review_id=review.pk)


def book(request, pk: int):
    """Book a meeting of the child's next review; warn if late or not on a working day."""
    child = _child(request, pk, "scheduling")
    form = forms.BookMeetingForm(request.POST or None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warnings = services.booking_warnings(child, data["on"])
        confirmed = data["confirm"] and data.get("warned_for") == data["on"]
        if warnings and not confirmed:
            # Confirming covers only the date the warnings were shown for.
            form.data = posted = request.POST.copy()
            posted["warned_for"] = data["on"].isoformat()
            posted.pop("confirm", None)
            form.add_error("confirm", "Check the warnings, then tick to book it anyway")
        else:
            meeting = services.book_meeting(
                child,
                by=request.user,
                on=data["on"],
                at=data["at"],
                venue=data["venue"],
                by_video=data["by_video"],
                video_details=data["video_details"],
            )
            messages.success(
                request, f"Meeting booked for {meeting.on:%-d %B %Y} at {meeting.at:%H:%M}."
            )
            return to_review(request, meeting.review)
    elif request.method == "GET":
        form = forms.BookMeetingForm(initial={"on": child.next_review_due, "at": "10:00"})
    return render(
        request, "reviews/book.html", {"child": child, "form": form, "warnings": warnings}
    )


def meeting_change(request, meeting_id: int):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user, "scheduling").select_related("review__child"),
        pk=meeting_id,
    )
    form = forms.MeetingChangeForm(request.POST or None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_on = data.get("new_on") if data["change"] == Meeting.Change.POSTPONE else None
        warnings = services.postponement_warnings(meeting, new_on)
        confirmed = data["confirm"] and data.get("warned_for") == new_on
        if warnings and not confirmed:
            # Confirming covers only the date the warning was shown for.
            assert new_on is not None  # only a new date can make the warning
            form.data = posted = request.POST.copy()
            posted["warned_for"] = new_on.isoformat()
            posted.pop("confirm", None)
            form.add_error("confirm", "Check the warning, then tick to ask for it anyway")
            return render(
                request,
                "reviews/meeting_change.html",
                {
                    "meeting": meeting,
                    "child": meeting.review.child,
                    "form": form,
                    "warnings": warnings,
                },
            )
        try:
            services.request_meeting_change(
                meeting,
                by=request.user,
                change=data["change"],
                reason=data["reason"],
                new_on=data.get("new_on"),
                new_at=data.get("new_at"),
            )
        except services.ReviewRefused as refused:
            add_refusal(form, refused)
        else:
            meeting.refresh_from_db()
            if meeting.approval == Meeting.Approval.PENDING:
                messages.success(
                    request, "Sent to an IRO manager to approve. The due date does not change."
                )
            else:
                messages.success(request, "Done. The due date does not change.")
            return to_review(request, meeting.review)
    return render(
        request,
        "reviews/meeting_change.html",
        {"meeting": meeting, "child": meeting.review.child, "form": form, "warnings": warnings},
    )


def approvals(request):
    pending = (
        Meeting.objects.visible_to(request.user)
        .filter(approval=Meeting.Approval.PENDING)
        .select_related("review__child", "change_requested_by")
        .order_by("on")
    )
    rows = [(m, services.postponement_warnings(m, m.change_new_on)) for m in pending]
    return render(request, "reviews/approvals.html", {"pending": pending, "rows": rows})


def approval_decide(request, meeting_id: int):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("review__child"), pk=meeting_id
    )
    form = forms.ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_meeting_change(
                meeting,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except services.ReviewRefused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("reviews:approvals")
    return render(
        request,
        "reviews/approval_decide.html",
        {
            "meeting": meeting,
            "child": meeting.review.child,
            "form": form,
            "warnings": services.postponement_warnings(meeting, meeting.change_new_on)
            if meeting.change == Meeting.Change.POSTPONE
            else [],
        },
    )


def earlier(request, pk: int):
    child = _child(request, pk)
    form = forms.EarlierReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.require_earlier_review(
            child,
            by=request.user,
            reason=data["reason"],
            required_by=data["required_by"],
            details=data["details"],
        )
        messages.success(
            request, f"Recorded. The next review is now due by {due_words(child.next_review_due)}."
        )
        return redirect("children:detail", pk=child.pk)
    return render(request, "reviews/earlier.html", {"child": child, "form": form})


def checklist(request, review_id: int, item: str):
    review = get_review(request, review_id)
    labels = dict(ChecklistEntry.Item.choices)
    if item not in labels:
        raise Http404("No such checklist item")
    entry = review.checklist.filter(item=item).first()
    initial = (
        {"done_on": entry.done_on, "outcome": entry.outcome, "note": entry.note}
        if entry
        else {"done_on": today()}
    )
    observe = services.observe_instead(review.child, today())
    form = forms.ChecklistForm(request.POST or None, item=item, initial=initial, observe=observe)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.tick(
                review,
                by=request.user,
                item=item,
                done_on=data["done_on"],
                outcome=data["outcome"],
                note=data["note"],
            )
        except services.ReviewRefused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"{labels[item]}: recorded.")
            return to_review(request, review)
    return render(
        request,
        "reviews/checklist.html",
        {
            "review": review,
            "child": review.child,
            "form": form,
            "label": labels[item],
            "item": item,
            "observe": observe,
        },
    )


def choices(request, review_id: int):
    review = get_review(request, review_id)
    access.describe(request, "child's choices")
    form = forms.ChoicesForm(
        request.POST or None, instance=review, initial={"version": review.choices_version}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_choices(
                review,
                by=request.user,
                who=d["choice_who"],
                topics=d["choice_topics"],
                where=d["choice_where"],
                when=d["choice_when"],
                chairing=d["choice_chairing"],
                cutoff=d["choices_cutoff"],
                seen_version=d["version"],
            )
        except services.ChoicesChanged as changed:
            form = _choices_changed(form, changed.latest)
        else:
            messages.success(request, f"{review.child.first_name}'s choices saved.")
            return to_review(request, review)
    return form_page(
        request,
        review,
        form,
        title=f"{review.child.first_name}'s choices for the review",
        intro="Who comes, what is talked about, where and when, and who chairs.",
        button="Save the choices",
    )


def _choices_changed(form, latest):
    """The IRO's form again, as they typed it, saying what the choices became meanwhile: saving
    again replaces them (the form now carries the latest version)."""
    form.data = form.data.copy()
    form.data["version"] = str(latest.choices_version)
    now = {
        "Who comes": latest.choice_who,
        "What is talked about": latest.choice_topics,
        "Where": latest.choice_where,
        "When": latest.choice_when,
        "Who chairs": latest.get_choice_chairing_display(),
    }
    shown = "; ".join(f"{k}: {v}" for k, v in now.items() if v) or "nothing"
    form.add_error(
        None,
        "These choices were changed (in the portal, or by a colleague) while you had this page "
        f"open. They are now: {shown}. Check yours below; saving again replaces them.",
    )
    return form


def consultation_answers(request, consultation_id: int):
    consultation = get_object_or_404(
        Consultation.objects.visible_to(request.user).select_related("review__child", "form"),
        pk=consultation_id,
    )
    review = consultation.review
    if consultation.last_saved_at and not consultation.returned_on:
        # Being filled in online (issue 5): the person's own until they send it.
        messages.success(
            request,
            f"{consultation.respondent} is filling this form in online and has not sent "
            "it yet. You will see the answers once it is sent.",
        )
        return to_review(request, review)
    access.describe(request, "read consultation answers")
    initial = {
        "returned_on": consultation.returned_on or today(),
        "share_with_social_worker": consultation.share_with_social_worker,
    }
    form = forms.AnswersForm(request.POST or None, consultation=consultation, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_answers(
            consultation,
            by=request.user,
            answers=form.answers(),
            returned_on=form.cleaned_data["returned_on"],
            share_with_social_worker=form.cleaned_data.get("share_with_social_worker", False),
        )
        messages.success(request, f"Answers from {consultation.respondent} recorded.")
        return to_review(request, review)
    return form_page(
        request,
        review,
        form,
        title=f"{consultation.form.title}: {consultation.respondent}",
        intro=consultation.form.introduction,
        button="Save the answers",
    )


def exclude(request, review_id: int):
    review = get_review(request, review_id)
    parents = [
        (r.person_id, f"{r.person} ({r.get_kind_display()})")
        for r in review.child.relationships.select_related("person")
        if r.kind in {"mother", "father", "parent"}
    ]
    form = forms.ExcludeForm(request.POST or None, parents=parents, initial={"offered_on": today()})
    if request.method == "POST" and form.is_valid():
        person = (
            review.child.relationships.filter(
                person_id=form.cleaned_data["person"], kind__in=["mother", "father", "parent"]
            )
            .first()
            .person
        )
        try:
            exclusion = services.exclude_parent(
                review,
                by=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                offered_on=form.cleaned_data["offered_on"],
            )
        except services.ReviewRefused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"{person} is not invited. Their letter is ready.")
            return redirect("reviews:exclusion", exclusion_id=exclusion.pk)
    return form_page(
        request,
        review,
        form,
        title="Do not invite a parent",
        intro="A parent is invited unless there is a specific reason. The reason is written "
        "to them, and you offer to meet them separately.",
        button="Record and write the letter",
    )


def exclusion(request, exclusion_id: int):
    exclusion = get_object_or_404(
        Exclusion.objects.visible_to(request.user).select_related("review__child", "person"),
        pk=exclusion_id,
    )
    review = exclusion.review
    form = forms.ExclusionOutcomeForm(request.POST or None, instance=exclusion)
    if request.method == "POST" and form.is_valid():
        services.record_separate_meeting(
            exclusion,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["outcome_note"],
        )
        messages.success(request, "The separate meeting's outcome is recorded.")
        return to_review(request, review)
    return render(
        request,
        "reviews/exclusion.html",
        {
            "review": review,
            "child": review.child,
            "exclusion": exclusion,
            "form": form,
        },
    )


def _owners(review):
    child = review.child
    people = [u for u in (child.current_social_worker, child.current_iro) if u]
    if (
        child.current_social_worker
        and child.current_social_worker.team
        and (child.current_social_worker.team.manager)
    ):
        people.append(child.current_social_worker.team.manager)
    return [(u.pk, f"{u} ({u.get_role_display()})") for u in dict.fromkeys(people)]


def record(request, review_id: int):
    """The meeting record. A save that started from an older version is refused and shown with
    both the saved record and what this editor typed, so nothing is lost."""
    review = get_review(request, review_id)
    access.describe(request, "opened the review record")
    owners = _owners(review)
    meetings = services.completing_meetings(review)
    ahead = None if meetings else services.meeting_ahead(review)
    conflict = None
    if request.method == "POST":
        form = forms.RecordForm(request.POST, review=review, meetings=meetings, ahead=ahead)
        formset = forms.DecisionFormSet(
            request.POST, prefix="decisions", form_kwargs={"owners": owners}
        )
        if form.is_valid() and formset.is_valid():
            d = form.cleaned_data
            owner_ids = {pk for pk, _ in owners}
            decisions = [
                {
                    **x,
                    "owner": review.child.current_iro.__class__.objects.get(pk=x["owner"])
                    if x.get("owner") in owner_ids
                    else None,
                }
                for x in formset.decisions()
            ]
            data = services.RecordInput(
                held_on=d["held_on"],
                participation_code=d["participation_code"],
                wishes_and_feelings=d["wishes_and_feelings"],
                parents_views=d["parents_views"],
                matters={k: d[f"matter_{k}"] for k in MatterConsidered.Matter.values},
                decisions=decisions,
                hidden_from=form.hidden_from(),
                attendance={inv.pk: d.get(f"attendance_{inv.pk}", "") for inv in form.invitations},
            )
            try:
                services.save_record(review, by=request.user, version=d["version"], data=data)
            except services.StaleRecord as stale:
                conflict = stale.current
                form.add_error(
                    None,
                    f"{conflict.record_updated_by} saved this record while you "
                    "were editing it. Your changes are below and are not saved "
                    "yet; theirs are shown beside them. Check, then save again.",
                )
                form.data = posted = request.POST.copy()
                posted["version"] = conflict.version
            except services.DateHeldRefused as refused:
                add_refusal(form, refused, "held_on")
            except services.ReviewRefused as refused:
                # No IRO yet (rules.md §4) is about the whole record, not one field.
                no_iro = review.child.current_iro_id is None
                add_refusal(form, refused, None if no_iro else "participation_code")
            else:
                messages.success(request, "The record is saved.")
                return to_review(request, review)
    else:
        form = forms.RecordForm(
            review=review,
            meetings=meetings,
            ahead=ahead,
            initial={
                "version": review.version,
                "held_on": (
                    review.held_on
                    or (
                        (meetings[0] if services.review_dated_by() == "first" else meetings[-1]).on
                        if meetings
                        else today()
                    )
                ).isoformat(),
                "participation_code": review.participation_code,
                "wishes_and_feelings": review.wishes_and_feelings,
                "parents_views": review.parents_views,
            },
        )
        formset = forms.DecisionFormSet(
            prefix="decisions",
            form_kwargs={"owners": owners},
            initial=[
                {
                    "text": x.text,
                    "owner": x.owner_id,
                    "owner_description": x.owner_description,
                    "due_on": x.due_on,
                }
                for x in review.decisions.all()
            ],
        )
    return render(
        request,
        "reviews/record.html",
        {
            "review": review,
            "child": review.child,
            "form": form,
            "formset": formset,
            "conflict": conflict,
            "meetings": meetings,
            "ahead": ahead,
        },
    )


def care_plan(request, review_id: int):
    review = get_review(request, review_id)
    access.describe(request, "updated care plan")
    form = forms.CarePlanForm(
        request.POST or None,
        initial={
            "explained_on": review.care_plan_explained_on,
            "copied_on": review.care_plan_copied_on,
            "for_parents": review.care_plan_for_parents,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.mark_care_plan(review, by=request.user, **form.cleaned_data)
        messages.success(request, "Recorded.")
        return to_review(request, review)
    return form_page(
        request,
        review,
        form,
        title="The updated care plan and the parents",
        intro="The updated care plan is explained to the parents, and they get a copy.",
        button="Save",
    )


def review_url(review: Review) -> str:
    return reverse("reviews:detail", kwargs={"review_id": review.pk})


def consultation_read(request, consultation_id: int):
    """A consultation form's answers, read only (issue 5, item 4).

    The IRO service (the child's IRO, IRO managers) reads any form. A social worker or team
    manager reads only a child's own form, once sent back, and only if the child said their social
    worker may; parents' and carers' forms are for the IRO service. Anything else is not found.
    """
    from carereview.core import policy

    consultation = get_object_or_404(
        Consultation.objects.visible_to(request.user).select_related(
            "review__child", "form", "person", "submitted_by"
        ),
        pk=consultation_id,
    )
    review, user = consultation.review, request.user
    if policy.is_iro(user):
        allowed = review.child.current_iro_id == user.pk
    elif policy.is_iro_manager(user):
        allowed = True
    elif policy.is_social_worker(user) or policy.is_team_manager(user):
        allowed = (
            consultation.for_child
            and consultation.share_with_social_worker
            and consultation.returned_on is not None
        )
    else:
        allowed = False
    if not allowed:
        raise Http404("No such consultation")
    access.describe(request, "read consultation answers (read only)")
    # Answers being written online are the person's own until they send them.
    rows = []
    if consultation.returned_on is not None:
        answers = {a.question_id: a.answer for a in consultation.answers.all()}
        rows = [(q, answers.get(q.pk)) for q in consultation.form.questions.all()]
    return render(
        request,
        "reviews/consultation_read.html",
        {"review": review, "child": review.child, "consultation": consultation, "rows": rows},
    )

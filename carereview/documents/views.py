"""The pages of a review that show or send its documents (issue 4; issue 12, items 4, 21, 24):
the review's page with the copies waiting for the IRO's check, consultation forms, invitations,
the decisions and the record, the PDFs, the child's letter and wording, and business support's
workspace of letters to post. Their URLs stay in the reviews namespace (config.urls mounts them
with the review's own); they live here because documents is the layer above reviews (ADR 0013).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from carereview.core import access
from carereview.core.authority import authority
from carereview.core.calendar import today, working_calendar
from carereview.core.forms import parse_id
from carereview.documents import invitations as invitation_letters
from carereview.documents import letters, records, release, selectors, services
from carereview.documents.letters import draft_child_letter, suggest_child_wording
from carereview.documents.records import recipient_for_invitation, recipients_for
from carereview.documents.redaction import NotReleased
from carereview.documents.release import record_version, waiting_for_check
from carereview.reviews import forms
from carereview.reviews import services as review_services
from carereview.reviews.models import ConsultationForm
from carereview.reviews.presenters import ReviewPresenter
from carereview.reviews.selectors import child_wording_missing, known_as, send_blockers
from carereview.reviews.services import ReviewRefused
from carereview.reviews.views import add_refusal, form_page, get_review, to_review


def detail(request, review_id: int):
    if not request.user.has_perm("carereview.view_review"):
        return _support_detail(request, review_id)
    review = get_review(request, review_id)
    access.describe(request, "viewed a review")
    p = ReviewPresenter(review, today(), working_calendar())
    context = {"review": review, "child": review.child, "p": p}
    context["checklist"] = _checklist_tasks(request, review, p)
    context["copies_to_check"] = waiting_for_check(review)  # rules.md §7, ADR 0009
    context["unworded"] = len(child_wording_missing(review)) if review.held_on else 0
    return render(request, "reviews/detail.html", context)


def _checklist_tasks(request, review, p: ReviewPresenter) -> list[dict]:
    """The IRO's checklist as GOV.UK task list tasks; each links to where it is recorded for
    those who prepare reviews."""
    can_record = request.user.has_perm("carereview.prepare_review")
    return [
        {
            "title": row.label,
            "status": row.status,
            "hint": row.hint,
            "href": reverse("reviews:checklist", args=[review.pk, row.item]) if can_record else "",
        }
        for row in p.checklist
    ]


def _support_detail(request, review_id: int):
    """Business support's view of a review: when and where, who is invited, and what is left for
    them to do, with the letters to print and post. No case content (docs/adr/0011)."""
    review = get_review(request, review_id, "scheduling")
    access.describe(request, "viewed a review's arrangements")
    row = selectors.support_row(review)
    meetings = review.meetings.order_by("on", "at")
    invitations = review.invitations.select_related("person", "staff").order_by("id")
    context = {"review": review, "child": review.child, "row": row, "meetings": meetings}
    context |= {"invitations": invitations, "in_work": selectors.is_supported(request.user, review)}
    return render(request, "reviews/support_detail.html", context)


def support(request):
    """Business support's workspace: the reviews in their work, each with what is left to do."""
    reviews = selectors.with_support_details(selectors.supported_reviews(request.user))
    size = authority().support_page_size
    page = Paginator(reviews, size).get_page(request.GET.get("page"))
    rows = [selectors.support_row(r) for r in page.object_list]
    return render(request, "reviews/support.html", {"rows": rows, "page": page})


def letters_posted(request, review_id: int):
    review = get_review(request, review_id, "scheduling")
    if request.method != "POST":
        return redirect(reverse("reviews:detail", kwargs={"review_id": review.pk}) + "#letters")
    try:
        ids = [n for n in map(parse_id, request.POST.getlist("letters")) if n is not None]
        n = services.mark_letters_posted(review, by=request.user, dispatch_ids=ids)
    except ReviewRefused as refused:
        messages.error(request, " ".join(refused.reasons))
    else:
        messages.success(request, f"{n} letter{'s' if n != 1 else ''} marked as posted.")
    return redirect(reverse("reviews:detail", kwargs={"review_id": review.pk}) + "#letters")


def _consultation_recipients(review):
    child = review.child
    rows = [("child", f"{child.full_name} (the child's form for their age)")]
    for rel in child.relationships.select_related("person"):
        if rel.kind in {"mother", "father", "parent", "carer"}:
            rows.append((f"{rel.kind}-{rel.person_id}", f"{rel.person} ({rel.get_kind_display()})"))
    return rows


def consultation_send(request, review_id: int):
    review = get_review(request, review_id)
    form = forms.SendConsultationForm(
        request.POST or None, recipients=_consultation_recipients(review)
    )
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["recipient"]
        if key == "child":
            person, audience = None, None
        else:
            kind, person_id = key.split("-", 1)
            person = review.child.relationships.get(person_id=int(person_id), kind=kind).person
            audience = (
                ConsultationForm.Audience.CARER
                if kind == "carer"
                else ConsultationForm.Audience.PARENT
            )
        try:
            c = services.send_consultation(
                review,
                by=request.user,
                person=person,
                audience=audience,
                method=form.cleaned_data["method"],
            )
        except ReviewRefused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"“{c.form.title}” sent to {c.respondent}.")
            return to_review(request, review)
    return form_page(
        request,
        review,
        form,
        title="Send a consultation form",
        intro="The child gets the form for their age: under 8, 8 to 11, or 12 and over.",
        button="Send the form",
    )


def invitations(request, review_id: int):
    review = get_review(request, review_id, "scheduling")
    excluded = review_services.excluded_people(review)
    choices = [
        (i.key, f"{i.name} ({i.role})")
        for i in review_services.possible_invitees(review)
        if not (i.person and i.person.pk in excluded)
    ]
    form = forms.InviteForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.invite(
                review,
                by=request.user,
                keys=form.cleaned_data["invitees"],
                method=form.cleaned_data["method"],
            )
            sent = services.send_invitations(review, by=request.user)
        except ReviewRefused as refused:
            add_refusal(form, refused, "invitees")
        else:
            messages.success(
                request,
                f"{sent} invitation{'s' if sent != 1 else ''} sent.{_waiting_note(review)}",
            )
            return to_review(request, review)
    return form_page(
        request,
        review,
        form,
        title="Invite people to the review",
        intro="Invitations go as a letter (PDF) and, where chosen and known, by email. "
        "A parent who is not invited is not listed: their letter gives the reason.",
        button="Send invitations",
    )


def _waiting_note(review) -> str:
    """After a send: whose copies wait for the IRO's check (rules.md §7, ADR 0009), so whoever
    sent is not told everything went."""
    people = set(review.invitations.values_list("person_id", flat=True))
    people |= set(review.exclusions.values_list("person_id", flat=True))
    names = [r.name for r in waiting_for_check(review) if r.person and r.person.pk in people]
    if not names:
        return ""
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f" What goes to {who} waits for the IRO's check of what they read, and goes once the "
        "IRO confirms."
    )


def send(request, review_id: int, kind: str):
    review = get_review(request, review_id, "scheduling")
    if kind not in {"decisions", "record"}:
        raise Http404("Nothing of that kind to send")
    p = ReviewPresenter(review, today(), working_calendar())
    deadline = p.decisions_deadline if kind == "decisions" else p.record_deadline
    error = None
    if request.method == "POST":
        try:
            sent = (services.send_decisions if kind == "decisions" else services.send_record)(
                review, by=request.user
            )
        except ReviewRefused as refused:
            error = " ".join(refused.reasons)
        else:
            messages.success(
                request,
                f"The {kind} went to {sent} {'person' if sent == 1 else 'people'}."
                + _waiting_note(review),
            )
            return to_review(request, review)

    recipients = [recipient_for_invitation(review, i) for i in p.invitations]
    keys = {r.key for r in recipients}
    recipients += [r for r in recipients_for(review) if r.kind == "full" and r.key not in keys]
    versions = [(r, record_version(review, r)) for r in recipients]
    sent_on = review.decisions_sent_on if kind == "decisions" else review.record_sent_on
    return render(
        request,
        "reviews/send.html",
        {
            "review": review,
            "child": review.child,
            "kind": kind,
            "deadline": deadline,
            "error": error,
            "versions": versions,
            "sent_on": sent_on,
            "blockers": [] if sent_on else send_blockers(review, kind),
        },
    )


def document(request, review_id: int, kind: str, recipient: int | str):
    """A PDF for one recipient: only the version they may see (documents.records)."""
    review = get_review(request, review_id, "scheduling")
    if not request.user.has_perm("carereview.view_review"):
        # Business support prints only the letters to post, of reviews in their work (ADR 0011);
        # one waiting for the IRO's check says so (rules.md §7).
        letter = selectors.letter_to_post(request.user, review, kind, recipient)
        if letter is None:
            raise PermissionDenied("Business support opens only the letters they post")
        if letter.waiting:
            raise NotReleased(
                "This letter is waiting for the IRO to check what its recipient reads. You can "
                "print it once they have."
            )
    access.describe(request, f"downloaded the {kind} for {recipient}")
    if kind == "letter-to-child":
        pdf, name = letters.render_child_letter_pdf(review), "letter-to-child"
    elif kind == "exclusion-letter":
        if not isinstance(recipient, int):
            raise Http404("No such letter")
        exclusion = get_object_or_404(review.exclusions, pk=recipient)
        pdf, name = invitation_letters.render_exclusion_letter_pdf(exclusion), "reason-in-writing"
    elif kind == "invitation":
        if not isinstance(recipient, int):
            raise Http404("No such invitation")
        invitation = get_object_or_404(review.invitations, pk=recipient)
        pdf, name = invitation_letters.render_invitation_pdf(review, invitation), "invitation"
    elif kind in {"record", "decisions"}:
        match = [r for r in records.recipients_for(review) if r.key == recipient]
        if not match:
            raise Http404("No such recipient")
        version = release.record_version(review, match[0])
        if version is None:
            raise Http404("This person may not have a copy of the record")
        if kind == "decisions":
            pdf, name = records.render_decisions_pdf(version), "review-decisions"
        else:
            pdf, name = records.render_record_pdf(version), "review-record"
    else:
        raise Http404("No such document")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{review.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def child_wording(request, review_id: int):
    """Each decision in the child's words, written or confirmed by the IRO (issue 12 item 24)."""
    review = get_review(request, review_id)
    access.describe(request, "decisions in the child's words")
    child = review.child
    name = known_as(child)
    decisions = list(review.decisions.order_by("due_on", "id"))
    form = forms.ChildWordingForm(
        request.POST or None,
        decisions=decisions,
        name=name,
        suggestions={d.pk: suggest_child_wording(d, child) for d in decisions},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_services.save_child_wording(review, by=request.user, wordings=form.wordings())
        except ReviewRefused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"The decisions in {name}'s words are saved.")
            return to_review(request, review)
    return form_page(
        request,
        review,
        form,
        title=f"The decisions in {name}'s words",
        intro=(
            f"{name}'s letter, their copy of the decisions and their pages in the portal use these "
            "words, never the professional ones. Write each as you would say it to them."
            if decisions
            else "No decisions are recorded for this review yet. Record them first."
        ),
        button="Save",
    )


def child_letter(request, review_id: int):
    review = get_review(request, review_id)
    form = forms.ChildLetterForm(
        request.POST or None, initial={"text": review.child_letter or draft_child_letter(review)}
    )
    if request.method == "POST" and form.is_valid():
        review_services.save_child_letter(review, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, f"The letter to {review.child.first_name} is saved.")
        return to_review(request, review)
    return render(
        request,
        "reviews/child_letter.html",
        {
            "review": review,
            "child": review.child,
            "form": form,
            "unworded": len(child_wording_missing(review)),
            "name": known_as(review.child),
        },
    )

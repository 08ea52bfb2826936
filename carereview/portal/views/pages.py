"""One child's part of the portal: their IRO, the next review, their choices, and what was
decided (issue 5, items 2, 3 and 5). Every view starts from the person's own access."""

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format

from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import today, working_calendar
from carereview.core.forms import ChoiceFilterForm, is_number, parse_id
from carereview.documents import copies, letters, records, redaction, release
from carereview.portal import services as portal_services
from carereview.portal.forms import ChoicesForm, SeparateMeetingForm, VisitRequestForm
from carereview.portal.models import PortalAccess, VisitRequest
from carereview.portal.views.common import portal_access, render_portal
from carereview.reviews import services as review_services
from carereview.reviews.models import Meeting, Review

# What every review talks about (CPPCR Schedule 7), in plain words for the portal.
TALKED_ABOUT = [
    "How things have gone since the last review, and whether what was agreed got done",
    "Where you live, and whether it is right for you",
    "Seeing your family and friends",
    "School or college",
    "Your health",
    "Who you are: your culture, religion and languages",
    "Things you like doing",
    "Plans for the future",
    "What you think and how you feel",
]


def _recipient(access: PortalAccess) -> records.Recipient:
    """Who this person is as a recipient of the child's documents (parent, carer, other)."""
    if access.is_child:
        return records.Recipient("child", access.child.full_name)
    return records.recipient_of_child(access.child, access.person)


def _released(access: PortalAccess, review: Review | None) -> bool:
    """rules.md §7 (ADR 0009): staff-typed text about `review` reaches a person the address is
    confidential from only once the IRO has checked their version."""
    return review is None or release.released_to(_recipient(access), review)


def _meeting_lines(access: PortalAccess, review: Review | None) -> list:
    if review is None:
        return []
    recipient = _recipient(access)
    return letters.meeting_lines(
        review,
        may_see_address=not redaction.hides_address_from(access.child, recipient),
        matcher=redaction.matcher_for(access.child, recipient),
    )


def _next_meeting(review: Review | None) -> Meeting | None:
    if review is None:
        return None
    return review.meetings.filter(status=Meeting.Status.SCHEDULED).order_by("on", "at").first()


def choices_cutoff(review: Review) -> date | None:
    """The last day the child may change their choices: the IRO's date, else the setting's
    working days before the first booked meeting; None when no meeting is booked yet."""
    if review.choices_cutoff:
        return review.choices_cutoff
    meeting = _next_meeting(review)
    if meeting is None:
        return None
    return working_calendar().subtract_working_days(
        meeting.on, authority().portal_choices_cutoff_working_days
    )


def can_change_choices(review: Review | None) -> bool:
    if review is None:
        return False
    cutoff = choices_cutoff(review)
    return cutoff is None or today() <= cutoff


def _exclusion(review: Review | None, access: PortalAccess):
    """The person's exclusion from `review`, with the reason as they may read it (no confidential
    placement address)."""
    if review is None or access.person_id is None:
        return None
    exclusion = review.exclusions.filter(person_id=access.person_id).first()
    if exclusion is not None:
        exclusion.reason_for_parent = (
            redaction.exclusion_reason_for(exclusion, _recipient(access))
            if _released(access, review)
            else redaction.NOT_READY
        )
    return exclusion


def child(request, child_id: int):
    """The first screen: "My IRO" first, then the next review."""
    access = portal_access(request, child_id, "home")
    the_child = access.child
    review = review_services.open_review(the_child)
    meeting = _next_meeting(review)
    released = _released(access, review)
    open_visits = access.visit_requests.filter(answered_at__isnull=True).count()
    return render_portal(
        request,
        "portal/child.html",
        access,
        {
            "iro": the_child.current_iro,
            "review": review,
            "meeting": meeting,
            "meeting_lines": _meeting_lines(access, review) if released else [],
            "not_ready": redaction.NOT_READY if not released else "",
            "next_due": the_child.next_review_due,
            "open_visits": open_visits,
            "excluded": _exclusion(review, access),
        },
    )


def iro_photo(request, child_id: int):
    """The IRO's photo, for those whose child they are IRO of."""
    access = portal_access(request, child_id, "iro photo")
    iro = access.child.current_iro
    if iro is None or not iro.photo:
        raise Http404("No photo")
    response = FileResponse(iro.photo.open("rb"), content_type="image/jpeg")
    if (iro.photo.name or "").lower().endswith(".png"):
        response["Content-Type"] = "image/png"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def visit(request, child_id: int):
    """Ask the IRO to visit outside reviews; see earlier requests and the IRO's answers."""
    access = portal_access(request, child_id, "visit requests")
    iro = access.child.current_iro
    form = VisitRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_services.ask_for_visit(
                access,
                by=request.user,
                why=form.cleaned_data["why"],
                when_suits=form.cleaned_data["when_suits"],
            )
        except portal_services.PortalRefused as refused:
            form.add_error(None, str(refused))
        else:
            assert iro is not None  # ask_for_visit refuses a child without an IRO
            messages.success(request, f"Sent to {iro.first_name}. They will answer here.")
            return redirect("portal:visit", child_id=access.child_id)
    return render_portal(
        request,
        "portal/visit.html",
        access,
        {"form": form, "iro": iro, "asked": _visits(access)},
    )


def visit_answers_copy(access: PortalAccess) -> copies.ParentCopy:
    """The IRO's answers to this person's visit requests, as they would read them: text staff
    typed outside any review (documents.release)."""
    answered = access.visit_requests.filter(answered_at__isnull=False).order_by("answered_at", "id")
    return copies.answers_copy(
        access.child,
        _recipient(access),
        [(a.answered_at.date(), a.answer) for a in answered if a.answered_at],
    )


def _visits(access: PortalAccess) -> list[VisitRequest]:
    asked = list(access.visit_requests.select_related("answered_by"))
    copy = visit_answers_copy(access)
    released = release.is_released(copy)
    matcher = redaction.matcher_for(access.child, _recipient(access))
    for a in asked:
        if not released:
            a.answer_for_them = redaction.NOT_READY
        else:
            a.answer_for_them = matcher.redact(a.answer)[0] if matcher else a.answer
    return asked


def review(request, child_id: int):
    """The next review: when and where, who is coming, what will be talked about."""
    access = portal_access(request, child_id, "next review")
    the_child = access.child
    open_review = review_services.open_review(the_child)
    excluded = _exclusion(open_review, access)
    released = _released(access, open_review)
    invitations: list[str] = []
    if open_review is not None and excluded is None and released:
        if access.is_child:
            invitations = [
                "You" if i.for_child else i.name + (f" ({i.role})" if i.role else "")
                for i in open_review.invitations.select_related("person", "staff")
            ]
        else:  # as this person may read it (a hidden carer's name left out)
            invitations = redaction.invitee_lines(open_review, _recipient(access))
    return render_portal(
        request,
        "portal/review.html",
        access,
        {
            "review": open_review,
            "next_due": the_child.next_review_due,
            "meeting_lines": _meeting_lines(access, open_review) if released else [],
            "not_ready": redaction.NOT_READY if not released else "",
            "invitations": invitations,
            "excluded": excluded,
            "talked_about": TALKED_ABOUT,
            "topics": (
                redaction.matcher_for(the_child, _recipient(access)).redact(
                    open_review.choice_topics
                )[0]
                if open_review and released
                else ""
            ),
            "cutoff": choices_cutoff(open_review) if open_review else None,
            "can_change": access.is_child and can_change_choices(open_review),
        },
    )


def choices(request, child_id: int):
    """The child changes their choices (who, what, where, when, chairing) until the cut-off."""
    access = portal_access(request, child_id, "review choices")
    if not access.is_child:
        raise Http404("Only the child makes these choices")
    open_review = review_services.open_review(access.child)
    if open_review is None:
        messages.success(request, "There is no review booked yet, so there is nothing to change.")
        return redirect("portal:review", child_id=access.child_id)
    if not can_change_choices(open_review):
        return render_portal(
            request,
            "portal/choices_closed.html",
            access,
            {"review": open_review, "cutoff": choices_cutoff(open_review)},
        )
    initial = {
        "who": open_review.choice_who,
        "topics": open_review.choice_topics,
        "where": open_review.choice_where,
        "when": open_review.choice_when,
        "chairing": open_review.choice_chairing or Review.Chairing.IRO,
        "version": open_review.choices_version,
    }
    form = ChoicesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                review_services.save_choices(
                    open_review,
                    by=request.user,
                    who=data["who"],
                    topics=data["topics"],
                    where=data["where"],
                    when=data["when"],
                    chairing=data["chairing"] or Review.Chairing.IRO,
                    seen_version=data["version"],
                )
                open_review.choices_updated_at = timezone.now()
                open_review.choices_updated_by = request.user
                open_review.save(update_fields=["choices_updated_at", "choices_updated_by"])
        except review_services.ChoicesChanged as changed:
            # The IRO saved them while this page was open: show what they are now.
            latest = changed.latest
            form.data = posted = request.POST.copy()
            posted["version"] = str(latest.choices_version)
            now = [
                ("Who comes", latest.choice_who),
                ("What you talk about", latest.choice_topics),
                ("Where", latest.choice_where),
                ("When", latest.choice_when),
            ]
            shown = "; ".join(f"{k}: {v}" for k, v in now if v) or "nothing written yet"
            form.add_error(
                None,
                "Your IRO changed your choices while you were on this page. They say now: "
                f"{shown}. If you still want yours, press Save again.",
            )
        else:
            messages.success(request, "Saved. Your IRO can see your choices.")
            return redirect("portal:review", child_id=access.child_id)
    return render_portal(
        request,
        "portal/choices.html",
        access,
        {"form": form, "review": open_review, "cutoff": choices_cutoff(open_review)},
    )


# --- after the review ------------------------------------------------------------------------


def _held_reviews(access: PortalAccess):
    """Held reviews whose decisions or record have gone out: what the person may read."""
    return (
        access.child.reviews.filter(held_on__isnull=False)
        .exclude(decisions_sent_on__isnull=True, record_sent_on__isnull=True)
        .order_by("-held_on", "-id")
    )


def _care_plan(review: Review, access: PortalAccess) -> str:
    """The updated care plan as copied to parents (seeds), without a confidential address."""
    if access.role != "parent":
        return ""
    return redaction.care_plan_for(review, _recipient(access))


def after(request, child_id: int):
    """What was decided: the child's letter, a parent's or carer's version of the record, the
    updated care plan; for an excluded parent, the reason in writing and the separate meeting."""
    access = portal_access(request, child_id, "after the review")
    held = list(_held_reviews(access))
    chosen = held[0] if held else None
    wanted = request.GET.get("review", "")
    if is_number(wanted):  # a number that is none of theirs is not found
        chosen = next((r for r in held if r.pk == parse_id(wanted)), None)
        if chosen is None:
            raise Http404("No such review")
    context = {"held": held, "chosen": chosen, "version": None, "blocks": [], "excluded": None}
    context["review_filter"] = ChoiceFilterForm(
        "review",
        "Which review",
        [(r.pk, date_format(r.held_on, "j F Y")) for r in held],
        chosen.pk if chosen else None,
    )
    if chosen is not None:
        recipient = records.recipient_for_person(chosen, access.person)
        context["excluded"] = _exclusion(chosen, access)
        if access.is_child:
            if chosen.record_sent_on:
                context["blocks"] = letters.letter_blocks(letters.child_letter_text(chosen))
            elif chosen.decisions_sent_on:
                # Until the letter comes: the decisions in the words written for the child.
                child_version = release.record_version(chosen, recipient)
                assert child_version is not None  # the child sees their own review's record
                context["child_decisions"] = child_version.decisions
        else:
            version = release.record_version(chosen, recipient)
            if version is not None and not version.released:
                context["not_ready"] = redaction.NOT_READY
            else:
                context["version"] = version
                context["record_sent"] = bool(chosen.record_sent_on)
                context["care_plan"] = _care_plan(chosen, access)
    # An exclusion from the review being prepared is shown too: the reason is given before it.
    open_review = review_services.open_review(access.child)
    context["open_excluded"] = _exclusion(open_review, access)
    return render_portal(request, "portal/after.html", access, context)


def record_pdf(request, child_id: int, review_id: int):
    access = portal_access(request, child_id, "record pdf")
    chosen = _held_reviews(access).filter(pk=review_id, record_sent_on__isnull=False).first()
    if chosen is None:
        raise Http404("No such record")
    if access.is_child:
        pdf = letters.render_child_letter_pdf(chosen)
        name = "letter-about-your-review.pdf"
    else:
        version = release.record_version(
            chosen, records.recipient_for_person(chosen, access.person)
        )
        if version is None:
            raise Http404("No version for this person")
        if not version.released:
            return render_portal(
                request,
                "portal/not_ready.html",
                access,
                {"not_ready": redaction.NOT_READY},
            )
        pdf = records.render_record_pdf(version)
        name = f"review-record-{chosen.held_on:%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def separate_meeting(request, child_id: int, review_id: int):
    """An excluded parent asks to meet the IRO separately (seeds)."""
    access = portal_access(request, child_id, "separate meeting")
    chosen = access.child.reviews.filter(pk=review_id).first()
    exclusion = None
    if chosen is not None and access.person_id is not None:
        exclusion = chosen.exclusions.filter(person_id=access.person_id).first()
    if exclusion is None:
        raise Http404("Not excluded from this review")
    form = SeparateMeetingForm(request.POST or None)
    if exclusion.separate_meeting_requested_at:
        messages.success(request, "You have already asked. The IRO will get in touch.")
        return redirect("portal:after", child_id=access.child_id)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            exclusion.separate_meeting_requested_at = timezone.now()
            exclusion.separate_meeting_request_note = form.cleaned_data["note"].strip()
            exclusion.save(
                update_fields=["separate_meeting_requested_at", "separate_meeting_request_note"]
            )
            audit.record_change(request.user, "portal.separate_meeting_request", exclusion, {})
        messages.success(request, "Sent to the IRO. They will get in touch to arrange it.")
        return redirect("portal:after", child_id=access.child_id)
    return render_portal(
        request, "portal/separate_meeting.html", access, {"form": form, "exclusion": exclusion}
    )

"""Letters a review produces: to the child, inviting someone, and telling a parent why they are
not invited (seeds; rules.md §4 "parents", "record").

The letter to the child is drafted here from the record in plain words a 9-year-old can read, and
edited by the IRO (`Review.child_letter` holds the edited text). It is plain text: blank lines
separate paragraphs, lines starting "- " are a list, and a short line on its own is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from django.template.loader import render_to_string
from django.utils.dateformat import format as format_date

from carereview.core.authority import authority
from carereview.core.calendar import due_words
from carereview.documents.addresses import ConfidentialAddressMatcher
from carereview.documents.headings import Heading
from carereview.documents.headings import heading_about as document_heading
from carereview.documents.pdf import html_to_pdf
from carereview.documents.recipients import (
    MATTER_ORDER,
    authority_name,
)
from carereview.reviews.models import (
    Dispatch,
    MatterConsidered,
    Meeting,
    Review,
)

Matter = MatterConsidered.Matter

# Each matter of Schedule 7 in words a child uses (the record uses the statutory names).
MATTER_IN_PLAIN_WORDS: dict[str, str] = {
    Matter.CHANGES: "what has changed since your last review",
    Matter.LEGAL_STATUS: "why you are in care and what the court has said",
    Matter.PERMANENCE: "where you will grow up",
    Matter.CONTACT: "seeing your family and friends",
    Matter.PLACEMENT: "your home, and if it is right for you",
    Matter.EDUCATION: "school",
    Matter.HEALTH: "your health",
    Matter.IDENTITY: "who you are, your culture and your faith",
    Matter.LEISURE: "your hobbies and the things you like to do",
    Matter.LEAVING_CARE: "plans for when you are older",
    Matter.WISHES: "what you want and how you feel",
    Matter.VISITS: "how often your social worker sees you",
}

VENUE_FROM_IRO = "The venue will be told to you by the IRO."


def long_date(d: date) -> str:
    return format_date(d, "j F Y")


def day_and_date(d: date) -> str:
    return format_date(d, "l j F Y")


def clock(t: time) -> str:
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d}{'am' if t.hour < 12 else 'pm'}"


def review_iro(review: Review):
    return review.child.current_iro or review.chaired_by


def _sentence(text: str) -> str:
    text = " ".join((text or "").split())
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


# --- the letter to the child ---------------------------------------------------------------------


def _who_will_do_it(review: Review, decision, iro) -> str:
    child = review.child
    if decision.owner_id and iro and decision.owner_id == iro.pk:
        return "I will do this"
    if decision.owner_id and decision.owner_id == child.current_social_worker_id:
        return f"Your social worker, {decision.owner}, will do this"
    who = decision.owner_label.strip()
    if not who:
        return "Someone will do this"
    return f"{who[:1].upper()}{who[1:]} will do this"


def draft_child_letter(review: Review) -> str:
    """A letter to the child about their review, in short sentences and plain words."""
    child = review.child
    name = child.preferred_name or child.first_name
    iro = review_iro(review)
    service_phone = authority().iro_service_phone
    parts: list[str] = [f"Dear {name},"]

    if review.held_on:
        parts.append(
            f"This letter is about your review on {long_date(review.held_on)}. "
            "A review is a meeting about you and your plan. "
            "Your plan says how we will look after you."
        )
    else:
        parts.append(
            "This letter is about your review. A review is a meeting about you and your plan. "
            "Your plan says how we will look after you."
        )

    matters = sorted(
        review.matters.values_list("matter", flat=True), key=lambda m: MATTER_ORDER.get(m, 99)
    )
    if matters:
        parts.append("What we talked about")
        parts.append(
            "We talked about:\n"
            + "\n".join(f"- {MATTER_IN_PLAIN_WORDS.get(m, 'other things')}." for m in matters)
        )

    parts.append("What we decided")
    decisions = list(review.decisions.select_related("owner"))
    if decisions:
        # Each decision in the words the IRO wrote for the child, never the professional text;
        # one not written yet is left out (the IRO's to-do: reviews.services.send_blockers).
        lines = []
        for decision in decisions:
            if not decision.child_wording.strip():
                continue
            who = _who_will_do_it(review, decision, iro)
            lines.append(
                f"- {_sentence(decision.child_wording)} {who} by {due_words(decision.due_on)}."
            )
        parts.append("\n".join(lines) or "I will write to you soon about what we decided.")
    else:
        parts.append("We did not need to make any new plans this time.")

    parts.append("Your next review")
    if child.next_review_due:
        parts.append(f"Your next review will be by {due_words(child.next_review_due)}.")
    else:
        parts.append("I will tell you when your next review will be.")

    parts.append("How to reach me")
    reach = []
    if iro:
        reach.append(f"My name is {iro}. I am your IRO. My job is to check your plan is right.")
        if iro.phone:
            reach.append(f"You can phone me on {iro.phone}.")
        if iro.email:
            reach.append(f"You can email me at {iro.email}.")
    reach.append(f"If you cannot reach me, phone the IRO Service on {service_phone}.")
    parts.append(" ".join(reach))

    parts.append("If you need help")
    parts.append(
        "You can ask for an advocate. An advocate is a person who helps you say what you think. "
        "If you are not happy about something, you can complain. "
        "I can help you do this. So can your social worker."
    )
    sign_off = ["Best wishes,"]
    if iro:
        sign_off += [str(iro), "Your IRO"]
    parts.append("\n".join(sign_off))
    return "\n\n".join(parts) + "\n"


# Words for the child in the professional text, and what a suggestion says instead.
_ABOUT_THE_CHILD = (
    (r"\b(?:the child|the young person|{name})['’]s\b", "your"),
    (r"\b(?:the child|the young person|{name})\b", "you"),
)


def suggest_child_wording(decision, child) -> str:
    """A first draft of a decision in the child's words, for the IRO to change or confirm: the
    professional text with "the child" (or the child's name) as "you". Never saved unasked."""
    text = " ".join(decision.text.split())
    names = "|".join(re.escape(n) for n in {child.first_name, child.preferred_name} if n)
    for pattern, words in _ABOUT_THE_CHILD:
        text = re.sub(pattern.format(name=names or "the child"), words, text, flags=re.I)
    return _sentence(text)


def child_letter_text(review: Review) -> str:
    """The letter as the IRO edited it, or the draft if they have not."""
    return review.child_letter.strip() or draft_child_letter(review)


@dataclass(frozen=True)
class Block:
    kind: str  # "h2", "p" or "ul"
    lines: tuple[str, ...]


def letter_blocks(text: str) -> list[Block]:
    """Plain letter text as headings, paragraphs and lists."""
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0][-1] not in ".,!?:;" and len(lines[0].split()) <= 8:
            blocks.append(Block("h2", (lines[0],)))
            continue
        run: list[str] = []
        run_kind = ""
        for line in lines:
            kind = "ul" if line.startswith("- ") else "p"
            if run and kind != run_kind:
                blocks.append(Block(run_kind, tuple(run)))
                run = []
            run_kind = kind
            run.append(line[2:].strip() if kind == "ul" else line)
        if run:
            blocks.append(Block(run_kind, tuple(run)))
    return blocks


def letter_html(text: str, *, heading: Heading) -> str:
    return render_to_string(
        "documents/child_letter.html",
        {
            "blocks": letter_blocks(text),
            "title": heading.title,
            "heading": heading.h1,
            "authority_name": authority_name(),
        },
    )


def render_child_letter_html(review: Review) -> str:
    return letter_html(
        child_letter_text(review),
        heading=document_heading(Dispatch.Kind.CHILD_LETTER, review.child, for_child=True),
    )


def render_child_letter_pdf(review: Review) -> bytes:
    """The letter to the child (as edited, or the draft), in large friendly type."""
    return html_to_pdf(render_child_letter_html(review))


# --- the meetings, as a letter gives them ---------------------------------------------------------


@dataclass(frozen=True)
class MeetingLine:
    when: str
    where: str


def meeting_lines(
    review: Review,
    *,
    may_see_address: bool = False,
    matcher: ConfidentialAddressMatcher | None = None,
) -> list[MeetingLine]:
    """The booked meetings, with the venue replaced where it would give away a confidential
    placement address (or a hidden carer's name: `matcher`) to someone who must not see it."""
    if may_see_address:
        guard = ConfidentialAddressMatcher()
    else:
        guard = (
            matcher if matcher is not None else ConfidentialAddressMatcher.for_child(review.child)
        )
    lines = []
    for meeting in review.meetings.filter(status=Meeting.Status.SCHEDULED):
        when = f"{day_and_date(meeting.on)} at {clock(meeting.at)}"
        if guard.mentions(meeting.venue) or guard.mentions(meeting.video_details):
            where = VENUE_FROM_IRO
        elif meeting.by_video:
            where = "By video" + (f": {meeting.video_details}" if meeting.video_details else "")
        else:
            where = meeting.venue or "The IRO will tell you where the meeting will be."
        lines.append(MeetingLine(when, where))
    return lines

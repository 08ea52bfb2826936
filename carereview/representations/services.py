"""Writes for representations and requests for an advocate (rules.md §6).

Views call these and nothing else writes them. Each runs in one transaction and records an audit
event whose snapshot holds dates, codes, ids and lengths only: never a name nor what the person
wrote, which stays in the record itself.

- `make_representation`: a comment, compliment or complaint from the portal starts stage 1 (local
  resolution), received and acknowledged today, with its response date from the engine.
- `request_advocate`: a request for an advocate (Children Act 1989 s26A), for the complaints
  manager, who arranges advocacy, to refer.
- Staff: `record_response`, `extend_stage1` (once, to 20 working days, with a reason),
  `record_referral` and `close_advocacy`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from carereview.core import audit
from carereview.core.authority import authority
from carereview.core.calendar import due_words, today, working_calendar
from carereview.engine import representations as rules
from carereview.notifications import notify
from carereview.representations.models import AdvocacyRequest, Representation

if TYPE_CHECKING:  # a portal access is handed in by the portal's views (ADR 0013)
    from carereview.portal.models import PortalAccess

#: Longest free text a person may send in one box (the forms say so before this refuses).
TEXT_LIMIT = 5000
#: Longest "how to get in touch" (the model's column).
CONTACT_LIMIT = 300
#: Longest name of the advocacy service a request is passed to (the model's column).
REFERRED_TO_LIMIT = 200


class RepresentationRefused(Exception):
    """A write the rules do not allow; `reasons` say why, in words for the page."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


def advocacy_referral_working_days() -> int:
    """Working days within which a request for an advocate is passed on (ours, a setting)."""
    return authority().advocacy_referral_working_days


def due_on(representation: Representation) -> date:
    """The response date now in force: the extended one, if stage 1 was extended."""
    return representation.extended_to or representation.response_due_on


def out_of_time(representation: Representation) -> bool:
    """A complaint more than a year after the matter (reg 9): received, and flagged for the
    complaints manager to decide whether it can still be considered."""
    return representation.kind == Representation.Kind.COMPLAINT and not (
        rules.reg9_complaint_in_time(representation.happened_on, representation.received_on)
    )


def _email_of(access: PortalAccess | None) -> str:
    """Where to write to the person: their sign-in's email, else the one on their record."""
    if access is None:
        return ""
    if access.user is not None and access.user.email:
        return access.user.email
    source = access.person or access.child
    return source.email or ""


def _text(value: str | None, limit: int, missing: str, too_long: str, *, required=True):
    """Trimmed text within its limit, or the reason it cannot be saved."""
    value = (value or "").strip()
    if required and not value:
        return value, missing
    if len(value) > limit:
        return value, too_long
    if "\x00" in value:
        return value, "Remove the unusual characters from the text"
    return value, None


def _refuse_if(problems: list[str | None]) -> None:
    found = [p for p in problems if p]
    if found:
        raise RepresentationRefused(*found)


def _send(key: str, subject: str, body: str, to: str) -> bool:
    """Queue one email in the outbox (key: what it is, for example
    `representation-received:<id>`), sent by the worker and retried until it goes: a mail server
    that fails neither loses what the person sent nor shows them an error. True when queued."""
    return notify(key, to=to, channel="email", subject=subject, body=body) is not None


def _notify_team(key: str, subject: str, lines: list[str]) -> None:
    """Tell the complaints and representations team something has arrived: dates and
    references only, no names nor what was written (they read that in the system)."""
    address = authority().complaints_email
    if address:
        _send(key, subject, "\n".join(lines), address)


# --- from the portal ---------------------------------------------------------------------------

MADE_BY = {
    "child": Representation.MadeBy.CHILD,
    "parent": Representation.MadeBy.PARENT,
    "carer": Representation.MadeBy.CARER,
}


def _acknowledgement(representation: Representation, access: PortalAccess) -> str:
    kind = representation.get_kind_display().removeprefix("A ").lower()
    lines = [
        f"Hello {access.first_name},",
        "",
        f"Thank you for your {kind}. We received it on {representation.received_on:%-d %B %Y}.",
        f"Your reference is {representation.reference}.",
        f"We will reply by {due_words(due_on(representation))}.",
        "",
    ]
    if representation.kind == Representation.Kind.COMPLAINT:
        lines += [
            "If you are still unhappy after our reply, you can ask us to look at it again.",
            "",
        ]
    lines += [
        f"Questions? Call the complaints team on {authority().complaints_phone} or email "
        f"{authority().complaints_email}, and give your reference.",
        "",
        authority().authority_name,
    ]
    return "\n".join(lines)


@transaction.atomic
def make_representation(
    access: PortalAccess,
    kind: str,
    about: str,
    put_right: str = "",
    happened_on: date | None = None,
) -> Representation:
    """A comment, compliment or complaint through the portal: stage 1, received today and
    acknowledged at once with its response date, 10 working days on (reg 14).

    A complaint about something more than a year ago is still received: `out_of_time` flags it
    for the complaints manager (reg 9(2)). The acknowledgement goes by email where the person
    has an email address; the portal shows it to them either way.
    """
    received = today()
    about, about_problem = _text(
        about,
        TEXT_LIMIT,
        "Say what it is about",
        f"What it is about must be {TEXT_LIMIT} characters or fewer",
    )
    put_right, put_right_problem = _text(
        put_right,
        TEXT_LIMIT,
        "",
        f"What would put it right must be {TEXT_LIMIT} characters or fewer",
        required=False,
    )
    _refuse_if(
        [
            None
            if kind in Representation.Kind.values
            else "Choose comment, compliment or complaint",
            about_problem,
            put_right_problem,
            "The date it happened must be today or in the past"
            if happened_on and happened_on > received
            else None,
            None if access.role in MADE_BY else "Only the child, a parent or a carer can use this",
        ]
    )
    same = access.already_sent(
        Representation.objects.all(),
        kind=kind,
        about=about,
        put_right=put_right,
        happened_on=happened_on,
        received_on=received,
    )
    if same is not None:
        return same  # a second press of Send: received (and acknowledged) once
    representation = Representation.objects.create(
        child=access.child,
        access=access,
        made_by=MADE_BY[access.role],
        made_by_name=access.name[:200],
        kind=kind,
        about=about,
        put_right=put_right,
        happened_on=happened_on,
        received_on=received,
        acknowledged_at=timezone.now(),
        stage=1,
        response_due_on=rules.reg14_stage1_response_due(received, working_calendar()),
    )
    from carereview.followup.services import record_complaint  # issue 6: tells the IRO

    record_complaint(representation)
    email = _email_of(access)
    emailed = bool(email) and _send(
        f"representation-received:{representation.pk}",
        f"We have your {representation.get_kind_display().removeprefix('A ').lower()}: "
        f"reference {representation.reference}",
        _acknowledgement(representation, access),
        email,
    )
    _notify_team(
        f"representation-team:{representation.pk}",
        f"New {representation.kind} {representation.reference}: reply due "
        f"{due_words(representation.response_due_on)}",
        [
            f"A {representation.kind} ({representation.reference}) came through the portal on "
            f"{received:%-d %B %Y}.",
            f"Stage 1: the reply is due by {due_words(representation.response_due_on)}.",
            "Open Representations in the IRO system to read it.",
        ],
    )
    audit.record_change(
        access.user,
        "representation.make",
        representation,
        {
            "kind": kind,
            "made_by": representation.made_by,
            "access": access.pk,
            "stage": 1,
            "received_on": received.isoformat(),
            "response_due_on": representation.response_due_on.isoformat(),
            "happened_on": happened_on.isoformat() if happened_on else None,
            "out_of_time": out_of_time(representation),
            "about_length": len(about),
            "put_right_length": len(put_right),
            "acknowledgement_emailed": emailed,
        },
    )
    return representation


@transaction.atomic
def request_advocate(access: PortalAccess, about: str = "", how_to_contact: str = ""):
    """Ask for an advocate for the child (Children Act 1989 s26A). The request reaches the
    complaints manager, who arranges advocacy, on their list and by email to the team."""
    requested = today()
    about, about_problem = _text(
        about,
        TEXT_LIMIT,
        "",
        f"What you want help with must be {TEXT_LIMIT} characters or fewer",
        required=False,
    )
    how_to_contact, contact_problem = _text(
        how_to_contact,
        CONTACT_LIMIT,
        "Say how the advocate can get in touch",
        f"How to get in touch must be {CONTACT_LIMIT} characters or fewer",
    )
    _refuse_if([about_problem, contact_problem])
    same = access.already_sent(
        AdvocacyRequest.objects.all(),
        about=about,
        how_to_contact=how_to_contact,
        requested_on=requested,
    )
    if same is not None:
        return same  # a second press of Send: asked (and passed to the team) once
    advocacy = AdvocacyRequest.objects.create(
        child=access.child,
        access=access,
        requested_by_name=access.name[:200],
        requested_on=requested,
        about=about,
        how_to_contact=how_to_contact,
    )
    refer_by = rules.s26a_advocacy_referral_due(
        requested, working_calendar(), advocacy_referral_working_days()
    )
    _notify_team(
        f"advocacy-team:{advocacy.pk}",
        f"Request for an advocate A{advocacy.pk:06d}: pass on by {due_words(refer_by)}",
        [
            f"A request for an advocate came through the portal on {requested:%-d %B %Y}.",
            f"Please pass it to the advocacy service by {due_words(refer_by)}.",
            "Open Advocacy requests in the IRO system to read it and record the referral.",
        ],
    )
    audit.record_change(
        access.user,
        "advocacy.request",
        advocacy,
        {
            "access": access.pk,
            "by_role": access.role,
            "requested_on": requested.isoformat(),
            "refer_by": refer_by.isoformat(),
            "about_length": len(about),
            "how_to_contact_length": len(how_to_contact),
        },
    )
    return advocacy


# --- staff: the complaints manager -------------------------------------------------------------


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def _date_problems(on: date | None, earliest: date, earliest_words: str, what: str):
    if on is None:
        return f"Enter the date {what}"
    if on > today():
        return f"The date {what} must be today or in the past"
    if on < earliest:
        return f"The date {what} cannot be before {earliest_words} ({earliest:%-d %B %Y})"
    return None


@transaction.atomic
def record_response(
    representation: Representation, *, by, responded_on: date, summary: str
) -> Representation:
    """Record the stage 1 response: its date (timeliness counts from it, rules.md §8) and what
    it said."""
    representation = _locked(Representation, representation)
    summary, summary_problem = _text(
        summary,
        TEXT_LIMIT,
        "Enter what the response said",
        f"What the response said must be {TEXT_LIMIT} characters or fewer",
    )
    if representation.responded_on:
        raise RepresentationRefused(
            f"The response was already recorded, on {representation.responded_on:%-d %B %Y}"
        )
    _refuse_if(
        [
            _date_problems(
                responded_on, representation.received_on, "the day it was received", "of response"
            ),
            summary_problem,
        ]
    )
    representation.responded_on = responded_on
    representation.response_summary = summary
    representation.responded_by = by
    representation.save(update_fields=["responded_on", "response_summary", "responded_by"])
    due = due_on(representation)
    audit.record_change(
        by,
        "representation.respond",
        representation,
        {
            "stage": representation.stage,
            "responded_on": responded_on.isoformat(),
            "due_on": due.isoformat(),
            "on_time": responded_on <= due,
            "summary_length": len(summary),
        },
    )
    return representation


@transaction.atomic
def extend_stage1(representation: Representation, *, by, reason: str) -> Representation:
    """Extend stage 1 once, to 20 working days from receipt (reg 14), with the reason; and tell
    the person the new date where they have an email address."""
    representation = _locked(Representation, representation)
    reason, reason_problem = _text(
        reason,
        TEXT_LIMIT,
        "Enter why more time is needed",
        f"The reason must be {TEXT_LIMIT} characters or fewer",
    )
    calendar = working_calendar()
    if representation.stage != 1:
        raise RepresentationRefused("Only a stage 1 response can be extended this way")
    if representation.responded_on:
        raise RepresentationRefused("The response has already been sent")
    if representation.extended_to:
        raise RepresentationRefused(
            f"Stage 1 was already extended, to {due_words(representation.extended_to)}: it can "
            "be extended only once"
        )
    if not rules.reg14_stage1_extension_open(representation.received_on, today(), calendar):
        raise RepresentationRefused(
            f"The 10 working days ended on {due_words(representation.response_due_on)}: the "
            "response is late and can no longer be extended"
        )
    _refuse_if([reason_problem])
    representation.extended_to = rules.reg14_stage1_response_due(
        representation.received_on, calendar, extended=True
    )
    representation.extension_reason = reason
    representation.save(update_fields=["extended_to", "extension_reason"])
    access = representation.access
    email = _email_of(access)
    emailed = (
        access is not None
        and bool(email)
        and _send(
            f"representation-extended:{representation.pk}",
            f"Your reference {representation.reference}: we need a little more time",
            "\n".join(
                [
                    f"Hello {access.first_name},",
                    "",
                    f"We need more time to reply properly to what you told us on "
                    f"{representation.received_on:%-d %B %Y} (reference "
                    f"{representation.reference}).",
                    f"We will now reply by {due_words(representation.extended_to)}.",
                    "",
                    f"Questions? Call the complaints team on {authority().complaints_phone}.",
                    "",
                    authority().authority_name,
                ]
            ),
            email,
        )
    )
    audit.record_change(
        by,
        "representation.extend_stage1",
        representation,
        {
            "response_due_on": representation.response_due_on.isoformat(),
            "extended_to": representation.extended_to.isoformat(),
            "reason_length": len(reason),
            "person_emailed": emailed,
        },
    )
    return representation


@transaction.atomic
def record_referral(
    advocacy: AdvocacyRequest, *, by, referred_on: date, referred_to: str
) -> AdvocacyRequest:
    """Record that the request was passed to an advocacy service, and when (s26A: the offer and
    the referral are recorded; rules.md §8 counts referrals)."""
    advocacy = _locked(AdvocacyRequest, advocacy)
    referred_to, to_problem = _text(
        referred_to,
        REFERRED_TO_LIMIT,
        "Enter who it was passed to",
        f"Who it was passed to must be {REFERRED_TO_LIMIT} characters or fewer",
    )
    if advocacy.closed_on:
        raise RepresentationRefused("This request is closed")
    if advocacy.referred_on:
        raise RepresentationRefused(
            f"The referral was already recorded, on {advocacy.referred_on:%-d %B %Y}"
        )
    _refuse_if(
        [
            _date_problems(
                referred_on, advocacy.requested_on, "the day it was asked for", "it was passed on"
            ),
            to_problem,
        ]
    )
    advocacy.referred_on = referred_on
    advocacy.referred_to = referred_to
    advocacy.referred_by = by
    advocacy.save(update_fields=["referred_on", "referred_to", "referred_by"])
    due = rules.s26a_advocacy_referral_due(
        advocacy.requested_on, working_calendar(), advocacy_referral_working_days()
    )
    audit.record_change(
        by,
        "advocacy.refer",
        advocacy,
        {
            "requested_on": advocacy.requested_on.isoformat(),
            "referred_on": referred_on.isoformat(),
            "refer_by": due.isoformat(),
            "on_time": referred_on <= due,
            "referred_to_length": len(referred_to),
        },
    )
    return advocacy


@transaction.atomic
def close_advocacy(advocacy: AdvocacyRequest, *, by, closed_on: date, outcome: str):
    """Close a request for an advocate, with its date and what came of it."""
    advocacy = _locked(AdvocacyRequest, advocacy)
    outcome, outcome_problem = _text(
        outcome,
        TEXT_LIMIT,
        "Enter what came of the request",
        f"What came of it must be {TEXT_LIMIT} characters or fewer",
    )
    if advocacy.closed_on:
        raise RepresentationRefused(f"This request was closed on {advocacy.closed_on:%-d %B %Y}")
    earliest, words = advocacy.requested_on, "the day it was asked for"
    if advocacy.referred_on:
        earliest, words = advocacy.referred_on, "the day it was passed on"
    _refuse_if([_date_problems(closed_on, earliest, words, "it closed"), outcome_problem])
    advocacy.closed_on = closed_on
    advocacy.outcome = outcome
    advocacy.save(update_fields=["closed_on", "outcome"])
    audit.record_change(
        by,
        "advocacy.close",
        advocacy,
        {
            "requested_on": advocacy.requested_on.isoformat(),
            "referred_on": advocacy.referred_on.isoformat() if advocacy.referred_on else None,
            "closed_on": closed_on.isoformat(),
            "outcome_length": len(outcome),
        },
    )
    return advocacy


def stage_date_records() -> int:
    """Representations with stored stage dates (for `recompute_stage_dates`)."""
    return Representation.objects.count()


def recompute_stage_dates(calendar) -> int:
    """After a bank-holiday change (core.calendar): each representation's stage 1 response
    date, and its extended date where it was extended, worked out again from the day it was
    received (reg 14). Returns the representations gone through."""
    count = 0
    fields = ("pk", "stage", "received_on", "response_due_on", "extended_to")
    for made in Representation.objects.only(*fields).iterator(chunk_size=1000):
        count += 1
        if made.stage != 1:
            continue
        due = rules.reg14_stage1_response_due(made.received_on, calendar)
        extended = (
            rules.reg14_stage1_response_due(made.received_on, calendar, extended=True)
            if made.extended_to
            else None
        )
        if (due, extended) != (made.response_due_on, made.extended_to):
            audit.record_change(
                None,
                "representation.recompute",
                made,
                {
                    "response_due_on": due.isoformat(),
                    "extended_to": extended.isoformat() if extended else None,
                },
            )
            Representation.objects.filter(pk=made.pk).update(
                response_due_on=due, extended_to=extended
            )
    return count

"""Representations (comments, compliments, complaints) and advocacy: the statutory timescales
(spec/rules.md §6), as plain functions of dates.

Source: the Children Act 1989 Representations Procedure (England) Regulations 2006, SI 2006/1738
("the 2006 Regulations"), made under Children Act 1989 ss 24D, 26 and 26A. Their "working day"
(reg 2) is a day that is not a Saturday, Sunday, Christmas Day, Boxing Day, Good Friday or a bank
holiday: the working days of rules.md §1, so every period here counts with
``WorkingCalendar.add_working_days`` (the day the period starts from never counts).

A due date is the last day on which the thing is still on time (rules.md §1).

| stage | what | period | 2006 Regulations |
|---|---|---|---|
| - | complaint made | within 1 year of the matter (the authority may accept later) | reg 9 |
| 1 | local resolution: response | 10 working days from receipt, extendable once to 20 | reg 14 |
| 2 | complainant asks for stage 2 | within 20 working days of the stage 1 response | reg 14 |
| 2 | investigation: response | 25 working days from the request, extendable to 65 | reg 17 |
| 3 | complainant asks for a panel | within 20 working days of the stage 2 response | reg 18 |
| 3 | the panel meets | within 30 working days of the request | reg 19(4) |
| 3 | the panel's report | within 5 working days of the meeting | reg 20 |
| 3 | the authority's response | within 15 working days of the report | reg 21 |

After stage 3 the complainant may go to the Local Government and Social Care Ombudsman.
"""

from dataclasses import dataclass
from datetime import date

from .calendar import WorkingCalendar, add_months

#: reg 9: a representation is made within one year of the grounds for it arising.
TIME_LIMIT_MONTHS = 12
#: reg 14: stage 1 (local resolution) response within 10 working days of receipt ...
STAGE1_RESPONSE_WORKING_DAYS = 10
#: ... extendable once, to 20 working days of receipt in all.
STAGE1_EXTENDED_WORKING_DAYS = 20
#: The complainant may ask for stage 2 within 20 working days of the stage 1 response.
STAGE2_REQUEST_WORKING_DAYS = 20
#: reg 17: stage 2 (investigation) response within 25 working days of the request ...
STAGE2_RESPONSE_WORKING_DAYS = 25
#: ... extendable to 65 working days of the request at most.
STAGE2_EXTENDED_WORKING_DAYS = 65
#: reg 18: a review panel is asked for within 20 working days of the stage 2 response.
STAGE3_REQUEST_WORKING_DAYS = 20
#: reg 19(4): the panel meets within 30 working days of the request.
STAGE3_PANEL_WORKING_DAYS = 30
#: reg 20: the panel's report within 5 working days of its meeting.
STAGE3_REPORT_WORKING_DAYS = 5
#: reg 21: the authority's response within 15 working days of the panel's report.
STAGE3_AUTHORITY_RESPONSE_WORKING_DAYS = 15


# --- time limit for making a complaint ---------------------------------------------------------


def reg9_time_limit(happened_on: date) -> date:
    """The last day a complaint about a matter of ``happened_on`` is in time (reg 9(1)).

    One year, by ``add_months(happened_on, 12)``: a matter of 29 Feb 2024 may be complained
    about up to 28 Feb 2025.
    """
    return add_months(happened_on, TIME_LIMIT_MONTHS)


def reg9_complaint_in_time(happened_on: date | None, received_on: date) -> bool:
    """Whether a complaint received on ``received_on`` is within the year of reg 9(1).

    A complaint made later is still received: reg 9(2) lets the authority consider it where it
    was not reasonable to expect it sooner and it can still be considered effectively and
    fairly. So this is a flag for the complaints manager to decide on, never a refusal. Where
    the person did not say when the matter happened (``None``) it cannot be out of time.
    """
    if happened_on is None:
        return True
    return received_on <= reg9_time_limit(happened_on)


# --- stage 1: local resolution -----------------------------------------------------------------


def reg14_stage1_response_due(
    received_on: date, calendar: WorkingCalendar, *, extended: bool = False
) -> date:
    """Stage 1 response due: 10 working days after receipt, or 20 where it was extended (reg 14).

    Received Wednesday 16 Dec 2026: 25 and 28 Dec and 1 Jan are bank holidays, so the 10th
    working day after it is Monday 4 Jan 2027.
    """
    days = STAGE1_EXTENDED_WORKING_DAYS if extended else STAGE1_RESPONSE_WORKING_DAYS
    return calendar.add_working_days(received_on, days)


def reg14_stage1_extension_open(received_on: date, on: date, calendar: WorkingCalendar) -> bool:
    """Whether the stage 1 period may still be extended on ``on`` (reg 14).

    An extension lengthens a period that is still running: once the 10 working days have ended
    the response is late, and extending afterwards would make a late response look on time.
    """
    return on <= reg14_stage1_response_due(received_on, calendar)


def stage2_request_by(stage1_responded_on: date, calendar: WorkingCalendar) -> date:
    """The last day the complainant may ask for stage 2: 20 working days after the stage 1
    response (reg 14)."""
    return calendar.add_working_days(stage1_responded_on, STAGE2_REQUEST_WORKING_DAYS)


# --- stage 2: investigation --------------------------------------------------------------------


def reg17_stage2_response_due(
    requested_on: date, calendar: WorkingCalendar, *, extended: bool = False
) -> date:
    """Stage 2 response due: 25 working days after the request, extendable to 65 (reg 17)."""
    days = STAGE2_EXTENDED_WORKING_DAYS if extended else STAGE2_RESPONSE_WORKING_DAYS
    return calendar.add_working_days(requested_on, days)


# --- stage 3: review panel ---------------------------------------------------------------------


def reg18_stage3_request_by(stage2_responded_on: date, calendar: WorkingCalendar) -> date:
    """The last day the complainant may ask for a review panel: 20 working days after the
    stage 2 response (reg 18)."""
    return calendar.add_working_days(stage2_responded_on, STAGE3_REQUEST_WORKING_DAYS)


def reg19_panel_meets_by(requested_on: date, calendar: WorkingCalendar) -> date:
    """The panel of three independent people meets within 30 working days of the request
    (reg 19(4))."""
    return calendar.add_working_days(requested_on, STAGE3_PANEL_WORKING_DAYS)


def reg20_panel_report_by(panel_met_on: date, calendar: WorkingCalendar) -> date:
    """The panel's report and recommendations within 5 working days of its meeting (reg 20)."""
    return calendar.add_working_days(panel_met_on, STAGE3_REPORT_WORKING_DAYS)


def reg21_authority_response_due(report_received_on: date, calendar: WorkingCalendar) -> date:
    """The authority's response to the panel within 15 working days of its report (reg 21).
    After that the complainant may go to the Local Government and Social Care Ombudsman."""
    return calendar.add_working_days(report_received_on, STAGE3_AUTHORITY_RESPONSE_WORKING_DAYS)


# --- advocacy ----------------------------------------------------------------------------------


def s26a_advocacy_referral_due(
    requested_on: date, calendar: WorkingCalendar, working_days: int
) -> date:
    """The request for an advocate is passed to the advocacy service within N working days
    (Children Act 1989 s26A: the offer and the referral are recorded; N is ours, a setting)."""
    return calendar.add_working_days(requested_on, working_days)


# --- how a response stands ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResponseClock:
    """How a response stands against its due date on ``today``, in working days.

    ``working_days_left`` counts the working days after ``today`` up to and including the due
    date (0 on the due date itself); negative once late, by the working days since it passed.
    """

    due: date
    responded_on: date | None
    today: date
    working_days_left: int

    @property
    def responded(self) -> bool:
        return self.responded_on is not None

    @property
    def late(self) -> bool:
        """Responded after the due date, or not responded and the due date has passed."""
        if self.responded_on is not None:
            return self.responded_on > self.due
        return self.today > self.due

    @property
    def status(self) -> str:
        if self.responded_on is not None:
            return "responded late" if self.late else "responded on time"
        return "late" if self.late else "waiting"


def response_clock(
    due: date, responded_on: date | None, today: date, calendar: WorkingCalendar
) -> ResponseClock:
    """The response's standing on ``today`` against ``due`` (rules.md §8: timeliness)."""
    return ResponseClock(due, responded_on, today, calendar.working_days_between(today, due))

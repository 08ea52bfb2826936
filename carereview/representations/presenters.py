"""How a representation or a request for an advocate stands, in words for the pages.

Dates come from the engine (`engine.representations`) over the working calendar; nothing here
queries the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from carereview.engine import representations as rules
from carereview.engine.calendar import WorkingCalendar
from carereview.representations import services
from carereview.representations.models import AdvocacyRequest, Representation


def advocacy_reference(advocacy: AdvocacyRequest) -> str:
    return f"A{advocacy.pk:06d}"


def _working_days(n: int) -> str:
    return f"{n} working day{'' if n == 1 else 's'}"


@dataclass
class RepresentationPresenter:
    representation: Representation
    today: date
    calendar: WorkingCalendar

    @property
    def due(self) -> date:
        return services.due_on(self.representation)

    @property
    def clock(self) -> rules.ResponseClock:
        r = self.representation
        return rules.response_clock(self.due, r.responded_on, self.today, self.calendar)

    @property
    def out_of_time(self) -> bool:
        return services.out_of_time(self.representation)

    @property
    def time_limit(self) -> date | None:
        happened = self.representation.happened_on
        return rules.reg9_time_limit(happened) if happened else None

    @property
    def status(self) -> str:
        """Where it stands, for the complaints manager."""
        clock = self.clock
        if clock.responded:
            return "Responded late" if clock.late else "Responded"
        if self.representation.extended_to:
            return "Waiting for a response (extended)"
        return "Waiting for a response"

    @property
    def tag_status(self) -> str:
        """The status whose tag colour (core.components.STATUS_COLOURS) shows where it stands."""
        clock = self.clock
        if clock.late:
            return "Responded late" if clock.responded else "Late"
        if clock.responded:
            return "Responded"
        return "Waiting for a response" if clock.working_days_left > 2 else "Due soon"

    @property
    def days_left(self) -> str:
        """Working days left to respond, or how late the response is."""
        clock = self.clock
        if clock.responded_on is not None:  # clock.responded
            if clock.late:
                late_by = self.calendar.working_days_between(self.due, clock.responded_on)
                return f"{_working_days(late_by)} late"
            return "On time"
        if clock.working_days_left < 0:
            return f"Late by {_working_days(-clock.working_days_left)}"
        if clock.working_days_left == 0:
            return "Due today"
        return f"{_working_days(clock.working_days_left)} left"

    @property
    def may_extend(self) -> bool:
        r = self.representation
        return (
            r.stage == 1
            and not r.responded_on
            and not r.extended_to
            and rules.reg14_stage1_extension_open(r.received_on, self.today, self.calendar)
        )

    @property
    def extended_due(self) -> date:
        """The date stage 1 would move to if extended (20 working days from receipt)."""
        return rules.reg14_stage1_response_due(
            self.representation.received_on, self.calendar, extended=True
        )

    @property
    def stage2_request_by(self) -> date | None:
        """After a stage 1 response to a complaint, the last day to ask for stage 2."""
        r = self.representation
        if r.stage != 1 or not r.responded_on or r.kind != Representation.Kind.COMPLAINT:
            return None
        return rules.stage2_request_by(r.responded_on, self.calendar)


@dataclass
class AdvocacyPresenter:
    advocacy: AdvocacyRequest
    today: date
    calendar: WorkingCalendar
    referral_working_days: int

    @property
    def reference(self) -> str:
        return advocacy_reference(self.advocacy)

    @property
    def refer_by(self) -> date:
        return rules.s26a_advocacy_referral_due(
            self.advocacy.requested_on, self.calendar, self.referral_working_days
        )

    @property
    def state(self) -> str:
        a = self.advocacy
        if a.closed_on:
            return "closed"
        if a.referred_on:
            return "referred"
        return "waiting"

    @property
    def status(self) -> str:
        """Where it stands, for the complaints manager."""
        a = self.advocacy
        if a.closed_on:
            return f"Closed on {a.closed_on:%-d %B %Y}"
        if a.referred_on:
            return f"Referred on {a.referred_on:%-d %B %Y}"
        return "Waiting to be referred"

    @property
    def tag_status(self) -> str:
        """The status whose tag colour (core.components.STATUS_COLOURS) shows where it stands."""
        if self.state == "waiting" and self.referral_late:
            return "Late"
        return self.state

    @property
    def referral_late(self) -> bool:
        """Passed on after the day it should have been, or not yet and that day has gone."""
        a = self.advocacy
        if a.referred_on:
            return a.referred_on > self.refer_by
        return not a.closed_on and self.today > self.refer_by

    @property
    def plain_status(self) -> str:
        """Where it stands, in plain words for the person who asked."""
        a = self.advocacy
        if a.closed_on:
            return f"Finished on {a.closed_on:%-d %B %Y}"
        if a.referred_on:
            return f"Passed to {a.referred_to} on {a.referred_on:%-d %B %Y}"
        return "Waiting to be passed on"

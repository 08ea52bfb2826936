"""GOV.UK Frontend components: what the component tags (templatetags/components.py) need that is
not markup (ADR 0015).

A status has one colour everywhere: `STATUS_COLOURS` maps each status a page shows in a GOV.UK tag
to the tag's colour, and the `{% tag %}` template tag looks it up, so no page chooses a colour. A
status missing from the map is an error (`UnknownStatus`), found by the first test that renders it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class UnknownStatus(KeyError):
    """A page asked for a tag whose status has no colour in STATUS_COLOURS."""


# GOV.UK tag colours (govuk-frontend 6): what each means in this service.
#   red: late or against the rules; orange: done but late, or changed; yellow: waiting on someone;
#   green: done, in time; blue: in progress; grey: not started, closed, or for information;
#   purple: a fact about the person or case that changes how it is handled.
_BY_COLOUR = {
    "red": [
        "Late",
        "Overdue",
        "Told late",
        "Target missed",
        "Response overdue",
        "Not released",
        "Confidential from parents",
        "After the due date",
        "Above",
        "Decisions overdue",
    ],
    "orange": ["Done late", "Changed", "Completed late", "Responded late", "Retrying"],
    "yellow": ["Due soon", "Open", "Invited", "Does not count", "Proposed"],
    "green": [
        "Done",
        "Completed",
        "Resolved",
        "Confirmed",
        "Within",
        "Using the portal",
        "Told in time",
        "Referred",
        "On time",
        "Responded",
        "Sent",
    ],
    "blue": [
        "Incomplete",
        "In progress",
        "Not yet",
        "Within target",
        "Escalated",
        "Below",
        "Waiting",
        "Waiting for a response",
        "Approved",
        "Sending",
        # How far a review has got (reviews.presenters.STAGES and "Not booked").
        "Not booked",
        "Booked",
        "Consulted",
        "Papers in",
        "Held",
        "Decisions sent",
        "Record sent",
    ],
    "grey": [
        "To do",
        "Cannot start yet",
        "Not started",
        "Closed",
        "Carried out",
        "Queued",
        "Access ended",
        "Days left",
    ],
    "purple": ["Cafcass", "Profound disability", "Over a year after the matter"],
}

STATUS_COLOURS: dict[str, str] = {
    status.casefold(): colour for colour, statuses in _BY_COLOUR.items() for status in statuses
}


def colour_of(status: str) -> str:
    """The tag colour of `status`: case, and underscores for spaces (a model's stored value, say
    "carried_out"), do not matter."""
    try:
        return STATUS_COLOURS[str(status).replace("_", " ").casefold()]
    except KeyError:
        raise UnknownStatus(
            f"No tag colour for the status {status!r}: add it to "
            "carereview.core.components.STATUS_COLOURS"
        ) from None


def html_attrs(**attrs) -> SafeString:
    """HTML attributes from keyword arguments: `data_x` and `aria_x` become `data-x`/`aria-x`;
    True gives a bare attribute; None, False and "" are left out. Names and values are escaped."""
    parts = []
    for name, value in attrs.items():
        if value is None or value is False or value == "":
            continue
        name = escape(name.replace("_", "-"))
        parts.append(f" {name}" if value is True else f' {name}="{escape(value)}"')
    return mark_safe("".join(parts))  # noqa: S308 - every name and value is escaped above

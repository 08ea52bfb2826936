"""Each document's title (the PDF's title, shown as its window title) and its heading, chosen by
the document's kind in this one place, so that no document is headed as another kind.

Kinds are `reviews.models.Dispatch.Kind` values; a kind may read differently for the child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Heading:
    title: str
    h1: str


# (kind, for the child) -> (title, heading). {child}: the child's full name; {name}: the name the
# child goes by; {held}: ", held dd/mm/yyyy" once held.
HEADINGS: dict[tuple[str, bool], tuple[str, str]] = {
    ("invitation", False): (
        "Invitation to the Child in Care Review for {child}",
        "Invitation to the Child in Care Review for {child}",
    ),
    ("invitation", True): (
        "Invitation to your Child in Care Review",
        "Invitation to your Child in Care Review",
    ),
    ("exclusion_letter", False): (
        "Why you are not invited to the review meeting for {child}",
        "Why you are not invited to the review meeting for {child}",
    ),
    ("decisions", False): (
        "Decisions of the Child in Care Review: {child}{held}",
        "Decisions of the Child in Care Review",
    ),
    ("decisions", True): (
        "What we decided at your review, {name}",
        "What we decided at your review",
    ),
    ("record", False): (
        "Child in Care Review record: {child}{held}",
        "Record of the Child in Care Review",
    ),
    ("child_letter", True): (
        "A letter about your review, {name}",
        "A letter about your review",
    ),
}


def heading(
    kind: str,
    *,
    child_name: str,
    known_as: str = "",
    for_child: bool = False,
    held_on: date | None = None,
) -> Heading:
    """The title and heading of the document of `kind` about the child named `child_name` (who
    goes by `known_as`). KeyError for a kind (or reader) with no document: a new kind is added
    here, not in its template."""
    title, h1 = HEADINGS[(kind, for_child)]
    values = {
        "child": child_name,
        "name": known_as or child_name,
        "held": f", held {held_on:%d/%m/%Y}" if held_on else "",
    }
    return Heading(title.format(**values), h1.format(**values))


def heading_about(kind: str, child, **kwargs) -> Heading:
    """`heading` for a `children.Child`."""
    known_as = child.preferred_name or child.first_name
    return heading(kind, child_name=child.full_name, known_as=known_as, **kwargs)

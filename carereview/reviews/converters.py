"""Typed URL parts of a review's pages (issue 12, item 6): anything else is not found (404), and
no view parses text itself."""

import re

from django.urls import register_converter

from carereview.reviews.models import ChecklistEntry


class ChoiceConverter:
    """One of a fixed set of words."""

    choices: tuple[str, ...] = ()
    regex: str  # made from the choices by each subclass

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.regex = "|".join(re.escape(c) for c in sorted(cls.choices, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        if str(value) not in self.choices:
            raise ValueError(f"not one of {self.choices}")
        return str(value)


class DocumentKind(ChoiceConverter):
    choices = ("invitation", "exclusion-letter", "letter-to-child", "decisions", "record")


class SendKind(ChoiceConverter):
    choices = ("decisions", "record")


class ChecklistItem(ChoiceConverter):
    choices = tuple(ChecklistEntry.Item.values)


class Recipient:
    """Whose copy: an invitation's or exclusion's id (a number, given to the view as an int), or a
    recipient key as documents.records.Recipient.key spells it ("child", "person-<id>",
    "staff-<id>")."""

    regex = r"[0-9]{1,18}|child|(?:person|staff)-[0-9]{1,18}"

    def to_python(self, value: str) -> int | str:
        return int(value) if value.isdigit() else value

    def to_url(self, value) -> str:
        text = str(value)
        if not re.fullmatch(self.regex, text):
            raise ValueError("not a recipient")
        return text


register_converter(DocumentKind, "document")
register_converter(SendKind, "send")
register_converter(ChecklistItem, "checklist")
register_converter(Recipient, "recipient")

"""Forms between reviews (issue 6): one per step, GOV.UK style, messages in plain words.

The forms check shape (a real date, a choice, a length); the services check the rules and their
reasons are shown on the form too.
"""

from django import forms

from carereview.core.forms import GovUKDateField
from carereview.followup.models import MidwayCheck, SignificantEvent
from carereview.followup.services import TEXT_LIMIT
from carereview.reviews.models import Decision


def date_field(label, *, required=True, help_text="", missing=None):
    """A date typed in the GOV.UK date input. `missing` is the message when it is empty ("Enter
    the date of the check"); its subject is used in the others ("The date of the check must
    include a month")."""
    subject = missing.removeprefix("Enter ") if missing else f"{label[0].lower()}{label[1:]}"
    return GovUKDateField(label=label, required=required, help_text=help_text, subject=subject)


def text_field(label, *, required=False, help_text="", missing=None, rows=None):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows} if rows else None),
        error_messages={
            "required": missing or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {TEXT_LIMIT} characters or fewer",
        },
    )


def choice_field(label, choices, missing):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class DecisionUpdateForm(forms.Form):
    status = choice_field(
        "How does the decision stand?", Decision.Status.choices, "Choose how the decision stands"
    )
    note = text_field(
        "Note",
        help_text="What has been done so far. If it is done, say what was done.",
    )
    done_on = date_field(
        "Date it was done",
        required=False,
        help_text="Only if it is done",
        missing="Enter the date it was done",
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("status") == Decision.Status.DONE:
            if not data.get("note", "").strip() and "note" not in self.errors:
                self.add_error("note", "Enter a note saying what was done")
            if not data.get("done_on") and "done_on" not in self.errors:
                self.add_error("done_on", "Enter the date it was done")
        return data


class MidwayForm(forms.Form):
    outcome = choice_field(
        "Outcome of the check", MidwayCheck.Outcome.choices, "Choose the outcome"
    )
    progress_note = text_field(
        "Progress on the decisions",
        required=True,
        help_text="What has been done on each decision since the review, and anything of concern",
        missing="Enter the progress on the decisions",
        rows=6,
    )
    done_on = date_field("Date of the check", missing="Enter the date of the check")
    required_by = date_field(
        "Earlier review needed by",
        required=False,
        help_text="Only if an earlier review is needed",
        missing="Enter the date the earlier review is needed by",
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("outcome") == MidwayCheck.Outcome.EARLIER_REVIEW
            and not data.get("required_by")
            and "required_by" not in self.errors
        ):
            self.add_error("required_by", "Enter the date the earlier review is needed by")
        return data


class EventForm(forms.Form):
    kind = choice_field("What happened?", SignificantEvent.Kind.choices, "Choose what happened")
    occurred_on = date_field("Date it happened", missing="Enter the date it happened")
    details = text_field(
        "Details",
        required=True,
        help_text="What the IRO needs to know",
        missing="Enter what happened",
        rows=6,
    )


class EventSeenForm(forms.Form):
    note = text_field("Your note", help_text="What you did or will do about it (optional)")
    earlier_review = forms.BooleanField(
        label="An earlier review is needed",
        required=False,
        help_text="A change to the care plan must be considered at a review before it happens",
    )
    required_by = date_field(
        "Earlier review needed by",
        required=False,
        help_text="Only if an earlier review is needed",
        missing="Enter the date the earlier review is needed by",
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("earlier_review") and not data.get("required_by"):
            if "required_by" not in self.errors:
                self.add_error("required_by", "Enter the date the earlier review is needed by")
        return data

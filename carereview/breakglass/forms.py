from django import forms

from carereview.breakglass.models import REASON_MIN_LENGTH, BreakGlassGrant
from carereview.core.govuk_forms import input_attrs


class FindForm(forms.Form):
    child = forms.CharField(
        label="The child's identifier (903 CHILD)",
        help_text="The exact identifier from the 903 return or the case management system.",
        max_length=20,
        widget=forms.TextInput(attrs=input_attrs(width=10, autocomplete="off", spellcheck=False)),
        error_messages={
            "required": "Enter the child's identifier",
            "max_length": "A child's identifier is at most 20 characters",
        },
    )


class OpenForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text=(
            f"At least {REASON_MIN_LENGTH} characters. Say what has happened and why it cannot "
            "wait for the child's IRO or their manager. The reason is kept and reviewed."
        ),
        widget=forms.Textarea,
        min_length=REASON_MIN_LENGTH,
        max_length=2000,
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": f"Give the reason in at least {REASON_MIN_LENGTH} characters",
            "max_length": "Give the reason in at most 2,000 characters",
        },
    )
    confirm = forms.BooleanField(
        label="I understand that this access is recorded, and that someone else will review it",
        error_messages={"required": "Confirm that you understand the access is recorded"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < REASON_MIN_LENGTH:
            raise forms.ValidationError(
                f"Give the reason in at least {REASON_MIN_LENGTH} characters"
            )
        return reason


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the access appropriate?",
        choices=BreakGlassGrant.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the access was appropriate",
            "invalid_choice": "Choose whether the access was appropriate",
        },
    )
    note = forms.CharField(
        label="Note",
        help_text="What you checked, and any action taken.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter a note on your review",
            "max_length": "Keep the note to 2,000 characters",
        },
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError("Enter a note on your review")
        return note


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        choices=[("waiting", "Waiting for review"), ("reviewed", "Reviewed"), ("all", "All")],
        required=False,
    )

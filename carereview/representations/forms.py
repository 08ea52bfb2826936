"""Forms for representations and advocacy: the portal's (in plain words, for a child or an adult)
and the complaints manager's. Every field has a limit and a message that says what to do."""

from datetime import date

from django import forms

from carereview.core.authority import authority
from carereview.core.calendar import today
from carereview.core.forms import GovUKDateField
from carereview.core.typing import choice_field
from carereview.representations import services
from carereview.representations.models import Representation

TEXT_LIMIT = services.TEXT_LIMIT
EARLIEST = date(1900, 1, 1)


def date_field(label: str, *, required: bool, what: str, help_text: str = "") -> GovUKDateField:
    """A date typed in the GOV.UK date input: "Enter {what}", "{What} must include a month",
    "{What} must be a real date"."""
    return GovUKDateField(label=label, required=required, help_text=help_text, subject=what)


def text_field(
    label: str, *, required: bool, what: str, limit: int = TEXT_LIMIT, help_text="", rows=None
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{label} must be {limit} characters or fewer (you wrote %(show_value)d)",
            "null_characters_not_allowed": "Remove the unusual characters from the text",
        },
    )


def _past_date(value: date | None, what: str) -> date | None:
    if value is None:
        return None
    if value > today():
        raise forms.ValidationError(f"{what} must be today or in the past")
    if value < EARLIEST:
        raise forms.ValidationError(f"{what} must be after 1900")
    return value


# --- the portal ------------------------------------------------------------------------------

CHILD_KINDS = [
    (Representation.Kind.COMMENT, "I want to say something (a comment)"),
    (Representation.Kind.COMPLIMENT, "Something went well (a compliment)"),
    (Representation.Kind.COMPLAINT, "Something is wrong or unfair (a complaint)"),
]
ADULT_KINDS = [
    (Representation.Kind.COMMENT, "A comment"),
    (Representation.Kind.COMPLIMENT, "A compliment"),
    (Representation.Kind.COMPLAINT, "A complaint"),
]


class RepresentationForm(forms.Form):
    kind = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose comment, compliment or complaint",
            "invalid_choice": "Choose comment, compliment or complaint",
        },
    )
    about = text_field("What happened?", required=True, what="what happened", rows=6)
    put_right = text_field(
        "What would put it right?", required=False, what="what would put it right", rows=4
    )
    happened_on = date_field("When did it happen?", required=False, what="the date it happened")

    def __init__(self, *args, is_child: bool, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        if is_child:
            f["kind"].label = "What do you want to tell us?"
            choice_field(self, "kind").choices = CHILD_KINDS
            f["about"].help_text = "Write it in your own words. You can write as much as you like."
            f["put_right"].label = "What would make it better? (you do not have to answer)"
            f["happened_on"].label = "When did it happen? (if you know)"
        else:
            f["kind"].label = "What would you like to make?"
            choice_field(self, "kind").choices = ADULT_KINDS
            f["about"].label = "What is it about?"
            f["about"].help_text = "Say what happened, when and who was involved, if you can."
            f["put_right"].label = "What would put it right? (optional)"
            f["happened_on"].label = "When did it happen? (optional)"
        f[
            "happened_on"
        ].help_text = (
            "A complaint is usually made within a year. If it was longer ago, tell us anyway."
        )
        # Length errors name the label as the person sees it.
        for name in ("about", "put_right"):
            f[name].error_messages["max_length"] = (
                f"Keep it to {TEXT_LIMIT} characters or fewer (you wrote %(show_value)d)"
            )

    def clean_happened_on(self):
        return _past_date(self.cleaned_data.get("happened_on"), "The date it happened")


class AdvocateForm(forms.Form):
    about = text_field(
        "What would you like help with? (you do not have to answer)",
        required=False,
        what="what you would like help with",
        rows=4,
    )
    how_to_contact = text_field(
        "How can the advocate get in touch with you?",
        required=True,
        what="how the advocate can get in touch",
        limit=services.CONTACT_LIMIT,
        help_text="For example a phone number, an email address, or “ask my carer”.",
        rows=2,
    )

    def __init__(self, *args, is_child: bool, child_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not is_child:
            self.fields["about"].label = f"What does {child_name} want help with? (optional)"
            self.fields["how_to_contact"].label = "How can the advocate get in touch?"
            self.fields["how_to_contact"].help_text = (
                f"How to reach {child_name}, or you. For example a phone number, or “call me "
                "first”."
            )
        for name, field in self.fields.items():
            limit = services.CONTACT_LIMIT if name == "how_to_contact" else TEXT_LIMIT
            field.error_messages["max_length"] = (
                f"Keep it to {limit} characters or fewer (you wrote %(show_value)d)"
            )


# --- the complaints manager ----------------------------------------------------------------------


class ResponseForm(forms.Form):
    responded_on = date_field(
        "Date of the response", required=True, what="the date of the response"
    )
    summary = text_field(
        "What the response said", required=True, what="what the response said", rows=5
    )

    def clean_responded_on(self):
        return _past_date(self.cleaned_data.get("responded_on"), "The date of the response")


class ExtendForm(forms.Form):
    reason = text_field(
        "Why more time is needed",
        required=True,
        what="why more time is needed",
        rows=3,
        help_text="For example: the matter is complex, or an advocate is being arranged.",
    )


class ReferralForm(forms.Form):
    referred_on = date_field(
        "Date it was passed on", required=True, what="the date it was passed on"
    )
    referred_to = text_field(
        "Passed to",
        required=True,
        what="who it was passed to",
        limit=services.REFERRED_TO_LIMIT,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {"referred_on": today(), "referred_to": authority().advocacy_service_name},
        )
        super().__init__(*args, **kwargs)

    def clean_referred_on(self):
        return _past_date(self.cleaned_data.get("referred_on"), "The date it was passed on")


class CloseAdvocacyForm(forms.Form):
    closed_on = date_field("Date closed", required=True, what="the date it closed")
    outcome = text_field("What came of it", required=True, what="what came of it", rows=3)

    def clean_closed_on(self):
        return _past_date(self.cleaned_data.get("closed_on"), "The date it closed")

"""Forms for dispute resolution: one per step of the journey. The services check the rules again."""

from django import forms

from carereview.core.calendar import due_words
from carereview.core.typing import choice_field, form_field
from carereview.disputes.models import Theme
from carereview.disputes.services import SUMMARY_LIMIT
from carereview.reviews.forms import date_field, text_field


def stage_label(stage, preview: dict) -> str:
    person, why = preview.get(stage.code, (None, ""))
    if person is not None:
        return f"{stage.label} – {person.get_full_name() or person.username}"
    return f"{stage.label} – nobody can be found to address it to"


class DecisionChoice(forms.ModelChoiceField):
    def __init__(self, *args, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on

    def label_from_instance(self, decision):
        text = decision.text if len(decision.text) <= 80 else decision.text[:79] + "…"
        state = decision.get_status_display().lower()
        if decision.is_overdue(self.on):
            state += ", overdue"
        return f"{text} (due {due_words(decision.due_on, 'j M Y')}; {state})"


def _stage_field(label: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a stage",
            "invalid_choice": "Choose a stage from the list",
        },
    )


def _skip_reason() -> forms.CharField:
    return text_field(
        "Why skip a stage (only if you do)",
        help_text="Stages may be skipped where the child's welfare needs it: say why",
    )


class RaiseForm(forms.Form):
    summary = text_field(
        "What is the concern about?",
        required=True,
        max_length=SUMMARY_LIMIT,
        textarea=False,
        help_text="A short title, for example: delay in the permanence plan",
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        help_text="Choose all that apply",
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one theme",
            "invalid_choice": "Choose themes from the list",
        },
    )
    decision = DecisionChoice(
        queryset=None,
        on=None,
        label="The decision it is about (optional)",
        help_text="A decision of a review that has drifted",
        required=False,
        empty_label="Not about one decision",
        error_messages={"invalid_choice": "Choose one of the child's decisions"},
    )
    message = text_field(
        "Your concern, for the person it goes to",
        required=True,
        help_text="What is wrong, what you want done and by when",
    )
    start_stage = _stage_field("Which stage does it start at?")
    skip_reason = _skip_reason()

    def __init__(self, *args, decisions, stages, preview, on, **kwargs):
        super().__init__(*args, **kwargs)
        decision = form_field(self, "decision", DecisionChoice)
        decision.queryset = decisions
        decision.on = on
        self.stages = stages
        choice_field(self, "start_stage").choices = [
            (s.code, stage_label(s, preview)) for s in stages
        ]
        self.fields[
            "start_stage"
        ].help_text = (
            f"Start at {stages[0].label.lower()} unless the child's welfare needs a higher stage"
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        stage = data.get("start_stage")
        if stage and stage != self.stages[0].code and not data.get("skip_reason"):
            self.add_error("skip_reason", "Say why the earlier stages are skipped")
        return data


class EscalateForm(forms.Form):
    to_stage = _stage_field("Escalate to")
    message = text_field(
        "Your concern, for the person it goes to",
        required=True,
        help_text="Why the last stage did not resolve it, and what you want done",
    )
    skip_reason = _skip_reason()

    def __init__(self, *args, stages, preview, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = stages
        choice_field(self, "to_stage").choices = [(s.code, stage_label(s, preview)) for s in stages]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        stage = data.get("to_stage")
        if stage and self.stages and stage != self.stages[0].code and not data.get("skip_reason"):
            self.add_error("skip_reason", "Say why the stages in between are skipped")
        return data


class RespondForm(forms.Form):
    response = text_field(
        "Your response",
        required=True,
        help_text="What you will do and by when, or why you disagree",
    )


class ResolveForm(forms.Form):
    resolution = text_field(
        "How was it resolved?",
        required=True,
        help_text="What was agreed, and why you are now satisfied",
    )


class CafcassForm(forms.Form):
    referred_on = date_field("Date of the referral", subject="the date of the referral")
    note = text_field("Note (optional)", help_text="Who you spoke to at Cafcass, and what next")


class PeriodForm(forms.Form):
    start = date_field("From", subject="the start of the period")
    end = date_field("To", subject="the end of the period")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data

"""Forms for each step of a review, one per journey step (NHS manage-breast-screening style)."""

from datetime import date
from typing import cast

from django import forms

from carereview.children import codes
from carereview.core.forms import GovUKDateField
from carereview.core.typing import choice_field
from carereview.reviews.models import (
    ChecklistEntry,
    Consultation,
    EarlierReviewRequirement,
    Exclusion,
    Invitation,
    MatterConsidered,
    Meeting,
    Review,
)

TEXT_LIMIT = 5000


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def date_field(label, required=True, help_text="", subject=None):
    """A date the IRO types: the GOV.UK date input ("Enter date of the meeting", "Date of the
    meeting must include a month", "Date of the meeting must be a real date")."""
    return GovUKDateField(
        label=label, required=required, help_text=help_text, subject=subject or label.lower()
    )


def text_field(
    label, required=False, help_text="", max_length=TEXT_LIMIT, textarea=True, rows=None
):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows} if rows else None)
        if textarea
        else forms.TextInput,
        error_messages={
            "required": f"Enter {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


class BookMeetingForm(forms.Form):
    on = date_field("Date of the meeting", subject="the date of the meeting")
    at = forms.TimeField(
        label="Time",
        widget=TimeInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the time", "invalid": "Enter a real time"},
    )
    venue = text_field(
        "Where", max_length=200, textarea=False, help_text="Somewhere the child chose, if they did"
    )
    by_video = forms.BooleanField(label="By video call", required=False)
    video_details = text_field("Video call details", max_length=300, textarea=False)
    confirm = forms.BooleanField(
        label="Book it anyway",
        required=False,
        help_text="Tick to book despite the warnings above",
    )
    # The date the warnings were shown for: "book it anyway" confirms that date only.
    warned_for = forms.DateField(required=False, widget=forms.HiddenInput)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("venue", "").strip() and not data.get("by_video"):
            self.add_error("venue", "Enter where the meeting is, or choose a video call")
        return data


class MeetingChangeForm(forms.Form):
    change = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[
            (Meeting.Change.POSTPONE, "Postpone it to a new date"),
            (Meeting.Change.CANCEL, "Cancel it"),
        ],
        error_messages={"required": "Choose postpone or cancel"},
    )
    reason = text_field("Reason", required=True)
    new_on = date_field("New date (if postponing)", required=False, subject="the new date")
    new_at = forms.TimeField(
        label="New time (if postponing)",
        required=False,
        widget=TimeInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter a real time"},
    )
    confirm = forms.BooleanField(
        label="Ask for it anyway",
        required=False,
        help_text="Tick to ask for this date despite the warning above",
    )
    # The new date the warning was shown for: "ask for it anyway" confirms that date only.
    warned_for = forms.DateField(required=False, widget=forms.HiddenInput)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("change") == Meeting.Change.POSTPONE:
            if not data.get("new_on"):
                self.add_error("new_on", "Enter the new date")
            if not data.get("new_at"):
                self.add_error("new_at", "Enter the new time")
        return data


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        error_messages={"required": "Choose approve or refuse"},
    )
    note = text_field("Note (optional)")


class EarlierReviewForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is an earlier review needed?",
        widget=forms.RadioSelect,
        choices=EarlierReviewRequirement.Reason.choices,
        error_messages={"required": "Choose the reason"},
    )
    required_by = date_field("Required by", subject="the date it is required by")
    details = text_field("Details")


class ChecklistForm(forms.Form):
    done_on = date_field("Date done", subject="the date it was done")
    outcome = forms.ChoiceField(
        label="What happened?",
        widget=forms.RadioSelect,
        required=False,
        choices=[(k, v) for k, v in ChecklistEntry.Outcome.choices if k != "done"],
    )
    note = text_field("Note", help_text="If you did not speak with the child alone, say why")

    def __init__(self, *args, item: str, observe: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item != ChecklistEntry.Item.CHILD_SEEN:
            del self.fields["outcome"]
            self.fields["note"].help_text = ""
            return
        # Under 4 or with a profound disability the IRO observes; otherwise they speak alone.
        hidden = ChecklistEntry.Outcome.SPOKE_ALONE if observe else ChecklistEntry.Outcome.OBSERVED
        choice_field(self, "outcome").choices = [
            (k, v) for k, v in ChecklistEntry.Outcome.choices if k not in ("done", hidden)
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.item == ChecklistEntry.Item.CHILD_SEEN and not data.get("outcome"):
            self.add_error("outcome", "Choose what happened")
        if not data.get("outcome"):
            data["outcome"] = ChecklistEntry.Outcome.DONE
        return data


class ChoicesForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "choice_who",
            "choice_topics",
            "choice_where",
            "choice_when",
            "choice_chairing",
            "choices_cutoff",
        ]
        labels = {"choice_chairing": "Who chairs the review?"}

    choices_cutoff = GovUKDateField(
        label="The child can change their choices until",
        subject="the last day the child can change their choices",
        required=False,
        help_text="In the portal. If you leave this empty, it is a few working days before the "
        "first meeting (a setting).",
    )

    # Long texts have a limit, checked here and shown by the character count.
    choice_who = text_field("Who the child wants to come")
    choice_topics = text_field("What the child wants to talk about")
    #: The choices' version when the form was opened (Review.choices_version).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    choice_chairing = forms.ChoiceField(
        label="Who chairs the review?",
        choices=Review.Chairing.choices,
        widget=forms.RadioSelect,
        required=False,
    )


class SendConsultationForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Send a form to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who to send it to"},
    )
    method = forms.ChoiceField(
        label="How", widget=forms.RadioSelect, choices=Consultation.Method.choices, initial="paper"
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "recipient").choices = recipients


class AnswersForm(forms.Form):
    returned_on = date_field("Date it came back", subject="the date it came back")
    share_with_social_worker = forms.BooleanField(
        label="The child agrees their social worker may read it", required=False
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(consultation.form.questions.all())
        existing = {a.question_id: a.answer for a in consultation.answers.all()}
        for q in self.questions:
            self.fields[f"q{q.pk}"] = text_field(q.text, help_text=q.hint)
            self.initial.setdefault(f"q{q.pk}", existing.get(q.pk, ""))
        if not consultation.for_child:
            del self.fields["share_with_social_worker"]

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}", "") for q in self.questions}


class InviteForm(forms.Form):
    invitees = forms.MultipleChoiceField(
        label="Who is invited?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Only those the child and the IRO agree should come",
        error_messages={"required": "Choose at least one person"},
    )
    method = forms.ChoiceField(
        label="Send the invitation by",
        widget=forms.RadioSelect,
        choices=Invitation.Method.choices,
        initial="letter",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "invitees").choices = choices


class ExcludeForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Which parent?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the parent"},
    )
    reason = text_field("The reason, as it will be written to them", required=True)
    offered_on = date_field(
        "Separate meeting with the IRO offered on", subject="the date the meeting was offered on"
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "person").choices = parents


class ExclusionOutcomeForm(forms.ModelForm):
    class Meta:
        model = Exclusion
        fields = ["outcome", "outcome_note"]
        widgets = {"outcome": forms.RadioSelect}
        labels = {"outcome": "The separate meeting"}

    outcome_note = text_field("Note")


class RecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # rules.md §3 (ours): the date held is the date of the meeting that completed the review, so
    # it is chosen from the review's meetings, not typed (reviews.services.check_date_held).
    held_on = forms.TypedChoiceField(
        label="Which meeting completed the review?",
        help_text="The review's date is the date of its last meeting. A meeting that was "
        "postponed or cancelled is not listed.",  # or its first: set in __init__
        widget=forms.RadioSelect,
        coerce=date.fromisoformat,
        error_messages={
            "required": "Choose the meeting that completed the review",
            "invalid_choice": "Choose the meeting that completed the review: the date held is "
            "the date of one of its meetings",
        },
    )
    participation_code = forms.ChoiceField(
        label="How did the child take part?",
        widget=forms.RadioSelect,
        choices=[(k, f"{k}: {v}") for k, v in codes.PARTICIPATION.items()],
        error_messages={"required": "Choose how the child took part"},
    )
    wishes_and_feelings = text_field(
        "The child's wishes and feelings, in their own words", required=True
    )
    parents_views = text_field("The parents' views")

    def __init__(self, *args, review, meetings=(), ahead=None, **kwargs):
        super().__init__(*args, **kwargs)
        from carereview.reviews.services import review_dated_by

        if review_dated_by() == "first":
            self.fields["held_on"].label = "Which meeting started the review?"
            self.fields["held_on"].help_text = (
                "The review's date is the date of its first meeting. A meeting that was "
                "postponed or cancelled is not listed."
            )
        if not meetings and ahead is not None:  # nothing to choose yet: say from when
            self.fields["held_on"].error_messages["required"] = (
                f"Record the review on or after the day of its meeting, {ahead.on:%A %-d %B %Y}"
            )
        # One choice per day with a meeting that may have completed the review (its sessions).
        days: dict = {}
        for m in meetings:
            where = "by video" if m.by_video else m.venue
            days.setdefault(m.on, []).append(f"{m.at:%H:%M}" + (f", {where}" if where else ""))
        choice_field(self, "held_on").choices = [
            (on.isoformat(), f"{on:%A %-d %B %Y} at {'; '.join(sessions)}")
            for on, sessions in days.items()
        ]
        saved = {m.matter: m for m in review.matters.prefetch_related("hidden_from")}
        people = [
            (r.person_id, f"{r.person} ({r.get_kind_display()})")
            for r in review.child.relationships.select_related("person")
        ]
        for key, label in MatterConsidered.Matter.choices:
            self.fields[f"matter_{key}"] = text_field(label, help_text="The IRO's view", rows=3)
            self.initial.setdefault(f"matter_{key}", saved[key].iro_view if key in saved else "")
            # rules.md §7: a part of the record someone must not see is left out of their copy.
            self.fields[f"hide_{key}"] = forms.TypedMultipleChoiceField(
                label="Leave this part out of the copy for",
                choices=people,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.initial.setdefault(
                f"hide_{key}",
                [p.pk for p in saved[key].hidden_from.all()] if key in saved else [],
            )
        self.invitations = list(review.invitations.select_related("person", "staff"))
        for inv in self.invitations:
            self.fields[f"attendance_{inv.pk}"] = forms.ChoiceField(
                label=f"{inv.name} ({inv.role})",
                choices=Invitation.Attendance.choices,
                required=False,
            )
            self.initial.setdefault(f"attendance_{inv.pk}", inv.attendance)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        matters = [
            k for k, _ in MatterConsidered.Matter.choices if data.get(f"matter_{k}", "").strip()
        ]
        if not matters:
            self.add_error("matter_changes", "Record the IRO's view on the matters considered")
        return data

    def matter_fields(self):
        return [
            (self[f"matter_{k}"], self[f"hide_{k}"]) for k, _ in MatterConsidered.Matter.choices
        ]

    def hidden_from(self) -> dict[str, list[int]]:
        return {
            k: self.cleaned_data.get(f"hide_{k}", []) for k, _ in MatterConsidered.Matter.choices
        }

    def attendance_fields(self):
        return [self[f"attendance_{inv.pk}"] for inv in self.invitations]


class DecisionForm(forms.Form):
    text = text_field("Decision", rows=2)
    owner = forms.TypedChoiceField(
        label="Who is responsible (a person)", coerce=int, required=False, empty_value=None
    )
    owner_description = text_field("or a role", max_length=200, textarea=False)
    due_on = date_field("By when", required=False, subject="the date it is due")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "Choose a person")] + list(owners)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("text", "").strip():
            return data  # an empty row is ignored
        if not data.get("owner") and not data.get("owner_description", "").strip():
            self.add_error("owner_description", "Say who is responsible: a person or a role")
        if not data.get("due_on"):
            self.add_error("due_on", "Enter by when")
        return data


class DecisionFormSetBase(forms.BaseFormSet):
    def decisions(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("text", "").strip()
        ]


# formset_factory makes a subclass of the formset it is given (typed as the plain BaseFormSet).
DecisionFormSet = cast(
    type[DecisionFormSetBase],
    forms.formset_factory(DecisionForm, formset=DecisionFormSetBase, extra=2),
)


class ChildWordingForm(forms.Form):
    """Each decision in the child's words (issue 12 item 24): the professional text and a
    suggestion are shown as the hint; the IRO writes or confirms the words, none left empty."""

    def __init__(self, *args, decisions, name: str, suggestions: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = decisions
        for n, decision in enumerate(decisions, 1):
            key = f"decision-{decision.pk}"
            self.fields[key] = text_field(
                f"Decision {n} in {name}'s words",
                required=True,
                help_text=f"The decision: “{decision.text}”. A suggestion: "
                f"“{suggestions[decision.pk]}”",
            )
            self.fields[key].error_messages["required"] = f"Write decision {n} in {name}'s words"
            self.initial.setdefault(key, decision.child_wording)

    def wordings(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data[f"decision-{d.pk}"] for d in self.decisions}


class ChildLetterForm(forms.Form):
    text = text_field("The letter", required=True, max_length=20000, rows=20)


class CarePlanForm(forms.Form):
    explained_on = date_field(
        "Updated care plan explained to the parents on",
        required=False,
        subject="the date it was explained",
    )
    copied_on = date_field(
        "Copy given to the parents on", required=False, subject="the date the copy was given"
    )
    for_parents = forms.CharField(
        label="The updated care plan, as given to the parents",
        help_text="Parents read this in the portal once a copy has been given. A confidential "
        "placement address is taken out before they see it.",
        widget=forms.Textarea,
        required=False,
        max_length=20000,
    )

from django import forms

from carereview.core.forms import GovUKDateField, GovUKDateInput
from carereview.core.typing import choice_field


class AppointForm(forms.Form):
    person = forms.TypedChoiceField(coerce=int, error_messages={"required": "Select a person"})
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        label="Why is this changing?",
        help_text="Needed when the child already has one. The reason is kept in the history.",
    )

    def __init__(
        self, *args, choices, changing: bool, role_label: str, sibling_note: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        if sibling_note:
            # rules.md §4: siblings share an IRO unless there is a conflict. Asked only where a
            # brother or sister has an IRO; required (by allocation.services) for another IRO.
            self.fields["sibling_reason"] = forms.CharField(
                required=False,
                widget=forms.Textarea,
                max_length=2000,
                label="If you choose someone else, why?",
                help_text=sibling_note,
            )
        choice_field(self, "person").choices = choices
        self.fields["person"].error_messages["required"] = f"Select the {role_label}"
        self.fields["person"].error_messages["invalid_choice"] = (
            f"Choose one of the people listed as {role_label}"
        )
        self.changing = changing
        self.role_label = role_label

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.changing and not (data.get("reason") or "").strip():
            self.add_error("reason", f"Enter why the {self.role_label} is changing")
        return data


class LookedAfterParentForm(forms.Form):
    parent = forms.CharField(
        max_length=20,
        label="The parent's child identifier",
        help_text="The identifier of the mother's or father's own record as a looked-after child "
        "(as on the SSDA903 return), for example T00042.",
        error_messages={"required": "Enter the parent's child identifier"},
    )
    # Both must match: an identifier alone could be tried at random to learn who it is.
    date_of_birth = GovUKDateField(
        label="The parent's date of birth",
        subject="the parent's date of birth",
        widget=GovUKDateInput(autocomplete="bday"),
    )
    label_sizes = {"parent": "s", "date_of_birth": "s"}

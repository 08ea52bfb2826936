"""The caseload's filters, as the page shows them (GOV.UK form renderer, ADR 0014).
`caseload.selectors.caseload` reads and checks the query string; this form only shows it."""

from django import forms

from carereview.caseload.selectors import CaseloadView
from carereview.core.govuk_forms import input_attrs
from carereview.core.typing import choice_field


class SearchInput(forms.TextInput):
    input_type = "search"


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(
        label="Name or child ID",
        required=False,
        widget=SearchInput(attrs=input_attrs(spellcheck=False)),
    )
    status = forms.ChoiceField(label="Review status", required=False)
    legal = forms.ChoiceField(label="Legal status", required=False)
    placement = forms.ChoiceField(label="Placement type", required=False)

    def __init__(self, view: CaseloadView, *, scheduling: bool):
        # The ids are the names, as the page had them (auto_id "%s").
        super().__init__(
            initial={
                "q": view.q,
                "status": view.status,
                "legal": view.legal,
                "placement": view.placement,
            },
            auto_id="%s",
        )
        choice_field(self, "status").choices = list(view.status_choices.items())
        choice_field(self, "legal").choices = [("", "All"), *view.legal_choices]
        choice_field(self, "placement").choices = [("", "All"), *view.placement_choices]
        if scheduling:  # the scheduling list shows children without these filters
            del self.fields["legal"], self.fields["placement"]

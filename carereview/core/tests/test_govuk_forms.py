"""The GOV.UK form renderer (ADR 0014): each widget's markup, the date input's parsing and
messages, and a guard that no template writes form component markup by hand again."""

import re
from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.conf import settings

from carereview.core.forms import GovUKDateField, GovUKDateInput, read_date
from carereview.core.govuk_forms import GovUKBoundField, SecurityCodeInput, input_attrs


class EveryWidget(forms.Form):
    name = forms.CharField(
        label="Full name",
        help_text="As on their passport",
        widget=forms.TextInput(attrs=input_attrs(width=20, autocomplete="name", spellcheck=False)),
    )
    note = forms.CharField(label="Note", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
    plain = forms.CharField(label="Plain text", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "Apple"), ("b", "Banana")], widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("x", "School"), ("y", "Health")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply",
    )
    agree = forms.BooleanField(label="I agree", help_text="You must agree")
    colour = forms.ChoiceField(label="Colour", choices=[("", "Choose"), ("r", "Red")])
    photo = forms.FileField(label="Photo", widget=forms.FileInput, required=False)
    code = forms.CharField(label="Code", widget=SecurityCodeInput)
    on = GovUKDateField(label="Date of the review", subject="the date of the review")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    label_sizes = {"name": "m"}


def _group(html: str, name: str) -> str:
    """The form group (or character count) that holds the field named `name`."""
    groups = re.split(r'(?=<div class="govuk-form-group(?: govuk-character-count)?[ "])', html)
    found = [g for g in groups if f'name="{name}"' in g or f'name="{name}_day"' in g]
    assert found, f"no form group for {name}"
    return found[0]


@pytest.fixture
def blank():
    return EveryWidget().as_div()


@pytest.fixture
def wrong():
    form = EveryWidget(
        {
            "name": "",
            "note": "x" * 201,
            "kind": "z",
            "on_day": "31",
            "on_month": "2",
            "on_year": "2026",
            "code": "123",
        }  # fmt: skip
    )
    assert not form.is_valid()
    return form


def test_the_renderer_is_the_projects_and_gives_govuk_bound_fields():
    assert settings.FORM_RENDERER == "carereview.core.govuk_forms.GovUKFormRenderer"
    assert isinstance(EveryWidget()["name"], GovUKBoundField)


def test_a_text_input_has_its_label_hint_width_and_autocomplete(blank):
    group = _group(blank, "name")
    assert '<label class="govuk-label govuk-label--m" for="id_name">Full name</label>' in group
    assert '<div id="id_name-hint" class="govuk-hint">As on their passport</div>' in group
    assert 'class="govuk-input govuk-input--width-20"' in group
    assert 'autocomplete="name"' in group and 'spellcheck="false"' in group
    assert 'aria-describedby="id_name-hint"' in group
    # The server checks; the browser's own checks and maxlength are not used.
    assert "required" not in group and "maxlength" not in group
    assert "govuk-form-group--error" not in group


def test_an_error_has_the_group_class_the_hidden_prefix_and_is_described(wrong):
    group = _group(wrong.as_div(), "name")
    assert group.startswith('<div class="govuk-form-group govuk-form-group--error">')
    assert (
        '<p id="id_name-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Error:</span> This field is required.</p>" in group
    )
    assert 'class="govuk-input govuk-input--width-20 govuk-input--error"' in group
    assert 'aria-describedby="id_name-hint id_name-error"' in group
    # The error message comes after the hint and before the input, as GOV.UK has it.
    assert group.index("id_name-hint") < group.index("govuk-error-message") < group.index("<input")


def test_a_long_text_with_a_limit_is_a_character_count(blank, wrong):
    group = _group(blank, "note")
    assert 'class="govuk-form-group govuk-character-count"' in group
    assert 'data-module="govuk-character-count" data-maxlength="200"' in group
    assert 'class="govuk-textarea govuk-js-character-count"' in group
    assert 'rows="3"' in group and 'aria-describedby="id_note-info"' in group
    # Without JavaScript the limit is said in words.
    assert (
        '<div id="id_note-info" class="govuk-hint govuk-character-count__message">'
        "You can enter up to 200 characters</div>" in group
    )
    error = _group(wrong.as_div(), "note")
    assert (
        "govuk-textarea--error" in error
        and 'aria-describedby="id_note-error id_note-info"' in error
    )


def test_a_long_text_without_a_limit_is_a_plain_textarea_of_five_rows(blank):
    group = _group(blank, "plain")
    assert "govuk-character-count" not in group
    assert 'class="govuk-textarea"' in group and 'rows="5"' in group


def test_radios_are_a_fieldset_with_a_legend_and_the_first_radio_has_the_fields_id(wrong):
    group = _group(wrong.as_div(), "kind")
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_kind-error">' in group
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Kind</legend>' in group
    assert 'data-module="govuk-radios"' in group
    assert (
        '<input class="govuk-radios__input" id="id_kind" name="kind" type="radio" value="a">'
        in group
    )
    assert '<label class="govuk-label govuk-radios__label" for="id_kind">Apple</label>' in group
    assert 'id="id_kind_1" name="kind" type="radio" value="b"' in group
    # The error summary links to the first radio.
    assert wrong["kind"].error_target == "id_kind"


def test_checkboxes_are_a_fieldset_and_keep_what_was_ticked():
    form = EveryWidget({"topics": ["y"]})
    group = _group(form.as_div(), "topics")
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_topics-hint">' in group
    assert 'data-module="govuk-checkboxes"' in group
    assert (
        'class="govuk-checkboxes__input" id="id_topics" name="topics" type="checkbox" value="x">'
        in group
    )
    assert 'id="id_topics_1" name="topics" type="checkbox" value="y" checked>' in group


def test_a_single_checkbox_has_its_label_and_hint_beside_it(blank):
    group = _group(blank, "agree")
    assert "<fieldset" not in group
    assert (
        'class="govuk-checkboxes__input"' in group and 'aria-describedby="id_agree-hint"' in group
    )
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_agree">I agree</label>' in group
    )
    assert 'class="govuk-hint govuk-checkboxes__hint">You must agree</div>' in group


def test_a_select_and_a_file_upload(blank):
    assert 'class="govuk-select" id="id_colour"' in _group(blank, "colour")
    assert 'type="file" name="photo" class="govuk-file-upload"' in _group(blank, "photo")


def test_the_security_code_is_never_put_back(wrong):
    group = _group(wrong.as_div(), "code")
    assert "govuk-input--width-5 govuk-input--extra-letter-spacing" in group
    assert 'autocomplete="one-time-code"' in group and 'inputmode="numeric"' in group
    assert "123" not in group


def test_the_form_renders_hidden_fields_without_a_group(blank):
    assert '<input type="hidden" name="token" id="id_token">' in blank
    assert 'for="id_token"' not in blank


# --- The date input ------------------------------------------------------------------------


def test_the_date_input_is_three_boxes_in_a_fieldset_never_a_native_date(blank):
    assert 'type="date"' not in blank
    group = EveryWidget()["on"].as_field_group()
    assert 'type="date"' not in group
    assert '<fieldset class="govuk-fieldset" role="group">' in group
    assert '<legend class="govuk-fieldset__legend">Date of the review</legend>' in group
    assert '<div class="govuk-date-input" id="id_on">' in group
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        assert f'<label class="govuk-label govuk-date-input__label" for="id_on_{part}">' in group
        assert (
            f'name="on_{part}" inputmode="numeric" id="id_on_{part}" class="govuk-input '
            f'govuk-date-input__input govuk-input--width-{width}">' in group
        )


def test_a_wrong_date_highlights_only_the_wrong_part_and_echoes_what_was_typed(wrong):
    group = wrong["on"].as_field_group()
    assert "The date of the review must be a real date" in group
    assert 'aria-describedby="id_on-error"' in group
    box = 'inputmode="numeric" id="id_on_{}" class="govuk-input govuk-date-input__input {}"'
    assert 'value="31" ' + box.format("day", "govuk-input--width-2 govuk-input--error") in group
    assert 'value="2" ' + box.format("month", "govuk-input--width-2") in group
    assert wrong["on"].error_target == "id_on_day"


class OneDate(forms.Form):
    on = GovUKDateField(label="Date of the review", subject="the date of the review")

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > date(2030, 12, 31):
            raise forms.ValidationError("The date of the review must be in 2030 or before")
        return on


def _post(day, month, year):
    form = OneDate({"on_day": day, "on_month": month, "on_year": year})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("typed", "message", "first_wrong", "highlighted"),
    [
        (("", "", ""), "Enter the date of the review", "day", {"day", "month", "year"}),
        (("  ", "", " "), "Enter the date of the review", "day", {"day", "month", "year"}),
        (("", "12", "2026"), "The date of the review must include a day", "day", {"day"}),
        (("15", "", "2026"), "The date of the review must include a month", "month", {"month"}),
        (("15", "12", ""), "The date of the review must include a year", "year", {"year"}),
        (("15", "", ""), "The date of the review must include a month and year", "month",
         {"month", "year"}),
        (("", "", "2026"), "The date of the review must include a day and month", "day",
         {"day", "month"}),
        (("32", "12", "2026"), "The date of the review must be a real date", "day", {"day"}),
        (("0", "12", "2026"), "The date of the review must be a real date", "day", {"day"}),
        (("15", "13", "2026"), "The date of the review must be a real date", "month", {"month"}),
        (("15", "decembre", "2026"), "The date of the review must be a real date", "month",
         {"month"}),
        (("x", "y", "2026"), "The date of the review must be a real date", "day",
         {"day", "month"}),
        (("31", "2", "2026"), "The date of the review must be a real date", "day", {"day"}),
        (("29", "2", "2026"), "The date of the review must be a real date", "day", {"day"}),
        (("15", "12", "26"), "Year must include 4 numbers", "year", {"year"}),
        (("15", "12", "02026"), "Year must include 4 numbers", "year", {"year"}),
        (("15", "12", "٢٠٢٦"), "The date of the review must be a real date", "year", {"year"}),
        (("1", "1", "2031"), "The date of the review must be in 2030 or before", "day",
         {"day", "month", "year"}),
        # More digits than int() reads (4300): an error, never a 500.
        (("1" * 5000, "12", "2026"), "The date of the review must be a real date", "day",
         {"day"}),
        (("15", "12", "9" * 5000), "The date of the review must be a real date", "year",
         {"year"}),
    ],
)  # fmt: skip
def test_every_date_message_and_what_it_highlights(typed, message, first_wrong, highlighted):
    form = _post(*typed)
    assert form.errors["on"] == [message]
    assert form["on"].error_target == f"id_on_{first_wrong}"
    html = form["on"].as_field_group()
    red = set(re.findall(r'id="id_on_(\w+)" class="[^"]*govuk-input--error"', html))
    assert red == highlighted


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (("15", "12", "2026"), date(2026, 12, 15)),
        (("05", "03", "2026"), date(2026, 3, 5)),
        ((" 5 ", " 3", "2026 "), date(2026, 3, 5)),
        (("15", "dec", "2026"), date(2026, 12, 15)),
        (("15", "Dec.", "2026"), date(2026, 12, 15)),
        (("15", "DECEMBER", "2026"), date(2026, 12, 15)),
        (("15", "sept", "2026"), date(2026, 9, 15)),
        (("29", "2", "2028"), date(2028, 2, 29)),  # a leap day
        (("29", "feb", "2000"), date(2000, 2, 29)),
    ],
)
def test_what_people_type_is_read(typed, expected):
    form = _post(*typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == expected


def test_read_date_is_none_for_three_empty_boxes():
    assert read_date("", None, " ") is None


def test_an_optional_date_may_be_left_empty_but_not_half_typed():
    class Optional(forms.Form):
        on = GovUKDateField(label="Due", subject="the due date", required=False)

    assert Optional({"on_day": "", "on_month": "", "on_year": ""}).is_valid()
    half = Optional({"on_day": "3", "on_month": "", "on_year": ""})
    assert half.errors["on"] == ["The due date must include a month and year"]


def test_an_iso_date_in_a_link_is_read_and_shown_in_the_boxes():
    form = OneDate({"on": "2026-03-31"})
    assert form.is_valid() and form.cleaned_data["on"] == date(2026, 3, 31)
    html = form["on"].as_field_group()
    assert 'name="on_day" value="31"' in html and 'name="on_month" value="3"' in html
    assert OneDate({"on": "<script>"}).errors["on"] == [
        "The date of the review must be a real date"
    ]


def test_the_boxes_win_over_an_iso_date_and_initial_dates_are_shown():
    form = OneDate({"on": "2026-03-31", "on_day": "1", "on_month": "4", "on_year": "2026"})
    assert form.is_valid() and form.cleaned_data["on"] == date(2026, 4, 1)
    html = OneDate(initial={"on": date(2026, 7, 9)})["on"].as_field_group()
    assert 'name="on_day" value="9"' in html and 'name="on_year" value="2026"' in html


def test_a_date_of_birth_asks_the_browser_for_the_birthday():
    html = GovUKDateInput(autocomplete="bday").render("dob", None, {"id": "id_dob"})
    for part in ("day", "month", "year"):
        assert f'autocomplete="bday-{part}"' in html


# --- The guard -----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
RENDERER_TEMPLATES = ROOT / "core" / "templates" / "govuk" / "forms"
HAND_WRITTEN = re.compile(
    r"govuk-input\b|govuk-label\b|govuk-error-message|govuk-date-input|govuk-textarea"
    r"|govuk-radios__input|govuk-checkboxes__input|govuk-select\b|govuk-file-upload"
    r"|govuk-character-count|type=\"date\"|includes/field\.html"
)

#: Templates that still write form component markup, each with why.
ALLOWED = {
    "portal/templates/portal/consultation/question.html": "the under-8 question's radios are "
    "pictures with read-aloud marks, and the question is the page's heading (label as heading)",
    "allocation/templates/allocation/appoint.html": "each person's radio has its own hint (their "
    "caseload and any conflict), which Django's RadioSelect cannot carry",
    "reviews/templates/reviews/support_detail.html": "each letter's checkbox has a link to open "
    "the letter in its hint; the letters are objects on the page, not a form's choices",
    "representations/templates/representations/detail.html": "a non-field error shown where "
    "the extension button would be, with no field to attach it to",
}


def test_no_template_writes_form_components_by_hand():
    found = {}
    for template in sorted(ROOT.glob("*/templates/**/*.html")):
        if RENDERER_TEMPLATES in template.parents:
            continue
        name = str(template.relative_to(ROOT))
        hits = sorted(set(HAND_WRITTEN.findall(template.read_text())))
        if hits and name not in ALLOWED:
            found[name] = hits
    assert found == {}, (
        "Form fields are rendered by the GOV.UK renderer ({{ form.field.as_field_group }}, "
        f"ADR 0014), not written by hand: {found}"
    )


def test_the_allowlist_names_only_templates_that_still_need_it():
    stale = [
        name
        for name in ALLOWED
        if not (ROOT / name).exists() or not HAND_WRITTEN.search((ROOT / name).read_text())
    ]
    assert stale == [], f"remove these from ALLOWED: {stale}"

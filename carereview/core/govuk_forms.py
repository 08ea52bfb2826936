"""Django forms rendered as GOV.UK Frontend components (ADR 0014).

`GovUKFormRenderer` (settings.FORM_RENDERER) makes `{{ form }}` and `{{ field.as_field_group }}`
render GOV.UK form groups: a label (or a fieldset and legend for radios, checkboxes and the date
input), the hint (from help_text), the error message with its hidden "Error:" prefix, and the
widget with the GOV.UK classes. `GovUKBoundField` gives each widget its classes and
`aria-describedby`; the templates are in core/templates/govuk/forms/.

A form says how a field looks in Python, not in its template: a width with
`attrs={"class": "govuk-input--width-20"}`, `autocomplete`, `spellcheck`, `rows` as widget attrs,
and a bigger label or legend with the form's `label_sizes` ({"field name": "s"}, "m", "l").
"""

from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

#: Django's widget templates replaced by GOV.UK ones (the others need only the classes and
#: attributes GovUKBoundField gives: input, textarea, select).
REPLACED = ("radio.html", "checkbox_select.html")


class GovUKFormRenderer(TemplatesSetting):
    """Renders forms and fields with the GOV.UK templates; Django's own widget templates are
    used where GOV.UK needs no other markup."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

    def get_template(self, template_name):
        prefix = "django/forms/widgets/"
        if template_name.startswith(prefix) and template_name.removeprefix(prefix) in REPLACED:
            template_name = "govuk/forms/widgets/" + template_name.removeprefix(prefix)
        return super().get_template(template_name)


def input_attrs(
    *, width: int | None = None, autocomplete: str = "", spellcheck: bool | None = None
) -> dict:
    """A text input's attrs in GOV.UK terms: `width` in characters (govuk-input--width-N: 2,
    3, 4, 5, 10, 20, 30), `autocomplete`, and `spellcheck=False` for names and codes."""
    attrs: dict = {}
    if width:
        attrs["class"] = f"govuk-input--width-{width}"
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if spellcheck is not None:
        attrs["spellcheck"] = "true" if spellcheck else "false"
    return attrs


class SecurityCodeInput(widgets.TextInput):
    """GOV.UK's security code input: a short box with spaced digits, the numbers keyboard, and
    the code filled in by the phone when it can. What was typed is never put back: the code
    changes every 30 seconds."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "govuk-input--width-5 govuk-input--extra-letter-spacing",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        return None


def _classes(*names: object) -> str:
    """The class names given (`x and "name"` gives a falsy value for a class left out)."""
    return " ".join(name for name in names if isinstance(name, str) and name)


class GovUKBoundField(BoundField):
    """A bound field that knows its GOV.UK ids (hint, error, character count) and classes."""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint" if self.help_text and self.auto_id else ""

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error" if self.errors and self.auto_id else ""

    @property
    def character_limit(self) -> int | None:
        """The most characters a long text takes: the character count component shows it."""
        if isinstance(self.field.widget, widgets.Textarea):
            return getattr(self.field, "max_length", None)
        return None

    @property
    def character_count_id(self) -> str:
        return f"{self.auto_id}-info" if self.character_limit and self.auto_id else ""

    @property
    def aria_describedby(self) -> str:
        return " ".join(i for i in (self.hint_id, self.error_id, self.character_count_id) if i)

    @property
    def label_size(self) -> str:
        """The GOV.UK size of the label or legend ("s", "m", "l", "xl"; "" for the usual),
        from the form's `label_sizes`."""
        return getattr(self.form, "label_sizes", {}).get(self.name, "")

    @property
    def error_target(self) -> str:
        """The id the error summary links to: the first input that is wrong."""
        widget = self.field.widget
        first_wrong = getattr(widget, "first_wrong_id", None)
        if first_wrong is not None:
            return first_wrong(self.auto_id, self.value())
        return self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        # The server checks every field and says what is wrong in GOV.UK words; the browser's
        # own checks (and their messages) are not used (GOV.UK's advice).
        attrs.pop("required", None)
        # Nor a maxlength: the browser would cut off what is typed or pasted without a word;
        # the field says the limit (the character count) and refuses a longer text.
        attrs["maxlength"] = attrs["minlength"] = False
        error = bool(self.errors)
        own = widget.attrs.get("class")
        if isinstance(widget, widgets.Textarea):
            # Django's Textarea says rows="10" unless told otherwise (a string); GOV.UK's is 5.
            if widget.attrs.get("rows") == "10":
                attrs["rows"] = 5
            attrs["class"] = _classes(
                "govuk-textarea",
                self.character_limit and "govuk-js-character-count",
                own,
                error and "govuk-textarea--error",
            )
        elif isinstance(widget, widgets.Select) and not isinstance(
            widget, (widgets.RadioSelect, widgets.CheckboxSelectMultiple)
        ):
            attrs["class"] = _classes("govuk-select", own, error and "govuk-select--error")
        elif isinstance(widget, widgets.FileInput):
            attrs["class"] = _classes(
                "govuk-file-upload", own, error and "govuk-file-upload--error"
            )
        elif isinstance(widget, widgets.CheckboxInput):
            attrs["class"] = _classes("govuk-checkboxes__input", own)
        elif isinstance(widget, widgets.Input) and not widget.is_hidden:
            attrs["class"] = _classes("govuk-input", own, error and "govuk-input--error")
        return attrs


GovUKFormRenderer.bound_field_class = GovUKBoundField

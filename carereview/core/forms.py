import calendar
import re
from datetime import date

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from carereview.core.govuk_forms import input_attrs
from carereview.core.models import BankHoliday
from carereview.core.typing import form_field

#: The largest id a database key holds (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


def is_number(value) -> bool:
    """Whether `value` is written as a whole number (ASCII digits only), however large: a
    number that is no id is "not found", where anything else is ignored."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


def parse_id(value, *, lowest: int = 1, highest: int = LARGEST_ID) -> int | None:
    """An id (or another whole number, such as a year) read from a query string or a form by
    hand: the int for ASCII digits between `lowest` and `highest`, None for anything else.
    `str.isdigit()` is not enough: it is true for "²" and "٣", which int() refuses, and for
    numbers no database key (or date) can hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif is_number(value) and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if lowest <= number <= highest else None


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password.",
        "inactive": "This account has been closed. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets the username's max_length after making the field, so nothing
        # enforces it: a longer name reached authenticate() and django-axes, whose record of
        # the attempt cannot hold it (a 500 on PostgreSQL). Refused here instead.
        username = form_field(self, "username", forms.CharField)
        username.validators.append(MaxLengthValidator(username.max_length or 150))
        # GOV.UK widths and autocomplete; no autofocus (it moves a screen reader past the page).
        username.widget.attrs = input_attrs(width=20, autocomplete="username", spellcheck=False)
        self.fields["password"].widget.attrs = input_attrs(
            width=20, autocomplete="current-password"
        )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_portal_user:
            raise forms.ValidationError(
                "This sign-in is for staff. Children, parents and carers sign in at /portal/.",
                code="portal",
            )


#: The three parts of the GOV.UK date input, in the order a UK reader writes them.
PARTS = ("day", "month", "year")

#: A month written in words: in full or shortened ("dec", "sept"), in any case.
MONTH_NAMES = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


class DateProblem(ValueError):
    """Why three parts are not a date: `code` (required, incomplete, year_digits, invalid) and
    the parts that are wrong, to highlight and to link to."""

    def __init__(self, code: str, parts: tuple[str, ...]):
        super().__init__(code)
        self.code, self.parts = code, parts


def _number(text: str) -> int | None:
    """The number written in ASCII digits, None for anything else. Leading zeros are read past
    before int(), which refuses more than 4300 digits (ValueError): a number too big for any
    part of a date is just big."""
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 5 else 10**5


def read_date(day: str | None, month: str | None, year: str | None) -> date | None:
    """The date typed in the three boxes of the GOV.UK date input, read as people type it:
    spaces around a part are ignored; leading zeros or not ("05", "5"); the month as a number
    or a name ("12", "dec", "December"). The year must have 4 digits: "26" could be 1926 or
    2026, and a date of birth and a review date would need opposite guesses.

    None when all three are empty; DateProblem when any part is missing or wrong."""
    typed = {
        "day": (day or "").strip(),
        "month": (month or "").strip(),
        "year": (year or "").strip(),
    }
    missing = tuple(part for part in PARTS if not typed[part])
    if len(missing) == len(PARTS):
        return None
    if missing:
        raise DateProblem("incomplete", missing)
    numbers = {
        "day": _number(typed["day"]),
        "month": _number(typed["month"]) or MONTH_NAMES.get(typed["month"].lower().rstrip(".")),
        "year": _number(typed["year"]),
    }
    wrong = tuple(
        part
        for part, highest in (("day", 31), ("month", 12), ("year", 9999))
        if (number := numbers[part]) is None or not 1 <= number <= highest
    )
    if wrong:
        raise DateProblem("invalid", wrong)
    if len(typed["year"]) != 4:
        raise DateProblem("year_digits", ("year",))
    y, m, d = numbers["year"], numbers["month"], numbers["day"]
    assert y is not None and m is not None and d is not None  # else wrong, above
    try:
        return date(y, m, d)
    except ValueError:  # 31 February, 29 February in a year that is not a leap year
        raise DateProblem("invalid", ("day",)) from None


#: An ISO date in a link or an older bookmark (`?as_at=2026-03-31`): read as its three parts.
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class GovUKDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (named `<name>_day`, `_month`, `_year`)
    in a fieldset, and never `type="date"`, which shows a UK reader "mm/dd/yyyy". When the
    field has an error, only the parts that are wrong are highlighted (all of them when the
    problem is the date as a whole, such as "must be in the past")."""

    template_name = "govuk/forms/widgets/date.html"
    use_fieldset = True

    def __init__(self, attrs=None, *, autocomplete: str = ""):
        """`autocomplete="bday"` for a date of birth: the boxes get bday-day, bday-month and
        bday-year."""
        self.autocomplete = autocomplete
        boxes: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS
        }
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, str) and (match := ISO_DATE.fullmatch(value.strip())):
            year, month, day = match.groups()
            return [str(int(day)), str(int(month)), year]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = [data.get(f"{name}_{part}") for part in PARTS]
        if all(part is None for part in parts) and name in data:
            return data.get(name)  # one ISO date, as in a link: read by GovUKDateField
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""

    @staticmethod
    def wrong_parts(value) -> tuple[str, ...]:
        """The parts to highlight when the field has an error: the wrong ones, or all three."""
        try:
            read_date(*value)
        except DateProblem as problem:
            return problem.parts
        except (TypeError, ValueError):
            pass
        return PARTS

    def first_wrong_id(self, id_: str, value) -> str:
        values = value if isinstance(value, (list, tuple)) else self.decompress(value)
        return f"{id_}_{self.wrong_parts(values)[0]}"

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        has_error = attrs.pop("aria-invalid", None) == "true"
        attrs.pop("aria-describedby", None)  # on the fieldset
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, (list, tuple)) else self.decompress(value)
        wrong = self.wrong_parts(values) if has_error else ()
        id_ = attrs.get("id")
        for part, box in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            box["name"] = f"{name}_{part}"
            box["label"] = part.capitalize()
            box_attrs = box["attrs"]
            if id_:
                box_attrs["id"] = f"{id_}_{part}"
            box_attrs["class"] = " ".join(
                c
                for c in (
                    "govuk-input govuk-date-input__input",
                    "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
                    "govuk-input--error" if part in wrong else "",
                )
                if c
            )
            if self.autocomplete:
                box_attrs["autocomplete"] = f"{self.autocomplete}-{part}"
        return context


class GovUKDateField(forms.Field):
    """A date a person types, in the GOV.UK date input, with the GOV.UK date input's error
    messages. `subject` names the date in them ("the date of the review": "Enter the date of
    the review", "The date of the review must include a month", "The date of the review must
    be a real date"); by default, the label. `error_messages["required"]` and `["invalid"]`
    may still be given."""

    widget = GovUKDateInput

    def __init__(self, *, subject: str = "", **kwargs):
        super().__init__(**kwargs)
        self.subject = subject or (
            self.label[:1].lower() + self.label[1:] if self.label else "the date"
        )
        if self.error_messages["required"] == forms.Field.default_error_messages["required"]:
            self.error_messages["required"] = f"Enter {self.subject}"

    def _message(self, problem: DateProblem) -> str:
        subject = self.subject[:1].upper() + self.subject[1:]
        if problem.code == "incomplete":
            return f"{subject} must include a {' and '.join(problem.parts)}"
        if problem.code == "year_digits":
            return "Year must include 4 numbers"
        return str(self.error_messages.get("invalid") or f"{subject} must be a real date")

    def to_python(self, value):
        if isinstance(value, date):
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            parts = GovUKDateInput().decompress(value)
            if not value.strip():
                return None
            if parts == [None] * 3:
                raise forms.ValidationError(
                    self._message(DateProblem("invalid", PARTS)), code="invalid"
                )
            value = parts
        try:
            return read_date(*value)
        except DateProblem as problem:
            raise forms.ValidationError(self._message(problem), code=problem.code) from None


class ChoiceFilterForm(forms.Form):
    """One select of a GET filter, as the page shows it (the view reads and checks the query
    string): its id is its name, as the hand-written selects had it."""

    def __init__(self, name: str, label: str, choices, chosen):
        super().__init__(initial={name: chosen}, auto_id="%s")
        self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)


class BankHolidayForm(forms.ModelForm):
    date = GovUKDateField(
        label="Date",
        subject="the date of the bank holiday",
        error_messages={"unique": "That date is already a bank holiday"},
    )

    class Meta:
        model = BankHoliday
        fields = ["date", "name"]
        widgets = {"name": forms.TextInput(attrs=input_attrs(width=20))}
        error_messages = {
            "name": {"required": "Enter the name of the bank holiday"},
        }

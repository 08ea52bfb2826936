from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_portal_user:
            raise forms.ValidationError(
                "This sign-in is for staff. Children, parents and carers sign in at /portal/.",
                code="portal",
            )


class GovukDateInput(forms.DateInput):
    input_type = "date"


class BankHolidayForm(forms.ModelForm):
    class Meta:
        model = BankHoliday
        fields = ["date", "name"]
        widgets = {"date": GovukDateInput()}
        error_messages = {
            "date": {
                "required": "Enter the date of the bank holiday",
                "invalid": "Enter a real date",
                "unique": "That date is already a bank holiday",
            },
            "name": {"required": "Enter the name of the bank holiday"},
        }

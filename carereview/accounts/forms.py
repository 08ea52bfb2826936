"""Forms for staff's second step and the administrator's account pages (issue 7)."""

from django import forms

from carereview.accounts import second_factor
from carereview.core.govuk_forms import SecurityCodeInput, input_attrs


class AppCodeForm(forms.Form):
    """The 6-number code from the app, when setting it up."""

    code = forms.CharField(
        label="Code from the app",
        help_text="The app shows 6 numbers, like 123456. They change every 30 seconds.",
        max_length=20,
        widget=SecurityCodeInput,
        error_messages={
            "required": "Enter the 6-number code from the app",
            "max_length": "The code must be 6 numbers, like 123456",
        },
    )

    def clean_code(self):
        code = second_factor.normalise(self.cleaned_data["code"])
        if not second_factor.is_app_code(code):
            raise forms.ValidationError("The code must be 6 numbers, like 123456")
        return code


class SignInCodeForm(forms.Form):
    """The second step at sign-in: the app's code, or a recovery code."""

    code = forms.CharField(
        label="Code",
        help_text=(
            "The 6 numbers the app shows now, like 123456. Or, without your phone, one of your "
            "recovery codes, like abcd-efgh."
        ),
        max_length=40,
        widget=SecurityCodeInput,
        error_messages={
            "required": "Enter the code from the app, or a recovery code",
            "max_length": "Enter the 6 numbers from the app, or a recovery code like abcd-efgh",
        },
    )

    def clean_code(self):
        code = second_factor.normalise(self.cleaned_data["code"])
        if not (second_factor.is_app_code(code) or second_factor.is_recovery_code(code)):
            raise forms.ValidationError(
                "Enter the 6 numbers from the app, or a recovery code like abcd-efgh"
            )
        return code


class UnlockForm(forms.Form):
    """Unlock an account or an address that django-axes locked out."""

    kind = forms.ChoiceField(choices=[("account", "Account"), ("address", "Address")])
    value = forms.CharField(max_length=255)


class ResetSecondFactorForm(forms.Form):
    """An administrator removes a member of staff's app and recovery codes (a lost phone)."""

    username = forms.CharField(
        label="Username of the member of staff",
        max_length=150,
        widget=forms.TextInput(attrs=input_attrs(width=20, autocomplete="off", spellcheck=False)),
        error_messages={"required": "Enter the username of the member of staff"},
    )

    def clean_username(self):
        from carereview.accounts.models import User

        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None or not user.is_staff_member:
            raise forms.ValidationError("There is no member of staff with that username")
        self.user = user
        return username

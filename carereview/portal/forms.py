"""The portal's forms, in plain words."""

import copy
import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator, RegexValidator

from carereview.core.forms import GovUKDateField
from carereview.core.govuk_forms import SecurityCodeInput, input_attrs
from carereview.core.images import ImageUpload, limits_in_words
from carereview.core.typing import choice_field, form_field
from carereview.reviews.models import Review

LONG = 3000


class PortalSignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Your username or password is not right. Check them and try again.",
        "inactive": "You cannot use this any more. Ask your IRO or social worker.",
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
        if not user.is_portal_user:
            raise forms.ValidationError(
                "This sign-in is for children, parents and carers. Staff sign in on the staff "
                "page.",
                code="staff",
            )


class SetUpForm(forms.Form):
    """Choose a username and password, from an invitation link."""

    username = forms.CharField(
        label="Choose a username",
        help_text="You will type this to sign in. Use letters, numbers, dots or dashes.",
        max_length=40,
        widget=forms.TextInput(
            attrs=input_attrs(width=20, autocomplete="username", spellcheck=False)
        ),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9.\-_]{3,40}$",
                "Use 3 to 40 letters, numbers, dots, dashes or underscores",
            )
        ],
        error_messages={"required": "Choose a username"},
    )
    password1 = forms.CharField(
        label="Choose a password",
        help_text="At least 8 letters or numbers. A few words you will remember work well.",
        widget=forms.PasswordInput(attrs=input_attrs(width=20, autocomplete="new-password")),
        max_length=200,
        strip=False,
        error_messages={"required": "Choose a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs=input_attrs(width=20, autocomplete="new-password")),
        max_length=200,
        strip=False,
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, *args, user_for_checks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_for_checks = user_for_checks

    def clean(self):
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are not the same")
        elif p1:
            try:
                password_validation.validate_password(p1, self.user_for_checks)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class CodeForm(forms.Form):
    """The 6-number code from the app. Spaces and dashes are ignored; anything else is an error,
    never a crash."""

    code = forms.CharField(
        label="Code from the app",
        help_text="It is 6 numbers, like 123456.",
        widget=SecurityCodeInput,
        error_messages={"required": "Enter the 6-number code from your app"},
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("The code must be 6 numbers, like 123456")
        return code


class NewPasswordForm(SetUpForm):
    """A new password from a new-sign-in link: the username stays. For someone with the second
    step on, the code from their phone too (`with_code`): the link alone is not enough."""

    def __init__(self, *args, with_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"]
        if with_code:
            self.fields["code"] = copy.deepcopy(CodeForm.base_fields["code"])

    clean_code = CodeForm.clean_code


class InviteForm(forms.Form):
    who = forms.ChoiceField(
        label="Who to invite", widget=forms.RadioSelect, error_messages={"required": "Choose who"}
    )
    channel = forms.ChoiceField(
        label="Send the link by",
        choices=[("email", "Email"), ("text", "Text message")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose email or text message"},
    )
    sent_to = forms.CharField(
        label="Email address or mobile number",
        help_text="Leave blank to use the one on their record.",
        max_length=254,
        widget=forms.TextInput(attrs=input_attrs(autocomplete="off")),
        required=False,
    )
    with_help_from = forms.CharField(
        label="Which adult will help the child use it",
        help_text="Needed for a child under the portal's age. For example: their foster carer.",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, people: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "who").choices = people

    def clean(self):
        super().clean()
        data = self.cleaned_data
        sent_to = data.get("sent_to", "").strip()
        channel = data.get("channel")
        if sent_to and channel == "email":
            try:
                forms.EmailField().clean(sent_to)
            except forms.ValidationError:
                self.add_error("sent_to", "Enter an email address like name@example.com")
        if sent_to and channel == "text":
            digits = sent_to.replace(" ", "")
            if not (digits.startswith(("07", "+447")) and digits.lstrip("+").isdigit()):
                self.add_error("sent_to", "Enter a UK mobile number, like 07700 900123")
            elif len(digits.lstrip("+")) not in (11, 12):
                self.add_error("sent_to", "Enter a UK mobile number, like 07700 900123")
        return data


class NewLinkForm(InviteForm):
    """Where to send a new sign-in link: the person is already known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, people=[], **kwargs)
        del self.fields["who"]
        del self.fields["with_help_from"]


class SecondStepRemovalForm(forms.Form):
    reason = forms.CharField(
        label="Why should their second step be turned off?",
        help_text="For example: they lost their phone. Say how you know it is them asking.",
        widget=forms.Textarea,
        max_length=LONG,
        error_messages={"required": "Enter why their second step should be turned off"},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is their access ending?",
        widget=forms.Textarea,
        max_length=LONG,
        error_messages={"required": "Enter why their access is ending"},
    )


class VisitRequestForm(forms.Form):
    why = forms.CharField(
        label="What do you want to talk about?",
        widget=forms.Textarea,
        max_length=LONG,
        error_messages={
            "required": "Tell your IRO what you want to talk about",
            "max_length": "Make it shorter: up to %(limit_value)d letters",
        },
    )
    when_suits = forms.CharField(
        label="When is a good time? (you can leave this out)",
        max_length=300,
        required=False,
        error_messages={"max_length": "Make it shorter: up to %(limit_value)d letters"},
    )


class ChoicesForm(forms.Form):
    """The child's choices about their review (seeds)."""

    #: The choices' version when the page was opened (Review.choices_version).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    who = forms.CharField(
        label="Who do you want to come?",
        widget=forms.Textarea,
        max_length=LONG,
        required=False,
        error_messages={"max_length": "Make it shorter: up to %(limit_value)d letters"},
    )
    topics = forms.CharField(
        label="What do you want to talk about?",
        widget=forms.Textarea,
        max_length=LONG,
        required=False,
        error_messages={"max_length": "Make it shorter: up to %(limit_value)d letters"},
    )
    where = forms.CharField(
        label="Where do you want it to be?",
        max_length=200,
        required=False,
        error_messages={"max_length": "Make it shorter: up to %(limit_value)d letters"},
    )
    when = forms.CharField(
        label="When is a good time?",
        max_length=200,
        required=False,
        error_messages={"max_length": "Make it shorter: up to %(limit_value)d letters"},
    )
    chairing = forms.ChoiceField(
        label="Do you want to run the meeting?",
        choices=[
            (Review.Chairing.IRO, "No, my IRO can run it"),
            (Review.Chairing.CO_CHAIR, "I want to run it with my IRO"),
            (Review.Chairing.CHILD, "I want to run it myself"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )


class SeparateMeetingForm(forms.Form):
    note = forms.CharField(
        label="Anything the IRO should know (you can leave this out)",
        help_text="For example, days or times that suit you.",
        widget=forms.Textarea,
        max_length=LONG,
        required=False,
        error_messages={"max_length": "Make it shorter: up to %(limit_value)d letters"},
    )


class VisitAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        help_text="They read this in the portal. Write to them in plain words.",
        widget=forms.Textarea,
        max_length=LONG,
        error_messages={"required": "Write your answer"},
    )
    visit_on = GovUKDateField(
        label="Visit arranged for (if you have arranged one)",
        subject="the date of the visit",
        required=False,
    )


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=input_attrs(width=20, autocomplete="tel")),
    )
    mobile = forms.CharField(
        label="Mobile, for text messages",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=input_attrs(width=20, autocomplete="tel")),
    )
    email = forms.EmailField(
        label="Email",
        required=False,
        error_messages={"invalid": "Enter a real email address"},
        widget=forms.EmailInput(attrs=input_attrs(autocomplete="email")),
    )
    photo = ImageUpload(
        label="Photo for children and families",
        required=False,
        error_messages={"invalid_image": "Upload a JPEG or PNG photo"},
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)
    contact_by = forms.ChoiceField(
        label="Send me reminders by",
        help_text="A text message goes to your mobile number.",
        choices=[("email", "Email"), ("text", "Text message")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = (
            "A clear photo of your face helps a child know who you are. JPEG or PNG, "
            f"{limits_in_words()}."
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("contact_by") == "text" and not data.get("mobile", "").strip():
            self.add_error("mobile", "Enter a mobile number, or choose email for reminders")
        if data.get("contact_by") == "email" and not data.get("email", "").strip():
            self.add_error("email", "Enter an email address, or choose text for reminders")
        return data

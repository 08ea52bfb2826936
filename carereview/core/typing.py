"""Narrowing helpers for mypy with django-stubs, shared by the apps.

- ``choice_field(form, name)``: a form's field as a ``ChoiceField``. ``form.fields`` holds plain
  ``Field``s, which have no ``choices``; this checks the field's class at run time instead.
"""

from django import forms


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a choice")
    return field

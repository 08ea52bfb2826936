"""Narrowing helpers for mypy with django-stubs, shared by the apps.

``form.fields`` holds plain ``Field``s, which have no ``choices`` or ``max_length``:
``form_field(form, name, forms.CharField)`` is that field as the class it is, checked at run time;
``choice_field(form, name)`` is the same for a ``ChoiceField`` (and its subclasses).
"""

from django import forms


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not {kind}")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return form_field(form, name, forms.ChoiceField)

"""Error messages that name their field, for every form in the app.

Django's stock messages ("This field is required.", "Null characters are not allowed.", "Ensure this value has at
most 40 characters (it has 41).") do not say which field they are about. In the NHS.UK error summary, a list of
links at the top of the page, that is all a user sees. :class:`NamedErrorsMixin` rewrites each stock message of a
form's fields to start with the field's label; a message a form sets itself is left alone.
``tests/web/test_form_errors.py`` submits bad input to every form in ``apps`` and fails on any stock message.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.forms.utils import pretty_name

# Django's stock messages (matched by their text, so a form's own message is never replaced) -> ours.
_STOCK: dict[str, str] = {
    str(forms.Field.default_error_messages["required"]): "{label} is required",
    str(forms.ChoiceField.default_error_messages["invalid_choice"]): "{label}: select one of the options shown",
    # MultipleChoiceField's invalid_choice is the same text as ChoiceField's: one entry serves both.
    str(forms.MultipleChoiceField.default_error_messages["invalid_list"]): "{label}: select from the options shown",
    str(forms.FileField.default_error_messages["invalid"]): "{label}: no file was received, choose it again",
    str(forms.FileField.default_error_messages["missing"]): "{label}: no file was received, choose it again",
    str(forms.FileField.default_error_messages["empty"]): "{label}: the file is empty",
    str(forms.FileField.default_error_messages["max_length"]): (
        "{label}: the file name must be at most %(max)d characters"
    ),
    str(forms.FileField.default_error_messages["contradiction"]): "{label}: choose a file or clear it, not both",
}


def _label(text: str) -> str:
    """A label for the start of a message ("%" escaped: the messages are %-formatted with their params)."""
    text = str(text).strip().rstrip(":")
    return (text[:1].upper() + text[1:]).replace("%", "%%")


def name_errors(field: forms.Field, label: str) -> None:
    """Rewrite ``field``'s stock error messages and validators to name ``label``. The field must be the form's own
    copy (a bound form's ``fields``), as it is in ``NamedErrorsMixin``."""
    label = _label(label)
    for key, message in list(field.error_messages.items()):
        template = _STOCK.get(str(message))
        if template is not None:
            field.error_messages[key] = template.format(label=label)
    renamed = []
    for validator in field.validators:
        if isinstance(validator, validators.ProhibitNullCharactersValidator):
            validator = validators.ProhibitNullCharactersValidator(message=f"{label} must not contain null characters")
        elif type(validator) is validators.MaxLengthValidator:
            validator = validators.MaxLengthValidator(
                validator.limit_value, message=f"{label} must be at most %(limit_value)d characters"
            )
        elif type(validator) is validators.MinLengthValidator:
            validator = validators.MinLengthValidator(
                validator.limit_value, message=f"{label} must be at least %(limit_value)d characters"
            )
        renamed.append(validator)
    field.validators = renamed


class NamedErrorsMixin:
    """Put first in a form's bases. ``error_label(name)`` gives the words a field's messages start with: its label,
    unless the form says otherwise (a question such as "How long has it lasted?" reads badly as a message)."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        # Here rather than in __init__, so that fields a form adds in its own __init__ are renamed too.
        if not getattr(self, "_errors_named", False):
            for name, field in self.fields.items():
                name_errors(field, self.error_label(name))
            self._errors_named = True
        super().full_clean()  # type: ignore[misc]

    def error_label(self, name: str) -> str:
        field = self.fields[name]
        return str(field.label).removesuffix(" (optional)") if field.label else pretty_name(name)

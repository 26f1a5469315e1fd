"""Every form's error messages name their field (the standard: "bad input gets a clear error naming the field").

Django's stock messages ("This field is required.", "Null characters are not allowed.") do not, and in the NHS.UK
error summary a message is all a user sees. This test finds every form class in ``apps`` (so a new form is covered
without being listed), submits empty, null-character, over-long and off-list input to it, and fails on any stock
message; for the messages ``NamedErrorsMixin`` writes, it checks the field's label is in them.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from django import forms
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

import apps
from apps.web.forms import NamedErrorsMixin

# How to build each form (its constructor's own arguments). A form missing here fails the test, so that it is
# added, and checked, when it is written.
FORM_KWARGS = {
    "apps.accounts.forms.LoginForm": {"request": None},
    "apps.accounts.forms.AdminLoginForm": {"request": None},
    "apps.assessments.forms.AssessmentForm": {"role": "gp"},
    "apps.assessments.views.DecisionForm": {"prompt_ids": ("imaging.spine_xray",)},
    "apps.assessments.reports.ReportForm": {},
    "apps.casefinding.forms.UploadForm": {},
    "apps.casefinding.forms.FilterForm": {},
    "apps.casefinding.forms.StatusForm": {},
    "apps.selfcheck.forms.SelfCheckForm": {},
}
# The Django admin site's own forms show each message beside its field, in Django's admin templates.
NOT_CHECKED_MODULES = re.compile(r"^apps\.\w+\.admin$")


def _stock_messages() -> list[re.Pattern[str]]:
    """Django's stock form and validator messages, as patterns (their %(...)s placeholders match anything)."""
    texts = set()
    for cls in [forms.Field, *_subclasses(forms.Field)]:
        texts.update(str(m) for m in getattr(cls, "default_error_messages", {}).values())
    for validator in (
        validators.ProhibitNullCharactersValidator,
        validators.MaxValueValidator,
        validators.MinValueValidator,
        validators.RegexValidator,
    ):
        texts.add(str(validator.message))
    patterns = [re.compile(re.sub(r"%\\\(\w+\\\)[sd]", ".*", re.escape(t)) + "$") for t in texts]
    # The length validators' messages are lazy plurals ("1 character", "3 characters"), so not plain text.
    patterns.append(re.compile(r"Ensure this value has at (most|least) \d+ characters? \(it has \d+\)\.$"))
    return patterns


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def _app_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(apps.__path__, "apps."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    return sorted(
        {
            cls
            for cls in _subclasses(forms.BaseForm)
            if cls.__module__.startswith("apps.") and not NOT_CHECKED_MODULES.match(cls.__module__)
        },
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


BAD_VALUES = {
    "empty": lambda field: "",
    "null character": lambda field: "1\x00",
    "over-long": lambda field: "x" * 200_001,
    "off the list": lambda field: "not-an-option",
}


def _bound(cls: type[forms.BaseForm], value_for) -> forms.BaseForm:
    unbound = cls(**FORM_KWARGS[_name(cls)])
    data, files = MultiValueDict(), MultiValueDict()
    for name, field in unbound.fields.items():
        key = unbound.add_prefix(name)
        if isinstance(field, forms.FileField):
            value = value_for(field)
            if value:
                files.setlist(key, [SimpleUploadedFile("extract.csv", b"")])
            continue
        value = value_for(field)
        if isinstance(field, forms.MultipleChoiceField):
            data.setlist(key, [value] if value else [])
        else:
            data[key] = value
    return cls(data=data, files=files, **FORM_KWARGS[_name(cls)])


def test_every_form_in_apps_is_found_and_checked():
    found = {_name(cls) for cls in _app_forms()}
    assert found == set(FORM_KWARGS), "add new forms to FORM_KWARGS (and check their messages name the field)"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", BAD_VALUES)
@pytest.mark.parametrize("cls", _app_forms(), ids=_name)
def test_no_stock_error_message_reaches_the_user(cls, kind):
    form = _bound(cls, BAD_VALUES[kind])
    stock = _stock_messages()
    messages = [(name, str(m)) for name, errors in form.errors.items() for m in errors]
    offending = [(name, m) for name, m in messages if any(p.match(m) for p in stock)]
    assert not offending


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["empty", "null character", "over-long"])
@pytest.mark.parametrize("cls", [c for c in _app_forms() if issubclass(c, NamedErrorsMixin)], ids=_name)
def test_renamed_messages_start_with_the_field_label(cls, kind):
    form = _bound(cls, BAD_VALUES[kind])
    form.is_valid()
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        label = form.error_label(name)
        for message in errors:
            if "null characters" in message or "must be at most" in message or message.endswith("is required"):
                assert message.lower().startswith(label.lower().rstrip(":")), (name, message)


def test_the_stock_patterns_would_catch_django_defaults():
    # The test above can fail: an unrenamed field gives exactly these.
    stock = _stock_messages()
    field = forms.CharField(max_length=3)
    with pytest.raises(forms.ValidationError) as raised:
        field.clean("a\x00bcd")
    assert all(any(p.match(m) for p in stock) for m in raised.value.messages)
    assert any(p.match("This field is required.") for p in stock)
    assert not any(p.match("Practice reference must be at most 40 characters") for p in stock)


def test_a_form_own_message_is_kept():
    class Form(NamedErrorsMixin, forms.Form):
        choice = forms.ChoiceField(choices=[("a", "A")], error_messages={"required": "Select A"})
        text = forms.CharField(label="Practice reference", max_length=2)

    form = Form(data={"text": "abc\x00"})
    assert form.errors == {
        "choice": ["Select A"],
        "text": [
            "Practice reference must be at most 2 characters",
            "Practice reference must not contain null characters",
        ],
    }

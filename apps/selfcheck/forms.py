"""The self-check's questions as a form: every question optional (a person may skip any), choices only."""

from __future__ import annotations

from django import forms

from apps.web.forms import NamedErrorsMixin

from .content import EMERGENCY, FLAGS_QUESTION, QUESTIONS, SAME_DAY, SOON


class SelfCheckForm(NamedErrorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, hint, choices) in QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, help_text=hint, choices=list(choices), required=False, widget=forms.RadioSelect
            )
        self.fields["flags"] = forms.MultipleChoiceField(
            label=FLAGS_QUESTION,
            required=False,
            choices=[*EMERGENCY.items(), *SAME_DAY.items(), *SOON.items()],
            widget=forms.CheckboxSelectMultiple,
        )

"""Forms for the case-finding pages: the upload, and the worklist filters (a GET form, so filters are links)."""

from __future__ import annotations

from django import forms
from django.conf import settings

from apps.web.forms import NamedErrorsMixin
from core.casefinding.groups import GROUPS
from core.records.identifiers import ANY_DATE, looks_like_nhs_number

from .models import PatientStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (FHIR bulk NDJSON comes as one file per resource type)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and not data:
            # No file chosen: the browser's empty file part is dropped, leaving an empty list, which must be
            # "required", not a list of no files (that read as "the file has no patient rows").
            data = None
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(NamedErrorsMixin, forms.Form):
    input_format = forms.ChoiceField(
        label="Format of the extract",
        choices=[
            ("csv", "CSV extract (one row per patient)"),
            ("ndjson", "FHIR R4 bulk NDJSON (Patient, Condition, Observation, medicines, DiagnosticReport)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the format of the extract"},
    )
    files = MultipleFileField(
        label="Extract file or files",
        help_text="Pseudonymous ids only: no names, NHS numbers or dates of birth.",
        error_messages={
            "required": "Choose the extract file to upload",
            "empty": "Nothing was stored. The file is empty",
        },
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.CASEFINDING_MAX_UPLOAD_MB * 1024 * 1024
        if sum(f.size for f in files) > limit:
            raise forms.ValidationError(
                f"The upload is larger than {settings.CASEFINDING_MAX_UPLOAD_MB} MB: split the extract, or run "
                "`manage.py casefind` on the server"
            )
        return files


class FilterForm(NamedErrorsMixin, forms.Form):
    tab = forms.ChoiceField(required=False, choices=[("act", "act"), ("not_assessed", "not_assessed"), ("all", "all")])
    group = forms.ChoiceField(
        label="Group",
        required=False,
        choices=[
            ("", "All groups"),
            *((g.id, g.title) for g in GROUPS),
            *((f"not_assessed:{g.id}", f"Could not be assessed: {g.title}") for g in GROUPS),
        ],
    )
    at_least = forms.TypedChoiceField(
        label="In at least",
        required=False,
        coerce=int,
        empty_value=0,
        choices=[("", "Any number of groups"), ("1", "1 group"), ("2", "2 groups"), ("3", "3 groups")],
    )
    age_band = forms.ChoiceField(
        label="Age",
        required=False,
        choices=[
            ("", "Any age"),
            ("under_50", "Under 50"),
            ("50_64", "50 to 64"),
            ("65_74", "65 to 74"),
            ("75_plus", "75 or over"),
        ],
    )
    sex = forms.ChoiceField(
        label="Sex",
        required=False,
        choices=[("", "Any"), ("female", "Female"), ("male", "Male"), ("unknown", "Not known")],
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *PatientStatus.Status.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("priority", "Priority, then age"), ("age", "Age, oldest first"), ("id", "Patient id")],
    )


class StatusForm(NamedErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label="Where the practice is with this patient",
        choices=PatientStatus.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status"},
    )
    reason = forms.CharField(
        label="Why not now",
        required=False,
        max_length=200,
        help_text="For Not now only. No names, NHS numbers or dates of birth.",
    )
    look_again_on = forms.DateField(
        label="Look again on",
        required=False,
        help_text="For Not now only: the patient comes back onto the open list on this date. For example, 2027-03-01",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date to look again as YYYY-MM-DD, for example 2027-03-01"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PatientStatus.Status.NOT_NOW:
            if not cleaned.get("reason"):
                self.add_error("reason", "Say why not now")
            if not cleaned.get("look_again_on"):
                self.add_error("look_again_on", "Enter the date to look again")
        reason = cleaned.get("reason") or ""
        if looks_like_nhs_number(reason) or ANY_DATE.search(reason):
            self.add_error("reason", "The reason must not contain an NHS number or a date")
        return cleaned

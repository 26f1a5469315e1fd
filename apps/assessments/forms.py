"""The assessment form: the contract's questions, in the order a consultation asks them.

The form only collects answers and turns them into the contract's JSON shape. It does not validate values
itself: :func:`core.rules.validate` does, so the form, the JSON API and the CLI accept and reject exactly the
same things, with the same messages (each prefixed with the field's label). "Not known" is an answer in its
own right and becomes ``null`` (unknown), never "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from apps.web.forms import NamedErrorsMixin
from core.boundary import BoundaryError, number_text
from core.records.identifiers import ANY_DATE, identifiers_in, looks_like_nhs_number
from core.rules import INPUT_VERSION, InputError, validate
from core.rules.contract import (
    BISPHOSPHONATE_BARRIERS,
    BONE_DRUGS,
    BONE_PROTECTION,
    EMERGENCY_RED_FLAGS,
    IMAGING_RESULTS,
    NOGG_CATEGORIES,
    ONSETS,
    SECONDARY_CAUSES,
    SEXES,
    SITES,
    URGENT_RED_FLAGS,
    field_label,
    get_path,
    set_path,
)
from core.rules.figures import exactly

UNKNOWN = "unknown"
TRI_CHOICES = [("yes", "Yes"), ("no", "No"), (UNKNOWN, "Not known")]

WORDS = {
    # Answers shown to clinicians, for the contract's codes.
    "female": "Female",
    "male": "Male",
    "sudden": "Sudden",
    "gradual": "Gradual",
    "thoracic": "Thoracic (upper and middle back)",
    "lumbar": "Lumbar (lower back)",
    "both": "Both",
    "not_done": "Not done",
    "awaiting": "Requested, awaiting result",
    "fracture": "Vertebral fracture confirmed",
    "no_fracture": "No vertebral fracture",
    "low": "Low",
    "intermediate": "Intermediate",
    "high": "High",
    "very_high": "Very high",
    "none": "None",
    "alendronate": "Alendronic acid",
    "risedronate": "Risedronate",
    "ibandronate": "Ibandronic acid",
    "zoledronate": "Zoledronic acid",
    "denosumab": "Denosumab",
    "teriparatide": "Teriparatide",
    "romosozumab": "Romosozumab",
    "raloxifene": "Raloxifene",
    "hrt": "Hormone replacement therapy",
    "type1_diabetes": "Type 1 diabetes",
    "hyperthyroidism": "Untreated or long-standing hyperthyroidism",
    "hyperparathyroidism": "Hyperparathyroidism",
    "coeliac_disease": "Coeliac disease",
    "inflammatory_bowel_disease": "Inflammatory bowel disease",
    "chronic_liver_disease": "Chronic liver disease",
    "chronic_kidney_disease": "Chronic kidney disease",
    "hypogonadism": "Hypogonadism or premature ovarian insufficiency",
    "aromatase_inhibitor": "Aromatase inhibitor",
    "androgen_deprivation_therapy": "Androgen deprivation therapy",
    "anticonvulsants": "Anticonvulsants",
    "other": "Another secondary cause",
    "saddle_anaesthesia": "Saddle anaesthesia",
    "bladder_or_bowel_dysfunction": "Bladder or bowel dysfunction (new retention or incontinence)",
    "progressive_neurological_deficit": "Progressive neurological deficit",
    "major_trauma": "Major trauma (for example a road traffic collision or a fall from height)",
    "history_of_cancer": "History of cancer",
    "unexplained_weight_loss": "Unexplained weight loss",
    "night_pain": "Non-mechanical or night pain",
    "fever": "Fever or feeling systemically unwell",
    "immunosuppressed": "Immunosuppressed",
    "iv_drug_use": "Intravenous drug use",
    "oesophageal_disorder": "Oesophageal disorder (stricture, achalasia)",
    "swallowing_difficulty": "Difficulty swallowing",
    "cannot_stay_upright": "Cannot sit or stand upright for 30 to 60 minutes",
    "previous_intolerance": "Previous intolerance of an oral bisphosphonate",
    "cannot_follow_dosing_instructions": "Cannot follow the dosing instructions",
}


def words(code: str) -> str:
    return WORDS.get(code, code.replace("_", " "))


@dataclass(frozen=True)
class Q:
    """One question: a contract field path, how it is asked, and an optional hint."""

    path: str
    kind: str  # tri, enum, select, number, list, text
    label: str
    hint: str = ""
    choices: tuple[str, ...] = ()
    width: int = 4  # for numbers: nhsuk-input--width-N
    suffix: str = ""

    @property
    def name(self) -> str:
        return path_to_name(self.path)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Q, ...]
    hint: str = ""
    # Follow-up questions, shown only when the parent question has the given answer (and ignored otherwise).
    reveals: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


def path_to_name(path: str) -> str:
    return path.replace(".", "__")


SECTIONS: tuple[Section, ...] = (
    Section(
        "patient",
        "The patient",
        (
            Q("age", "number", "Age", suffix="years", width=3),
            Q("sex", "enum", "Sex recorded for fracture risk", choices=SEXES),
            Q(
                "postmenopausal",
                "tri",
                "Postmenopausal?",
                hint="If not known, a woman aged 50 or over is treated as postmenopausal and the result says so.",
            ),
            Q("menopause_before_45", "tri", "Menopause before the age of 45?"),
            Q(
                "pregnant_or_breastfeeding",
                "tri",
                "Pregnant, planning a pregnancy or breastfeeding?",
                hint="Bone-protection drugs are not for use in pregnancy or breastfeeding. Not asked once the "
                "patient is recorded as postmenopausal.",
            ),
            Q("weight_kg", "number", "Weight", suffix="kg"),
            Q("height_cm", "number", "Height now", suffix="cm"),
        ),
        reveals=(("sex", "female", ("postmenopausal", "menopause_before_45", "pregnant_or_breastfeeding")),),
    ),
    Section(
        "red-flags",
        "Red flags",
        (
            Q(
                "red_flags",
                "list",
                "Red flags present",
                choices=EMERGENCY_RED_FLAGS + URGENT_RED_FLAGS,
                hint="Tick any that are present. None ticked means none recorded, so ask about each.",
            ),
            Q(
                "red_flags_none_present",
                "tri",
                "Did you ask about each red flag and find none present?",
                hint="Answer yes only when none above is ticked: the summary then records that each was asked.",
            ),
        ),
    ),
    Section(
        "back-pain",
        "Back pain",
        (
            Q("back_pain.present", "tri", "Does the patient have back pain?"),
            Q("back_pain.onset", "enum", "How did it start?", choices=ONSETS),
            Q(
                "back_pain.after_minor_trauma",
                "tri",
                "Did it start after minor trauma?",
                hint="A fall from standing height or less, lifting, bending or coughing.",
            ),
            Q("back_pain.site", "enum", "Where is the pain?", choices=SITES),
            Q("back_pain.duration_weeks", "number", "How long has it lasted?", suffix="weeks"),
            Q("back_pain.severe", "tri", "Is it severe?"),
            Q("back_pain.not_improving", "tri", "Is it not improving?"),
            Q("back_pain.eased_by_lying", "tri", "Is it eased by lying down?"),
        ),
        reveals=(
            (
                "back_pain.present",
                "yes",
                (
                    "back_pain.onset",
                    "back_pain.after_minor_trauma",
                    "back_pain.site",
                    "back_pain.duration_weeks",
                    "back_pain.severe",
                    "back_pain.not_improving",
                    "back_pain.eased_by_lying",
                ),
            ),
        ),
    ),
    Section(
        "examination",
        "Examination",
        (
            Q(
                "historical_height_loss_cm",
                "number",
                "Height loss",
                suffix="cm",
                hint="Tallest remembered adult height minus the height measured today.",
            ),
            Q("kyphosis", "tri", "Kyphosis on examination?"),
        ),
    ),
    Section(
        "risk-factors",
        "Risk factors",
        (
            Q(
                "prior_fragility_fracture",
                "tri",
                "A fragility fracture at another site since the age of 50?",
                hint="A low-trauma fracture, such as a wrist or hip fracture from a fall from standing height.",
            ),
            Q("glucocorticoids.current_or_recent", "tri", "Oral glucocorticoids now or in the last year?"),
            Q(
                "glucocorticoids.prednisolone_mg_per_day",
                "number",
                "Dose, as prednisolone equivalent",
                suffix="mg a day",
            ),
            Q("glucocorticoids.months", "number", "How long for?", suffix="months"),
            Q(
                "glucocorticoids.planned_months",
                "number",
                "How long is the course planned to last?",
                suffix="months",
                hint="NOGG starts bone protection with the steroid when 3 months or more is planned.",
            ),
            Q("parental_hip_fracture", "tri", "Did either parent break a hip?"),
            Q("current_smoker", "tri", "Current smoker?"),
            Q("alcohol_units_per_week", "number", "Alcohol", suffix="units a week"),
            Q("rheumatoid_arthritis", "tri", "Rheumatoid arthritis?"),
            Q("falls_last_year", "number", "Falls in the last year", width=3),
            Q(
                "secondary_causes",
                "list",
                "Secondary causes of osteoporosis",
                choices=SECONDARY_CAUSES,
                hint="Tick any that apply. None ticked means none recorded.",
            ),
        ),
        reveals=(
            (
                "glucocorticoids.current_or_recent",
                "yes",
                (
                    "glucocorticoids.prednisolone_mg_per_day",
                    "glucocorticoids.months",
                    "glucocorticoids.planned_months",
                ),
            ),
        ),
    ),
    Section(
        "investigations",
        "Investigations and fracture risk",
        (
            Q("dxa_lowest_t_score", "number", "Lowest DXA T-score, spine or hip", hint="For example -2.7."),
            Q("nogg_category", "enum", "NOGG risk band from FRAX", choices=NOGG_CATEGORIES),
            Q(
                "creatinine_clearance",
                "number",
                "Creatinine clearance (Cockcroft-Gault)",
                suffix="mL/min",
                hint="Drug licences use creatinine clearance. Give eGFR below if this is not known.",
            ),
            Q("egfr", "number", "eGFR", suffix="mL/min"),
            Q("adjusted_calcium", "number", "Adjusted calcium", suffix="mmol/L"),
            Q("vitamin_d_nmol_l", "number", "25-hydroxyvitamin D", suffix="nmol/L"),
            Q("dental_problems", "tri", "Poor dental health or dental extractions planned?"),
        ),
    ),
    Section(
        "imaging",
        "Spine imaging and the radiology report",
        (
            Q("spine_imaging.result", "enum", "What did spine imaging show?", choices=IMAGING_RESULTS),
            Q("spine_imaging.fracture_count", "number", "Vertebral fractures on this imaging", width=3),
            Q(
                "spine_imaging.months_since_fracture",
                "number",
                "Age of the most recent vertebral fracture",
                suffix="months",
            ),
            Q(
                "spine_imaging.report_text",
                "text",
                "Radiology report text",
                hint="Paste the report of any spine, chest or abdominal imaging. It is screened for wording that "
                "describes a vertebral fracture without calling it one. Remove patient names and numbers first.",
            ),
        ),
    ),
    Section(
        "treatment",
        "Current bone protection",
        (
            Q("bone_protection.current", "select", "Current bone protection", choices=BONE_PROTECTION),
            Q("bone_protection.years", "number", "Years on this treatment", suffix="years"),
            Q("bone_protection.fracture_while_on_treatment", "tri", "A fracture while on this treatment?"),
            Q("bone_protection.declined", "tri", "Has the patient declined treatment before?"),
            Q(
                "bone_protection.serious_side_effects",
                "list",
                "Bone drugs that caused a serious side effect before",
                choices=BONE_DRUGS,
                hint="For example osteonecrosis of the jaw, an atypical femoral fracture or a severe reaction. "
                "None ticked means none recorded.",
            ),
            Q(
                "oral_bisphosphonate_barriers",
                "list",
                "Barriers to oral bisphosphonates",
                choices=BISPHOSPHONATE_BARRIERS,
                hint="Tick any that apply. None ticked means none recorded.",
            ),
        ),
    ),
    Section(
        "record",
        "What the record already holds",
        (
            Q("vertebral_fractures_known", "number", "Vertebral fractures already diagnosed", width=3),
            Q("record.vertebral_fracture_coded", "tri", "Is the vertebral fracture already coded in the record?"),
            Q("record.patient_told_diagnosis", "tri", "Has the patient been told about the fracture?"),
        ),
    ),
)

QUESTIONS: dict[str, Q] = {q.path: q for s in SECTIONS for q in s.questions}
# follow-up path -> (parent path, parent answer that reveals it)
REVEALED_BY: dict[str, tuple[str, str]] = {
    child: (parent, answer) for s in SECTIONS for parent, answer, children in s.reveals for child in children
}

# Identifiers in stored free text: core/records/identifiers.py (shared with case-finding and CDS Hooks drafts).


def refuse_identifiers(label: str, text: str) -> None:
    """Raise a field error naming what to remove, so that nothing identifying is stored."""
    found = identifiers_in(text)
    if found:
        raise forms.ValidationError(f"{label} must not contain {' or '.join(found)}: remove it and send again")


class LenientChoices(forms.Field):
    """Checkboxes whose ticked values are passed on as they are: the contract checks them, not the form."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(v) for v in value]


class RevealingRadioSelect(forms.RadioSelect):
    """Radios where one answer reveals follow-up questions (the NHS.UK conditional reveal).

    The option carries ``data-reveals`` rather than nhsuk-frontend's ``data-aria-controls``: nhsuk-frontend
    10 also sets ``aria-expanded`` on the radio, which ARIA does not allow on radios (axe: aria-allowed-attr,
    critical; govuk-frontend issue 979 keeps it on purpose). static/js/reveal.js does the same reveal with
    ``aria-controls`` only, and without JavaScript every follow-up question is simply shown.
    """

    def __init__(self, *args: Any, reveals: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reveals = reveals or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.reveals:
            option["attrs"]["data-reveals"] = self.reveals[value]
        return option


def conditional_id(parent: str, answer: str) -> str:
    return f"conditional-{path_to_name(parent)}-{answer}"


def _number(text: str) -> Any:
    """ "74" -> 74, "-2.7" -> -2.7; anything else is passed on as typed, for the contract to reject by name.

    A comma is never dropped: "7,5" is a decimal comma as often as "1,000" is a thousands separator, and no answer
    here needs thousands, so reading "7,5" as 75 (mg a day) would be a silent tenfold error. It is refused, with
    a hint (``COMMA_HINT``)."""
    try:
        return number_text(text, field="")  # the one boundary: at most MAX_DIGITS digits
    except BoundaryError:
        return text.strip()


COMMA_HINT = {
    "must be a number": ": use a full stop for decimals (7.5, not 7,5) and no thousands separators",
    "must be a whole number": ", typed without a comma",
}


class AssessmentForm(NamedErrorsMixin, forms.Form):
    practice_reference = forms.CharField(
        required=False,
        max_length=40,
        label="Practice reference",  # the field template adds "(optional)"
        help_text="Your practice's own reference for this consultation. Not a name, NHS number or date of birth.",
    )

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role = role
        self.contract_data: dict[str, Any] | None = None
        reveals: dict[str, dict[str, str]] = {}
        for section in SECTIONS:
            for parent, answer, _children in section.reveals:
                reveals.setdefault(parent, {})[answer] = conditional_id(parent, answer)
        for q in QUESTIONS.values():
            field = self._field(q, reveals.get(q.path))
            # Every question but age and sex may be left unanswered; the page says so once, not per question.
            field.hide_optional = True
            field.inline = q.kind == "tri" or q.path in ("sex", "back_pain.onset")
            self.fields[q.name] = field
        # The reference comes last in the form, in the "about this record" part.
        self.order_fields([*(q.name for q in QUESTIONS.values()), "practice_reference"])

    @staticmethod
    def _field(q: Q, reveals: dict[str, str] | None) -> forms.Field:
        if q.kind == "tri":
            widget = RevealingRadioSelect(choices=TRI_CHOICES, reveals=reveals)
            return forms.CharField(required=False, label=q.label, help_text=q.hint, widget=widget, initial=UNKNOWN)
        if q.kind == "enum":
            # Sex's own "unknown" is an answer (the contract's value), worded as every other "Not known" is.
            choices = [(c, "Not known" if c == UNKNOWN else words(c)) for c in q.choices]
            required = q.path in ("sex",)
            if not required:
                choices.append((UNKNOWN, "Not known"))
            widget = RevealingRadioSelect(choices=choices, reveals=reveals)
            return forms.CharField(
                required=False,
                label=q.label,
                help_text=q.hint,
                widget=widget,
                initial=None if required else UNKNOWN,
            )
        if q.kind == "select":
            choices = [(UNKNOWN, "Not known"), *((c, words(c)) for c in q.choices)]
            return forms.CharField(
                required=False, label=q.label, help_text=q.hint, widget=forms.Select(choices=choices), initial=UNKNOWN
            )
        if q.kind == "list":
            choices = [(c, words(c)) for c in q.choices]
            return LenientChoices(
                required=False, label=q.label, help_text=q.hint, widget=forms.CheckboxSelectMultiple(choices=choices)
            )
        if q.kind == "text":
            return forms.CharField(
                required=False,
                label=q.label,
                help_text=q.hint,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
            )
        # Numbers are typed as text (the NHS.UK pattern: type=number misbehaves) and parsed here.
        attrs = {
            "inputmode": "decimal",
            "spellcheck": "false",
            "autocomplete": "off",
            "class": f"nhsuk-input--width-{q.width}",
        }
        label = f"{q.label} ({q.suffix})" if q.suffix else q.label
        return forms.CharField(required=False, label=label, help_text=q.hint, widget=forms.TextInput(attrs=attrs))

    def error_label(self, name: str) -> str:
        # The contract's label ("Duration of back pain (weeks)"), as in the contract's own messages, not the
        # question ("How long has it lasted?").
        path = name.replace("__", ".")
        return field_label(path) if path in QUESTIONS else super().error_label(name)

    # --- contract mapping -------------------------------------------------------------------------------------

    def clean_spine_imaging__report_text(self) -> str:
        text = self.cleaned_data.get("spine_imaging__report_text") or ""
        refuse_identifiers("Radiology report text", text)
        return text

    def clean_practice_reference(self) -> str:
        ref = self.cleaned_data.get("practice_reference", "").strip()
        if looks_like_nhs_number(ref):
            raise forms.ValidationError("Practice reference must not be an NHS number")
        if ANY_DATE.search(ref):
            raise forms.ValidationError("Practice reference must not contain a date (such as a date of birth)")
        return ref

    def _answer(self, q: Q) -> Any:
        raw = self.cleaned_data.get(q.name)
        if q.kind == "tri":
            if raw in ("", None, UNKNOWN):
                return None
            return {"yes": True, "no": False}.get(raw, raw)  # anything else: the contract names the field
        if q.kind in ("enum", "select"):
            if q.path == "sex":
                return raw or None  # required, and "unknown" is one of its values
            return None if raw in ("", None, UNKNOWN) else raw
        if q.kind == "list":
            return list(raw or [])
        if q.kind == "text":
            return raw if raw and raw.strip() else None
        return None if raw in ("", None) or not str(raw).strip() else _number(str(raw))

    def to_contract(self, *, role: str, today) -> dict[str, Any]:
        """The contract input for these answers. Follow-up answers whose parent answer hides them are ignored."""
        data: dict[str, Any] = {
            "input_version": INPUT_VERSION,
            "assessed_on": today.isoformat(),
            "assessor_role": role,
        }
        answers = {path: self._answer(q) for path, q in QUESTIONS.items()}
        for path, value in answers.items():
            if path in REVEALED_BY:
                parent, answer = REVEALED_BY[path]
                if self.cleaned_data.get(path_to_name(parent)) not in (answer, UNKNOWN, "", None) or (
                    # Questions for women only are dropped for men and when sex is not given.
                    parent == "sex" and self.cleaned_data.get("sex") != answer
                ):
                    value = None if QUESTIONS[path].kind != "list" else []
            set_path(data, path, value)
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = self.to_contract(role=self.role, today=timezone.localdate())
        try:
            validate(data, today=timezone.localdate())
        except InputError as exc:
            for err in exc.errors:
                path = re.sub(r"\[\d+\]$", "", err.field)
                name = path_to_name(path)
                message = f"{field_label(path)} {err.message}"
                if "," in str(self.data.get(name, "")) and err.message in COMMA_HINT:
                    message += COMMA_HINT[err.message]
                if name in self.fields:
                    if message not in self.errors.get(name, []):
                        self.add_error(name, message)
                else:
                    self.add_error(None, message)
            return cleaned
        self.contract_data = data
        return cleaned


def initial_from_contract(data: dict[str, Any]) -> dict[str, Any]:
    """Form answers for a stored contract input (to answer unknowns and assess again)."""
    initial: dict[str, Any] = {}
    for path, q in QUESTIONS.items():
        value = get_path(data, path)
        if q.kind == "tri":
            initial[q.name] = {True: "yes", False: "no"}.get(value, UNKNOWN)
        elif q.kind in ("enum", "select"):
            initial[q.name] = value if value is not None else (None if path == "sex" else UNKNOWN)
        elif q.kind == "list":
            initial[q.name] = list(value or [])
        elif value is None:
            initial[q.name] = ""
        else:
            initial[q.name] = exactly(value)
    return initial

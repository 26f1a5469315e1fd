"""The assessment input contract, version 1 (../shared/spec/assessment-input.md).

Every entry point (web form, JSON API, CLI, CDS Hooks, case-finding) builds one JSON-like mapping and hands it to
:func:`validate`, which either returns a typed, immutable :class:`AssessmentInput` or raises :class:`InputError`
listing *every* problem against its field path. The schema below is the single source for validation, the JSON
Schema in the API document, and the field labels the results use for unknown inputs.

``None`` (or an absent key) always means "unknown", never "no".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

INPUT_VERSION = 1
REPORT_TEXT_MAX = 20_000

ROLES = ("gp", "nurse", "physio")
SEXES = ("female", "male")
ONSETS = ("sudden", "gradual")
SITES = ("thoracic", "lumbar", "both")
SECONDARY_CAUSES = (
    "type1_diabetes",
    "hyperthyroidism",
    "hyperparathyroidism",
    "coeliac_disease",
    "inflammatory_bowel_disease",
    "chronic_liver_disease",
    "chronic_kidney_disease",
    "hypogonadism",
    "aromatase_inhibitor",
    "androgen_deprivation_therapy",
    "anticonvulsants",
    "other",
)
EMERGENCY_RED_FLAGS = (
    "saddle_anaesthesia",
    "bladder_or_bowel_dysfunction",
    "progressive_neurological_deficit",
    "major_trauma",
)
URGENT_RED_FLAGS = (
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain",
    "fever",
    "immunosuppressed",
    "iv_drug_use",
)
RED_FLAGS = EMERGENCY_RED_FLAGS + URGENT_RED_FLAGS
IMAGING_RESULTS = ("not_done", "awaiting", "fracture", "no_fracture")
ORAL_BISPHOSPHONATES = ("alendronate", "risedronate", "ibandronate")
BONE_PROTECTION = (
    "none",
    "alendronate",
    "risedronate",
    "ibandronate",
    "zoledronate",
    "denosumab",
    "teriparatide",
    "romosozumab",
    "raloxifene",
    "hrt",
)
BISPHOSPHONATE_BARRIERS = (
    "oesophageal_disorder",
    "swallowing_difficulty",
    "cannot_stay_upright",
    "previous_intolerance",
    "cannot_follow_dosing_instructions",
)
NOGG_CATEGORIES = ("low", "intermediate", "high", "very_high")


@dataclass(frozen=True, slots=True)
class Spec:
    """One field of the contract: its type, range, allowed values and the label shown to clinicians."""

    kind: str  # int, number, bool, enum, date, text, object, enum_list, version, extensions
    label: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    fields: Mapping[str, Spec] | None = None
    max_length: int | None = None
    required: bool = False


def _int(label: str, lo: int, hi: int, *, required: bool = False) -> Spec:
    return Spec("int", label, lo, hi, required=required)


def _num(label: str, lo: float, hi: float) -> Spec:
    return Spec("number", label, lo, hi)


def _bool(label: str) -> Spec:
    return Spec("bool", label)


def _enum(label: str, choices: tuple[str, ...], *, required: bool = False) -> Spec:
    return Spec("enum", label, choices=choices, required=required)


def _list(label: str, choices: tuple[str, ...]) -> Spec:
    return Spec("enum_list", label, choices=choices)


SCHEMA: dict[str, Spec] = {
    "input_version": Spec("version", "Input contract version"),
    "assessed_on": Spec("date", "Assessment date"),
    "assessor_role": _enum("Assessor role", ROLES),
    "age": _int("Age", 18, 120, required=True),
    "sex": _enum("Sex", SEXES, required=True),
    "postmenopausal": _bool("Postmenopausal"),
    "menopause_before_45": _bool("Menopause before 45"),
    "weight_kg": _num("Weight (kg)", 25, 300),
    "height_cm": _num("Height (cm)", 100, 230),
    "back_pain": Spec(
        "object",
        "Back pain",
        fields={
            "present": _bool("Back pain"),
            "onset": _enum("Onset of back pain", ONSETS),
            "duration_weeks": _num("Duration of back pain (weeks)", 0, 520),
            "site": _enum("Site of back pain", SITES),
            "after_minor_trauma": _bool("Back pain after minor trauma"),
            "severe": _bool("Severe back pain"),
            "not_improving": _bool("Back pain not improving"),
            "eased_by_lying": _bool("Back pain eased by lying down"),
        },
    ),
    "historical_height_loss_cm": _num("Historical height loss (cm)", 0, 40),
    "kyphosis": _bool("Kyphosis on examination"),
    "prior_fragility_fracture": _bool("Prior fragility fracture"),
    "vertebral_fractures_known": _int("Vertebral fractures already diagnosed", 0, 20),
    "glucocorticoids": Spec(
        "object",
        "Oral glucocorticoids",
        fields={
            "current_or_recent": _bool("Oral glucocorticoids now or in the last year"),
            "prednisolone_mg_per_day": _num("Glucocorticoid dose (mg prednisolone a day)", 0, 200),
            "months": _num("Months of glucocorticoid use", 0, 600),
        },
    ),
    "parental_hip_fracture": _bool("Parental hip fracture"),
    "current_smoker": _bool("Current smoker"),
    "alcohol_units_per_week": _num("Alcohol (units a week)", 0, 300),
    "rheumatoid_arthritis": _bool("Rheumatoid arthritis"),
    "secondary_causes": _list("Secondary causes of osteoporosis", SECONDARY_CAUSES),
    "falls_last_year": _int("Falls in the last year", 0, 100),
    "red_flags": _list("Red flags", RED_FLAGS),
    "dxa_lowest_t_score": _num("Lowest DXA T-score", -7.0, 4.0),
    "nogg_category": _enum("NOGG risk band", NOGG_CATEGORIES),
    "egfr": _num("eGFR (mL/min)", 0, 200),
    "creatinine_clearance": _num("Creatinine clearance (mL/min)", 0, 200),
    "adjusted_calcium": _num("Adjusted calcium (mmol/L)", 1.0, 4.0),
    "vitamin_d_nmol_l": _num("Vitamin D (nmol/L)", 0, 500),
    "spine_imaging": Spec(
        "object",
        "Spine imaging",
        fields={
            "result": _enum("Spine imaging result", IMAGING_RESULTS),
            "report_text": Spec("text", "Radiology report text", max_length=REPORT_TEXT_MAX),
            "fracture_count": _int("Vertebral fractures on this imaging", 0, 20),
            "months_since_fracture": _num("Months since the most recent vertebral fracture", 0, 600),
        },
    ),
    "bone_protection": Spec(
        "object",
        "Bone protection",
        fields={
            "current": _enum("Current bone protection", BONE_PROTECTION),
            "years": _num("Years on current bone protection", 0, 30),
            "fracture_while_on_treatment": _bool("Fracture while on treatment"),
            "declined": _bool("Declined treatment before"),
        },
    ),
    "oral_bisphosphonate_barriers": _list("Barriers to oral bisphosphonates", BISPHOSPHONATE_BARRIERS),
    "dental_problems": _bool("Dental problems"),
    "record": Spec(
        "object",
        "Practice record",
        fields={
            "vertebral_fracture_coded": _bool("Vertebral fracture coded in the record"),
            "patient_told_diagnosis": _bool("Patient told of the fracture"),
        },
    ),
    "extensions": Spec("extensions", "Extensions"),
}


def field_label(path: str) -> str:
    """The clinician-facing label of a dotted field path ("back_pain.onset" -> "Onset of back pain")."""
    parts = path.split(".")
    spec = SCHEMA.get(parts[0])
    for part in parts[1:]:
        if spec is None or spec.fields is None:
            return path
        spec = spec.fields.get(part)
    return spec.label if spec is not None else path


# --- typed, immutable input ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackPain:
    present: bool | None = None
    onset: str | None = None
    duration_weeks: float | None = None
    site: str | None = None
    after_minor_trauma: bool | None = None
    severe: bool | None = None
    not_improving: bool | None = None
    eased_by_lying: bool | None = None


@dataclass(frozen=True, slots=True)
class Glucocorticoids:
    current_or_recent: bool | None = None
    prednisolone_mg_per_day: float | None = None
    months: float | None = None


@dataclass(frozen=True, slots=True)
class SpineImaging:
    result: str | None = None
    report_text: str | None = None
    fracture_count: int | None = None
    months_since_fracture: float | None = None


@dataclass(frozen=True, slots=True)
class BoneProtection:
    current: str | None = None
    years: float | None = None
    fracture_while_on_treatment: bool | None = None
    declined: bool | None = None


@dataclass(frozen=True, slots=True)
class Record:
    vertebral_fracture_coded: bool | None = None
    patient_told_diagnosis: bool | None = None


_NESTED = {
    "back_pain": BackPain,
    "glucocorticoids": Glucocorticoids,
    "spine_imaging": SpineImaging,
    "bone_protection": BoneProtection,
    "record": Record,
}


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    """A validated assessment. Build it with :func:`validate`; every optional field may be ``None`` (unknown)."""

    age: int
    sex: str
    assessed_on: dt.date
    input_version: int = INPUT_VERSION
    assessor_role: str = "gp"
    postmenopausal: bool | None = None
    menopause_before_45: bool | None = None
    weight_kg: float | None = None
    height_cm: float | None = None
    back_pain: BackPain = field(default_factory=BackPain)
    historical_height_loss_cm: float | None = None
    kyphosis: bool | None = None
    prior_fragility_fracture: bool | None = None
    vertebral_fractures_known: int | None = None
    glucocorticoids: Glucocorticoids = field(default_factory=Glucocorticoids)
    parental_hip_fracture: bool | None = None
    current_smoker: bool | None = None
    alcohol_units_per_week: float | None = None
    rheumatoid_arthritis: bool | None = None
    secondary_causes: tuple[str, ...] = ()
    falls_last_year: int | None = None
    red_flags: tuple[str, ...] = ()
    dxa_lowest_t_score: float | None = None
    nogg_category: str | None = None
    egfr: float | None = None
    creatinine_clearance: float | None = None
    adjusted_calcium: float | None = None
    vitamin_d_nmol_l: float | None = None
    spine_imaging: SpineImaging = field(default_factory=SpineImaging)
    bone_protection: BoneProtection = field(default_factory=BoneProtection)
    oral_bisphosphonate_barriers: tuple[str, ...] = ()
    dental_problems: bool | None = None
    record: Record = field(default_factory=Record)
    extensions: Mapping[str, Any] = field(default_factory=dict)


# --- validation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InputError(ValueError):
    """The input broke the contract. ``errors`` lists every problem against its field path."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        return {"errors": [e.as_dict() for e in self.errors]}


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _check(spec: Spec, value: Any, path: str, errors: list[FieldError], today: dt.date) -> Any:
    """Return the clean value for one field, appending to ``errors`` when it is not valid."""
    kind = spec.kind
    if kind in ("int", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(FieldError(path, f"must be {'a whole number' if kind == 'int' else 'a number'}"))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            errors.append(FieldError(path, "must be a finite number"))
            return None
        if kind == "int":
            if isinstance(value, float) and not value.is_integer():
                errors.append(FieldError(path, "must be a whole number"))
                return None
            value = int(value)
        if not (spec.lo <= value <= spec.hi):  # type: ignore[operator]
            errors.append(FieldError(path, f"must be between {_fmt(spec.lo)} and {_fmt(spec.hi)}"))
            return None
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            errors.append(FieldError(path, "must be true, false or null (unknown)"))
            return None
        return value
    if kind == "enum":
        if not isinstance(value, str) or value not in spec.choices:
            errors.append(FieldError(path, "must be one of: " + ", ".join(spec.choices)))
            return None
        return value
    if kind == "enum_list":
        if not isinstance(value, list | tuple):
            errors.append(FieldError(path, "must be a list"))
            return ()
        clean: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or item not in spec.choices:
                errors.append(FieldError(f"{path}[{i}]", "must be one of: " + ", ".join(spec.choices)))
            elif item not in clean:
                clean.append(item)
        return tuple(clean)
    if kind == "text":
        if not isinstance(value, str):
            errors.append(FieldError(path, "must be text"))
            return None
        if spec.max_length is not None and len(value) > spec.max_length:
            errors.append(FieldError(path, f"must be at most {spec.max_length:,} characters"))
            return None
        return value if value.strip() else None
    if kind == "date":
        if not isinstance(value, str):
            errors.append(FieldError(path, "must be a date as YYYY-MM-DD"))
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            errors.append(FieldError(path, "must be a date as YYYY-MM-DD"))
            return None
        if len(value) != 10:
            errors.append(FieldError(path, "must be a date as YYYY-MM-DD"))
            return None
        if day > today:
            errors.append(FieldError(path, "must not be in the future"))
            return None
        return day
    if kind == "version":
        if isinstance(value, bool) or value != INPUT_VERSION:
            errors.append(FieldError(path, f"must be {INPUT_VERSION}"))
            return None
        return INPUT_VERSION
    if kind == "extensions":
        if not isinstance(value, Mapping):
            errors.append(FieldError(path, "must be an object"))
            return {}
        return dict(value)
    # kind == "object"
    if not isinstance(value, Mapping):
        errors.append(FieldError(path, "must be an object"))
        return {}
    return _check_object(spec.fields or {}, value, path + ".", errors, today)


def _check_object(
    fields: Mapping[str, Spec],
    data: Mapping[str, Any],
    prefix: str,
    errors: list[FieldError],
    today: dt.date,
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key in data:
        if key not in fields:
            errors.append(FieldError(f"{prefix}{key}", "is not a known field (put extra data under extensions)"))
    for key, spec in fields.items():
        value = data.get(key)
        if value is None:
            if spec.required:
                errors.append(FieldError(f"{prefix}{key}", "is required"))
            continue
        clean[key] = _check(spec, value, f"{prefix}{key}", errors, today)
    return clean


def validate(data: Any, *, today: dt.date) -> AssessmentInput:
    """Validate a JSON-decoded assessment input and return the typed object, or raise :class:`InputError`.

    ``today`` bounds ``assessed_on`` (which must not be in the future) and is its default. It is passed in, not
    read from the clock, so that validation is as deterministic as evaluation.
    """
    if not isinstance(data, Mapping):
        raise InputError([FieldError("(input)", "must be a JSON object")])
    errors: list[FieldError] = []
    clean = _check_object(SCHEMA, data, "", errors, today)
    if errors:
        raise InputError(errors)
    for key, cls in _NESTED.items():
        clean[key] = cls(**{k: v for k, v in clean.get(key, {}).items() if v is not None})
    clean = {k: v for k, v in clean.items() if v is not None}
    clean.setdefault("assessed_on", today)
    return AssessmentInput(**clean)


# --- JSON Schema (for the OpenAPI document) -----------------------------------------------------------------


def _json_schema(spec: Spec) -> dict[str, Any]:
    nullable = not spec.required
    kind = spec.kind
    schema: dict[str, Any]
    if kind in ("int", "number"):
        schema = {
            "type": "integer" if kind == "int" else "number",
            "minimum": spec.lo,
            "maximum": spec.hi,
        }
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "enum":
        schema = {"type": "string", "enum": list(spec.choices)}
    elif kind == "enum_list":
        schema = {"type": "array", "items": {"type": "string", "enum": list(spec.choices)}}
    elif kind == "text":
        schema = {"type": "string", "maxLength": spec.max_length}
    elif kind == "date":
        schema = {
            "type": "string",
            "format": "date",
            "description": "not in the future; default today",
        }
    elif kind == "version":
        schema = {"type": "integer", "enum": [INPUT_VERSION]}
    elif kind == "extensions":
        schema = {"type": "object", "additionalProperties": True}
    else:
        schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: _json_schema(v) for k, v in (spec.fields or {}).items()},
        }
    schema["title"] = spec.label
    if nullable:
        schema = {**schema, "type": [schema["type"], "null"]}
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def input_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12, as used by OpenAPI 3.1) of the assessment input."""
    return {
        "type": "object",
        "title": "Assessment input, version 1",
        "additionalProperties": False,
        "required": [k for k, v in SCHEMA.items() if v.required],
        "properties": {k: _json_schema(v) for k, v in SCHEMA.items()},
    }

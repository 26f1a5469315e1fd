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
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from .figures import exactly

INPUT_VERSION = 1
REPORT_TEXT_MAX = 20_000

ROLES = ("gp", "nurse", "physio")
# "unknown" (added in rulebook 2026.12.5, a compatible extension of input version 1): sex for fracture risk not
# known or not recorded, as a GP system's gender "other" or "unknown" gives it. Still required, so that a record
# with sex left out by mistake is refused; the rules then say what does not depend on sex and list sex as unknown
# where it decides a prompt (docs/clinical-safety hazard H-92).
SEXES = ("female", "male", "unknown")
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
# The bone-protection drugs a previous serious side effect can be recorded against (BONE_PROTECTION less "none").
BONE_DRUGS = BONE_PROTECTION[1:]


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
    # Added in rulebook 2026.12.3: every bone-protection drug is contraindicated or not for use in pregnancy and
    # breastfeeding (the drug checks, core/rules/drugs.py).
    "pregnant_or_breastfeeding": _bool("Pregnant, planning a pregnancy or breastfeeding"),
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
            # Added in rulebook 2026.12.3 (a compatible extension of input version 1): NOGG starts bone protection
            # with the steroid when a course of 3 months or more is planned, not only once it has been taken.
            "planned_months": _num("Planned length of the glucocorticoid course (months)", 0, 600),
        },
    ),
    "parental_hip_fracture": _bool("Parental hip fracture"),
    "current_smoker": _bool("Current smoker"),
    "alcohol_units_per_week": _num("Alcohol (units a week)", 0, 300),
    "rheumatoid_arthritis": _bool("Rheumatoid arthritis"),
    "secondary_causes": _list("Secondary causes of osteoporosis", SECONDARY_CAUSES),
    "falls_last_year": _int("Falls in the last year", 0, 100),
    "red_flags": _list("Red flags", RED_FLAGS),
    # Added in rulebook 2026.12.4 (a compatible extension of input version 1): the clinician asked about every red
    # flag and found none, which an empty list ("none recorded") cannot say. True with red flags listed is an error.
    "red_flags_none_present": _bool("Asked about every red flag: none present"),
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
            # Added in rulebook 2026.12.3: a drug that caused a serious side effect is not offered again here.
            "serious_side_effects": _list("Bone drugs that caused a serious side effect before", BONE_DRUGS),
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


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted contract path ("back_pain.onset"), or None where a step is missing or not an object."""
    value = data
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted contract path, making the objects on the way."""
    *heads, last = path.split(".")
    for part in heads:
        data = data.setdefault(part, {})
    data[last] = value


def spec_at(path: str) -> Spec | None:
    """The field's Spec at a dotted contract path ("back_pain.onset"), or None when the contract has no such field."""
    parts = path.split(".")
    spec = SCHEMA.get(parts[0])
    for part in parts[1:]:
        if spec is None or spec.fields is None:
            return None
        spec = spec.fields.get(part)
    return spec


def field_label(path: str) -> str:
    """The clinician-facing label of a dotted field path ("back_pain.onset" -> "Onset of back pain")."""
    spec = spec_at(path)
    return spec.label if spec is not None else path


# --- typed, immutable input ---------------------------------------------------------------------------------
# Frozen dataclasses without __slots__: validation builds them through their __dict__ (see _maker below), which is
# much faster than a frozen dataclass's __init__ (one object.__setattr__ per field, 35 here).


@dataclass(frozen=True)
class BackPain:
    present: bool | None = None
    onset: str | None = None
    duration_weeks: float | None = None
    site: str | None = None
    after_minor_trauma: bool | None = None
    severe: bool | None = None
    not_improving: bool | None = None
    eased_by_lying: bool | None = None


@dataclass(frozen=True)
class Glucocorticoids:
    current_or_recent: bool | None = None
    prednisolone_mg_per_day: float | None = None
    months: float | None = None
    planned_months: float | None = None


@dataclass(frozen=True)
class SpineImaging:
    result: str | None = None
    report_text: str | None = None
    fracture_count: int | None = None
    months_since_fracture: float | None = None


@dataclass(frozen=True)
class BoneProtection:
    current: str | None = None
    years: float | None = None
    fracture_while_on_treatment: bool | None = None
    declined: bool | None = None
    serious_side_effects: tuple[str, ...] = ()


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class AssessmentInput:
    """A validated assessment. Build it with :func:`validate`; every optional field may be ``None`` (unknown)."""

    age: int
    sex: str
    assessed_on: dt.date
    input_version: int = INPUT_VERSION
    assessor_role: str = "gp"
    postmenopausal: bool | None = None
    menopause_before_45: bool | None = None
    pregnant_or_breastfeeding: bool | None = None
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
    red_flags_none_present: bool | None = None
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
    return "" if value is None else exactly(float(value))


# Each field's checker is built once from its Spec (messages and paths included), so validating an input does not
# re-decide what kind of field it is or re-format the same messages. A checker returns the clean value and appends
# to ``errors`` when the value is not valid.
Checker = Callable[[Any, list[FieldError], dt.date], Any]


def _number_checker(spec: Spec, path: str) -> Checker:
    whole = spec.kind == "int"
    lo, hi = spec.lo, spec.hi
    not_a_number = FieldError(path, "must be a whole number" if whole else "must be a number")
    not_finite = FieldError(path, "must be a finite number")
    not_whole = FieldError(path, "must be a whole number")
    out_of_range = FieldError(path, f"must be between {_fmt(lo)} and {_fmt(hi)}")

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        kind = type(value)  # exact int or float first: isinstance against a union or an ABC is slow
        if kind is not int and kind is not float and (isinstance(value, bool) or not isinstance(value, int | float)):
            errors.append(not_a_number)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            errors.append(not_finite)
            return None
        if whole:
            if isinstance(value, float) and not value.is_integer():
                errors.append(not_whole)
                return None
            value = int(value)
        if not (lo <= value <= hi):  # type: ignore[operator]
            errors.append(out_of_range)
            return None
        return value

    return check


def _bool_checker(spec: Spec, path: str) -> Checker:
    not_bool = FieldError(path, "must be true, false or null (unknown)")

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        if value is True or value is False:
            return value
        errors.append(not_bool)
        return None

    return check


def _enum_checker(spec: Spec, path: str) -> Checker:
    choices = frozenset(spec.choices)
    not_a_choice = FieldError(path, "must be one of: " + ", ".join(spec.choices))

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        if isinstance(value, str) and value in choices:
            return value
        errors.append(not_a_choice)
        return None

    return check


def _enum_list_checker(spec: Spec, path: str) -> Checker:
    choices = frozenset(spec.choices)
    message = "must be one of: " + ", ".join(spec.choices)
    not_a_list = FieldError(path, "must be a list")

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        if not isinstance(value, list | tuple):
            errors.append(not_a_list)
            return ()
        clean: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or item not in choices:
                errors.append(FieldError(f"{path}[{i}]", message))
            elif item not in clean:
                clean.append(item)
        return tuple(clean)

    return check


def _text_checker(spec: Spec, path: str) -> Checker:
    max_length = spec.max_length
    not_text = FieldError(path, "must be text")
    too_long = FieldError(path, f"must be at most {max_length:,} characters") if max_length is not None else None

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        if not isinstance(value, str):
            errors.append(not_text)
            return None
        if max_length is not None and len(value) > max_length:
            errors.append(too_long)  # type: ignore[arg-type]
            return None
        return value if value.strip() else None

    return check


_CALENDAR_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def iso_date(value: object) -> dt.date | None:
    """The one date parser of every entry point: exactly YYYY-MM-DD, a real calendar day, else None.

    ``date.fromisoformat`` alone also reads ``20260101``, ``2026-001`` and the ISO week date ``2026-W01-1`` (all
    ten characters or fewer), which a person reading the input would not take for the same day."""
    if not isinstance(value, str) or not _CALENDAR_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _date_checker(spec: Spec, path: str) -> Checker:
    not_a_date = FieldError(path, "must be a date as YYYY-MM-DD")
    in_future = FieldError(path, "must not be in the future")

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        day = iso_date(value)
        if day is None:
            errors.append(not_a_date)
            return None
        if day > today:
            errors.append(in_future)
            return None
        return day

    return check


def _version_checker(spec: Spec, path: str) -> Checker:
    wrong = FieldError(path, f"must be {INPUT_VERSION}")

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        if isinstance(value, bool) or value != INPUT_VERSION:
            errors.append(wrong)
            return None
        return INPUT_VERSION

    return check


def _extensions_checker(spec: Spec, path: str) -> Checker:
    not_an_object = FieldError(path, "must be an object")

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        if not isinstance(value, Mapping):
            errors.append(not_an_object)
            return {}
        return dict(value)

    return check


def _maker(cls: type, spec_fields: Mapping[str, Spec]) -> Callable[[dict[str, Any]], Any]:
    """Build a record of ``cls`` from checked values, equal to ``cls(**values)``, without the dataclass __init__.

    The defaults are filled in first, then the values. An empty nested record is immutable, so one is shared as
    the default; any other default factory (the ``extensions`` dict) is called for each record that needs it.
    """
    if set(spec_fields) != {f.name for f in fields(cls)}:
        raise TypeError(f"{cls.__name__} does not match its schema")
    defaults: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for f in fields(cls):
        if f.default is not MISSING:
            defaults[f.name] = f.default
        elif f.default_factory in _NESTED.values():
            defaults[f.name] = f.default_factory()  # type: ignore[operator]
        elif f.default_factory is not MISSING:
            factories.append((f.name, f.default_factory))
    new = object.__new__

    def make(values: dict[str, Any]) -> Any:
        record: Any = new(cls)
        attrs = record.__dict__
        attrs.update(defaults)
        for name, factory in factories:
            if name not in values:
                attrs[name] = factory()
        attrs.update(values)
        return record

    return make


def _object_checker(spec: Spec, path: str) -> Checker:
    """A nested object, returned as its typed record (``_NESTED``) with the known answers filled in."""
    check_fields = _fields_checker(spec.fields or {}, path + ".")
    make = _maker(_NESTED[path], spec.fields or {})
    empty = make({})
    not_an_object = FieldError(path, "must be an object")

    def check(value: Any, errors: list[FieldError], today: dt.date) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            errors.append(not_an_object)
            return empty
        # Every field of a nested record is optional, so None (a blank text) is the record's own default.
        return make(check_fields(value, errors, today))

    return check


_CHECKERS: dict[str, Callable[[Spec, str], Checker]] = {
    "int": _number_checker,
    "number": _number_checker,
    "bool": _bool_checker,
    "enum": _enum_checker,
    "enum_list": _enum_list_checker,
    "text": _text_checker,
    "date": _date_checker,
    "version": _version_checker,
    "extensions": _extensions_checker,
    "object": _object_checker,
}


def _fields_checker(
    fields: Mapping[str, Spec], prefix: str
) -> Callable[[Mapping[str, Any], list[FieldError], dt.date], dict[str, Any]]:
    """The checker of an object's fields: unknown keys first (in the input's order), then each field in order."""
    known = frozenset(fields)
    plan = tuple(
        (
            key,
            _CHECKERS[spec.kind](spec, prefix + key),
            FieldError(prefix + key, "is required") if spec.required else None,
        )
        for key, spec in fields.items()
    )

    by_key = {key: checker for key, checker, _ in plan}
    required = tuple(key for key, spec in fields.items() if spec.required)

    def check(data: Mapping[str, Any], errors: list[FieldError], today: dt.date) -> dict[str, Any]:
        # Fast path for the usual valid input: check only the keys the input has, in its own order. Anything
        # wrong (an unknown key, a missing required field, an invalid value) is checked again in full below, so
        # the errors are always listed in the contract's order.
        clean: dict[str, Any] = {}
        found: list[FieldError] = []
        for key, value in data.items():
            checker = by_key.get(key)
            if checker is None:
                break
            if value is not None:
                clean[key] = checker(value, found, today)
        else:
            if not found:
                for key in required:
                    if clean.get(key) is None:
                        break
                else:
                    return clean
        return check_in_order(data, errors, today)

    def check_in_order(data: Mapping[str, Any], errors: list[FieldError], today: dt.date) -> dict[str, Any]:
        if not known.issuperset(data):
            for key in data:
                if key not in known:
                    errors.append(
                        FieldError(f"{prefix}{key}", "is not a known field (put extra data under extensions)")
                    )
        clean: dict[str, Any] = {}
        get = data.get
        for key, checker, required in plan:
            value = get(key)
            if value is None:
                if required is not None:
                    errors.append(required)
                continue
            clean[key] = checker(value, errors, today)
        return clean

    return check


_check_input = _fields_checker(SCHEMA, "")
_NONE_PRESENT_WITH_FLAGS = FieldError("red_flags_none_present", "cannot be true when red flags are recorded as present")


def validate(data: Any, *, today: dt.date) -> AssessmentInput:
    """Validate a JSON-decoded assessment input and return the typed object, or raise :class:`InputError`.

    ``today`` bounds ``assessed_on`` (which must not be in the future) and is its default. It is passed in, not
    read from the clock, so that validation is as deterministic as evaluation.
    """
    if type(data) is not dict and not isinstance(data, Mapping):
        raise InputError([FieldError("(input)", "must be a JSON object")])
    errors: list[FieldError] = []
    clean = _check_input(data, errors, today)
    if clean.get("red_flags_none_present") and clean.get("red_flags"):
        errors.append(_NONE_PRESENT_WITH_FLAGS)
    if errors:
        raise InputError(errors)
    # No top-level checker returns None for a valid value, and absent nested objects take their empty defaults.
    clean.setdefault("assessed_on", today)
    return _make_input(clean)


_make_input = _maker(AssessmentInput, SCHEMA)


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

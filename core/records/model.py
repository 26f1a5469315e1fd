"""The format-neutral patient record: what a CSV row, a FHIR bundle or an NDJSON group says about one patient.

Every field keeps what the source said (codes, dates, units already converted to the contract's unit) so that
:func:`core.records.derive.record_to_input` can derive contract fields with a sentence a clinician can check. An empty
list means "the source said nothing", never "the patient has none of these".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core.rules.contract import BONE_PROTECTION, RED_FLAGS, SECONDARY_CAUSES

# The closed vocabulary of CodedEvent.kind. A code list row maps a code to one of these.
CONDITION_KINDS: frozenset[str] = frozenset(
    {
        "vertebral_fracture",  # an osteoporotic / fragility fracture of a vertebra
        "fragility_fracture",  # a fragility fracture, site not vertebral or not stated (FF_COD)
        "osteoporosis",  # an osteoporosis diagnosis (OSTEO_COD) without a fracture
        "rheumatoid_arthritis",
        "kyphosis",
        "back_pain",  # recorded, but not mapped to back_pain.present (a coded episode is not pain now)
        *(f"secondary_cause:{c}" for c in SECONDARY_CAUSES),
        *(f"red_flag:{f}" for f in RED_FLAGS),
    }
)

# The closed vocabulary of MedicationEvent.kind: glucocorticoids and the contract's bone-protection values.
MEDICATION_KINDS: frozenset[str] = frozenset({"glucocorticoid", *(b for b in BONE_PROTECTION if b != "none")})

# "planned": an order about to be signed (the order-select hook's selected draft order). Its intended period counts
# as planned use ("planned or taken", treatment-and-coding.md 1.7); it is never read as taken.
MEDICATION_STATUSES: frozenset[str] = frozenset({"active", "completed", "stopped", "unknown", "planned"})


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """A coded record entry (a condition or diagnosis). ``suspected`` marks one recorded as provisional, differential
    or unconfirmed: kept so that it can be shown and case-finding can say "could not be assessed", but never counted
    as a diagnosis. ``date`` is the first day the recorded date allows; ``latest`` is the last, set only when the
    record gave a year or a month without a day ("2025": 1 January to 31 December 2025)."""

    system: str
    code: str
    term: str
    date: dt.date | None
    kind: str
    suspected: bool = False
    latest: dt.date | None = None

    def __post_init__(self) -> None:
        if self.kind not in CONDITION_KINDS:
            raise ValueError(f"unknown condition kind: {self.kind!r}")


@dataclass(frozen=True, slots=True)
class MedicationEvent:
    """One prescription or medication statement for a glucocorticoid or a bone-protection drug."""

    kind: str
    system: str
    code: str
    term: str
    start: dt.date | None
    end: dt.date | None
    prednisolone_mg_per_day: float | None  # glucocorticoids only, already converted to prednisolone equivalent
    status: str  # active, completed, stopped, unknown or planned (an order not yet signed)

    def __post_init__(self) -> None:
        if self.kind not in MEDICATION_KINDS:
            raise ValueError(f"unknown medication kind: {self.kind!r}")
        if self.status not in MEDICATION_STATUSES:
            raise ValueError(f"unknown medication status: {self.status!r}")


@dataclass(frozen=True, slots=True)
class Measurement:
    """A dated value, already in the contract's unit (cm, kg, mL/min, mmol/L, nmol/L; T-scores have none)."""

    date: dt.date | None
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Report:
    """A radiology report's text; ``spine`` says whether it is about the spine (None: cannot tell)."""

    date: dt.date | None
    text: str
    spine: bool | None


@dataclass(slots=True)
class PatientRecord:
    """Everything one source says about one patient, before the rules.

    ``patient_id`` is a pseudonymous id only (never a name or NHS number). ``answers`` holds contract fields
    stated directly, keyed by contract path (``"back_pain.onset"``); list fields (``red_flags``,
    ``secondary_causes``, ``oral_bisphosphonate_barriers``) are lists. ``problems`` lists data that could not be
    mapped, as (field or resource path, message); they are shown to the clinician, never silently dropped.
    ``birth_date`` (optional, not in the first interface) lets :func:`record_to_input` compute the age on the
    assessment date when ``age`` is not given; it is never logged or stored.
    """

    patient_id: str
    age: int | None
    sex: str | None
    answers: dict[str, Any] = field(default_factory=dict)
    conditions: list[CodedEvent] = field(default_factory=list)
    medications: list[MedicationEvent] = field(default_factory=list)
    heights: list[Measurement] = field(default_factory=list)
    weights: list[Measurement] = field(default_factory=list)
    t_scores: list[Measurement] = field(default_factory=list)
    egfr: list[Measurement] = field(default_factory=list)
    creatinine_clearance: list[Measurement] = field(default_factory=list)
    adjusted_calcium: list[Measurement] = field(default_factory=list)
    vitamin_d: list[Measurement] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    treatment_reviews: list[dt.date] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    birth_date: dt.date | None = None
    # The source says the patient has died (FHIR Patient.deceased[x]): no prompts, and off every worklist.
    deceased: bool = False


@dataclass(frozen=True, slots=True)
class Derivation:
    """How one contract field got its value: the path, the value, and a sentence a clinician can check."""

    field: str
    value: Any
    because: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "because": self.because}

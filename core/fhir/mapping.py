"""FHIR R4 resources -> :class:`core.records.PatientRecord` (the mapping table is docs/fhir-mapping.md).

Every resource is parsed into the fhirclient R4 (4.0.1) models, imported explicitly, built by ``models.build`` (the
same objects and validation as fhirclient's own constructors, faster): a resource that fails R4 validation (an
R5-only element, a missing required element, a malformed date) is a problem with its path, never a crash and never
silently half-read. Resource types that carry nothing for the contract (Encounter, Practitioner,
...) are skipped without parsing, to keep a 200-resource prefetch fast.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Collection, Iterable
from typing import Any

from fhirclient.models.codeableconcept import CodeableConcept
from fhirclient.models.condition import Condition
from fhirclient.models.diagnosticreport import DiagnosticReport
from fhirclient.models.medication import Medication
from fhirclient.models.medicationrequest import MedicationRequest
from fhirclient.models.medicationstatement import MedicationStatement
from fhirclient.models.observation import Observation
from fhirclient.models.patient import Patient

from core.records.model import CodedEvent, Measurement, MedicationEvent, PatientRecord, Report
from core.records.safer import safer_reading
from core.rules.codes import SNOMED_SYSTEM
from core.rules.contract import SCHEMA

from . import valuesets
from .models import build
from .units import MASS_TO_MG, convert, convert_answer

MODELS: dict[str, type] = {
    "Patient": Patient,
    "Condition": Condition,
    "Observation": Observation,
    "MedicationRequest": MedicationRequest,
    "MedicationStatement": MedicationStatement,
    "Medication": Medication,
    "DiagnosticReport": DiagnosticReport,
}
SKIPPED_STATUSES = {"entered-in-error", "cancelled", "draft", "not-taken", "intended", "revoked", "preliminary"}
# Results not yet final (FHIR R4 diagnostic-report-status): not read, and said, never silently skipped.
NOT_YET_FINAL = {"registered", "preliminary"}
# Condition.verificationStatus codes (FHIR R4 condition-ver-status) that mean "suspected, not confirmed".
SUSPECTED_STATUSES = {"provisional", "differential", "unconfirmed"}
# A selected order on order-select is a draft (or, in some clients, already active): either is the therapy about to
# start. Any other status (cancelled, entered-in-error, ...) is not planned use.
PLANNED_STATUSES = {"draft", "active", None}
MEDICATION_STATUS = {
    "active": "active",
    "on-hold": "active",  # suspended, not stopped: the safer reading for a bone-protection course
    "completed": "completed",
    "stopped": "stopped",
    "unknown": "unknown",
}
# A medicine whose form or route is clearly not systemic is not an oral glucocorticoid (contract field).
NOT_ORAL = re.compile(
    r"\b(eye|ear|nasal|nose|inhal\w*|cream|ointment|gel|lotion|scalp|enema|rectal|foam|suppositor\w*|"
    r"topical|cutaneous|drops|spray|mouthwash|pellet|buccal|mucoadhesive|oromucosal|intra-?articular|"
    r"vaginal|pessar\w*|"
    # injected: intramuscular, intravenous, into a joint or lesion, epidural...
    r"inject\w*|infusion|intramuscular\w*|intravenous\w*|subcutaneous\w*|intradermal|intralesional|intrathecal|"
    r"epidural|periarticular|peri-articular|intrabursal|intra-?synovial|parenteral|ampoules?|vials?|implants?)\b",
    re.IGNORECASE,
)
# Route abbreviations, in capitals only (IM, IV, SC; i.m., i.v.), so that no ordinary word is caught.
NOT_ORAL_ABBREVIATION = re.compile(r"(?<![\w.])(?:IM|IV|SC|i\.m\.|i\.v\.)(?![\w])")


def _not_oral(text: str) -> bool:
    return bool(NOT_ORAL.search(text) or NOT_ORAL_ABBREVIATION.search(text))


# Vaginal oestrogen is local treatment, not systemic HRT; gels and patches are systemic and stay in.
VAGINAL = re.compile(r"\b(vaginal\w*|pessar\w*|intravaginal)\b", re.IGNORECASE)
# A report is about the spine when its code or text says so. "Thoracic" and "lumbar" alone are not enough ("thoracic
# aorta", "lumbar puncture"), nor is a T or L with a number: "T2 weighted" is an MRI sequence, and T13 or L7 is no
# vertebra. A wrongly spine-tagged report of another part would be taken as the latest spine report and hide the real
# one (the later MRI of the head replacing the X-ray that showed the fracture).
_REGION = r"(?:thoracic|lumbar|cervical)(?:\s*(?:and|&|/|,)\s*(?:thoracic|lumbar|cervical))?"
_LEVEL = r"(?:T(?:1[0-2]|[1-9])|L[1-5])"
# MRI sequences and signal, not levels: "T2 weighted", "T1 and T2-weighted", "T2*", "T2 hyperintense", "T1 signal".
_SEQUENCE = r"(?:\s*(?:and|/|,|&)\s*T\d+)?[\s-]*(?:weighted|\*|hyper\w*|hypo\w*|iso\w*|signal|flair|sequences?|images?)"
SPINE_WORDS = re.compile(
    rf"\b(spine|spinal|vertebra\w*|thoracolumbar|lumbosacral|kyphosis|kyphotic|VFA"
    rf"|{_REGION}\s+(?:spine|spinal|vertebra\w*|region|views?|radiographs?|x-?rays?)"
    rf"|{_LEVEL}(?![\w*])(?!{_SEQUENCE}))",
    re.IGNORECASE,
)
PERIOD_DAYS = {"h": 1 / 24, "d": 1.0, "wk": 7.0, "mo": 365.25 / 12, "a": 365.25}
CONTRACT_LISTS = {"red_flags", "secondary_causes", "oral_bisphosphonate_barriers"}
MEASUREMENT_LISTS = {
    "height": "heights",
    "weight": "weights",
    "t_score": "t_scores",
    "egfr": "egfr",
    "creatinine_clearance": "creatinine_clearance",
    "adjusted_calcium": "adjusted_calcium",
    "vitamin_d": "vitamin_d",
}


def _date(value: Any) -> dt.date | None:
    """A fhirclient FHIRDate/FHIRDateTime as a date (partial dates read as their first day)."""
    if value is None:
        return None
    d = getattr(value, "date", None)
    if isinstance(d, dt.datetime):
        return d.date()
    return d if isinstance(d, dt.date) else None


def _last_day(value: Any) -> dt.date | None:
    """The last day a partial FHIR date allows ("2025" -> 31 December 2025, "2025-02" -> 28 February), or None
    when the value gives a day (or is absent)."""
    first = _date(value)
    text = getattr(value, "origval", None)
    if first is None or not isinstance(text, str):
        return None
    if len(text) == 4:  # YYYY
        return dt.date(first.year, 12, 31)
    if len(text) == 7:  # YYYY-MM
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return None


def _codings(concept: CodeableConcept | None) -> list[Any]:
    return list(concept.coding or []) if concept is not None else []


def _concept_text(concept: CodeableConcept | None) -> str:
    if concept is None:
        return ""
    parts = [concept.text or ""] + [c.display or "" for c in concept.coding or []]
    return " ".join(p for p in parts if p)


def _contract_paths() -> set[str]:
    paths = set()
    for name, spec in SCHEMA.items():
        if spec.fields:
            paths |= {f"{name}.{sub}" for sub in spec.fields}
        elif name not in ("input_version", "assessed_on", "assessor_role", "extensions"):
            paths.add(name)
    return paths


ANSWER_PATHS = frozenset(_contract_paths())


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, month=3, day=1)


def patient_named(reference: str) -> str | None:
    """The patient id a subject reference names: "Patient/x" (or a URL ending so) or a bundle's "urn:uuid:x"; None
    for anything that is not a patient (a Group, a Location)."""
    if reference.startswith("urn:uuid:"):
        return reference.removeprefix("urn:uuid:")
    return _reference_id(reference, "Patient")


def _reference_id(ref: Any, resource_type: str) -> str | None:
    """The id in a reference like "Patient/123" or ".../Patient/123" (None if it points elsewhere)."""
    text = getattr(ref, "reference", None) if not isinstance(ref, str) else ref
    if not text:
        return None
    if text.startswith("#"):
        return None
    parts = text.rstrip("/").split("/")
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    if len(parts) >= 2 and parts[-2] == resource_type:
        return parts[-1]
    return None


def _coded(concept: Any, table: dict[tuple[str, str], Any]) -> bool | None:
    """Whether a raw CodeableConcept has a coding in the table (or the SpinePrompt answer system); None when its
    shape is not a CodeableConcept's, so the R4 model gets to report it."""
    if concept is None:
        return False
    if not isinstance(concept, dict) or not isinstance(concept.get("coding", []), list):
        return None
    for coding in concept.get("coding", []):
        if not isinstance(coding, dict):
            return None
        system, code = coding.get("system"), coding.get("code")
        if system == valuesets.SPINEPROMPT_SYSTEM or (system, code) in table:
            return True
        if not system and (SNOMED_SYSTEM, code) in table:
            return True  # parsed, so that the mapping can say it did not take a code without its system
    return False


def _may_matter(rtype: str, raw: dict) -> bool:
    """False for an Observation or Condition whose codes are all outside our value sets: it carries nothing for
    the contract, so it is skipped without parsing. A GP record's Observations are mostly blood pressures,
    cholesterol and the like; parsing each with the R4 models would cost ~0.1 ms for nothing (CDS Hooks p95).
    Anything whose shape we cannot read cheaply is parsed, so that its R4 validation errors are still reported."""
    if rtype == "Observation":
        table = valuesets.by_code("observations")
        found = _coded(raw.get("code"), table)
        if found is not False:
            return True
        components = raw.get("component", [])
        if not isinstance(components, list):
            return True
        return any(not isinstance(c, dict) or _coded(c.get("code"), table) is not False for c in components)
    if rtype == "Condition":
        return _coded(raw.get("code"), valuesets.by_code("conditions")) is not False
    return True


class _Mapper:
    def __init__(
        self, patient_id: str | None, assessed_on: dt.date | None, planned: Collection[str] = frozenset()
    ) -> None:
        self.record = PatientRecord(patient_id=patient_id or "", age=None, sex=None)
        self.patient_id = patient_id
        self.assessed_on = assessed_on
        self.planned = frozenset(planned)
        self.answer_values: dict[str, list[Any]] = {}
        self.medications: dict[str, Medication] = {}
        # Every Observation as sent, by id, parsed or not: a DiagnosticReport's result may hold its text.
        self.observations_raw: dict[str, dict] = {}

    def problem(self, path: str, message: str) -> None:
        self.record.problems.append((path, message))

    # --- dispatch ---------------------------------------------------------------------------------------------

    def run(self, resources: Iterable[Any]) -> PatientRecord:
        parsed: list[tuple[str, Any, dict]] = []
        for index, raw in enumerate(resources):
            path = f"resources[{index}]"
            if not isinstance(raw, dict):
                self.problem(path, "not a FHIR resource (not a JSON object)")
                continue
            rtype = raw.get("resourceType")
            if not isinstance(rtype, str):
                self.problem(path, "not a FHIR resource (no resourceType)")
                continue
            rid = raw.get("id")
            path = f"{rtype}/{rid}" if isinstance(rid, str) and rid else f"{path} ({rtype})"
            if rtype == "OperationOutcome":
                self.problem(path, "the server returned an OperationOutcome instead of data: that data is unknown")
                continue
            if rtype == "Observation" and isinstance(rid, str) and rid:
                self.observations_raw[rid] = raw
            model = MODELS.get(rtype)
            if model is None or not _may_matter(rtype, raw):
                continue
            try:
                resource = build(model, raw)
            except Exception as exc:  # fhirclient raises FHIRValidationError, or Exception on a type mismatch
                self.problem(path, f"not a valid FHIR R4 {rtype}: {_short(exc)}")
                continue
            if rtype == "Medication":
                if resource.id:
                    self.medications[resource.id] = resource
                continue
            parsed.append((path, resource, raw))
        for path, resource, _raw in parsed:
            if isinstance(resource, Patient):
                self.patient(path, resource)
        if self.patient_id is None:
            self.patient_id = self._guess_patient(parsed)
            self.record.patient_id = self.patient_id or ""
        for path, resource, _raw in parsed:
            if isinstance(resource, Patient):
                continue
            try:
                if not self._about_patient(path, resource):
                    continue
                self._map(path, resource)
            except Exception as exc:  # a bug or an input we did not foresee: a problem, not a crash (H-44)
                self.problem(path, f"could not be read: {_short(exc)}")
        return self.record

    def _guess_patient(self, parsed: list[tuple[str, Any, dict]]) -> str | None:
        for _path, resource, _raw in parsed:
            if isinstance(resource, Patient) and resource.id:
                return resource.id
        for _path, resource, _raw in parsed:
            pid = _reference_id(getattr(resource, "subject", None), "Patient")
            if pid:
                return pid
        return None

    def _about_patient(self, path: str, resource: Any) -> bool:
        """Whether a resource is about the patient being assessed. With the patient known, a subject that names
        anyone or anything else is not used, and said: another patient ("Patient/x", or a bundle's "urn:uuid:x"
        that is not this patient's id), or not a patient at all (a Group, a Location)."""
        ref = getattr(getattr(resource, "subject", None), "reference", None)
        if not isinstance(ref, str) or not ref or not self.patient_id or ref.startswith("#"):
            return True
        pid = patient_named(ref)
        if pid is None:
            self.problem(path, "is not about a patient (its subject is not a Patient); not used")
            return False
        if pid != self.patient_id:
            self.problem(path, "is about another patient; not used")
            return False
        return True

    def _map(self, path: str, resource: Any) -> None:
        if isinstance(resource, Condition):
            self.condition(path, resource)
        elif isinstance(resource, Observation):
            self.observation(path, resource)
        elif isinstance(resource, MedicationRequest | MedicationStatement):
            self.medication(path, resource)
        elif isinstance(resource, DiagnosticReport):
            self.report(path, resource)

    # --- Patient ----------------------------------------------------------------------------------------------

    def patient(self, path: str, p: Patient) -> None:
        if self.patient_id is not None and p.id and p.id != self.patient_id:
            self.problem(path, "is another patient; not used")
            return
        rec = self.record
        if p.deceasedBoolean is True or p.deceasedDateTime is not None:
            rec.deceased = True
        if p.gender in ("female", "male"):
            rec.sex = p.gender
        else:
            # "other", "unknown" or no gender: sex for fracture risk is not known. The rules then say what does not
            # depend on sex and list sex as unknown where it decides a prompt (H-92); reported, never guessed.
            rec.sex = "unknown"
            said = "no gender" if p.gender is None else f"gender {p.gender!r}"
            self.problem(f"{path}.gender", f"{said}: sex for fracture risk read as not known")
        birth = _date(p.birthDate)
        if birth is not None:
            rec.birth_date = birth
            if self.assessed_on is not None:
                on = self.assessed_on
                rec.age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))

    # --- Condition --------------------------------------------------------------------------------------------

    def condition(self, path: str, c: Condition) -> None:
        status = {s.code for s in _codings(c.verificationStatus)}
        if status & {"refuted", "entered-in-error"}:
            return
        # Provisional, differential or unconfirmed: a suspected diagnosis. Kept, marked, never counted as diagnosed
        # (record_to_input leaves the fields unknown and says it needs confirming).
        suspected = bool(status & SUSPECTED_STATUSES)
        table = valuesets.by_code("conditions")
        onset = c.onsetDateTime or (c.onsetPeriod.start if c.onsetPeriod else None)
        date, latest = _date(onset), _last_day(onset)
        if date is None:
            date, latest = self._onset_other(path, c)
        if date is None:
            onset = c.recordedDate
            date, latest = _date(onset), _last_day(onset)
        for coding in _codings(c.code):
            if not coding.system and coding.code and (SNOMED_SYSTEM, coding.code) in table:
                # A code without its system could be any code system's: never taken as SNOMED CT, but said.
                self.problem(f"{path}.code", f"a coding without a system ({coding.code}) was not used")
                continue
            row = table.get((coding.system or "", coding.code or ""))
            if row is not None:
                term = coding.display or row.display
                self.record.conditions.append(
                    CodedEvent(row.system, row.code, term, date, row.maps_to, suspected, latest)
                )
                return
        # a condition outside our value sets says nothing about the contract

    def _onset_other(self, path: str, c: Condition) -> tuple[dt.date | None, dt.date | None]:
        """An onset given as an age (onsetAge, in years, with the date of birth: the year of life it names) or
        only as text (onsetString: reported, its date unknown)."""
        age, birth = c.onsetAge, self.record.birth_date
        if age is not None and age.value is not None:
            unit = (age.code or age.unit or "").lower()
            if unit in ("a", "yr", "yrs", "year", "years") and birth is not None and 0 <= age.value < 130:
                start = _add_years(birth, int(age.value))
                return start, _add_years(birth, int(age.value) + 1) - dt.timedelta(days=1)
            self.problem(f"{path}.onsetAge", "an onset age without years or a date of birth: its date is unknown")
        elif c.onsetString:
            self.problem(f"{path}.onsetString", "an onset given only as text: its date is unknown")
        return None, None

    # --- Observation ------------------------------------------------------------------------------------------

    def observation(self, path: str, o: Observation) -> None:
        if o.status in SKIPPED_STATUSES:
            return
        date = _date(o.effectiveDateTime) or (_date(o.effectivePeriod.start) if o.effectivePeriod else None)
        date = date or _date(o.effectiveInstant) or _date(o.issued)
        for coding in _codings(o.code):
            if coding.system == valuesets.SPINEPROMPT_SYSTEM:
                self.answer(path, coding.code, o)
                return
        if self._measure(path, o.code, o, date):
            return
        for i, comp in enumerate(o.component or []):
            self._measure(f"{path}.component[{i}]", comp.code, comp, date)

    def _measure(self, path: str, code: CodeableConcept | None, holder: Any, date: dt.date | None) -> bool:
        table = valuesets.by_code("observations")
        row = next(
            (table[k] for c in _codings(code) if (k := (c.system or "", c.code or "")) in table),
            None,
        )
        if row is None:
            return False
        q = holder.valueQuantity
        if q is None or q.value is None:
            reason = "no numeric value"
            if holder.dataAbsentReason is not None:
                reason = f"value absent ({_concept_text(holder.dataAbsentReason) or 'reason given'})"
            self.problem(path, f"{row.display}: {reason}; unknown")
            return True
        if q.comparator:
            self.problem(path, f"{row.display}: value {q.comparator}{q.value} is a bound, not a value; not used")
            return True
        converted = convert(row.maps_to, float(q.value), q.code, q.unit)
        if converted is None:
            self.problem(path, f"{row.display}: unit {q.code or q.unit!r} is not one we can convert; not used")
            return True
        value, unit = converted
        getattr(self.record, MEASUREMENT_LISTS[row.maps_to]).append(Measurement(date, round(value, 3), unit))
        return True

    def answer(self, path: str, field: str | None, o: Observation) -> None:
        if field not in ANSWER_PATHS:
            self.problem(path, f"{field!r} is not a field of the assessment input contract; not used")
            return
        value: Any
        if o.valueBoolean is not None:
            value = o.valueBoolean
        elif o.valueInteger is not None:
            value = o.valueInteger
        elif o.valueQuantity is not None and o.valueQuantity.value is not None:
            q = o.valueQuantity
            converted = convert_answer(field, float(q.value), q.code, q.unit)
            if converted is None:
                written = q.code or q.unit
                self.problem(path, f"answer for {field}: unit {written!r} is not one we can convert; unknown")
                return
            value = q.value if converted == float(q.value) else round(converted, 3)
        elif o.valueCodeableConcept is not None:
            codes = [c.code for c in _codings(o.valueCodeableConcept) if c.code]
            value = codes[0] if codes else o.valueCodeableConcept.text
        elif o.valueString is not None:
            value = o.valueString
        else:
            self.problem(path, f"answer for {field} has no value; unknown")
            return
        answers = self.record.answers
        if field in CONTRACT_LISTS:
            items = answers.setdefault(field, [])
            if value not in items:
                items.append(value)
            return
        seen = self.answer_values.setdefault(field, [])
        if any(v == value and type(v) is type(value) for v in seen):
            return
        seen.append(value)
        if len(seen) == 1:
            answers[field] = value
            return
        # Two different answers: the safer reading per field (core/records/safer.py), else unknown; always a problem.
        pick, how = seen[0], ""
        for other in seen[1:]:
            if pick is None:
                break
            pick, how = safer_reading(field, pick, other)
        if pick is None:
            how = "no reading is safer: unknown"
        listed = ", ".join(repr(v) for v in seen)
        self.problem(path, f"two different answers for {field} ({listed}); {how}")
        answers[field] = pick

    # --- MedicationRequest / MedicationStatement --------------------------------------------------------------

    def medication(self, path: str, m: MedicationRequest | MedicationStatement) -> None:
        # The order being signed (order-select's selection) is planned use: read, but never as taken.
        planned = isinstance(m, MedicationRequest) and path in self.planned and m.status in PLANNED_STATUSES
        if m.status in SKIPPED_STATUSES and not planned:
            return
        concept = m.medicationCodeableConcept
        form = ""  # a referenced Medication's form (e.g. "Injection") says how it is given
        if concept is None and m.medicationReference is not None:
            ref = m.medicationReference.reference or ""
            med = None
            if ref.startswith("#"):
                med = next((c for c in m.contained or [] if getattr(c, "id", None) == ref[1:]), None)
            else:
                med = self.medications.get(_reference_id(ref, "Medication") or "")
            if med is None:
                self.problem(path, f"medication {ref!r} not found in the data; unknown")
                return
            concept = med.code
            form = _concept_text(med.form)
        row, coding = self._medicine(concept)
        if row is None:
            return
        # A medicine known only by its code (no display or text) is read by the value set's name for it, so that
        # its ingredient (the prednisolone equivalence) and form (oral or not) are still known.
        text = _concept_text(concept) or row.display
        dosages = (m.dosageInstruction if isinstance(m, MedicationRequest) else m.dosage) or []
        route = " ".join([form, *(_concept_text(d.route) for d in dosages)])
        if row.maps_to == "glucocorticoid" and (_not_oral(text) or _not_oral(route)):
            return  # a topical, inhaled or injected glucocorticoid (by its name, form or route): not oral
        if row.maps_to == "hrt" and (VAGINAL.search(text) or VAGINAL.search(route)):
            return
        start, end = self._period(m, dosages)
        dose = None
        if row.maps_to == "glucocorticoid":
            dose = self._prednisolone_mg_per_day(path, text, dosages)
        status = "planned" if planned else MEDICATION_STATUS.get(m.status or "unknown", "unknown")
        system = (coding.system if coding else None) or row.system
        code = (coding.code if coding else None) or row.code
        self.record.medications.append(
            MedicationEvent(row.maps_to, system, code, text or row.display, start, end, dose, status)
        )

    def _medicine(self, concept: CodeableConcept | None) -> tuple[Any, Any]:
        for coding in _codings(concept):
            row = valuesets.medicine(coding.system, coding.code)
            if row is not None:
                return row, coding
        row = valuesets.by_name("medicines", _concept_text(concept))
        first = next(iter(_codings(concept)), None)
        return row, first

    def _period(self, m: Any, dosages: list[Any]) -> tuple[dt.date | None, dt.date | None]:
        start = end = None
        for d in dosages:
            bounds = d.timing.repeat.boundsPeriod if d.timing and d.timing.repeat else None
            if bounds is not None:
                start = start or _date(bounds.start)
                end = end or _date(bounds.end)
        if isinstance(m, MedicationStatement):
            if m.effectivePeriod is not None:
                start = start or _date(m.effectivePeriod.start)
                end = end or _date(m.effectivePeriod.end)
            start = start or _date(m.effectiveDateTime)
            return start, end
        dispense = m.dispenseRequest
        if dispense is not None and dispense.validityPeriod is not None:
            start = start or _date(dispense.validityPeriod.start)
            end = end or _date(dispense.validityPeriod.end)
        start = start or _date(m.authoredOn)
        if end is None and start is not None and dispense is not None and dispense.expectedSupplyDuration is not None:
            days = _duration_days(dispense.expectedSupplyDuration)
            if days is not None:
                end = start + dt.timedelta(days=days)
        return start, end

    def _prednisolone_mg_per_day(self, path: str, text: str, dosages: list[Any]) -> float | None:
        equivalence = valuesets.glucocorticoid_equivalence()
        ingredient = next((name for name in equivalence if re.search(rf"\b{re.escape(name)}\b", text, re.I)), None)
        if ingredient is None:
            self.problem(path, f"{text}: no cited prednisolone equivalence for this glucocorticoid; dose unknown")
            return None
        total = 0.0
        for d in dosages:
            mg_per_day = _mg_per_day(d)
            if mg_per_day is None:
                self.problem(path, f"{text}: daily dose could not be read from the dosage; dose unknown")
                return None
            total += mg_per_day
        if not dosages:
            return None
        return round(total / equivalence[ingredient][0], 2)

    # --- DiagnosticReport -------------------------------------------------------------------------------------

    def report(self, path: str, r: DiagnosticReport) -> None:
        if r.status in NOT_YET_FINAL:
            # Not silent: a report still in progress may hold the fracture the final one confirms.
            self.problem(path, f"is a {r.status} report, not read: check the final report when it comes")
            return
        if r.status in SKIPPED_STATUSES:
            return
        if r.status == "partial":
            self.problem(path, "is a partial report: read, but it may be incomplete or not yet verified")
        parts = [r.conclusion] if r.conclusion else []
        for i, form in enumerate(r.presentedForm or []):
            ctype = (form.contentType or "").split(";")[0].strip().lower()
            if ctype != "text/plain":
                self.problem(f"{path}.presentedForm[{i}]", f"content type {ctype or 'not stated'} is not read")
                continue
            if not form.data:
                self.problem(f"{path}.presentedForm[{i}]", "no inline data (a url is not fetched); not read")
                continue
            try:
                parts.append(base64.b64decode(form.data, validate=True).decode(_charset(form.contentType)))
            except (binascii.Error, UnicodeDecodeError, LookupError) as exc:
                self.problem(f"{path}.presentedForm[{i}]", f"could not be decoded: {_short(exc)}")
        if not parts:
            parts = self._result_text(path, r)
        text = "\n\n".join(p.strip() for p in parts if p and p.strip())
        if not text:
            return
        date = _date(r.effectiveDateTime) or (_date(r.effectivePeriod.start) if r.effectivePeriod else None)
        date = date or _date(r.issued)
        spine = bool(SPINE_WORDS.search(_concept_text(r.code)) or SPINE_WORDS.search(text)) or None
        self.record.reports.append(Report(date, text, spine))

    def _result_text(self, path: str, r: DiagnosticReport) -> list[str]:
        """A report with no conclusion or text of its own may hold it in its results: the linked Observations'
        ``valueString`` and notes (FHIR R4 DiagnosticReport.result). A result not sent is said, never guessed."""
        parts: list[str] = []
        for i, ref in enumerate(r.result or []):
            oid = _reference_id(ref, "Observation")
            raw = self.observations_raw.get(oid or "")
            if raw is None:
                self.problem(f"{path}.result[{i}]", "a linked result was not sent; its text is not read")
                continue
            subject = (raw.get("subject") or {}).get("reference") if isinstance(raw.get("subject"), dict) else None
            if isinstance(subject, str) and self.patient_id and patient_named(subject) != self.patient_id:
                self.problem(f"{path}.result[{i}]", "a linked result is about another patient; not used")
                continue
            if raw.get("status") in SKIPPED_STATUSES | NOT_YET_FINAL:
                self.problem(f"{path}.result[{i}]", f"a linked result is {raw.get('status')}; not read")
                continue
            value = raw.get("valueString")
            if isinstance(value, str):
                parts.append(value)
            for note in raw.get("note") or []:
                if isinstance(note, dict) and isinstance(note.get("text"), str):
                    parts.append(note["text"])
        return parts


def _charset(content_type: str | None) -> str:
    m = re.search(r"charset=([\w-]+)", content_type or "", re.IGNORECASE)
    return m.group(1) if m else "utf-8"


def _duration_days(duration: Any) -> float | None:
    unit = duration.code or duration.unit
    if duration.value is None or unit not in PERIOD_DAYS:
        return None
    return float(duration.value) * PERIOD_DAYS[unit]


def _mg_per_day(dosage: Any) -> float | None:
    """mg a day from doseQuantity (mass units) x frequency / period; None when any part is missing."""
    dose = next((dr.doseQuantity for dr in dosage.doseAndRate or [] if dr.doseQuantity is not None), None)
    if dose is None or dose.value is None:
        return None
    factor = MASS_TO_MG.get((dose.code or dose.unit or "").strip())
    if factor is None:
        return None
    repeat = dosage.timing.repeat if dosage.timing else None
    if repeat is None or repeat.period is None or repeat.periodUnit not in PERIOD_DAYS:
        return None
    frequency = repeat.frequency or 1
    days = float(repeat.period) * PERIOD_DAYS[repeat.periodUnit]
    if days <= 0:
        return None
    return float(dose.value) * factor * frequency / days


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = re.sub(r"<[\w.]+ object at 0x[0-9a-f]+>", "", text)
    return text[:300]


def resources_to_record(
    resources: Iterable[dict],
    *,
    patient_id: str | None = None,
    assessed_on: dt.date | None = None,
    planned: Collection[str] = frozenset(),
) -> PatientRecord:
    """Map FHIR R4 resources about one patient to a :class:`PatientRecord`; never raises on bad resources.

    ``patient_id`` (pseudonymous) defaults to the Patient resource's id, else the first subject reference; resources
    about another patient are problems and not used. ``assessed_on`` (optional) sets ``age`` from the birth date;
    without it the birth date is kept and :func:`core.records.record_to_input` computes the age. ``planned`` names
    the MedicationRequests (``"MedicationRequest/<id>"``) that are orders about to be signed (the order-select
    hook's selection): read with status "planned", their intended period counted as planned use, even as drafts.
    """
    return _Mapper(patient_id, assessed_on, planned).run(resources)

"""The case-finding CSV extract: one row per patient, parsed into an ``core.records.PatientRecord``.

Pure Python (no Django). Every column, its type, unit and format is documented in docs/case-finding.md; this module
is the one place that reads them. A malformed row raises :class:`RowError` naming its line and the column at fault,
and the run goes on with the rest; a file that cannot be used at all (empty, truncated, not UTF-8, missing required
columns, unknown columns) raises :class:`UnusableInput` before anything is evaluated.

Error messages never repeat the value found: a cell may hold patient data, and messages are stored in the run's
summary and shown on the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, NamedTuple

from core.boundary import MAX_DIGITS
from core.fhir import valuesets
from core.records import CodedEvent, Measurement, MedicationEvent, PatientRecord, Report
from core.records.identifiers import ANY_DATE, looks_like_nhs_number
from core.rules.codes import SNOMED_SYSTEM
from core.rules.contract import BONE_PROTECTION, SCHEMA, Spec, iso_date
from core.rules.facts import DRUG_NAMES
from core.rules.figures import in_words

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def id_problem(pid: str) -> str | None:
    """Why ``pid`` is not a pseudonymous id, or None. Ten digits however separated ("943-476-5919",
    "NHS9434765919") could be an NHS number, and a date could be a date of birth ("JaneDoe_1950-02-01"): never
    accepted, never stored (H-52)."""
    if not ID_PATTERN.fullmatch(pid):
        return "must be 1-64 letters, digits, - or _"
    if looks_like_nhs_number(pid):
        return "looks like an NHS number: use a pseudonymous id"
    if ANY_DATE.search(pid.replace("_", " ")):
        return "holds a date: use a pseudonymous id"
    return None


ITEM_SEPARATOR, PART_SEPARATOR = ";", "@"

# The answer columns: every contract field a search can state directly, named by its contract path. age and sex
# have their own required columns; the report text comes from report_text (a record fact with its date).
ANSWER_COLUMNS: dict[str, Spec] = {}
for _key, _spec in SCHEMA.items():
    if _key in ("input_version", "assessed_on", "assessor_role", "age", "sex", "extensions"):
        continue
    if _spec.fields:
        for _sub, _subspec in _spec.fields.items():
            if f"{_key}.{_sub}" != "spine_imaging.report_text":
                ANSWER_COLUMNS[f"{_key}.{_sub}"] = _subspec
    else:
        ANSWER_COLUMNS[_key] = _spec

# Record-fact columns: (column, what each item is). Repeated facts are "item;item", each item "part@part".
MEASUREMENT_COLUMNS = {
    # column: (PatientRecord attribute, unit)
    "heights_cm": ("heights", "cm"),
    "weights_kg": ("weights", "kg"),
    "t_scores": ("t_scores", ""),
    "egfr": ("egfr", "mL/min"),
    "creatinine_clearance": ("creatinine_clearance", "mL/min"),
    "adjusted_calcium": ("adjusted_calcium", "mmol/L"),
    "vitamin_d_nmol_l": ("vitamin_d", "nmol/L"),
}
FACT_COLUMNS = (
    "fracture_codes",
    "osteoporosis_codes",
    "bone_protection_drugs",
    "glucocorticoid_prescriptions",
    *MEASUREMENT_COLUMNS,
    "report_date",
    "report_text",
    "treatment_reviews",
)
REQUIRED_COLUMNS = ("patient_id", "age", "sex")
# egfr and creatinine_clearance are both contract fields and record facts: in the extract they are the dated
# record facts (the latest is used), never a bare answer.
for _name in MEASUREMENT_COLUMNS:
    ANSWER_COLUMNS.pop(_name, None)
KNOWN_COLUMNS = frozenset((*REQUIRED_COLUMNS, *ANSWER_COLUMNS, *FACT_COLUMNS))
DRUGS = tuple(b for b in BONE_PROTECTION if b != "none")

# What the required and record-fact columns hold, for the extract format page (/casefinding/formats/) and in the
# same words as docs/case-finding.md: (type and unit, format and meaning).
REQUIRED_COLUMN_HELP: dict[str, tuple[str, str]] = {
    "patient_id": (
        "text",
        "the practice's pseudonymous id: 1-64 letters, digits, - or _; ten digits (an NHS number's shape) is refused",
    ),
    "age": ("whole years", "18-120"),
    "sex": ("female, male or unknown", "sex recorded for fracture risk (unknown: not recorded)"),
}
FACT_COLUMN_HELP: dict[str, tuple[str, str]] = {
    "fracture_codes": (
        "SNOMED CT",
        "code@YYYY-MM-DD;...: codes of the condition value set for a vertebral or fragility fracture",
    ),
    "osteoporosis_codes": (
        "SNOMED CT",
        "code@YYYY-MM-DD;...: the value set's other codes (osteoporosis, osteoporotic kyphosis)",
    ),
    "bone_protection_drugs": (
        "drug names",
        f"drug@start[@end];..., drug one of {', '.join(DRUGS)}; no end date means still prescribed",
    ),
    "glucocorticoid_prescriptions": (
        "mg prednisolone equivalent a day",
        "mg@start[@end];...: oral glucocorticoids; no end date means still prescribed",
    ),
    "heights_cm": ("cm", "value@YYYY-MM-DD;...: height loss is the tallest adult height minus the latest"),
    "weights_kg": ("kg", "value@YYYY-MM-DD;...: the latest is used"),
    "t_scores": ("T-score", "value@YYYY-MM-DD;...: the lowest is used"),
    "egfr": ("mL/min", "value@YYYY-MM-DD;...: the latest is used"),
    "creatinine_clearance": ("mL/min", "value@YYYY-MM-DD;...: the latest is used"),
    "adjusted_calcium": ("mmol/L", "value@YYYY-MM-DD;...: the latest is used"),
    "vitamin_d_nmol_l": ("nmol/L", "value@YYYY-MM-DD;...: the latest is used"),
    "report_date": ("date", "YYYY-MM-DD: the date of report_text"),
    "report_text": ("text", "the latest spine radiology report (in quotes; it may hold commas and new lines)"),
    "treatment_reviews": (
        "dates",
        "YYYY-MM-DD;...: bisphosphonate treatment reviews; without this column the review group is "
        '"could not be assessed"',
    ),
}
assert set(REQUIRED_COLUMN_HELP) == set(REQUIRED_COLUMNS) and set(FACT_COLUMN_HELP) == set(FACT_COLUMNS)


def answer_format(spec: Spec) -> str:
    """How an answer column's cell is written (for the format page): the values ``_answer`` accepts."""
    if spec.kind == "bool":
        return "true or false"
    if spec.kind == "int":
        return f"a whole number, {in_words(spec.lo)} to {in_words(spec.hi)}"
    if spec.kind == "number":
        return f"a number, {in_words(spec.lo)} to {in_words(spec.hi)}"
    if spec.kind == "enum":
        return "one of " + ", ".join(spec.choices)
    return "any of " + ", ".join(spec.choices) + ", joined by ;"


class RowError(Exception):
    """One row cannot be used: its line, the column at fault and why (never the value)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"line {line}: {field}: {message}")
        self.line, self.field, self.message = line, field, message

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class UnusableInput(Exception):
    """The whole file cannot be used; the message says why, in words for the person who uploaded it."""


class ConditionCode(NamedTuple):
    term: str
    kind: str


@cache
def condition_codes() -> dict[str, ConditionCode]:
    """SNOMED CT condition codes the extract may carry, with their kind, from core/fhir/valuesets/conditions.csv
    (the same value set the FHIR mapping uses; each row cites its code list)."""
    return {
        row.code: ConditionCode(row.display, row.maps_to)
        for row in valuesets.load("conditions")  # only rows marked V or P, checked on load
        if row.system == SNOMED_SYSTEM
    }


FRACTURE_KINDS = frozenset(("vertebral_fracture", "fragility_fracture"))


# --- cells ----------------------------------------------------------------------------------------------------------


def _date(text: str, line: int, field: str) -> dt.date:
    # Exactly YYYY-MM-DD (docs/case-finding.md), by the contract's one date parser.
    day = iso_date(text)
    if day is None:
        raise RowError(line, field, "a date is not in the form YYYY-MM-DD")
    return day


def _number(text: str, line: int, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RowError(line, field, "is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RowError(line, field, "is not a number")
    return value


def _items(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(ITEM_SEPARATOR) if item.strip()]


def _parts(item: str, line: int, field: str, lo: int, hi: int, shape: str) -> list[str]:
    parts = [p.strip() for p in item.split(PART_SEPARATOR)]
    if not lo <= len(parts) <= hi:
        raise RowError(line, field, f"each item must be {shape}")
    return parts + [""] * (hi - len(parts))


def _answer(spec: Spec, text: str, line: int, field: str) -> Any:
    kind = spec.kind
    if kind == "bool":
        lowered = text.lower()
        if lowered not in ("true", "false"):
            raise RowError(line, field, "must be true or false (or empty for not known)")
        return lowered == "true"
    if kind == "int":
        if not re.fullmatch(r"-?\d+", text) or len(text) > MAX_DIGITS + 1:  # the boundary's digit limit
            raise RowError(line, field, "must be a whole number")
        return int(text)
    if kind == "number":
        return _number(text, line, field)
    if kind == "enum_list":
        return _items(text)
    # An enum is text as it is: whether it is one of the choices is the contract's to say, in its own words
    # (the same check and message as the form and the API), when the record is validated.
    return text


# --- rows -----------------------------------------------------------------------------------------------------------


def parse_row(header: list[str], cells: list[str], line: int) -> PatientRecord:
    """One CSV row as a PatientRecord; raises RowError at the first cell that cannot be read."""
    if len(cells) != len(header):
        raise RowError(line, "(row)", f"has {len(cells)} cells; the header has {len(header)}")
    row = dict(zip(header, cells, strict=True))
    pid = row["patient_id"].strip()
    problem = id_problem(pid)
    if problem:
        raise RowError(line, "patient_id", problem)
    age_text = row["age"].strip()
    if not re.fullmatch(r"\d{1,3}", age_text):
        raise RowError(line, "age", "must be a whole number of years")
    # The text is read here; the age's range and the sex's choices are the contract's to check (validate, with the
    # same messages as the form and the API), so a row with either wrong is skipped with the contract's words.
    record = PatientRecord(patient_id=pid, age=int(age_text), sex=row["sex"].strip())

    for column, spec in _answer_columns(tuple(header)):
        text = row[column].strip()
        if text:
            record.answers[column] = _answer(spec, text, line, column)

    codes = condition_codes()
    for column in ("fracture_codes", "osteoporosis_codes"):
        for item in _items(row.get(column, "")):
            code, date = _parts(item, line, column, 2, 2, "code@YYYY-MM-DD")
            known = codes.get(code)
            if known is None:
                raise RowError(line, column, "holds a code that is not in the condition value set")
            if (column == "fracture_codes") != (known.kind in FRACTURE_KINDS):
                raise RowError(
                    line,
                    column,
                    "holds a code of the wrong kind (fracture codes go in fracture_codes, others in "
                    "osteoporosis_codes)",
                )
            record.conditions.append(CodedEvent(SNOMED_SYSTEM, code, known.term, _date(date, line, column), known.kind))

    for item in _items(row.get("bone_protection_drugs", "")):
        drug, start, end = _parts(item, line, "bone_protection_drugs", 2, 3, "drug@start[@end]")
        if drug not in DRUGS:
            raise RowError(line, "bone_protection_drugs", "drug must be one of: " + ", ".join(DRUGS))
        record.medications.append(_medication(drug, DRUG_NAMES[drug], None, start, end, line, "bone_protection_drugs"))
    for item in _items(row.get("glucocorticoid_prescriptions", "")):
        mg, start, end = _parts(item, line, "glucocorticoid_prescriptions", 2, 3, "mg@start[@end]")
        dose = _number(mg, line, "glucocorticoid_prescriptions")
        if not 0 < dose <= 200:
            raise RowError(line, "glucocorticoid_prescriptions", "dose must be above 0 and at most 200 mg a day")
        record.medications.append(
            _medication("glucocorticoid", "prednisolone", dose, start, end, line, "glucocorticoid_prescriptions")
        )

    for column, (attribute, unit) in MEASUREMENT_COLUMNS.items():
        series = getattr(record, attribute)
        for item in _items(row.get(column, "")):
            value, date = _parts(item, line, column, 2, 2, "value@YYYY-MM-DD")
            series.append(Measurement(_date(date, line, column), _number(value, line, column), unit))

    text = row.get("report_text", "")
    if text.strip():
        date_text = row.get("report_date", "").strip()
        date = _date(date_text, line, "report_date") if date_text else None
        record.reports.append(Report(date, text, True))
    elif row.get("report_date", "").strip():
        raise RowError(line, "report_date", "is given without report_text")
    record.treatment_reviews.extend(
        _date(d, line, "treatment_reviews") for d in _items(row.get("treatment_reviews", ""))
    )
    return record


@cache
def _answer_columns(header: tuple[str, ...]) -> tuple[tuple[str, Spec], ...]:
    """The answer columns this file has (worked out once per header, not per row)."""
    return tuple((c, ANSWER_COLUMNS[c]) for c in header if c in ANSWER_COLUMNS)


def _medication(
    kind: str, name: str, dose: float | None, start: str, end: str, line: int, field: str
) -> MedicationEvent:
    start_date = _date(start, line, field)
    end_date = _date(end, line, field) if end else None
    if end_date is not None and end_date < start_date:
        raise RowError(line, field, "an end date is before its start date")
    # No end date: still prescribed (an active repeat); an end date: the course stopped then.
    status = "active" if end_date is None else "completed"
    return MedicationEvent(kind, "name", name, name, start_date, end_date, dose, status)


# --- files ----------------------------------------------------------------------------------------------------------


class Header(NamedTuple):
    columns: list[str]
    reviews_recorded: bool  # whether the extract has a treatment_reviews column at all


def check_header(columns: list[str]) -> Header:
    columns = [c.strip() for c in columns]
    if columns and columns[0].startswith("\ufeff"):
        columns[0] = columns[0][1:]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise UnusableInput(
            f"The header row has no {', '.join(missing)} column: see the extract format (docs/case-finding.md)."
        )
    unknown = [c for c in columns if c not in KNOWN_COLUMNS]
    if unknown:
        shown = ", ".join(c[:40] for c in unknown[:5])
        raise UnusableInput(f"The header row has columns this extract format does not have: {shown}.")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise UnusableInput(f"The header row names a column more than once: {', '.join(repeated)}.")
    return Header(columns, "treatment_reviews" in columns)


def read_rows(lines: Iterable[str]) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """The checked header and an iterator of (line number, cells) for every data row.

    ``lines`` is text (decoded). Raises UnusableInput for an empty file or a bad header, and, while iterating,
    for a file that ends inside a quoted cell (truncated).
    """
    reader = csv.reader(lines, strict=True)
    try:
        first = next(reader)
    except StopIteration:
        raise UnusableInput("The file is empty.") from None
    except csv.Error:
        raise UnusableInput("The header row cannot be read as CSV.") from None
    header = check_header(first)

    def rows() -> Iterator[tuple[int, list[str]]]:
        # One row held back, so a short last row (a file cut off mid-row) makes the whole file unusable rather
        # than quietly losing a patient.
        held: tuple[int, list[str]] | None = None
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise UnusableInput(
                    f"The file cannot be read as CSV at line {reader.line_num} ({exc}); it may be truncated."
                ) from None
            if cells:
                if held is not None:
                    yield held
                held = (start, cells)
            start = reader.line_num + 1
        if held is not None:
            if len(held[1]) < len(header.columns):
                raise UnusableInput(f"The last row (line {held[0]}) ends early: the file looks truncated.")
            yield held

    return header, rows()

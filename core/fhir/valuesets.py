"""The reviewed value sets under ``valuesets/`` (columns: system, code, display, maps_to, source, mark).

- ``conditions.csv``: SNOMED CT condition codes -> a :data:`core.records.CONDITION_KINDS` kind.
- ``observations.csv``: LOINC and SNOMED CT observable codes -> a measurement kind (height, weight, ...).
- ``medicines.csv``: dm+d codes, and rows with system ``name`` that match an ingredient name in a coding's display
  or the text (always marked [P]: a name match is weaker than a code).
- ``glucocorticoid_equivalence.csv``: mg of each glucocorticoid equal to 1 mg of prednisolone, with its source.

Marks follow ../shared/clinical: V checked against the cited source, P the right source but the passage not seen.
Only rows marked V or P are loaded; a row marked U is kept for review and never used.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.records.model import CONDITION_KINDS, MEDICATION_KINDS

VALUESET_DIR = Path(__file__).parent / "valuesets"
NAME_SYSTEM = "name"
SPINEPROMPT_SYSTEM = "https://spineprompt.example/fhir/CodeSystem/assessment-input"
OBSERVATION_KINDS = frozenset(
    {"height", "weight", "t_score", "egfr", "creatinine_clearance", "adjusted_calcium", "vitamin_d"}
)


@dataclass(frozen=True, slots=True)
class Row:
    system: str
    code: str
    display: str
    maps_to: str
    source: str
    mark: str


@cache
def load(name: str) -> tuple[Row, ...]:
    with (VALUESET_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        rows = tuple(Row(**r) for r in csv.DictReader(fh))
    allowed = {"conditions": CONDITION_KINDS, "medicines": MEDICATION_KINDS, "observations": OBSERVATION_KINDS}
    for r in rows:
        if r.mark not in ("V", "P", "U"):
            raise ValueError(f"{name}.csv: {r.code}: mark must be V, P or U")
        if name in allowed and r.maps_to not in allowed[name]:
            raise ValueError(f"{name}.csv: {r.code}: unknown maps_to {r.maps_to!r}")
    return tuple(r for r in rows if r.mark in ("V", "P"))


DMD_SYSTEM = "https://dmd.nhs.uk"  # UK Core's system for dm+d (NHS Dictionary of Medicines and Devices)
SNOMED_SYSTEM = "http://snomed.info/sct"


def medicine(system: str | None, code: str | None) -> Row | None:
    """The medicines value set's row for a coding. dm+d concept ids are SNOMED CT ids (the UK drug extension):
    UK Core sends them under dm+d's own system, some GP systems under SNOMED CT's; either names the medicine."""
    key = DMD_SYSTEM if system == SNOMED_SYSTEM else system or ""
    return by_code("medicines").get((key, code or ""))


@cache
def by_code(name: str) -> dict[tuple[str, str], Row]:
    """(system, code) -> row. Cached: called once per resource; callers must not change it."""
    return {(r.system, r.code): r for r in load(name) if r.system != NAME_SYSTEM}


@cache
def _name_pattern(name: str) -> tuple[re.Pattern[str], dict[str, Row]]:
    rows = {r.code.lower(): r for r in load(name) if r.system == NAME_SYSTEM}
    words = sorted(rows, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE) if words else None
    return pattern, rows


def by_name(name: str, text: str) -> Row | None:
    """The first ingredient-name row whose name appears as whole words in ``text``."""
    pattern, rows = _name_pattern(name)
    if pattern is None or not text:
        return None
    m = pattern.search(text)
    return rows[m.group(1).lower()] if m else None


@cache
def glucocorticoid_equivalence() -> dict[str, tuple[float, Row]]:
    """{ingredient name: (mg equal to 1 mg prednisolone, row)}."""
    return {r.code.lower(): (float(r.maps_to), r) for r in load("glucocorticoid_equivalence")}

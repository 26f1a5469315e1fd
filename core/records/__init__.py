"""The format-neutral patient record that CSV rows, FHIR bundles and NDJSON map onto before the rules.

A plain Python package, not a Django app: it never imports Django (tests/test_layout.py proves it). Mapping
rules and their limits: docs/fhir-mapping.md.
"""

from .derive import record_to_input
from .model import (
    CONDITION_KINDS,
    MEDICATION_KINDS,
    CodedEvent,
    Derivation,
    Measurement,
    MedicationEvent,
    PatientRecord,
    Report,
)

__all__ = [
    "CONDITION_KINDS",
    "MEDICATION_KINDS",
    "CodedEvent",
    "Derivation",
    "Measurement",
    "MedicationEvent",
    "PatientRecord",
    "Report",
    "record_to_input",
]

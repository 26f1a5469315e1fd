"""The one door to the FHIR R4 mapping (core/fhir, core/records): prefetch -> assessment input, derivations and the
record's problems (data that could not be used, conflicts). docs/fhir-mapping.md describes the mapping itself."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from core.fhir import bundle_resources, resources_to_record
from core.records import record_to_input


def record_input(
    resources_or_prefetch: Any,
    *,
    patient_id: str,
    assessed_on: date,
    assessor_role: str,
    planned: Collection[str] = frozenset(),
) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """Contract input (no FHIR ids: the contract has none), how each value was derived, and the problems found.
    ``planned``: the selected orders ("MedicationRequest/<id>") on order-select, read as planned use.

    Raises ValueError when the prefetch is not shaped like a prefetch or Bundle."""
    record = resources_to_record(bundle_resources(resources_or_prefetch), patient_id=patient_id, planned=planned)
    data, derivations = record_to_input(record, assessed_on=assessed_on, assessor_role=assessor_role)
    problems = [f"{where}: {message}" for where, message in record.problems]
    return data, [d.as_dict() for d in derivations], problems

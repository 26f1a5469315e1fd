"""The one door to the FHIR R4 mapping (apps/fhir, apps/records): prefetch -> assessment input and derivations.

Kept here so the services depend on one function, whatever shape the mapping modules take.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def record_input(
    resources_or_prefetch: Any, *, patient_id: str, assessed_on: date, assessor_role: str
) -> tuple[dict[str, Any], list[Any]]:
    """Map a prefetch object (or a Bundle) to contract input and the derivations that explain each value.

    The input holds no FHIR ids (the contract has none). Raises whatever the mapping raises on unusable data.
    """
    from apps.fhir import bundle_resources, resources_to_record
    from apps.records import record_to_input

    record = resources_to_record(bundle_resources(resources_or_prefetch), patient_id=patient_id)
    return record_to_input(record, assessed_on=assessed_on, assessor_role=assessor_role)

"""FHIR R4 resources -> the format-neutral patient record (core.records), for CDS Hooks and case-finding.

A plain Python package, not a Django app: it never imports Django (tests/test_layout.py proves it). It
parses every resource it maps with the fhirclient R4 (4.0.1) models, imported explicitly. The mapping table, value
sets, units and what stays unknown: docs/fhir-mapping.md.
"""

from .bundles import bundle_resources, iter_ndjson_patients
from .mapping import resources_to_record
from .valuesets import SPINEPROMPT_SYSTEM

__all__ = ["SPINEPROMPT_SYSTEM", "bundle_resources", "iter_ndjson_patients", "resources_to_record"]

"""Case-finding on records with suspected (unconfirmed) or future-dated fracture codes: never silently out, never in
on a fracture that is not diagnosed."""

from __future__ import annotations

import pytest

from core.casefinding.groups import IN, NOT_ASSESSED
from core.casefinding.pipeline import assess_record
from core.fhir import resources_to_record

from .conftest import AS_OF

PATIENT = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-01-01"}


def fracture(verification: str | None, onset: str = "2026-06-01") -> dict:
    condition = {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "Patient/p1"},
        "code": {
            "coding": [
                {"system": "http://snomed.info/sct", "code": "240198002", "display": "Osteoporotic vertebral collapse"}
            ]
        },
        "onsetDateTime": onset,
    }
    if verification:
        condition["verificationStatus"] = {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": verification}]
        }
    return condition


def findings(*resources: dict) -> dict[str, str]:
    record = resources_to_record([PATIENT, *resources], patient_id="p1")
    return {f.group: f.status for f in assess_record(record, assessed_on=AS_OF, reviews_recorded=True)[0]}


def test_a_confirmed_fracture_is_in_the_fracture_group():
    assert findings(fracture("confirmed"))["fracture_no_bone_protection"] == IN


@pytest.mark.parametrize("status", ["provisional", "differential", "unconfirmed"])
def test_a_suspected_fracture_could_not_be_assessed_rather_than_in_or_silently_out(status):
    found = findings(fracture(status))
    assert found.get("fracture_no_bone_protection") == NOT_ASSESSED


def test_a_fracture_coded_after_the_assessment_date_does_not_put_the_patient_in():
    assert findings(fracture(None, onset="2027-01-10")).get("fracture_no_bone_protection") != IN

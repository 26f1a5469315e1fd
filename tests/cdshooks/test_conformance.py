"""Conformance with the CDS Hooks documentation's own examples (issue 25, point 7, begun): each hook page's example
context (tests/data/cds-hooks-examples, Apache-2.0), sent as a GP system would send it, gets a 200 whose answer is
valid under the CDS Hooks 2.0 schema. The order examples select an amoxicillin suspension and a pureed diet:
SpinePrompt has nothing to say about either, and says nothing (the spec's empty list), having read both. The
problem-list-item-create example adds a fracture of the ankle (SNOMED CT 16114001), not a fracture SpinePrompt's
value sets hold, with its category as a bare string and an STU3 assertedDate: read, and nothing to say."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from apps.audit.models import AuditEvent
from apps.cdshooks.schemas import errors as schema_errors

from .conftest import patient_prefetch

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "cds-hooks-examples"
SERVICE = {
    "patient-view": "spineprompt-patient-view",
    "order-select": "spineprompt-order-select",
    "order-sign": "spineprompt-order-sign",
    "encounter-start": "spineprompt-encounter-start",
    "problem-list-item-create": "spineprompt-problem-list-item-create",
}
pytestmark = pytest.mark.django_db


def example(hook: str) -> dict:
    data = json.loads((EXAMPLES / f"{hook}.json").read_text())
    context = data["context"]
    return {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": context,
        "prefetch": patient_prefetch(context["patientId"]),
    }


@pytest.mark.parametrize("hook", sorted(SERVICE))
def test_the_specs_example_gets_a_valid_answer(post, hook):
    response = post(f"/cds-services/{SERVICE[hook]}", example(hook))
    assert response.status_code == 200, response.content[:300]
    assert schema_errors("response", response.json()) == []
    event = AuditEvent.objects.get(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail["outcome"] in ("evaluated", "not_applicable")


@pytest.mark.parametrize("hook", ["patient-view", "encounter-start"])
def test_the_record_examples_give_the_patients_prompts(post, hook):
    """The synthetic prefetch holds a coded vertebral fracture with no bone protection: there is something to say."""
    cards = post(f"/cds-services/{SERVICE[hook]}", example(hook)).json()["cards"]
    assert cards and all(c["summary"] != "SpinePrompt could not read all of this" for c in cards)


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_the_order_examples_are_read_and_need_no_card(post, hook):
    """An amoxicillin suspension (named in its display) and a pureed diet: read, and not about bone health."""
    assert post(f"/cds-services/{SERVICE[hook]}", example(hook)).json() == {"cards": []}
    assert AuditEvent.objects.get().detail["outcome"] == "not_applicable"


def test_the_problem_example_is_read_and_needs_no_card(post):
    assert post(f"/cds-services/{SERVICE['problem-list-item-create']}", example("problem-list-item-create")).json() == {
        "cards": []
    }
    assert AuditEvent.objects.get().detail["outcome"] == "not_applicable"


def test_the_problem_example_with_a_vertebral_fracture_gives_what_follows(post):
    """The same example with its problem a vertebral fracture, the R4 shape kept as the spec wrote it: the prompts
    that follow a fracture, each card saying how the example's odd fields were read."""
    body = example("problem-list-item-create")
    body["prefetch"] = patient_prefetch(body["context"]["patientId"], fracture=False)
    condition = body["context"]["conditions"]["entry"][0]["resource"]
    condition["code"] = {"coding": [{"system": "http://snomed.info/sct", "code": "240198002"}]}
    condition["onsetDateTime"] = "2026-11-20"
    cards = post(f"/cds-services/{SERVICE['problem-list-item-create']}", body).json()["cards"]
    summaries = [c["summary"] for c in cards]
    assert any(s.startswith("Refer to the fracture liaison service") for s in summaries)
    assert any(s.startswith("Tell the patient about the fracture") for s in summaries)
    assert not any(s.startswith("Record the vertebral fracture") for s in summaries)  # just recorded
    assert all("category: given as a string" in c["detail"] for c in cards)


# --- public example resources (tests/data/fhir-examples, README there) ----------------------------------------------

FHIR_EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "fhir-examples"


def _hl7(name: str) -> dict:
    return json.loads((FHIR_EXAMPLES / "hl7-r4" / f"{name}.json").read_text())


def _uk_core(name: str) -> dict:
    from tests.fhir_xml import parse

    return parse((FHIR_EXAMPLES / "uk-core" / f"UKCore-{name}-Example.xml").read_text())


def _searchset(*resources: dict) -> dict:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def _call(hook: str, patient: dict, **prefetch: dict) -> dict:
    keys = ("conditions", "observations", "medicationRequests", "medicationStatements", "diagnosticReports")
    return {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": patient["id"]},
        "prefetch": {"patient": patient, **{k: prefetch.get(k, _searchset()) for k in keys}},
    }


def test_the_hl7_r4_examples_are_read_as_written(post):
    """HL7's own R4 examples: a man born 1974, a burnt ear, a weight of 185 lb, oxycodone by a contained Medication,
    Tylenol PM by statement. Nothing SpinePrompt must not read is read, and what it reads is right."""
    from django.utils import timezone

    from apps.cdshooks.mapping import record_input

    patient = _hl7("patient-example")
    resources = {
        "patient": patient,
        "conditions": _searchset(_hl7("condition-example")),
        "observations": _searchset(_hl7("observation-example")),
        "medicationRequests": _searchset(_hl7("medicationrequest0301")),
        "medicationStatements": _searchset(_hl7("medicationstatementexample1")),
    }
    data, derivations, problems = record_input(
        resources, patient_id="example", assessed_on=timezone.localdate(), assessor_role="gp"
    )
    assert data["sex"] == "male" and data["age"] >= 51
    assert data["weight_kg"] == pytest.approx(185 * 0.45359237, abs=0.01)
    assert "glucocorticoids" not in data and "record" not in data  # neither the ear nor the painkillers are ours
    assert not [p for p in problems if "not a valid FHIR R4" in p]
    body = _call("patient-view", patient, **{k: v for k, v in resources.items() if k != "patient"})
    response = post(f"/cds-services/{SERVICE['patient-view']}", body)
    assert response.status_code == 200 and schema_errors("response", response.json()) == []


def test_the_uk_core_examples_are_read_as_written(post):
    """UK Core's examples (published as XML, read through tests/fhir_xml.py): Richard Smith, 90 kg and 1.64 m
    (SNOMED CT and LOINC codes, UCUM units), a hip replacement, amoxicillin by dm+d code."""
    from django.utils import timezone

    from apps.cdshooks.mapping import record_input

    patient = _uk_core("Patient-RichardSmith")
    subject = {"reference": f"Patient/{patient['id']}"}
    observations = [_uk_core("Observation-VitalSigns-BodyWeight"), _uk_core("Observation-VitalSigns-BodyHeight")]
    condition = _uk_core("Condition-HipReplacement")
    amoxicillin = _uk_core("MedicationRequest-Amoxicillin")
    assert all(o["subject"] == subject for o in observations)
    resources = {
        "patient": patient,
        "observations": _searchset(*observations),
        "conditions": _searchset(condition),
        "medicationRequests": _searchset(amoxicillin),
    }
    data, _, problems = record_input(
        resources, patient_id=patient["id"], assessed_on=timezone.localdate(), assessor_role="gp"
    )
    assert data["sex"] == "male" and data["weight_kg"] == 90 and data["height_cm"] == pytest.approx(164)
    assert "glucocorticoids" not in data
    assert not [p for p in problems if "not a valid FHIR R4" in p], problems
    body = _call("patient-view", patient, **{k: v for k, v in resources.items() if k != "patient"})
    response = post(f"/cds-services/{SERVICE['patient-view']}", body)
    assert response.status_code == 200 and schema_errors("response", response.json()) == []


def test_the_xml_reader_keeps_r4_arrays_and_types():
    """The fixtures' reader is checked too: arrays where R4 repeats, numbers as numbers, attributes kept."""
    weight = _uk_core("Observation-VitalSigns-BodyWeight")
    assert isinstance(weight["category"], list) and isinstance(weight["code"]["coding"], list)
    assert weight["valueQuantity"] == {
        "value": 90,
        "unit": "kilogram",
        "system": "http://unitsofmeasure.org",
        "code": "kg",
    }
    patient = _uk_core("Patient-RichardSmith")
    assert patient["extension"][0]["url"].startswith("https://fhir.hl7.org.uk/")
    assert "text" not in patient

"""Each synthetic FHIR patient (tests/data/fhir/vignette-*.json, one per shared vignette) sent as patient-view
prefetch gives the cards its vignette's expected prompts imply, and the response validates against the schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from apps.cdshooks.models import IssuedCard
from apps.cdshooks.prefetch import PREFETCH
from apps.cdshooks.schemas import errors as schema_errors

from .conftest import PATIENT_VIEW, searchset

REPO = Path(__file__).resolve().parents[2]
VIGNETTES = [json.loads(p.read_text()) for p in sorted((REPO / "tests" / "data" / "vignettes").glob("*.json"))]
# The bundles are dated for the vignettes' assessment day.
TODAY = dt.date(2026, 11, 23)
KEY_FOR_TYPE = {
    "Condition": "conditions",
    "Observation": "observations",
    "MedicationRequest": "medicationRequests",
    "MedicationStatement": "medicationStatements",
    "DiagnosticReport": "diagnosticReports",
}


def prefetch_from_bundle(name: str) -> tuple[str, dict]:
    """Split a vignette's Bundle into the prefetch keys of the discovery document, as an EHR would send them."""
    bundle = json.loads((REPO / "tests" / "data" / "fhir" / f"vignette-{name}.json").read_text())
    resources = [e["resource"] for e in bundle["entry"]]
    [patient] = [r for r in resources if r["resourceType"] == "Patient"]
    by_key: dict[str, list] = {key: [] for key in KEY_FOR_TYPE.values()}
    for r in resources:
        if r["resourceType"] != "Patient":
            by_key[KEY_FOR_TYPE[r["resourceType"]]].append(r)  # KeyError: a type no template asks for
    prefetch = {"patient": patient, **{k: searchset(*v) for k, v in by_key.items()}}
    assert set(prefetch) == set(PREFETCH)
    return patient["id"], prefetch


@pytest.mark.django_db
@pytest.mark.parametrize("case", [v for v in VIGNETTES if "expect" in v], ids=lambda v: v["name"])
def test_each_vignette_patient_gives_its_expected_cards(post, monkeypatch, case):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    patient_id, prefetch = prefetch_from_bundle(case["name"])
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/u1", "patientId": patient_id},
        "prefetch": prefetch,
    }
    response = post(f"/cds-services/{PATIENT_VIEW}", body)
    assert response.status_code == 200
    assert schema_errors("response", response.json()) == []
    cards = response.json()["cards"]
    ids = {IssuedCard.objects.get(pk=c["uuid"]).rule_id for c in cards}
    assert set(case["expect"]["include"]) <= ids, f"missing: {set(case['expect']['include']) - ids}"
    assert not (set(case["expect"]["exclude"]) & ids), f"unexpected: {set(case['expect']['exclude']) & ids}"
    # Red flags come first and loudest.
    indicators = [c["indicator"] for c in cards]
    if "red_flag.emergency" in ids:
        assert indicators[0] == "critical"

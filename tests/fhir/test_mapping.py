"""FHIR R4 -> PatientRecord -> contract input, on the synthetic patients in tests/data/fhir (docs/fhir-mapping.md)."""

import base64
import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.fhir import SPINEPROMPT_SYSTEM, bundle_resources, resources_to_record
from core.fhir.valuesets import load
from core.records import record_to_input
from core.rules import evaluate_data, validate
from core.rules.codes import verhoeff_valid

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "fhir"
VIGNETTES = [json.loads(p.read_text()) for p in sorted((REPO / "tests" / "data" / "vignettes").glob("*.json"))]
TODAY = dt.date(2026, 11, 23)


def load_bundle(name: str) -> list[dict]:
    return bundle_resources(json.loads((DATA / f"{name}.json").read_text()))


def to_input(resources: list[dict], **kw) -> tuple[dict, object]:
    record = resources_to_record(resources, **kw)
    data, _ = record_to_input(record, assessed_on=TODAY, assessor_role="gp")
    validate(data, today=TODAY)
    return data, record


def _flat(data: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


@pytest.mark.parametrize("case", [v for v in VIGNETTES if "expect" in v], ids=lambda v: v["name"])
def test_each_vignette_bundle_gives_the_vignettes_prompts(case):
    data, record = to_input(load_bundle(f"vignette-{case['name']}"))
    assert record.problems == []
    ids = {p["id"] for p in evaluate_data(data, today=TODAY)["prompts"]}
    assert set(case["expect"]["include"]) <= ids, f"missing: {set(case['expect']['include']) - ids}"
    assert not (set(case["expect"]["exclude"]) & ids), f"unexpected: {set(case['expect']['exclude']) & ids}"
    # And the fields the vignette states come back from the record (numbers within the rounding of dates).
    got = _flat(data)
    for path, want in _flat(case["input"]).items():
        if isinstance(want, float | int) and not isinstance(want, bool):
            assert got[path] == pytest.approx(want, abs=0.5), path
        else:
            assert got[path] == want, path


def test_vignette_bundles_use_record_resources_not_only_answers():
    """The point of the bundles: height series, prescriptions, labs and reports are read from FHIR resources."""
    types = {r["resourceType"] for v in VIGNETTES if "expect" in v for r in load_bundle(f"vignette-{v['name']}")}
    assert {"Patient", "Observation", "MedicationRequest", "MedicationStatement", "DiagnosticReport"} <= types


def test_unit_conversions():
    data, record = to_input(load_bundle("edge-units"))
    assert data["historical_height_loss_cm"] == pytest.approx(65 * 2.54 - 160.0, abs=0.01)  # inches and metres
    assert data["weight_kg"] == pytest.approx(132 * 0.45359237, abs=0.001)  # pounds
    assert data["adjusted_calcium"] == pytest.approx(9.2 * 10 / 40.078, abs=0.001)  # mg/dL
    assert data["vitamin_d_nmol_l"] == pytest.approx(20 * 1000 / 400.64, abs=0.01)  # ng/mL
    assert data["egfr"] == 48.0  # the newer eGFR in mL/min/hr is an unknown unit, so the older one stands
    assert data["dxa_lowest_t_score"] == -3.1
    assert any("unit 'mL/hr'" in m for _, m in record.problems)


def test_missing_data_stays_unknown():
    data, record = to_input(load_bundle("edge-missing"))
    assert set(data) == {"input_version", "assessed_on", "assessor_role", "age", "sex", "height_cm"}
    assert any("Sample haemolysed" in m for _, m in record.problems)
    unknown = {u["field"] for u in evaluate_data(data, today=TODAY)["unknowns"]}
    # The rules list what the record could not tell, and say it could change the result: unknown, not "no".
    assert {"historical_height_loss_cm", "egfr", "glucocorticoids.current_or_recent"} <= unknown


def test_conflicting_records_take_the_safer_reading_and_are_listed():
    data, record = to_input(load_bundle("edge-conflicts"))
    assert data["historical_height_loss_cm"] == 4.5  # 163 to the lower of 160 and 158.5
    assert data["kyphosis"] is True
    assert data["bone_protection"]["current"] == "alendronate"
    paths = [p for p, _ in record.problems]
    assert "height" in paths and "kyphosis" in paths and "medications.alendronate" in paths


def test_invalid_r4_resources_are_problems_with_their_path_and_the_rest_is_read():
    data, record = to_input(load_bundle("edge-invalid-r4"))
    messages = dict(record.problems)
    assert "triggeredBy" in messages["Observation/invalid-r4-r5-only"]  # an R5-only element
    assert "onsetDateTime" in messages["Condition/invalid-r4-condition-3"]
    assert "historical_height_loss_cm" not in data  # the R5 height was not used: one height left
    assert data["record"]["vertebral_fracture_coded"] is True


def test_report_text_from_conclusion_and_presented_form():
    data, record = to_input(load_bundle("edge-report-forms"))
    text = data["spine_imaging"]["report_text"]
    assert text.startswith("Fracture T11.") and "wedge compression fracture of T11" in text
    assert any("application/pdf" in m for _, m in record.problems)
    ids = {p["id"] for p in evaluate_data(data, today=TODAY)["prompts"]}
    assert "report.explicit_fracture" in ids


def test_only_oral_glucocorticoids_count_and_doses_convert_to_prednisolone():
    data, record = to_input(load_bundle("edge-glucocorticoid-forms"))
    # Dexamethasone 2 mg a day = 2 / 0.15 mg prednisolone; the cream and the eye drops are not oral.
    assert data["glucocorticoids"]["prednisolone_mg_per_day"] == pytest.approx(2 / 0.15, abs=0.01)
    assert [m.term for m in record.medications] == ["Dexamethasone 2mg tablets"]


def _obs(pid: str, code: str, value: float, unit: str, date: str = "2026-10-01") -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "effectiveDateTime": date,
        "valueQuantity": {"value": value, "unit": unit},
    }


def test_resources_about_another_patient_are_not_used():
    res = [
        {"resourceType": "Patient", "id": "a", "gender": "female", "birthDate": "1950-01-01"},
        _obs("a", "62238-1", 60, "mL/min/{1.73_m2}"),
        _obs("b", "62238-1", 20, "mL/min/{1.73_m2}", "2026-11-01"),
    ]
    data, record = to_input(res)
    assert data["egfr"] == 60
    assert record.patient_id == "a"
    assert any("another patient" in m for _, m in record.problems)


def test_answers_in_the_spineprompt_code_system():
    def answer(path, **value):
        return {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": SPINEPROMPT_SYSTEM, "code": path}]},
            **value,
        }

    res = [
        {"resourceType": "Patient", "id": "p", "gender": "male", "birthDate": "1960-06-01"},
        answer("back_pain.onset", valueCodeableConcept={"coding": [{"code": "sudden"}]}),
        answer("red_flags", valueCodeableConcept={"coding": [{"code": "fever"}]}),
        answer("red_flags", valueCodeableConcept={"coding": [{"code": "night_pain"}]}),
        answer("no_such_field", valueBoolean=True),
    ]
    data, record = to_input(res)
    assert data["back_pain"] == {"onset": "sudden"}
    assert data["red_flags"] == ["fever", "night_pain"]
    assert any("'no_such_field' is not a field" in m for _, m in record.problems)


def test_medication_reference_to_a_bundled_or_contained_medication():
    med = {"resourceType": "Medication", "id": "m1", "code": {"text": "Risedronate sodium 35mg tablets"}}
    req = {
        "resourceType": "MedicationRequest",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p"},
        "authoredOn": "2024-01-01",
        "medicationReference": {"reference": "Medication/m1"},
    }
    contained = copy.deepcopy(req) | {"medicationReference": {"reference": "#c"}, "contained": [med | {"id": "c"}]}
    for res in ([med, req], [contained]):
        record = resources_to_record([{"resourceType": "Patient", "id": "p", "gender": "female"}, *res])
        assert [m.kind for m in record.medications] == ["risedronate"]
    record = resources_to_record([req])
    assert record.medications == [] and "not found" in record.problems[0][1]


def test_operation_outcome_and_non_resources_are_problems():
    record = resources_to_record([{"resourceType": "OperationOutcome", "issue": []}, 7, {"id": "x"}])
    assert [p for p, _ in record.problems] == ["resources[0] (OperationOutcome)", "resources[1]", "resources[2]"]


def test_presented_form_with_bad_base64_is_a_problem():
    report = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": {"text": "XR lumbar spine"},
        "presentedForm": [
            {"contentType": "text/plain", "data": "!!!not base64"},
            {"contentType": "text/plain; charset=utf-8", "data": base64.b64encode(b"L1 fracture.").decode()},
        ],
    }
    record = resources_to_record([report])
    assert record.reports[0].text == "L1 fracture." and record.reports[0].spine is True
    assert "could not be decoded" in record.problems[0][1]


def test_bundle_resources_flattens_prefetch_and_refuses_bad_shapes():
    patient = {"resourceType": "Patient", "id": "p"}
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": _obs("p", "8302-2", 160, "cm")}]}
    assert bundle_resources({"patient": patient, "observations": bundle, "meds": None}) == [
        patient,
        bundle["entry"][0]["resource"],
    ]
    for bad, where in (([], "Bundle"), ({"x": 1}, "prefetch.x"), ({"resourceType": "Bundle", "entry": {}}, "entry")):
        with pytest.raises(ValueError, match=where):
            bundle_resources(bad)


def test_value_set_rows_are_well_formed():
    for name in ("conditions", "observations", "medicines", "glucocorticoid_equivalence"):
        rows = load(name)
        assert rows, name
        for r in rows:
            assert r.source and r.mark in ("V", "P"), (name, r.code)
            if r.system == "http://snomed.info/sct":
                assert verhoeff_valid(r.code), r.code
    snomed_conditions = {r.code for r in load("conditions")}
    shared = REPO.parent / "shared" / "clinical" / "codelists"
    for csv_name in ("nhsd-ff_cod.csv", "nhsd-osteo_cod.csv"):
        path = shared / csv_name if shared.is_dir() else REPO / "core" / "rules" / "codelists" / csv_name
        codes = {line.split(",")[0] for line in path.read_text().splitlines()[1:] if line}
        assert codes <= snomed_conditions  # every FF_COD / OSTEO_COD code is mapped


# Random JSON, and valid resources with random damage: resources_to_record never raises.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_TYPES = [
    "Patient",
    "Condition",
    "Observation",
    "MedicationRequest",
    "MedicationStatement",
    "DiagnosticReport",
    "Medication",
    "Bundle",
]
_SEEDS = [
    r
    for name in ("edge-units", "edge-conflicts", "vignette-high-dose-steroids", "edge-report-forms")
    for r in load_bundle(name)
]


@st.composite
def damaged(draw):
    res = copy.deepcopy(draw(st.sampled_from(_SEEDS)))
    keys = sorted(res)
    for _ in range(draw(st.integers(1, 3))):
        key = draw(
            st.sampled_from([*keys, "valueQuantity", "code", "status", "effectiveDateTime", "dosageInstruction"])
        )
        res[key] = draw(_json)
    return res


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            _json,
            st.fixed_dictionaries({"resourceType": st.sampled_from(_TYPES)}, optional={"id": st.text(max_size=5)}),
            damaged(),
        ),
        max_size=6,
    )
)
def test_random_and_malformed_resources_never_raise(resources):
    record = resources_to_record(resources)
    data, _ = record_to_input(record, assessed_on=TODAY, assessor_role="gp")
    assert isinstance(record.problems, list)
    assert data["input_version"] == 1


def test_observations_and_conditions_outside_the_value_sets_are_skipped_unparsed_but_ours_are_validated():
    def obs(rid: str, system: str, code: str, **extra) -> dict:
        return {
            "resourceType": "Observation",
            "id": rid,
            "status": "final",
            "code": {"coding": [{"system": system, "code": code}]},
            "valueQuantity": {"value": "not a number"},  # invalid R4 (decimal expected)
            **extra,
        }

    blood_pressure = obs("bp", "http://loinc.org", "85354-9")
    unrelated_condition = {"resourceType": "Condition", "id": "c", "code": {"coding": [{"code": "1"}]}, "x": 1}
    height = obs("height", "http://loinc.org", "8302-2")
    height_in_component = obs("panel", "http://loinc.org", "85354-9", component=[{"code": height["code"]}])
    odd_shape = {**obs("odd", "http://loinc.org", "85354-9"), "code": "not a CodeableConcept"}
    record = resources_to_record([blood_pressure, unrelated_condition, height, height_in_component, odd_shape])
    paths = {path for path, _ in record.problems}
    assert "Observation/bp" not in paths and "Condition/c" not in paths  # nothing for the contract: not parsed
    assert {"Observation/height", "Observation/panel", "Observation/odd"} <= paths  # ours, or unreadable: parsed


def _report(rid: str, date: str, code: str, conclusion: str) -> dict:
    return {
        "resourceType": "DiagnosticReport",
        "id": rid,
        "status": "final",
        "code": {"text": code},
        "effectiveDateTime": date,
        "conclusion": conclusion,
    }


@pytest.mark.parametrize(
    ("code", "conclusion"),
    [
        ("MRI brain", "MRI head: no abnormality on T2 weighted imaging."),
        ("Chest X-ray", "Thoracic aorta unremarkable. Lungs clear."),
        ("MRI brain", "A few T2 hyperintense foci; T1 and T2-weighted sequences otherwise normal."),
        ("Lumbar puncture", "Opening pressure normal."),
    ],
)
def test_a_later_report_of_another_part_does_not_hide_the_spine_report(code, conclusion):
    """The MRI of the head after the spine X-ray is not "the latest spine report": the fracture stays found."""
    spine = _report(
        "r1", "2026-09-01", "X-ray thoracic spine", "Anterior wedge fracture of T12 with 30% loss of height."
    )
    other = _report("r2", "2026-10-01", code, conclusion)
    patient = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-01-01"}
    data, record = to_input([patient, spine, other])
    assert [r.spine for r in record.reports] == [True, None]
    assert data["spine_imaging"]["report_text"].startswith("Anterior wedge fracture of T12")
    ids = {p["id"] for p in evaluate_data(data, today=TODAY)["prompts"]}
    assert "report.explicit_fracture" in ids


@pytest.mark.parametrize(
    "text",
    [
        "XR lumbar spine",
        "Wedge fracture of T12",
        "L1 fracture.",
        "T11, T12 and L1 collapse",
        "DXA VFA",
        "fracture at T2",
        "Thoracic and lumbar spine radiographs",
        "vertebral body height reduced",
    ],
)
def test_spine_reports_are_still_recognised(text):
    record = resources_to_record([_report("r", "2026-09-01", "Radiology report", text)])
    assert record.reports[0].spine is True

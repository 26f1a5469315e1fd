"""The shared vignettes give the same prompts as a CSV row, as FHIR NDJSON and through the form."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from apps.assessments.forms import initial_from_contract
from core.casefinding.extract import ANSWER_COLUMNS, parse_row
from core.fhir import SPINEPROMPT_SYSTEM, bundle_resources, iter_ndjson_patients, resources_to_record
from core.fhir.bundles import ndjson_text
from core.records import record_to_input
from core.rules import evaluate_data
from tests.assessments.test_forms import form_for
from tests.rules.conftest import load_vignettes

VIGNETTES = [v for v in load_vignettes() if "expect" in v]
FHIR_DIR = Path(__file__).resolve().parents[1] / "data" / "fhir"


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict) and key != "extensions":
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = inner
        else:
            flat[key] = value
    return flat


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def vignette_csv_row(inp: dict[str, Any]) -> tuple[list[str], list[str]]:
    """A vignette's input as one extract row: answers in their contract-path columns; eGFR, creatinine clearance
    and the report as dated record facts on the assessment date."""
    flat = _flat(inp)
    on = inp["assessed_on"]
    cells = {"patient_id": "vignette", "age": str(inp["age"]), "sex": inp["sex"]}
    for path, value in flat.items():
        if value is None:
            continue
        if path in ANSWER_COLUMNS:
            cells[path] = _cell(value)
        elif path in ("egfr", "creatinine_clearance"):
            cells[path] = f"{value}@{on}"
        elif path == "spine_imaging.report_text":
            cells["report_text"], cells["report_date"] = value, on
    return list(cells), list(cells.values())


def _prompts(data: dict[str, Any], today: dt.date) -> list[dict[str, Any]]:
    return evaluate_data(data, today=today)["prompts"]


def _from_record(record, case) -> list[dict[str, Any]]:
    today = dt.date.fromisoformat(case["input"]["assessed_on"])
    data, _ = record_to_input(record, assessed_on=today, assessor_role=case["input"].get("assessor_role", "gp"))
    return _prompts(data, today)


def _ids(prompts: list[dict[str, Any]]) -> list[str]:
    return [p["id"] for p in prompts]


@pytest.mark.parametrize("case", VIGNETTES, ids=lambda v: v["name"])
def test_a_csv_row_gives_the_vignettes_prompts(case):
    header, cells = vignette_csv_row(case["input"])
    record = parse_row(header, cells, 2)
    today = dt.date.fromisoformat(case["input"]["assessed_on"])
    expected = _prompts(copy.deepcopy(case["input"]), today)
    got = _from_record(record, case)
    assert _ids(got) == _ids(expected)
    assert [p["because"] for p in got] == [p["because"] for p in expected]
    assert set(case["expect"]["include"]) <= set(_ids(got))


def _answer_observation(pid: str, path: str, value: Any) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": SPINEPROMPT_SYSTEM, "code": path}]},
    }
    if isinstance(value, bool):
        obs["valueBoolean"] = value
    elif isinstance(value, int):
        obs["valueInteger"] = value
    elif isinstance(value, float):
        obs["valueQuantity"] = {"value": value}
    else:
        obs["valueCodeableConcept"] = {"coding": [{"system": SPINEPROMPT_SYSTEM, "code": value}]}
    return obs


def vignette_resources(inp: dict[str, Any]) -> list[dict[str, Any]]:
    """The vignette as FHIR R4 resources: a Patient, one answer Observation per stated field (per list item), and
    the report as a DiagnosticReport."""
    pid = "vignette"
    on = dt.date.fromisoformat(inp["assessed_on"])
    birth = on.replace(year=on.year - inp["age"]) - dt.timedelta(days=30)
    out: list[dict[str, Any]] = [{"resourceType": "Patient", "id": pid, "gender": inp["sex"], "birthDate": str(birth)}]
    for path, value in _flat(inp).items():
        if value is None or path in ("input_version", "assessed_on", "assessor_role", "age", "sex"):
            continue
        if path == "spine_imaging.report_text":
            out.append(
                {
                    "resourceType": "DiagnosticReport",
                    "status": "final",
                    "subject": {"reference": f"Patient/{pid}"},
                    "code": {"text": "X-ray spine"},
                    "effectiveDateTime": inp["assessed_on"],
                    "conclusion": value,
                }
            )
        elif isinstance(value, list):
            out.extend(_answer_observation(pid, path, item) for item in value)
        else:
            out.append(_answer_observation(pid, path, value))
    return out


@pytest.mark.parametrize("case", VIGNETTES, ids=lambda v: v["name"])
def test_ndjson_gives_the_vignettes_prompts(case, tmp_path):
    """Through bulk NDJSON (one file per resource type, as an export writes them) and core.fhir, the prompts are
    the vignette's own. The fhir branch's bundle for the vignette is used when there is one."""
    bundle = FHIR_DIR / f"vignette-{case['name']}.json"
    if bundle.exists():
        resources = bundle_resources(json.loads(bundle.read_text()))
    else:
        resources = vignette_resources(case["input"])
    by_type: dict[str, list[dict]] = {}
    for r in resources:
        by_type.setdefault(r["resourceType"], []).append(r)
    files = []
    for rtype, items in by_type.items():
        path = tmp_path / f"{rtype}.ndjson"
        path.write_text(ndjson_text(items))
        files.append(path)
    problems: list = []
    patients = list(iter_ndjson_patients(files, problems=problems))
    assert problems == [] and len(patients) == 1
    pid, grouped = patients[0]
    record = resources_to_record(grouped, patient_id=pid)
    today = dt.date.fromisoformat(case["input"]["assessed_on"])
    got = _from_record(record, case)
    assert set(case["expect"]["include"]) <= set(_ids(got))
    assert not set(case["expect"]["exclude"]) & set(_ids(got))
    # The same prompts, in the same order, as the vignette's input gives through the form, the CSV row and the API
    # (a record series can only derive what the vignette states, so nothing more and nothing less).
    assert _ids(got) == _ids(_prompts(copy.deepcopy(case["input"]), today))


@pytest.mark.parametrize("case", VIGNETTES, ids=lambda v: v["name"])
def test_the_form_gives_the_same_prompts_as_the_csv_row(case):
    header, cells = vignette_csv_row(case["input"])
    csv_prompts = _from_record(parse_row(header, cells, 2), case)
    form = form_for(initial_from_contract(copy.deepcopy(case["input"])), role=case["input"].get("assessor_role", "gp"))
    assert form.is_valid(), form.errors
    data = form.contract_data
    data["assessed_on"] = case["input"]["assessed_on"]
    assert _ids(_prompts(data, dt.date.fromisoformat(data["assessed_on"]))) == _ids(csv_prompts)

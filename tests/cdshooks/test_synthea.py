"""Conformance with Synthea's output (issue 25, point 7): the 10-patient bulk export of
smart-on-fhir/sample-bulk-fhir-datasets (tests/data/fhir-examples/synthea, Apache-2.0), unchanged except that three
of its files are gzip-compressed, as bulk servers send them. Thirteen patients: three who died decades ago, a child,
nine living adults, one of them a 99-year-old woman with osteoporosis, an osteoporotic fracture and alendronate
issued every year since 2007, each yearly issue recorded as "stopped" with a start and no end.

Read through both ways in: case-finding (the worklist) and the CDS Hooks patient-view service."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import uuid
from pathlib import Path

import pytest

from apps.cdshooks.schemas import errors as schema_errors
from core.casefinding import pipeline
from core.fhir import iter_ndjson_patients

from .conftest import PATIENT_VIEW, searchset

SYNTHEA = Path(__file__).resolve().parents[1] / "data" / "fhir-examples" / "synthea"
FILES = sorted(SYNTHEA.glob("*.ndjson*"))
ON = dt.date(2026, 12, 7)
OSTEOPOROSIS = "a5cb8ce9-cec6-6b23-0990-cbaf753578a4"


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return f.readlines()


def patients() -> dict[str, list[dict]]:
    return dict(iter_ndjson_patients([_lines(p) for p in FILES]))


def test_the_files_are_what_the_readme_says():
    assert [p.name for p in FILES] == [
        "Condition.000.ndjson.gz",
        "MedicationRequest.000.ndjson.gz",
        "Patient.000.ndjson",
    ]
    people = [json.loads(line) for line in _lines(SYNTHEA / "Patient.000.ndjson")]
    assert len(people) == 13
    assert sum("deceasedDateTime" in p for p in people) == 3


def test_case_finding_reads_the_export_gzip_and_all():
    listed: list[pipeline.ListedPatient] = []
    with pipeline_streams() as streams:
        summary = pipeline.run(streams, input_format="ndjson", assessed_on=ON, store=listed.extend)
    assert summary.rows_read == 13
    assert summary.deceased_excluded == 3  # never on a worklist, and counted
    assert [e["message"] for e in summary.errors] == ["must be between 18 and 120"]  # the child, skipped and said
    assert summary.patients_assessed == 9
    # The 99-year-old on alendronate: 19 years of yearly issues, each "stopped" with no end date, then an active
    # one from 2023. Counting only the active issue (3.8 years) would say no review is due; the years are unknown
    # instead, so she is listed as not assessable for the treatment review, with the reason.
    (woman,) = listed
    assert woman.patient_id == OSTEOPOROSIS and woman.age == 99 and woman.sex == "female"
    assert woman.groups == () and woman.not_assessed == ("treatment_review_due",)
    assert woman.reasons[0]["missing"] == ["Years on current bone protection"]
    assert [p["field"] for p in summary.problems] == ["bone_protection.years"]


class pipeline_streams:
    def __enter__(self):
        self.files = [open(p, "rb") for p in FILES]  # noqa: SIM115 (closed in __exit__)
        return self.files

    def __exit__(self, *exc):
        for f in self.files:
            f.close()


def _body(pid: str, resources: list[dict]) -> dict:
    by_type: dict[str, list[dict]] = {}
    for r in resources:
        by_type.setdefault(r["resourceType"], []).append(r)
    (patient,) = by_type["Patient"]
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": pid},
        "prefetch": {
            "patient": patient,
            "conditions": searchset(*by_type.get("Condition", [])),
            "medicationRequests": searchset(*by_type.get("MedicationRequest", [])),
            "observations": searchset(),
            "medicationStatements": searchset(),
            "diagnosticReports": searchset(),
        },
    }


@pytest.mark.django_db
def test_patient_view_for_every_synthea_patient(post):
    answers: dict[str, list[dict]] = {}
    for pid, resources in patients().items():
        response = post(f"/cds-services/{PATIENT_VIEW}", _body(pid, resources))
        assert response.status_code == 200, (pid, response.content[:300])
        assert schema_errors("response", response.json()) == []
        answers[pid] = response.json()["cards"]
    assert len(answers) == 13
    people = {pid: next(r for r in res if r["resourceType"] == "Patient") for pid, res in patients().items()}
    for pid, cards in answers.items():
        summaries = " | ".join(c["summary"] for c in cards)
        assert "unavailable" not in summaries.lower(), (pid, summaries)
        if "deceasedDateTime" in people[pid] or people[pid]["birthDate"] > "2008":
            assert cards == [], (pid, summaries)  # died, or a child: nothing to say (the spec's empty list)
    # Her cards (FRAX, falls, calcium and vitamin D, treatment information) each say why the review cannot be told.
    woman = answers[OSTEOPOROSIS]
    assert woman and all("16 earlier alendronate prescriptions from 2007-11-10" in c["detail"] for c in woman)
    assert all("years of treatment unknown" in c["detail"] for c in woman)

"""iter_ndjson_patients: FHIR bulk NDJSON (one file per resource type) grouped per patient."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from core.fhir import iter_ndjson_patients, resources_to_record
from core.records import record_to_input

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "fhir" / "ndjson"
TODAY = dt.date(2026, 11, 23)


def grouped(files, **kw) -> dict[str, list[dict]]:
    return {
        pid: sorted(res, key=lambda r: (r["resourceType"], r.get("id", "")))
        for pid, res in iter_ndjson_patients(files, **kw)
    }


@pytest.mark.parametrize("bucket_bytes", [16 * 1024 * 1024, 200])  # in memory, and spread over many disk buckets
def test_resources_split_by_type_come_back_per_patient(bucket_bytes):
    files = sorted(DATA.glob("*.ndjson"))
    groups = grouped(files, bucket_bytes=bucket_bytes)
    assert sorted(groups) == ["pop-0", "pop-1", "pop-2"]
    for pid, resources in groups.items():
        assert {r["resourceType"] for r in resources} >= {"Patient", "Observation"}
        assert all(r.get("subject", {}).get("reference", f"Patient/{pid}") == f"Patient/{pid}" for r in resources)
    # The shared Medication resource is attached to the patient whose request references it, and read.
    assert [r["id"] for r in groups["pop-1"] if r["resourceType"] == "Medication"] == ["med-aln"]
    record = resources_to_record(groups["pop-1"])
    data, _ = record_to_input(record, assessed_on=TODAY, assessor_role="gp")
    assert data["bone_protection"]["current"] == "alendronate"
    data, _ = record_to_input(resources_to_record(groups["pop-0"]), assessed_on=TODAY, assessor_role="gp")
    assert data["record"]["vertebral_fracture_coded"] is True


def test_same_groups_in_memory_and_on_disk():
    files = sorted(DATA.glob("*.ndjson"))
    assert grouped(files) == grouped(files, bucket_bytes=100)


def test_malformed_lines_are_reported_with_file_and_line_and_the_rest_goes_on():
    text = "\n".join(
        [
            json.dumps({"resourceType": "Patient", "id": "a", "gender": "male"}),
            "{not json",
            json.dumps({"resourceType": "Observation", "status": "final", "code": {}}),
            "[1, 2]",
            "",
            json.dumps({"resourceType": "Condition", "subject": {"reference": "Patient/a"}, "code": {}}),
        ]
    )
    stream = io.StringIO(text)
    stream.name = "mixed.ndjson"
    problems: list[tuple[str, str]] = []
    groups = grouped([stream], problems=problems)
    assert [r["resourceType"] for r in groups["a"]] == ["Condition", "Patient"]
    assert [where for where, _ in problems] == ["mixed.ndjson:2", "mixed.ndjson:3", "mixed.ndjson:4"]
    assert "without a patient reference" in problems[1][1]


def test_without_a_problems_list_a_malformed_line_raises_naming_the_line():
    stream = io.StringIO('{"resourceType": "Patient", "id": "a"}\n{oops\n')
    with pytest.raises(ValueError, match=r"<stream>:2"):
        list(iter_ndjson_patients([stream]))

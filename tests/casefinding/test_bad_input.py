"""Bad input: malformed rows are reported with their line and field and the run goes on; a file that cannot be
used at all (empty, truncated, not UTF-8, wrong columns) is refused as a whole."""

from __future__ import annotations

import io

import pytest

from core.casefinding import pipeline
from core.casefinding.extract import UnusableInput
from core.rules import InputError, validate
from core.rules.contract import set_path

from .conftest import AS_OF, csv_bytes

HEADER = ["patient_id", "age", "sex", "fracture_codes", "kyphosis", "heights_cm", "bone_protection_drugs"]
GOOD = ["ok1", "80", "female", "", "true", "", ""]


def run_bytes(data: bytes, input_format: str = "csv"):
    listed: list = []
    summary = pipeline.run([io.BytesIO(data)], input_format=input_format, assessed_on=AS_OF, store=listed.extend)
    return summary.as_dict(), listed


@pytest.mark.parametrize(
    "row, field, message",
    [
        (["x", "eighty", "female", "", "", "", ""], "age", "must be a whole number of years"),
        # the contract's own check and words, as the form and the API give them
        (["x", "80", "f", "", "", "", ""], "sex", "must be one of: female, male, unknown"),
        (["x", "80", "", "", "", "", ""], "sex", "must be one of: female, male, unknown"),
        (["x y", "80", "female", "", "", "", ""], "patient_id", "must be 1-64 letters, digits, - or _"),
        (["9434765919", "80", "female", "", "", "", ""], "patient_id", "looks like an NHS number"),
        # found by a security review: these were stored as "pseudonymous" ids
        (["943-476-5919", "80", "female", "", "", "", ""], "patient_id", "looks like an NHS number"),
        (["NHS9434765919", "80", "female", "", "", "", ""], "patient_id", "looks like an NHS number"),
        (["JaneDoe_1950-02-01", "80", "female", "", "", "", ""], "patient_id", "holds a date"),
        (["x", "80", "female", "240198002", "", "", ""], "fracture_codes", "each item must be code@YYYY-MM-DD"),
        (["x", "80", "female", "123456@2020-01-01", "", "", ""], "fracture_codes", "not in the condition value set"),
        (["x", "80", "female", "64859006@2020-01-01", "", "", ""], "fracture_codes", "wrong kind"),
        (["x", "80", "female", "240198002@2020-13-01", "", "", ""], "fracture_codes", "YYYY-MM-DD"),
        # found by the conformance check: date.fromisoformat also reads these ISO 8601 forms
        (["x", "80", "female", "240198002@20200601", "", "", ""], "fracture_codes", "YYYY-MM-DD"),
        (["x", "80", "female", "240198002@2020-W22-1", "", "", ""], "fracture_codes", "YYYY-MM-DD"),
        (["x", "80", "female", "", "", "160@2020-06-01T00:00", ""], "heights_cm", "YYYY-MM-DD"),
        (["x", "80", "female", "", "", "", "alendronate@2020-06"], "bone_protection_drugs", "YYYY-MM-DD"),
        (["x", "80", "female", "", "maybe", "", ""], "kyphosis", "must be true or false"),
        (["x", "80", "female", "", "", "160@2020-01-01;tall@2021-01-01", ""], "heights_cm", "is not a number"),
        (["x", "80", "female", "", "", "", "aspirin@2020-01-01"], "bone_protection_drugs", "drug must be one of"),
        (["x", "80", "female", "", "", "", "alendronate@2020-01-01@2019-01-01"], "bone_protection_drugs", "before"),
        (["x", "150", "female", "", "", "", ""], "age", "between 18 and 120"),  # refused by the contract itself
    ],
)
def test_a_malformed_row_is_skipped_with_its_line_and_field_and_the_rest_go_on(row, field, message):
    summary, _ = run_bytes(csv_bytes(HEADER, [GOOD, row, ["ok2", *GOOD[1:]]]))
    assert summary["rows_read"] == 3
    assert summary["rows_skipped"] == 1
    assert summary["patients_assessed"] == 2
    [error] = summary["errors"]
    assert error["line"] == 3 and error["field"] == field
    assert message in error["message"]
    assert summary["skipped_by_field"] == {field: 1}


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ("sex", "f", "f"),
        ("age", "150", 150),
        ("age", "12", 12),
        ("nogg_category", "medium", "medium"),
        ("back_pain.onset", "Sudden", "Sudden"),
        ("red_flags", "night_pain;itchy", ["night_pain", "itchy"]),
    ],
)
def test_a_contract_field_is_refused_in_the_contracts_own_words(column, cell, value):
    """The extract reads a cell's text; whether the value is allowed is the contract's to say: one check and one
    message, the same as the form and the API give."""
    header = ["patient_id", "age", "sex"] + ([] if column in ("age", "sex") else [column])
    cells = {"patient_id": "x", "age": "80", "sex": "female", column: cell}
    good = {column: "", "patient_id": "ok1", "age": "80", "sex": "female"}
    summary, _ = run_bytes(csv_bytes(header, [[good[c] for c in header], [cells[c] for c in header]]))
    data = {"age": 80, "sex": "female", "assessor_role": "gp"}
    set_path(data, column, value)
    with pytest.raises(InputError) as refused:
        validate(data, today=AS_OF)
    assert summary["rows_skipped"] == 1
    assert [(e["field"], e["message"]) for e in summary["errors"]] == [
        (e.field, e.message) for e in refused.value.errors
    ]


def test_a_row_with_sex_unknown_is_assessed_not_skipped():
    """A practice list holds patients whose sex is not recorded: they are assessed with sex unknown (H-92)."""
    summary, listed = run_bytes(csv_bytes(HEADER, [GOOD, ["u1", "80", "unknown", "", "true", "", ""]]))
    assert summary["rows_skipped"] == 0 and summary["patients_assessed"] == 2
    assert {p.patient_id for p in listed} == {"ok1", "u1"}


def test_error_messages_never_repeat_the_value():
    summary, _ = run_bytes(csv_bytes(HEADER, [GOOD, ["x", "SECRET-VALUE", "female", "", "", "", ""]]))
    assert "SECRET" not in str(summary)


def test_a_repeated_id_is_skipped():
    summary, listed = run_bytes(csv_bytes(HEADER, [GOOD, GOOD]))
    assert summary["errors"] == [{"line": 3, "field": "patient_id", "message": "repeats the id of an earlier row"}]
    assert [p.patient_id for p in listed] == ["ok1"]


def test_line_numbers_count_lines_in_quoted_cells():
    header = ["patient_id", "age", "sex", "report_text"]
    data = csv_bytes(header, [["a", "80", "female", "line one\nline two"], ["b", "eighty", "female", ""]])
    summary, _ = run_bytes(data)
    assert summary["errors"][0]["line"] == 4


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "The file is empty"),
        (b"patient_id,age,sex\n", "no patient rows"),
        (b"patient_id,age\n", "no sex column"),
        (b"patient_id,age,sex,nhs_number\n", "columns this extract format does not have: nhs_number"),
        (b"patient_id,age,sex,age\n", "more than once: age"),
        ("patient_id,age,sex\nJos\xe9,80,female\n".encode("latin-1"), "not UTF-8"),
        (b'patient_id,age,sex,report_text\na,80,female,"cut off here', "truncated"),
        (b"patient_id,age,sex,kyphosis\na,80,female,true\nb,80", "truncated"),
        (b"patient_id,age,sex\nx,eighty,female\n", "None of the 1 rows could be used"),
    ],
)
def test_an_unusable_csv_is_refused_with_a_clear_message(data, words):
    with pytest.raises(UnusableInput, match=words):
        run_bytes(data)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b'{"resourceType":"Patient","id":"a","gender":"female"}\n{"resourceType":"Cond', "truncated"),
        (b"patient_id,age,sex\na,80,female\n", "None of the"),
    ],
)
def test_an_unusable_ndjson_upload_is_refused(data, words):
    with pytest.raises(UnusableInput, match=words):
        run_bytes(data, "ndjson")


def test_a_bad_ndjson_line_is_skipped_with_its_place_and_the_rest_go_on():
    data = (
        b'{"resourceType":"Patient","id":"a","gender":"female","birthDate":"1950-01-01"}\n'
        b"not json\n"
        b'{"resourceType":"Patient","id":"b","gender":"male","birthDate":"1950-01-01"}\n'
    )
    summary, _ = run_bytes(data, "ndjson")
    assert summary["patients_assessed"] == 2
    assert summary["errors"][0]["line"] == "file 1:2"


def test_a_broken_resource_that_names_its_patient_is_reported_by_the_worker_that_parses_it():
    """The reading process only groups lines by patient (the id found without parsing); the worker parses them,
    and a line that is not JSON after all is a skipped resource with the patient named, never dropped silently."""
    data = (
        b'{"resourceType":"Patient","id":"a","gender":"female","birthDate":"1950-01-01"}\n'
        b'{"resourceType":"Condition","subject":{"reference":"Patient/a"},"code":{BROKEN\n'
        b'{"resourceType":"Patient","id":"b","gender":"male","birthDate":"1950-01-01"}\n'
    )
    summary, _ = run_bytes(data, "ndjson")
    assert summary["patients_assessed"] == 2
    assert [(e["line"], e["field"]) for e in summary["errors"]] == [("patient a", "(resource)")]
    assert "not valid JSON" in summary["errors"][0]["message"]


def test_a_value_the_record_mapping_does_not_use_is_reported_with_its_line_and_field_never_its_value():
    """Found by a conformance check: an implausible height (1650 cm, a unit slip) was dropped silently, so the patient
    was assessed without it and no one knew why a group might be missing."""
    header = ["patient_id", "age", "sex", "heights_cm", "t_scores"]
    rows = [
        ["j1", "70", "female", "1650@2020-01-01;160@2026-06-01", ""],
        ["j2", "70", "female", "", "-25@2026-01-01"],
        ["ok", "70", "female", "165@2020-01-01;163@2026-06-01", ""],
    ]
    summary, _ = run_bytes(csv_bytes(header, rows))
    assert summary["rows_skipped"] == 0 and summary["patients_assessed"] == 3
    assert summary["rows_with_problems"] == 2
    assert {(p["line"], p["field"]) for p in summary["problems"]} >= {(2, "height"), (3, "dxa_lowest_t_score")}
    text = repr(summary["problems"])
    assert "1650" not in text and "-25" not in text and "25" not in text

"""The gap groups as rules (issue 26, point 6): each decides from the rules core's own terms and thresholds, never
from words in a prompt's reasons, so a wording edit cannot drop patients from a worklist; and the two new groups."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.casefinding import gaps
from core.casefinding.extract import parse_row
from core.casefinding.groups import IN, NOT_ASSESSED, find_gaps
from core.records import record_to_input
from core.rules import evaluate_data

from .conftest import AS_OF

GAPS_DIR = Path(gaps.__file__).parent


def _findings(record, *, reword: bool = False):
    data, derivations = record_to_input(record, assessed_on=AS_OF, assessor_role="gp")
    result = evaluate_data(data, today=AS_OF)
    if reword:  # every prompt's reasons reworded: the groups must not notice
        result = {
            **result,
            "prompts": [{**p, "because": ["(reworded)"] * len(p["because"])} for p in result["prompts"]],
        }
    return {f.group: f.status for f in find_gaps(record, data, derivations, result)}


def test_no_group_matches_words_in_a_prompts_reasons():
    """No gap module reads a prompt's ``because`` to decide (it may copy it into the reason shown)."""
    for path in GAPS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
                assert "because" not in ast.unparse(node), f"{path.name}: {ast.unparse(node)}"
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "lower":
                raise AssertionError(f"{path.name}: matches words ({ast.unparse(node)})")


def test_every_group_is_a_rule_with_a_version_weight_and_source():
    ids = [g.group.id for g in gaps.GAPS]
    assert len(ids) == len(set(ids)) == len(list(GAPS_DIR.glob("*.py"))) - 2  # __init__ and base
    for gap in gaps.GAPS:
        assert gap.group.version >= 1 and gap.group.weight >= 1 and gap.group.sources
        assert (GAPS_DIR / f"{gap.group.id}.py").exists()


@pytest.fixture
def records():
    """A PatientRecord from one CSV row, read as an upload reads it."""

    def make(header: list[str], row: list[str]):
        return parse_row(header, row, 2)

    return make


@pytest.mark.parametrize(
    ("header", "row", "group"),
    [
        (
            ["patient_id", "age", "sex", "heights_cm"],
            ["h1", "78", "female", "170@2000-01-01;164@2026-06-01"],
            "imaging_trigger_no_imaging",
        ),
        (["patient_id", "age", "sex", "kyphosis"], ["k1", "78", "female", "true"], "imaging_trigger_no_imaging"),
    ],
)
def test_a_reworded_prompt_never_drops_a_patient(records, header, row, group):
    record = records(header, row)
    assert _findings(record).get(group) == IN
    assert _findings(record, reword=True).get(group) == IN


def test_a_fragility_fracture_elsewhere_with_no_bone_protection_is_its_own_group(records):
    """Before, these patients were mostly "could not be assessed" (a FRAX risk factor only); NOGG says consider
    treatment after any fragility fracture."""
    header = ["patient_id", "age", "sex", "fracture_codes", "osteoporosis_codes", "postmenopausal"]
    record = records(header, ["f1", "74", "female", "306171000000106@2026-03-01", "64859006@2026-03-01", "true"])
    found = _findings(record)
    assert found.get("fragility_fracture_no_bone_protection") == IN
    assert "fracture_no_bone_protection" not in found or found["fracture_no_bone_protection"] != IN
    treated = records(
        [*header, "bone_protection_drugs"],
        ["f2", "74", "female", "306171000000106@2026-03-01", "64859006@2026-03-01", "true", "alendronate@2025-01-01"],
    )
    assert "fragility_fracture_no_bone_protection" not in _findings(treated)


def test_a_vertebral_fracture_without_the_register_code_is_listed(records):
    header = ["patient_id", "age", "sex", "fracture_codes", "bone_protection_drugs"]
    bare = records(header, ["v1", "72", "female", "240198002@2025-06-01", "alendronate@2025-07-01"])
    assert _findings(bare).get("register_code_missing") == IN
    coded = records(
        header, ["v2", "72", "female", "240198002@2025-06-01;306171000000106@2025-06-01", "alendronate@2025-07-01"]
    )
    assert "register_code_missing" not in _findings(coded)
    assert NOT_ASSESSED not in {_findings(bare)["register_code_missing"]}


def _next(record, group):
    data, derivations = record_to_input(record, assessed_on=AS_OF, assessor_role="gp")
    result = evaluate_data(data, today=AS_OF)
    return next(f.next_step for f in find_gaps(record, data, derivations, result) if f.group == group)


GC_HEADER = ["patient_id", "age", "sex", "glucocorticoid_prescriptions", "postmenopausal"]


@pytest.mark.parametrize(
    ("age", "dose", "expected"),
    [
        (60, "5", "Assess fracture risk with FRAX, adjusted for prednisolone 5 mg a day"),
        (60, "10", "Start bone protection alongside prednisolone 10 mg a day"),
        (74, "5", "Start bone protection alongside prednisolone 5 mg a day"),  # 70 or over: with the steroid (NOGG)
    ],
)
def test_the_glucocorticoid_next_step_follows_the_dose_and_age(records, age, dose, expected):
    """Issue 26: a patient on 5 mg was told "High dose: ... Otherwise: ...". Now the step is the patient's own."""
    record = records(GC_HEADER, ["g1", str(age), "female", f"{dose}@2026-01-01", "true"])
    step = _next(record, "glucocorticoids_no_bone_protection")
    assert step.startswith(expected) and "Otherwise" not in step


def test_the_code_to_add_and_the_checks_due_are_named(records):
    header = ["patient_id", "age", "sex", "fracture_codes", "bone_protection_drugs"]
    bare = records(header, ["v1", "72", "female", "240198002@2025-06-01", "alendronate@2025-07-01"])
    assert _next(bare, "register_code_missing") == (
        "If it was a fragility fracture, add Fragility fracture (306171000000106) dated 2025-06-01."
    )
    untreated = records(header[:4], ["v2", "78", "female", "240198002@2026-06-01"])
    step = _next(untreated, "fracture_no_bone_protection")
    assert "oral bisphosphonate" in step and "Refer to the fracture liaison service" in step

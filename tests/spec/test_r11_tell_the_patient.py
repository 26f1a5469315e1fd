"""Recommendation 11 (reconstructed): tell the patient about the fracture and what it means.

Served by ``diagnosis.tell_patient``: a confirmed fracture and the patient is not recorded as told. An unknown
record counts as not told (deliberate exception): it fires, its detail starts "If not already", and
``record.patient_told_diagnosis`` is in its ``unknowns``. No scope is needed. Fracture status unknown: not
fired, the fracture inputs listed. With a red flag it still fires, detail starting "First exclude malignancy,
infection or trauma".
"""

from .conftest import (
    FRACTURE,
    QUIET,
    check_scenario,
    check_unknown,
    merge,
    prompt,
    run,
    scenario_params,
    unknown_params,
)

TELL = "diagnosis.tell_patient"
FRAC = merge(QUIET, FRACTURE, age=70)

SCENARIOS = [
    ("fracture, patient not told", FRAC, {TELL}, set()),
    ("fracture, patient already told", merge(FRAC, record={"patient_told_diagnosis": True}), set(), {TELL}),
    ("fracture, record unknown", merge(FRAC, record={"patient_told_diagnosis": None}), {TELL}, set()),
    ("known vertebral fracture, not told", merge(QUIET, vertebral_fractures_known=1), {TELL}, set()),
    ("fracture in a man of 40 (out of scope)", merge(FRAC, sex="male", age=40), {TELL}, set()),
    ("fracture with night pain", merge(FRAC, red_flags=["night_pain"]), {TELL}, set()),
    ("fracture after major trauma", merge(FRAC, red_flags=["major_trauma"]), set(), {TELL}),
    (
        "probable-fracture report only",
        merge(QUIET, spine_imaging={"result": None, "report_text": "Anterior wedging of T8."}),
        set(),
        {TELL},
    ),
    ("no fracture", QUIET, set(), {TELL}),
]

UNKNOWNS = [
    (
        "fracture status unknown",
        merge(QUIET, vertebral_fractures_known=None, spine_imaging={"result": None}),
        TELL,
        "vertebral_fractures_known",
    ),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_unknown_record_fires_says_if_not_already_and_lists_the_field():
    p = prompt(run(**merge(FRAC, record={"patient_told_diagnosis": None})), TELL)
    assert p["detail"].startswith("If not already")
    assert "record.patient_told_diagnosis" in p["unknowns"]


def test_detail_explains_what_the_fracture_means():
    p = prompt(run(**FRAC), TELL)
    assert p["detail"].startswith("Tell the patient")
    for words in (
        "broken bone in the spine",
        "fragile",
        "another fracture",
        "treatment lowers that risk",
        "Record that they have been told",
    ):
        assert words in p["detail"]
    assert p["recommendations"] == [11]
    assert p["unknowns"] == []


def test_red_flag_caveat_comes_first():
    p = prompt(run(**merge(FRAC, red_flags=["night_pain"])), TELL)
    assert p["detail"].startswith("First exclude malignancy, infection or trauma")
    assert any(b.startswith("red flag: night pain") for b in p["because"])


def test_every_role_tells_the_patient_directly():
    for role in ("nurse", "physio"):
        assert prompt(run(**merge(FRAC, assessor_role=role)), TELL)["actions"][0].startswith("Explain the fracture")

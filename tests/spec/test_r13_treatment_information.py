"""Recommendation 13 (reconstructed): information on treatment and self-management after diagnosis.

Served by:
- ``pain.management``: a confirmed fracture and back pain: titrated analgesia (avoid NSAIDs in older people;
  laxative with opioids), physiotherapy for back-extensor strength, vertebroplasty only per NICE TA279.
- ``patient_info.treatment``: bone.start_treatment fires, or the patient is on bone protection: information on
  the medicine, side effects, calcium and vitamin D, exercise, pain relief and falls.
Unknown back pain with a fracture, or unknown current protection with no indication: not fired, listed.
"""

import pytest

from .conftest import (
    FRACTURE,
    GRADUAL_PAIN,
    HIGH_BAND,
    QUIET,
    check_scenario,
    check_unknown,
    merge,
    prompt,
    run,
    scenario_params,
    unknown_params,
)

PAIN_MX, INFO = "pain.management", "patient_info.treatment"
FRAC = merge(QUIET, FRACTURE, age=70)
FRAC_PAIN = merge(FRAC, back_pain=GRADUAL_PAIN)

SCENARIOS = [
    ("confirmed fracture with back pain", FRAC_PAIN, {PAIN_MX, INFO}, set()),
    ("confirmed fracture, no back pain", FRAC, {INFO}, {PAIN_MX}),
    ("back pain, no fracture", merge(QUIET, back_pain=GRADUAL_PAIN), set(), {PAIN_MX, INFO}),
    (
        "back pain, probable-fracture report only",
        merge(QUIET, back_pain=GRADUAL_PAIN, spine_imaging={"result": None, "report_text": "Anterior wedging of T8."}),
        set(),
        {PAIN_MX},
    ),
    ("band high (treatment started now)", merge(QUIET, HIGH_BAND), {INFO}, {PAIN_MX}),
    ("on denosumab", merge(QUIET, bone_protection={"current": "denosumab", "years": 3}), {INFO}, set()),
    ("on HRT", merge(QUIET, bone_protection={"current": "hrt"}), {INFO}, set()),
    (
        "on alendronate, with a fracture",
        merge(FRAC, bone_protection={"current": "alendronate"}),
        {INFO},
        {"bone.start_treatment"},
    ),
    ("no indication, no protection", QUIET, set(), {INFO}),
]

UNKNOWNS = [
    ("fracture, back pain unknown", merge(FRAC, back_pain={"present": None}), PAIN_MX, "back_pain.present"),
    (
        "protection unknown, no indication",
        merge(QUIET, bone_protection={"current": None}),
        INFO,
        "bone_protection.current",
    ),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_pain_management_wording():
    p = prompt(run(**FRAC_PAIN), PAIN_MX)
    for words in ("Avoid NSAIDs in older people", "laxative with opioids", "back-extensor", "TA279"):
        assert words in p["detail"]
    assert p["recommendations"] == [13]
    assert any(s["label"].startswith("NICE TA279") for s in p["sources"])


def test_treatment_information_wording():
    p = prompt(run(**FRAC), INFO)
    for words in ("how to take it", "side effects", "calcium and vitamin D", "exercise", "preventing falls"):
        assert words in p["detail"]
    assert p["recommendations"] == [13]
    assert p["priority"] == "info"
    assert any(s["status"] == "R" for s in p["sources"])


@pytest.mark.parametrize(
    "role, prescribe, refer",
    [
        ("gp", "Prescribe titrated", "Refer to physiotherapy"),
        ("nurse", "Ask a prescriber (the GP or a nurse prescriber) to prescribe", "Ask the GP to refer"),
        # A physiotherapist gives the rehabilitation (NOGG section 8) rather than asking for a referral to it.
        ("physio", "Ask the GP or first-contact practitioner to prescribe", "Start progressive back-extensor"),
    ],
)
def test_pain_actions_by_role(role, prescribe, refer):
    actions = prompt(run(**merge(FRAC_PAIN, assessor_role=role)), PAIN_MX)["actions"]
    assert actions[0].startswith(prescribe)
    assert actions[1].startswith(refer)

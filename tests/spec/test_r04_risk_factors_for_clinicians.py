"""Recommendation 4: primary-care guidance on risk factors when someone presents with back pain.

Served by:
- ``education.risk_factors``: fires when the patient is in scope and has back pain. It lists the risk factors
  present ("Present: ...") and those not known ("Not known (ask): ...").
- ``risk.frax``: fires when in scope, with at least one risk factor, no confirmed fracture, no treatment
  indicated, and ``nogg_category`` unknown: calculate FRAX and enter the NOGG band.

Risk factors (catalogue): prior fragility fracture; a known vertebral fracture; oral glucocorticoids now or in
the last year; parental hip fracture; current smoker; alcohol over 14 units a week; rheumatoid arthritis; any
secondary cause; BMI under 18.5; menopause before 45; a fall in the last year; woman aged 65+ or man aged 75+.
Edges tested: alcohol 14 (no) vs 15 (yes); BMI just under vs just over 18.5; a woman of 64 vs 65 and a man of 74
vs 75 (age alone is then a risk factor, so acute-onset back pain alone triggers spine imaging).
"""

import pytest

from .conftest import (
    FRACTURE,
    GRADUAL_PAIN,
    QUIET,
    SUDDEN_PAIN,
    check_scenario,
    check_unknown,
    merge,
    prompt,
    run,
    scenario_params,
    unknown_params,
)

RF, FRAX, XRAY = "education.risk_factors", "risk.frax", "imaging.spine_xray"
NO_BAND = merge(QUIET, nogg_category=None)  # no risk factor, band unknown
PAIN = merge(QUIET, back_pain=GRADUAL_PAIN)
SUDDEN = merge(QUIET, back_pain=SUDDEN_PAIN)

SCENARIOS = [
    ("in scope with back pain", PAIN, {RF}, set()),
    ("in scope, no back pain", QUIET, set(), {RF}),
    ("premenopausal with back pain", merge(PAIN, age=45, postmenopausal=False), set(), {RF}),
    ("smoker, band unknown", merge(NO_BAND, current_smoker=True), {FRAX}, set()),
    ("no risk factor, band unknown", NO_BAND, set(), {FRAX}),
    ("smoker, band known (low)", merge(QUIET, current_smoker=True), set(), {FRAX}),
    ("smoker, band unknown, confirmed fracture", merge(NO_BAND, FRACTURE, current_smoker=True), set(), {FRAX}),
    (
        "smoker, band unknown, high-dose steroids (treatment indicated)",
        merge(NO_BAND, glucocorticoids={"current_or_recent": True, "months": 6, "prednisolone_mg_per_day": 10}),
        set(),
        {FRAX},
    ),
    (
        "premenopausal smoker, band unknown",
        merge(NO_BAND, age=45, postmenopausal=False, current_smoker=True),
        set(),
        {FRAX},
    ),
    ("alcohol 15 units a week", merge(NO_BAND, alcohol_units_per_week=15), {FRAX}, set()),
    ("alcohol 14 units a week", merge(NO_BAND, alcohol_units_per_week=14), set(), {FRAX}),
    ("BMI 18.48 (53.4 kg, 170 cm)", merge(NO_BAND, weight_kg=53.4, height_cm=170), {FRAX}, set()),
    ("BMI 18.51 (53.5 kg, 170 cm)", merge(NO_BAND, weight_kg=53.5, height_cm=170), set(), {FRAX}),
    ("woman of 65, band unknown", merge(NO_BAND, age=65), {FRAX}, set()),
    ("woman of 64, band unknown", merge(NO_BAND, age=64), set(), {FRAX}),
    ("man of 75, band unknown", merge(NO_BAND, sex="male", age=75), {FRAX}, set()),
    ("man of 74, band unknown", merge(NO_BAND, sex="male", age=74), set(), {FRAX}),
    ("woman of 65, acute pain alone", merge(SUDDEN, age=65), {XRAY}, set()),
    ("woman of 64, acute pain alone", merge(SUDDEN, age=64), set(), {XRAY}),
    ("man of 75, acute pain alone", merge(SUDDEN, sex="male", age=75), {XRAY}, set()),
    ("man of 74, acute pain alone", merge(SUDDEN, sex="male", age=74), set(), {XRAY}),
]

UNKNOWNS = [
    ("back pain unknown", merge(QUIET, back_pain={"present": None}), RF, "back_pain.present"),
    ("smoking unknown, no other risk factor", merge(NO_BAND, current_smoker=None), FRAX, "current_smoker"),
    ("weight unknown, no other risk factor", merge(NO_BAND, weight_kg=None), FRAX, "weight_kg"),
    ("menopausal status unknown at 45", merge(PAIN, age=45, postmenopausal=None), RF, "postmenopausal"),
]

# Each risk factor alone, on a woman of 60 with a band unknown: FRAX fires and the guidance names it.
RISK_FACTORS = [
    ("prior fragility fracture", {"prior_fragility_fracture": True}, "prior fragility fracture"),
    (
        "oral glucocorticoids",
        {"glucocorticoids": {"current_or_recent": True, "months": 1, "prednisolone_mg_per_day": 5}},
        "oral glucocorticoids",
    ),
    ("parental hip fracture", {"parental_hip_fracture": True}, "parental hip fracture"),
    ("current smoker", {"current_smoker": True}, "current smoker"),
    ("alcohol", {"alcohol_units_per_week": 15}, "alcohol 15 units a week"),
    ("rheumatoid arthritis", {"rheumatoid_arthritis": True}, "rheumatoid arthritis"),
    ("secondary cause", {"secondary_causes": ["hyperthyroidism"]}, "hyperthyroidism"),
    ("low BMI", {"weight_kg": 45, "height_cm": 170}, "BMI 15.6"),
    ("menopause before 45", {"menopause_before_45": True}, "menopause before 45"),
    ("a fall", {"falls_last_year": 1}, "1 fall in the last year"),
    ("woman aged 65+", {"age": 65}, "woman aged 65"),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


@pytest.mark.parametrize("name, extra, words", RISK_FACTORS, ids=[r[0] for r in RISK_FACTORS])
def test_each_risk_factor_alone_prompts_frax_and_is_named(name, extra, words):
    result = run(**merge(NO_BAND, extra, back_pain=GRADUAL_PAIN))
    assert FRAX in {p["id"] for p in result["prompts"]}
    assert words in prompt(result, RF)["detail"].split("Risk factors for")[0]


def test_known_vertebral_fracture_is_a_risk_factor():
    detail = prompt(run(**merge(PAIN, vertebral_fractures_known=1)), RF)["detail"]
    assert detail.startswith("Present: known vertebral fracture")


def test_guidance_lists_present_and_unknown_risk_factors():
    detail = prompt(run(**merge(PAIN, current_smoker=True, parental_hip_fracture=None)), RF)["detail"]
    assert detail.startswith("Present: current smoker.")
    assert "Not known (ask): parental hip fracture." in detail
    assert "Not known" not in prompt(run(**PAIN), RF)["detail"]
    assert prompt(run(**PAIN), RF)["detail"].startswith("Present: none recorded.")


def test_guidance_names_every_catalogue_risk_factor():
    detail = prompt(run(**PAIN), RF)["detail"]
    for words in (
        "prior fragility fracture",
        "known vertebral fracture",
        "glucocorticoids",
        "parental hip",
        "smoking",
        "over 14 units",
        "rheumatoid",
        "secondary causes",
        "BMI under 18.5",
        "early menopause",
        "falls",
        "women 65+, men 75+",
    ):
        assert words in detail


def test_frax_prompt_wording_and_recommendation():
    p = prompt(run(**merge(NO_BAND, current_smoker=True)), FRAX)
    assert p["recommendations"] == [4]
    assert "FRAX" in p["title"] and "NOGG" in p["title"]
    assert p["actions"] == ["Calculate FRAX without BMD and enter the NOGG band"]
    assert prompt(run(**PAIN), RF)["recommendations"] == [4]


def test_frax_is_not_blocked_by_unknown_treatment_indication_which_is_listed():
    """'No treatment indicated' is an exclusion: unknown steroid dose does not block FRAX."""
    overrides = merge(NO_BAND, glucocorticoids={"current_or_recent": True, "months": 6})
    p = prompt(run(**overrides), FRAX)
    assert "glucocorticoids.prednisolone_mg_per_day" in p["unknowns"]


def test_bmi_just_under_threshold_is_not_shown_as_the_threshold():
    detail = prompt(run(**merge(PAIN, weight_kg=53.4, height_cm=170)), RF)["detail"]
    assert "BMI" in detail
    assert "BMI 18.5 (under 18.5)" not in detail

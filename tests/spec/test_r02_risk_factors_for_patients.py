"""Recommendation 2: tell patients the risk factors, such as the menopause and steroid tablets.

It has no prompt of its own. ``patient_info.about_vertebral_fracture`` (recommendations 1, 2 and 3) carries it:
the leaflet names the risk factors in general ("the menopause and steroid tablets") and is personalised with
this patient's own risk factors ("This patient's own risk factors: ..."). It fires as in recommendation 1: a
suspected or confirmed fracture, or in scope with back pain.
"""

import pytest

from .conftest import GRADUAL_PAIN, QUIET, check_scenario, merge, prompt, run, scenario_params

ABOUT = "patient_info.about_vertebral_fracture"
PAIN = merge(QUIET, back_pain=GRADUAL_PAIN)

SCENARIOS = [
    (
        "steroid tablets and back pain",
        merge(PAIN, glucocorticoids={"current_or_recent": True, "months": 1}),
        {ABOUT},
        set(),
    ),
    ("early menopause at 48 and back pain", merge(PAIN, age=48, menopause_before_45=True), {ABOUT}, set()),
    (
        "steroid tablets but no back pain and nothing suspected",
        merge(QUIET, glucocorticoids={"current_or_recent": True, "months": 1}),
        set(),
        {ABOUT},
    ),
    ("early menopause but no back pain", merge(QUIET, menopause_before_45=True), set(), {ABOUT}),
]

# (risk factor, overrides on top of PAIN, words the leaflet uses for it)
OWN_RISK_FACTORS = [
    ("steroid tablets", {"glucocorticoids": {"current_or_recent": True, "months": 1}}, "oral glucocorticoids"),
    ("early menopause", {"menopause_before_45": True}, "menopause before 45"),
    ("smoking", {"current_smoker": True}, "current smoker"),
    ("parental hip fracture", {"parental_hip_fracture": True}, "parental hip fracture"),
    ("a fall", {"falls_last_year": 2}, "2 falls in the last year"),
    ("alcohol", {"alcohol_units_per_week": 20}, "alcohol 20 units a week (over 14)"),
    ("age", {"age": 80}, "woman aged 80 (65 or over)"),
    ("secondary cause", {"secondary_causes": ["coeliac_disease"]}, "coeliac disease"),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


def test_leaflet_serves_recommendation_2():
    assert 2 in prompt(run(**PAIN), ABOUT)["recommendations"]


def test_only_the_leaflet_serves_recommendation_2():
    result = run(**PAIN)
    assert {t["rule"] for t in result["trace"] if 2 in t["recommendations"]} == {ABOUT}


def test_leaflet_names_the_menopause_and_steroid_tablets():
    detail = prompt(run(**PAIN), ABOUT)["detail"]
    assert "the menopause and steroid tablets" in detail


@pytest.mark.parametrize("name, extra, words", OWN_RISK_FACTORS, ids=[r[0] for r in OWN_RISK_FACTORS])
def test_leaflet_is_personalised_with_own_risk_factors(name, extra, words):
    detail = prompt(run(**merge(PAIN, extra)), ABOUT)["detail"]
    assert "This patient's own risk factors:" in detail
    assert words in detail


def test_no_own_risk_factors_no_personal_line():
    detail = prompt(run(**PAIN), ABOUT)["detail"]
    assert "own risk factors" not in detail


def test_unknown_risk_factors_are_not_listed_as_the_patients_own():
    detail = prompt(run(**merge(PAIN, current_smoker=None)), ABOUT)["detail"]
    assert "smoker" not in detail

"""Recommendation 5: people without symptoms can have vertebral fractures; men and younger women are at risk too.

Served by ``education.atypical_groups``: fires for a man (any age), or anyone under 65, who has a suspected or
confirmed fracture, or back pain with at least one risk factor. Scope is not required (a man of 40 with back
pain and a risk factor is shown it). A woman of 65 or over is never shown it. Edge: a woman of 64 vs 65.
The message: men and women under 65 get vertebral fractures too, and many cause no symptoms.
"""

import pytest

from .conftest import (
    FRACTURE,
    GRADUAL_PAIN,
    QUIET,
    check_scenario,
    check_unknown,
    merge,
    prompt,
    run,
    scenario_params,
    unknown_params,
)

ATYPICAL = "education.atypical_groups"
MAN = merge(QUIET, sex="male", age=70)
SUSPECTED = {"historical_height_loss_cm": 5}

SCENARIOS = [
    ("man of 70 with a suspected fracture", merge(MAN, SUSPECTED), {ATYPICAL}, set()),
    ("man of 70 with a confirmed fracture", merge(MAN, FRACTURE), {ATYPICAL}, set()),
    (
        "man of 70 with back pain and a risk factor",
        merge(MAN, back_pain=GRADUAL_PAIN, current_smoker=True),
        {ATYPICAL},
        set(),
    ),
    (
        "man of 40 with back pain and a risk factor (out of scope)",
        merge(MAN, age=40, back_pain=GRADUAL_PAIN, current_smoker=True),
        {ATYPICAL},
        set(),
    ),
    ("woman of 64 with a suspected fracture", merge(QUIET, SUSPECTED, age=64), {ATYPICAL}, set()),
    ("woman of 65 with a suspected fracture", merge(QUIET, SUSPECTED, age=65), set(), {ATYPICAL}),
    (
        "premenopausal woman of 45 with back pain and a risk factor (out of scope)",
        merge(QUIET, age=45, postmenopausal=False, back_pain=GRADUAL_PAIN, current_smoker=True),
        {ATYPICAL},
        set(),
    ),
    ("woman of 55 with a confirmed fracture", merge(QUIET, FRACTURE, age=55), {ATYPICAL}, set()),
    ("woman of 70 with a confirmed fracture", merge(QUIET, FRACTURE, age=70), set(), {ATYPICAL}),
    (
        "woman of 64 with back pain and a fall",
        merge(QUIET, age=64, back_pain=GRADUAL_PAIN, falls_last_year=1),
        {ATYPICAL},
        set(),
    ),
    ("woman of 64 with back pain and no risk factor", merge(QUIET, age=64, back_pain=GRADUAL_PAIN), set(), {ATYPICAL}),
    ("man of 70, no back pain, nothing suspected", MAN, set(), {ATYPICAL}),
    ("man of 70 with a risk factor but no back pain", merge(MAN, current_smoker=True), set(), {ATYPICAL}),
    (
        "woman of 74, sudden thoracic pain, height loss (vignette)",
        merge(
            QUIET,
            age=74,
            historical_height_loss_cm=5,
            falls_last_year=1,
            back_pain={"present": True, "onset": "sudden", "site": "thoracic"},
        ),
        set(),
        {ATYPICAL},
    ),
]

UNKNOWNS = [
    (
        "man with back pain, smoking unknown",
        merge(MAN, back_pain=GRADUAL_PAIN, current_smoker=None),
        ATYPICAL,
        "current_smoker",
    ),
    (
        "man, back pain unknown, a risk factor",
        merge(MAN, back_pain={"present": None}, current_smoker=True),
        ATYPICAL,
        "back_pain.present",
    ),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


@pytest.mark.parametrize(
    "overrides, words",
    [(merge(MAN, SUSPECTED), "man aged 70"), (merge(QUIET, SUSPECTED, age=64), "woman aged 64 (under 65)")],
    ids=["man", "younger woman"],
)
def test_because_names_the_group(overrides, words):
    assert words in prompt(run(**overrides), ATYPICAL)["because"]


def test_detail_says_men_and_younger_women_and_no_symptoms():
    p = prompt(run(**merge(MAN, SUSPECTED)), ATYPICAL)
    assert "men and women under 65" in p["detail"]
    assert "no symptoms" in p["detail"]
    assert p["recommendations"] == [5]
    assert p["category"] == "education"


def test_cites_bennett_table_6_and_nogg():
    labels = [s["label"] for s in prompt(run(**merge(MAN, SUSPECTED)), ATYPICAL)["sources"]]
    assert any("Table 6" in label for label in labels)
    assert any(label.startswith("NOGG") for label in labels)

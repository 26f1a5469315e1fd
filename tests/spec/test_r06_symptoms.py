"""Recommendation 6: primary-care guidance on the symptoms of vertebral fracture.

Served by ``education.symptoms``: fires when the patient is in scope and has back pain. It lists the features
that point to a vertebral fracture (sudden severe pain, often thoracic, not settling; eased by lying down; after
a minor fall, lifting, bending or coughing; loss of height; new curving of the spine) and this patient's own
features ("This patient: ...").

Deliberate reading: ``back_pain.present`` unknown but onset, site, duration etc. given means back pain is
present. Back pain wholly unknown: not fired, ``back_pain.present`` listed.
"""

import pytest

from .conftest import (
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

SYMPTOMS = "education.symptoms"
PAIN = merge(QUIET, back_pain=GRADUAL_PAIN)

SCENARIOS = [
    ("in scope woman with back pain", PAIN, {SYMPTOMS}, set()),
    ("man of 50 with back pain", merge(PAIN, sex="male", age=50), {SYMPTOMS}, set()),
    (
        "back pain 'present' blank but onset given",
        merge(QUIET, back_pain={"present": None, "onset": "sudden"}),
        {SYMPTOMS},
        set(),
    ),
    (
        "back pain 'present' blank but site given",
        merge(QUIET, back_pain={"present": None, "site": "lumbar"}),
        {SYMPTOMS},
        set(),
    ),
    (
        "back pain 'present' blank but duration given",
        merge(QUIET, back_pain={"present": None, "duration_weeks": 3}),
        {SYMPTOMS},
        set(),
    ),
    ("no back pain", QUIET, set(), {SYMPTOMS}),
    ("premenopausal woman with back pain", merge(PAIN, age=45, postmenopausal=False), set(), {SYMPTOMS}),
    ("man of 49 with back pain", merge(PAIN, sex="male", age=49), set(), {SYMPTOMS}),
]

UNKNOWNS = [
    ("back pain unknown", merge(QUIET, back_pain={"present": None}), SYMPTOMS, "back_pain.present"),
    ("menopausal status unknown at 40", merge(PAIN, age=40, postmenopausal=None), SYMPTOMS, "postmenopausal"),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_detail_lists_the_features_that_point_to_a_fracture():
    detail = prompt(run(**PAIN), SYMPTOMS)["detail"]
    for words in (
        "sudden, severe back pain",
        "thoracic",
        "does not settle",
        "eased by lying down",
        "minor fall, lifting, bending or coughing",
        "loss of height",
        "curving of the spine",
        "no symptoms",
    ):
        assert words in detail


def test_detail_names_this_patients_features():
    pain = {
        "present": True,
        "onset": "sudden",
        "site": "both",
        "after_minor_trauma": True,
        "severe": True,
        "not_improving": True,
        "eased_by_lying": True,
    }
    detail = prompt(run(**merge(QUIET, back_pain=pain)), SYMPTOMS)["detail"]
    assert detail.endswith(
        "This patient: sudden onset, thoracic pain, after minor trauma, severe, not improving, eased by lying down."
    )


def test_no_patient_features_no_patient_line():
    pain = {"present": True, "onset": "gradual", "site": "lumbar"}
    assert "This patient" not in prompt(run(**merge(QUIET, back_pain=pain)), SYMPTOMS)["detail"]


def test_recommendation_and_sources():
    p = prompt(run(**PAIN), SYMPTOMS)
    assert p["recommendations"] == [6]
    assert p["priority"] == "info"
    assert any("Clark" in s["label"] for s in p["sources"])


_NOT_COUNTED = (
    "Deliberate reading: pain details given with 'present' blank mean back pain. facts.py tests truthiness of "
    "onset/site/duration/after_minor_trauma/severe/not_improving only: {}"
)


@pytest.mark.parametrize(
    "details",
    [
        {"severe": True},
        {"not_improving": True},
        {"after_minor_trauma": True},
        {"eased_by_lying": True},
        {"duration_weeks": 0},
    ],
    ids=["severe", "not improving", "after minor trauma", "eased by lying", "duration 0 weeks"],
)
def test_any_pain_detail_means_back_pain(details):
    result = run(**merge(QUIET, back_pain={"present": None, **details}))
    assert SYMPTOMS in {p["id"] for p in result["prompts"]}
    assert "back_pain.present" not in {u["field"] for u in result["unknowns"]}

"""Recommendation 1: tell patients what a vertebral fracture is and its symptoms.

Served by ``patient_info.about_vertebral_fracture`` (recommendations 1, 2 and 3): a printable patient leaflet
on what a vertebral fracture is, its symptoms (severe pain that does not settle, curving of the spine, loss of
height), the risk factors and when to see the GP.

Fires when: a suspected fracture, or a confirmed fracture, or the patient is in scope (a postmenopausal woman, or
a man aged 50+) and has back pain. A confirmed fracture needs no scope. With none of these it does not fire; with
back pain unknown (and no suspected or confirmed fracture) it cannot be decided and ``back_pain.present`` is
listed as unknown.
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

ABOUT = "patient_info.about_vertebral_fracture"

SCENARIOS = [
    ("in scope woman with back pain", merge(QUIET, back_pain=GRADUAL_PAIN), {ABOUT}, set()),
    ("in scope man 50 with back pain", merge(QUIET, sex="male", age=50, back_pain=GRADUAL_PAIN), {ABOUT}, set()),
    (
        "suspected fracture (height loss 5 cm) without back pain",
        merge(QUIET, historical_height_loss_cm=5),
        {ABOUT},
        set(),
    ),
    ("confirmed fracture without back pain", merge(QUIET, FRACTURE), {ABOUT}, set()),
    (
        "confirmed fracture in a premenopausal woman (no scope needed)",
        merge(QUIET, FRACTURE, age=45, postmenopausal=False),
        {ABOUT},
        set(),
    ),
    ("in scope, no back pain, nothing suspected", QUIET, set(), {ABOUT}),
    (
        "premenopausal woman with back pain",
        merge(QUIET, age=45, postmenopausal=False, back_pain=GRADUAL_PAIN),
        set(),
        {ABOUT},
    ),
    ("man of 45 with back pain", merge(QUIET, sex="male", age=45, back_pain=GRADUAL_PAIN), set(), {ABOUT}),
]

UNKNOWNS = [
    ("back pain unknown", merge(QUIET, back_pain={"present": None}), ABOUT, "back_pain.present"),
    (
        "menopausal status unknown at 45, with back pain",
        merge(QUIET, age=45, postmenopausal=None, back_pain=GRADUAL_PAIN),
        ABOUT,
        "postmenopausal",
    ),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_serves_recommendations_1_2_and_3():
    p = prompt(run(**merge(QUIET, back_pain=GRADUAL_PAIN)), ABOUT)
    assert p["recommendations"] == [1, 2, 3]
    assert p["category"] == "patient_info"
    assert p["priority"] == "info"


def test_detail_says_what_it_is_and_the_symptoms():
    detail = prompt(run(**merge(QUIET, back_pain=GRADUAL_PAIN)), ABOUT)["detail"]
    assert "vertebral" in detail
    for symptom in ("severe back pain that does not settle", "curving of the spine", "loss of height"):
        assert symptom in detail


def test_because_gives_the_reason():
    p = prompt(run(**merge(QUIET, historical_height_loss_cm=5)), ABOUT)
    assert any("height loss 5 cm" in b for b in p["because"])
    p = prompt(run(**merge(QUIET, back_pain=GRADUAL_PAIN)), ABOUT)
    assert "back pain" in p["because"]


def test_cites_bennett_table_6():
    sources = prompt(run(**merge(QUIET, back_pain=GRADUAL_PAIN)), ABOUT)["sources"]
    assert any("Table 6" in s["label"] and s["status"] == "V" for s in sources)
    assert all(s["url"].startswith("https://") for s in sources)


@pytest.mark.parametrize("role", ["gp", "nurse", "physio"])
def test_leaflet_is_given_directly_by_every_role(role):
    """Giving information is not deferred: every role gives the leaflet itself."""
    p = prompt(run(**merge(QUIET, back_pain=GRADUAL_PAIN, assessor_role=role)), ABOUT)
    assert p["actions"][0].startswith("Give the vertebral fracture leaflet")

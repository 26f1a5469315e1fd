"""Recommendation 3: encourage patients with suggestive symptoms to see their GP, especially (not only) after a
fall or injury.

Served by ``safety_net.advice`` (and by the leaflet ``patient_info.about_vertebral_fracture``, which also says
when to see the GP). ``safety_net.advice`` fires when the patient is in scope, has back pain, has no suspected or
confirmed fracture, and has no red flag (emergency, urgent, or urgent report features). It tells the patient to
come back if the pain does not settle, the back curves or they get shorter, or new symptoms appear, and which
symptoms need same-day help.

Deliberate reading: "no suspected or confirmed fracture" is an exclusion, satisfied unless the fracture is known
to be suspected or confirmed; an unknown does not block the advice (it is harmless) but is listed in the
prompt's ``unknowns``. Back pain unknown: not fired, ``back_pain.present`` listed.
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

SAFETY = "safety_net.advice"
ABOUT = "patient_info.about_vertebral_fracture"
PAIN = merge(QUIET, back_pain=GRADUAL_PAIN)

SCENARIOS = [
    ("in scope, mechanical back pain, nothing suspected", PAIN, {SAFETY, ABOUT}, set()),
    ("sudden pain with no risk factor (not suspected)", merge(QUIET, back_pain=SUDDEN_PAIN), {SAFETY}, set()),
    ("suspected fracture: height loss 5 cm", merge(PAIN, historical_height_loss_cm=5), {ABOUT}, {SAFETY}),
    (
        "suspected fracture: sudden pain and a smoker",
        merge(QUIET, back_pain=SUDDEN_PAIN, current_smoker=True),
        set(),
        {SAFETY},
    ),
    ("confirmed fracture", merge(PAIN, FRACTURE), set(), {SAFETY}),
    ("urgent red flag: night pain", merge(PAIN, red_flags=["night_pain"]), set(), {SAFETY}),
    ("emergency red flag: saddle anaesthesia", merge(PAIN, red_flags=["saddle_anaesthesia"]), set(), {SAFETY}),
    (
        "urgent report features",
        merge(PAIN, spine_imaging={"result": None, "report_text": "Lytic lesion in T10 with pathological fracture."}),
        set(),
        {SAFETY},
    ),
    ("no back pain", QUIET, set(), {SAFETY}),
    ("premenopausal woman with back pain", merge(PAIN, age=45, postmenopausal=False), set(), {SAFETY}),
    ("man of 49 with back pain", merge(PAIN, sex="male", age=49), set(), {SAFETY}),
]

UNKNOWNS = [
    ("back pain unknown", merge(QUIET, back_pain={"present": None}), SAFETY, "back_pain.present"),
    ("menopausal status unknown at 49", merge(PAIN, age=49, postmenopausal=None), SAFETY, "postmenopausal"),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


@pytest.mark.parametrize(
    "field, value",
    [("historical_height_loss_cm", None), ("kyphosis", None), ("spine_imaging", {"result": None})],
)
def test_unknown_suspicion_does_not_block_the_advice_but_is_listed(field, value):
    p = prompt(run(**merge(PAIN, {field: value})), SAFETY)
    expected = "spine_imaging.result" if field == "spine_imaging" else field
    assert expected in p["unknowns"]


def test_advice_says_when_to_come_back_and_what_needs_help_straight_away():
    p = prompt(run(**PAIN), SAFETY)
    assert p["recommendations"] == [3]
    assert "come back if the pain does not settle" in p["detail"]
    assert "getting shorter" in p["detail"]
    # Cauda equina signs: A&E or 111 straight away (nhs-cauda-equina [V]; identification.md 5.5), not "the same
    # day", as the rule said until a content review (session 10).
    assert "go to A&E or call 111 straight away" in p["detail"] and "same day" not in p["detail"]
    assert "bladder or bowel" in p["detail"]
    assert any("chesterfieldroyal" in s["url"] for s in p["sources"])


def test_leaflet_says_see_the_gp_after_a_fall_or_injury():
    detail = prompt(run(**PAIN), ABOUT)["detail"]
    assert "especially, but not only, after a fall or injury" in detail

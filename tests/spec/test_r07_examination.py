"""Recommendation 7: guide GPs through a full assessment for vertebral fracture, including examination.

Served by ``assessment.examination``: fires when the patient is in scope and has back pain. The checklist:
measured height against the tallest remembered adult height (4 cm or more prompts imaging), kyphosis, spinal
tenderness, lower-limb neurology, red flags; it says which of height loss and kyphosis are not yet recorded.

This file also pins the catalogue's "in scope" term (the condition shared with education.risk_factors,
education.symptoms and safety_net.advice): a man is in scope from 50 (49 is not); a woman who is
postmenopausal is; a woman of 50+ with unknown menopausal status is treated as postmenopausal and ``notes`` says
so; a woman under 50 with unknown status is "in scope: unknown" (the prompt does not fire and ``postmenopausal``
is listed), unless menopause before 45 is recorded, which makes her postmenopausal.
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

EXAM = "assessment.examination"
PAIN = merge(QUIET, back_pain=GRADUAL_PAIN)
ASSUMED = "Menopausal status not recorded: a woman aged 50 or over is treated as postmenopausal."

SCENARIOS = [
    ("postmenopausal woman with back pain", PAIN, {EXAM}, set()),
    ("man of 50 with back pain", merge(PAIN, sex="male", age=50), {EXAM}, set()),
    ("man of 49 with back pain", merge(PAIN, sex="male", age=49), set(), {EXAM}),
    ("woman of 50, menopausal status unknown", merge(PAIN, age=50, postmenopausal=None), {EXAM}, set()),
    ("woman of 49, menopausal status unknown", merge(PAIN, age=49, postmenopausal=None), set(), {EXAM}),
    (
        "woman of 48, status unknown, menopause before 45",
        merge(PAIN, age=48, postmenopausal=None, menopause_before_45=True),
        {EXAM},
        set(),
    ),
    ("woman of 55 recorded as not postmenopausal", merge(PAIN, age=55, postmenopausal=False), set(), {EXAM}),
    ("postmenopausal woman of 45", merge(PAIN, age=45, postmenopausal=True), {EXAM}, set()),
    ("no back pain", QUIET, set(), {EXAM}),
]

UNKNOWNS = [
    ("back pain unknown", merge(QUIET, back_pain={"present": None}), EXAM, "back_pain.present"),
    ("woman of 49, menopausal status unknown", merge(PAIN, age=49, postmenopausal=None), EXAM, "postmenopausal"),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_woman_50_with_unknown_status_is_assumed_postmenopausal_and_told():
    result = run(**merge(PAIN, age=50, postmenopausal=None))
    assert ASSUMED in result["notes"]
    assert "postmenopausal" in prompt(result, EXAM)["unknowns"]


@pytest.mark.parametrize(
    "overrides",
    [PAIN, merge(PAIN, sex="male", age=50), merge(PAIN, age=49, postmenopausal=None)],
    ids=["recorded", "man", "under 50"],
)
def test_no_assumption_note_unless_assumed(overrides):
    assert ASSUMED not in run(**overrides)["notes"]


def test_checklist_contents():
    p = prompt(run(**PAIN), EXAM)
    for words in ("tallest height", "4 cm or more", "kyphosis", "spinal tenderness", "neurologically", "red flags"):
        assert words in p["detail"]
    assert p["recommendations"] == [7]
    assert p["category"] == "assessment"
    assert "Not yet recorded" not in p["detail"]


def test_checklist_says_what_is_not_yet_recorded():
    detail = prompt(run(**merge(PAIN, historical_height_loss_cm=None, kyphosis=None)), EXAM)["detail"]
    assert detail.endswith("Not yet recorded: historical height loss, kyphosis.")


@pytest.mark.parametrize("role", ["nurse", "physio"])
def test_examination_is_done_by_the_assessor_whatever_the_role(role):
    gp = prompt(run(**PAIN), EXAM)["actions"]
    assert prompt(run(**merge(PAIN, assessor_role=role)), EXAM)["actions"] == gp
    assert gp[0].startswith("Measure height")

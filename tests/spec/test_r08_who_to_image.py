"""Recommendation 8: an evidence-based tool for who should be referred for spinal imaging.

Served by:
- ``imaging.spine_xray``: a suspected fracture and no emergency or urgent red flag. Suspected fracture: in scope,
  no confirmed fracture, spine imaging not done (``not_done``, or unknown with no report text), and any of:
  historical height loss 4 cm+; kyphosis; long-term glucocorticoids (current or recent, 3 months+); lowest
  T-score -2.5 or below; acute-onset back pain (sudden, or after minor trauma) with at least one risk factor.
- ``red_flag.emergency``: saddle anaesthesia, bladder or bowel dysfunction, progressive neurological deficit,
  major trauma: same-day emergency assessment; routine imaging is not the route.
- ``red_flag.urgent``: history of cancer, unexplained weight loss, night pain, fever, immunosuppression, IV drug
  use (or urgent report features, see recommendation 9): urgent assessment for malignancy or infection.
- ``investigations.myeloma_screen``: age 60+, back pain for 6+ weeks or not improving, no confirmed fracture.

Edges: height loss 3.9 vs 4 cm; steroids 2 vs 3 months; T-score -2.4 vs -2.5; myeloma age 59 vs 60; a man of
74 vs 75 with acute-onset pain and no other risk factor. Deliberate readings: steroid dose or months given with
``current_or_recent`` unknown means current; "no confirmed fracture" is satisfied unless known true (unknown
listed); unknown imaging result with no report text counts as not done.
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

XRAY, EMERGENCY, URGENT, MYELOMA = (
    "imaging.spine_xray",
    "red_flag.emergency",
    "red_flag.urgent",
    "investigations.myeloma_screen",
)
SUSPECTED = merge(QUIET, age=70, historical_height_loss_cm=5)
GC = {"current_or_recent": True, "prednisolone_mg_per_day": 5}
SUDDEN = merge(QUIET, back_pain=SUDDEN_PAIN)
LONG_PAIN = merge(QUIET, back_pain={"present": True, "duration_weeks": 6})

SCENARIOS = [
    ("height loss 4 cm", merge(QUIET, historical_height_loss_cm=4), {XRAY}, set()),
    ("height loss 3.9 cm", merge(QUIET, historical_height_loss_cm=3.9), set(), {XRAY}),
    ("kyphosis", merge(QUIET, kyphosis=True), {XRAY}, set()),
    ("glucocorticoids 3 months", merge(QUIET, glucocorticoids=merge(GC, months=3)), {XRAY}, set()),
    ("glucocorticoids 2 months", merge(QUIET, glucocorticoids=merge(GC, months=2)), set(), {XRAY}),
    (
        "glucocorticoid months given, current unknown",
        merge(QUIET, glucocorticoids={"current_or_recent": None, "months": 4}),
        {XRAY},
        set(),
    ),
    ("T-score -2.5", merge(QUIET, dxa_lowest_t_score=-2.5), {XRAY}, set()),
    ("T-score -2.4", merge(QUIET, dxa_lowest_t_score=-2.4), set(), {XRAY}),
    ("sudden pain and a smoker", merge(SUDDEN, current_smoker=True), {XRAY}, set()),
    (
        "pain after minor trauma (gradual) and a fall",
        merge(QUIET, falls_last_year=1, back_pain=merge(GRADUAL_PAIN, after_minor_trauma=True)),
        {XRAY},
        set(),
    ),
    ("sudden pain, no risk factor", SUDDEN, set(), {XRAY}),
    ("gradual pain and a smoker", merge(QUIET, back_pain=GRADUAL_PAIN, current_smoker=True), set(), {XRAY}),
    ("man of 75, sudden pain, no other risk factor", merge(SUDDEN, sex="male", age=75), {XRAY}, set()),
    ("man of 74, sudden pain, no other risk factor", merge(SUDDEN, sex="male", age=74), set(), {XRAY}),
    ("premenopausal woman, height loss 5 cm", merge(SUSPECTED, age=45, postmenopausal=False), set(), {XRAY}),
    ("imaging awaited", merge(SUSPECTED, spine_imaging={"result": "awaiting"}), set(), {XRAY}),
    ("imaging showed no fracture", merge(SUSPECTED, spine_imaging={"result": "no_fracture"}), set(), {XRAY}),
    ("confirmed fracture", merge(SUSPECTED, FRACTURE), set(), {XRAY}),
    ("known vertebral fracture", merge(SUSPECTED, vertebral_fractures_known=1), set(), {XRAY}),
    ("result unknown, no report text: not done", merge(SUSPECTED, spine_imaging={"result": None}), {XRAY}, set()),
    (
        "result unknown, report text given",
        merge(SUSPECTED, spine_imaging={"result": None, "report_text": "Mild degenerative change."}),
        set(),
        {XRAY},
    ),
    (
        "cauda equina features (vignette)",
        merge(SUSPECTED, back_pain=SUDDEN_PAIN, red_flags=["saddle_anaesthesia", "bladder_or_bowel_dysfunction"]),
        {EMERGENCY},
        {XRAY},
    ),
    ("no red flag", SUSPECTED, {XRAY}, {EMERGENCY, URGENT}),
    ("aged 60, pain 6 weeks", LONG_PAIN, {MYELOMA}, set()),
    ("aged 59, pain 6 weeks", merge(LONG_PAIN, age=59), set(), {MYELOMA}),
    (
        "aged 60, pain 5 weeks and improving",
        merge(QUIET, back_pain={"present": True, "duration_weeks": 5, "not_improving": False}),
        set(),
        {MYELOMA},
    ),
    (
        "aged 60, pain 2 weeks, not improving",
        merge(QUIET, back_pain={"present": True, "duration_weeks": 2, "not_improving": True}),
        {MYELOMA},
        set(),
    ),
    ("aged 60, pain 6 weeks, confirmed fracture", merge(LONG_PAIN, FRACTURE), {MYELOMA}, set()),
    ("aged 60, high calcium, no back pain", merge(QUIET, adjusted_calcium=2.7), {MYELOMA}, set()),
    ("aged 59, high calcium", merge(QUIET, age=59, adjusted_calcium=2.7), set(), {MYELOMA}),
    ("aged 60, no back pain", QUIET, set(), {MYELOMA}),
]

UNKNOWNS = [
    (
        "height loss unknown, nothing else",
        merge(QUIET, historical_height_loss_cm=None),
        XRAY,
        "historical_height_loss_cm",
    ),
    ("kyphosis unknown, nothing else", merge(QUIET, kyphosis=None), XRAY, "kyphosis"),
    ("T-score unknown, nothing else", merge(QUIET, dxa_lowest_t_score=None), XRAY, "dxa_lowest_t_score"),
    (
        "pain duration and course unknown",
        merge(QUIET, back_pain={"present": True}),
        MYELOMA,
        "back_pain.duration_weeks",
    ),
]
EMERGENCY_FLAGS = [
    "saddle_anaesthesia",
    "bladder_or_bowel_dysfunction",
    "progressive_neurological_deficit",
    "major_trauma",
]
URGENT_FLAGS = [
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain",
    "fever",
    "immunosuppressed",
    "iv_drug_use",
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


@pytest.mark.parametrize("flag", EMERGENCY_FLAGS + URGENT_FLAGS)
def test_red_flag_overrides_imaging(flag):
    check_scenario(merge(SUSPECTED, red_flags=[flag]), {EMERGENCY if flag in EMERGENCY_FLAGS else URGENT}, {XRAY})


def test_red_flags_absent_means_none_recorded_not_unknown():
    result = run(**merge(SUSPECTED, red_flags=None))
    assert XRAY in {p["id"] for p in result["prompts"]}
    assert "red_flags" not in {u["field"] for u in result["unknowns"]}


def test_unknown_imaging_result_is_listed_on_the_prompt():
    assert "spine_imaging.result" in prompt(run(**merge(SUSPECTED, spine_imaging={"result": None})), XRAY)["unknowns"]


def test_imaging_wording():
    p = prompt(run(**merge(SUSPECTED, back_pain=SUDDEN_PAIN, current_smoker=True)), XRAY)
    assert "historical height loss 5 cm (4 cm or more)" in p["because"]
    assert any(b.startswith("sudden-onset thoracic back pain, with risk factors: current smoker") for b in p["because"])
    assert "lateral thoracic and lumbar spine X-rays" in p["detail"]
    assert "level and grade" in p["detail"]
    assert p["actions"][0].startswith("Request lateral thoracic and lumbar spine X-rays")
    assert p["recommendations"] == [8]
    assert any("NOGG 2022, section 3, recommendation 4" in s["label"] for s in p["sources"])


@pytest.mark.parametrize(
    "role, lead",
    [("physio", "Ask the GP or first-contact practitioner to request"), ("nurse", "Ask the GP to request")],
)
def test_imaging_actions_by_role(role, lead):
    result = run(**merge(SUSPECTED, assessor_role=role))
    assert all(a.startswith(lead[:-8]) for a in prompt(result, XRAY)["actions"])
    assert prompt(result, XRAY)["actions"][0].startswith(lead + " lateral")
    assert {p["id"] for p in result["prompts"]} == {p["id"] for p in run(**SUSPECTED)["prompts"]}


@pytest.mark.parametrize("role", ["nurse", "physio"])
def test_emergency_is_never_deferred(role):
    p = prompt(run(**merge(SUSPECTED, red_flags=["saddle_anaesthesia"], assessor_role=role)), EMERGENCY)
    assert p["actions"] == [
        "Send to the emergency department now (or the on-call spinal team, as the local pathway says)"
    ]


def test_emergency_wording():
    p = prompt(run(**merge(SUSPECTED, red_flags=["saddle_anaesthesia"])), EMERGENCY)
    assert p["priority"] == "emergency" and p["category"] == "safety"
    assert p["because"] == ["saddle anaesthesia"]
    assert "emergency department now" in p["detail"]
    assert "national suspected cauda equina pathway" in p["detail"]
    assert "routine spine X-ray is not the route" in p["detail"]


@pytest.mark.parametrize(
    "flag, words",
    [("history_of_cancer", "NG234"), ("fever", "spinal infection"), ("night_pain", "malignancy, including myeloma")],
)
def test_urgent_wording(flag, words):
    p = prompt(run(**merge(SUSPECTED, red_flags=[flag])), URGENT)
    assert p["priority"] == "urgent"
    assert words in p["detail"]


def test_myeloma_wording():
    p = prompt(run(**LONG_PAIN), MYELOMA)
    assert "aged 60 (60 or over)" in p["because"]
    assert "back pain for 6 weeks (6 or more)" in p["because"]
    assert "NG12" in p["detail"] and "protein electrophoresis" in p["detail"]
    assert p["recommendations"] == [8]


def test_a_confirmed_fracture_never_switches_the_myeloma_screen_off():
    """NICE NG12 counts an unexplained fracture too: the fracture is not a reason to skip the screen (issue 22)."""
    for fracture in (None, {"spine_imaging": {"result": "fracture"}}):
        p = prompt(run(**merge(LONG_PAIN, fracture or {}, vertebral_fractures_known=None)), MYELOMA)
        assert not {"vertebral_fractures_known", "spine_imaging.result"} & set(p["unknowns"])
    p = prompt(run(**merge(LONG_PAIN, {"spine_imaging": {"result": "fracture"}})), MYELOMA)
    assert "does not rule myeloma out" in p["detail"]


def test_emergency_comes_first():
    """Prompts are ordered by priority (emergency, urgent, routine, info), then category."""
    result = run(**merge(SUSPECTED, back_pain=SUDDEN_PAIN, red_flags=["saddle_anaesthesia", "fever"]))
    order = ["emergency", "urgent", "routine", "info"]
    ranks = [order.index(p["priority"]) for p in result["prompts"]]
    assert ranks == sorted(ranks)
    assert [p["id"] for p in result["prompts"]][:2] == [EMERGENCY, URGENT]

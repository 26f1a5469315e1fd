"""Recommendation 14 (reconstructed): plain explanations of the words in reports and letters, and encouragement
to ask about results and follow-up.

Served by ``patient_info.understanding_reports``: fires when report text is given (whatever it says), or there
is a confirmed fracture. Neither: not fired. Fracture status unknown and no report: not fired, listed.
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

UNDERSTAND = "patient_info.understanding_reports"


def report(text):
    return merge(QUIET, spine_imaging={"result": None, "report_text": text})


SCENARIOS = [
    ("probable-fracture report", report("Anterior wedging of T8 with loss of height."), {UNDERSTAND}, set()),
    (
        "negated report",
        report("No vertebral fracture or collapse. Vertebral body heights are maintained."),
        {UNDERSTAND},
        set(),
    ),
    ("report of degenerative change only", report("Mild degenerative change."), {UNDERSTAND}, set()),
    ("confirmed fracture, no report text", merge(QUIET, FRACTURE), {UNDERSTAND}, set()),
    ("known vertebral fracture, no report text", merge(QUIET, vertebral_fractures_known=1), {UNDERSTAND}, set()),
    (
        "imaging showed no fracture, no report text",
        merge(QUIET, spine_imaging={"result": "no_fracture"}),
        set(),
        {UNDERSTAND},
    ),
    ("no imaging, no fracture", QUIET, set(), {UNDERSTAND}),
    ("blank report text counts as none", report("   "), set(), {UNDERSTAND}),
]

UNKNOWNS = [
    (
        "fracture status unknown, no report",
        merge(QUIET, vertebral_fractures_known=None, spine_imaging={"result": None}),
        UNDERSTAND,
        "vertebral_fractures_known",
    ),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_because_says_a_report_was_given():
    assert "a radiology report was given" in prompt(run(**report("Mild degenerative change.")), UNDERSTAND)["because"]


def test_explains_report_words_and_invites_questions():
    p = prompt(run(**merge(QUIET, FRACTURE)), UNDERSTAND)
    for words in ("'wedging'", "'collapse'", "'loss of height'", "broken bone in the spine", "ask about their results"):
        assert words in p["detail"]
    assert p["recommendations"] == [14]
    assert p["category"] == "patient_info"
    assert any(s["status"] == "R" and "reconstructed" in s["label"] for s in p["sources"])

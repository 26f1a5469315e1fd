"""Recommendation 10 (reconstructed): communicate a vertebral fracture diagnosis clearly, with the actions needed.

Served by:
- ``diagnosis.record_vertebral_fracture``: a confirmed fracture and the record does not already code it. An
  unknown record counts as not coded (deliberate exception: missing the code is the harm): the prompt fires, its
  detail starts "If not already", and ``record.vertebral_fracture_coded`` is in its ``unknowns``. Codes offered:
  Fragility fracture 306171000000106, Osteoporotic vertebral collapse 240198002, thoracic 203451004, lumbar
  203450003 (SNOMED CT).
- ``referral.fls`` (recommendations 10 and 12): a confirmed fracture: refer to the fracture liaison service.

Confirmed fracture: imaging result "fracture", 1+ vertebral fractures already known, or an explicit report; never
when major trauma is recorded for the imaging or report fracture (a previously known fracture still counts).
With an emergency or urgent red flag (or urgent report features) both still fire, but their detail starts
"First exclude malignancy, infection or trauma".
"""

import pytest

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

RECORD, FLS = "diagnosis.record_vertebral_fracture", "referral.fls"
CAVEAT = "First exclude malignancy, infection or trauma"
FRAC = merge(QUIET, FRACTURE, age=70)

SCENARIOS = [
    ("fracture on imaging, not coded", FRAC, {RECORD, FLS}, set()),
    ("fracture on imaging, already coded", merge(FRAC, record={"vertebral_fracture_coded": True}), {FLS}, {RECORD}),
    (
        "fracture on imaging, record unknown",
        merge(FRAC, record={"vertebral_fracture_coded": None}),
        {RECORD, FLS},
        set(),
    ),
    (
        "two vertebral fractures already known, not imaged",
        merge(QUIET, vertebral_fractures_known=2),
        {RECORD, FLS},
        set(),
    ),
    (
        "explicit report",
        merge(QUIET, spine_imaging={"result": None, "report_text": "Wedge compression fracture of L1."}),
        {RECORD, FLS},
        set(),
    ),
    ("fracture on imaging after major trauma", merge(FRAC, red_flags=["major_trauma"]), set(), {RECORD, FLS}),
    (
        "known fracture and major trauma now",
        merge(QUIET, vertebral_fractures_known=1, red_flags=["major_trauma"]),
        {RECORD, FLS},
        set(),
    ),
    ("fracture with an urgent red flag", merge(FRAC, red_flags=["history_of_cancer"]), {RECORD, FLS}, set()),
    ("fracture in a premenopausal woman", merge(FRAC, age=45, postmenopausal=False), {RECORD, FLS}, set()),
    ("imaging showed no fracture", merge(QUIET, spine_imaging={"result": "no_fracture"}), set(), {RECORD, FLS}),
    ("imaging not done", QUIET, set(), {RECORD, FLS}),
]

NO_FRACTURE_INFO = {"vertebral_fractures_known": None, "spine_imaging": {"result": None}}
UNKNOWNS = [
    ("fracture status unknown (record)", merge(QUIET, NO_FRACTURE_INFO), RECORD, "vertebral_fractures_known"),
    ("fracture status unknown (FLS)", merge(QUIET, NO_FRACTURE_INFO), FLS, "spine_imaging.result"),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_unknown_record_fires_says_if_not_already_and_lists_the_field():
    p = prompt(run(**merge(FRAC, record={"vertebral_fracture_coded": None})), RECORD)
    assert p["detail"].startswith("If not already")
    assert "record.vertebral_fracture_coded" in p["unknowns"]


def test_known_uncoded_record_is_a_plain_instruction():
    p = prompt(run(**FRAC), RECORD)
    assert p["detail"].startswith("Record Fragility fracture (306171000000106)")
    assert p["unknowns"] == []


def test_codes_offered():
    """With no level recorded, the level-free vertebral concept; the level the report names picks thoracic or lumbar,
    both only when both are involved (issue 23)."""
    codes = prompt(run(**FRAC), RECORD)["codes"]
    assert [c["code"] for c in codes] == ["306171000000106", "240198002"]
    assert {c["system"] for c in codes} == {"http://snomed.info/sct"}
    assert all(c["display"] for c in codes)
    for text, expected in [
        ("Moderate wedge deformity of T8.", ["306171000000106", "203451004"]),
        ("Mild loss of height of L2.", ["306171000000106", "203450003"]),
        ("Wedge fractures of T12 and L1.", ["306171000000106", "203451004", "203450003"]),
    ]:
        imaging = {"result": "fracture", "report_text": text}
        codes = prompt(run(**merge(FRAC, spine_imaging=imaging)), RECORD)["codes"]
        assert [c["code"] for c in codes] == expected, text


def test_a_confirmed_fracture_is_not_asked_to_be_confirmed_again():
    probable = {"report_text": "Moderate wedge deformity of T8."}
    assert "report.probable_fracture" in {
        p["id"] for p in run(**merge(FRAC, spine_imaging={"result": None, **probable}))["prompts"]
    }
    confirmed = run(**merge(FRAC, spine_imaging={"result": "fracture", **probable}))
    assert "report.probable_fracture" not in {p["id"] for p in confirmed["prompts"]}


def test_record_detail_mentions_the_register_and_date():
    detail = prompt(run(**FRAC), RECORD)["detail"]
    assert "QOF" in detail and "fracture date" in detail


@pytest.mark.parametrize("flags", [["history_of_cancer"], ["saddle_anaesthesia"]], ids=["urgent", "emergency"])
def test_red_flag_caveat_comes_first(flags):
    result = run(**merge(FRAC, red_flags=flags))
    for rule_id in (RECORD, FLS):
        assert prompt(result, rule_id)["detail"].startswith(CAVEAT)
    assert not prompt(run(**FRAC), FLS)["detail"].startswith(CAVEAT)


def test_urgent_report_features_bring_the_caveat_to_a_known_fracture():
    text = "Lytic lesion in T10 with pathological fracture."
    result = run(**merge(QUIET, vertebral_fractures_known=1, spine_imaging={"result": None, "report_text": text}))
    assert prompt(result, FLS)["detail"].startswith(CAVEAT)


def test_recommendations_and_sources():
    result = run(**FRAC)
    assert prompt(result, RECORD)["recommendations"] == [10]
    assert prompt(result, FLS)["recommendations"] == [10, 12]
    assert "fracture liaison service" in prompt(result, FLS)["detail"]
    assert any(s["status"] == "R" for s in prompt(result, RECORD)["sources"])


@pytest.mark.parametrize(
    "role, fls_lead, record_lead",
    [
        (
            "physio",
            "Ask the GP or first-contact practitioner to refer",
            "Ask the GP or first-contact practitioner to code",
        ),
        ("nurse", "Ask the GP to refer", "Code"),
        ("gp", "Refer", "Code"),
    ],
)
def test_role_wording(role, fls_lead, record_lead):
    result = run(**merge(FRAC, assessor_role=role))
    assert prompt(result, FLS)["actions"][0].startswith(fls_lead)
    assert prompt(result, RECORD)["actions"][0].startswith(record_lead)
    assert {p["id"] for p in result["prompts"]} == {p["id"] for p in run(**FRAC)["prompts"]}

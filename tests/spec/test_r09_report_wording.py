"""Recommendation 9 (reconstructed): recognise vertebral fractures that imaging reports describe in other words.

Served by the radiology-report screening prompts:
- ``report.explicit_fracture``: the report text states a vertebral fracture, not negated, no urgent features.
  The fracture is then confirmed (diagnosis.record_vertebral_fracture etc. fire), unless major trauma is the
  cause.
- ``report.probable_fracture``: hidden fracture wording (wedging, loss of height, collapse ...), not negated,
  no explicit fracture, no urgent features: confirm with the radiologist; the matched phrases are shown. It does
  not by itself confirm a fracture.
- ``report.urgent_features``: lytic, destructive, metastasis, myeloma, pathological fracture, cord compression
  ...: urgent route (red_flag.urgent fires too); the report does not count as a confirmed osteoporotic fracture.
A negated report ("No vertebral fracture ...") fires none of them. No report text: none of them fire (the text is
either given or not, so there is no unknown to list).
"""

import pytest

from .conftest import QUIET, check_scenario, merge, prompt, run, scenario_params

EXPLICIT, PROBABLE, URGENT_RPT = "report.explicit_fracture", "report.probable_fracture", "report.urgent_features"
RECORD, UNDERSTAND = "diagnosis.record_vertebral_fracture", "patient_info.understanding_reports"
REPORT_IDS = {EXPLICIT, PROBABLE, URGENT_RPT}

EXPLICIT_TEXT = "Wedge compression fracture of L1."
PROBABLE_TEXT = (
    "Lateral thoracic spine: anterior wedging of T8 with approximately 30% loss of anterior vertebral "
    "height. Mild degenerative change."
)
URGENT_TEXT = "Lytic lesion in T10 with pathological fracture."
NEGATED_TEXT = "No vertebral fracture or collapse. Vertebral body heights are maintained."


def report(text, **extra):
    return merge(QUIET, age=66, spine_imaging={"result": None, "report_text": text}, **extra)


SCENARIOS = [
    (
        "explicit: wedge compression fracture of L1",
        report(EXPLICIT_TEXT),
        {EXPLICIT, RECORD, UNDERSTAND},
        {PROBABLE, URGENT_RPT, "imaging.spine_xray"},
    ),
    (
        "probable: anterior wedging of T8",
        report(PROBABLE_TEXT),
        {PROBABLE, UNDERSTAND},
        {EXPLICIT, URGENT_RPT, RECORD, "bone.start_treatment", "imaging.spine_xray"},
    ),
    (
        "urgent: lytic lesion, pathological fracture",
        report(URGENT_TEXT),
        {URGENT_RPT, "red_flag.urgent"},
        {EXPLICIT, PROBABLE, RECORD, "bone.start_treatment", "imaging.spine_xray"},
    ),
    ("negated: no fracture, heights maintained", report(NEGATED_TEXT), {UNDERSTAND}, REPORT_IDS | {RECORD}),
    ("rib fracture: not a vertebral fracture", report("Fracture of the left 5th rib."), {UNDERSTAND}, REPORT_IDS),
    (
        "disc height loss and thecal sac compression",
        report("Disc height loss at L4/5. Compression of the thecal sac."),
        {UNDERSTAND},
        REPORT_IDS,
    ),
    ("Schmorl's node only", report("Schmorl node at L2."), {UNDERSTAND}, REPORT_IDS),
    ("degenerative change only", report("Mild degenerative change. Osteophytes at L4."), {UNDERSTAND}, REPORT_IDS),
    ("no report text", QUIET, set(), REPORT_IDS),
    (
        "explicit report but major trauma: not confirmed",
        report(EXPLICIT_TEXT, red_flags=["major_trauma"]),
        {EXPLICIT, "red_flag.emergency"},
        {RECORD, "referral.fls", "bone.start_treatment"},
    ),
    (
        "report-wedging-only vignette, minimal input",
        {"age": 66, "spine_imaging": {"report_text": PROBABLE_TEXT}},
        {PROBABLE, UNDERSTAND},
        {EXPLICIT, "imaging.spine_xray", "bone.start_treatment"},
    ),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


def test_explicit_report_confirms_the_fracture():
    result = run(**report(EXPLICIT_TEXT))
    ids = {p["id"] for p in result["prompts"]}
    assert {RECORD, "diagnosis.tell_patient", "referral.fls", "bone.start_treatment", "investigations.bloods"} <= ids
    assert any("report states a vertebral fracture" in b for b in prompt(result, RECORD)["because"])
    assert "treated as a confirmed fracture" in prompt(result, EXPLICIT)["detail"]


def test_probable_report_does_not_confirm_the_fracture():
    ids = {p["id"] for p in run(**report(PROBABLE_TEXT))["prompts"]}
    assert not {RECORD, "diagnosis.tell_patient", "referral.fls", "investigations.bloods"} & ids


def test_probable_shows_the_matched_phrases_and_level():
    p = prompt(run(**report(PROBABLE_TEXT)), PROBABLE)
    assert any(b.startswith("report wording:") and "wedging" in b for b in p["because"])
    assert any("T8" in b for b in p["because"])
    assert "radiologist" in p["detail"]
    assert p["actions"][0] == "Ask the reporting radiologist whether this is a vertebral fracture"


def test_urgent_report_wording():
    result = run(**report(URGENT_TEXT))
    p = prompt(result, URGENT_RPT)
    assert p["priority"] == "urgent"
    assert any("lytic" in b.lower() for b in p["because"])
    assert "does not count as a confirmed osteoporotic fracture" in p["detail"]
    assert any("report wording of urgent features" in b for b in prompt(result, "red_flag.urgent")["because"])


def test_major_trauma_explicit_report_is_explained():
    result = run(**report(EXPLICIT_TEXT, red_flags=["major_trauma"]))
    assert "Major trauma is recorded" in prompt(result, EXPLICIT)["detail"]
    assert any("Major trauma recorded" in n for n in result["notes"])


@pytest.mark.parametrize(
    "text, rule_id",
    [(EXPLICIT_TEXT, EXPLICIT), (PROBABLE_TEXT, PROBABLE), (URGENT_TEXT, URGENT_RPT)],
    ids=["explicit", "probable", "urgent"],
)
def test_labelled_reconstructed_and_serves_9(text, rule_id):
    p = prompt(run(**report(text)), rule_id)
    assert p["recommendations"] == [9]
    assert p["category"] == "report"
    assert any(s["status"] == "R" and "reconstructed" in s["label"] for s in p["sources"])
    assert any(s["label"].startswith("RCR 2023") for s in p["sources"])


def test_physio_asks_the_gp_to_record_the_fracture():
    p = prompt(run(**report(EXPLICIT_TEXT, assessor_role="physio")), EXPLICIT)
    assert p["actions"] == [
        "Ask the GP or first-contact practitioner to record the fracture and act on the fracture prompts"
    ]

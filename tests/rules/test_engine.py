"""The engine: ordering, trace, unknowns, role wording and the red-flag caveat."""

import pytest

from core.rules import RULES, evaluate_data
from core.rules.recommendation import CATEGORIES, PRIORITIES

from .conftest import TODAY

RECENT_FRACTURE = {
    "age": 68,
    "sex": "male",
    "back_pain": {"present": True, "onset": "sudden", "site": "thoracic"},
    "spine_imaging": {"result": "fracture", "fracture_count": 1, "months_since_fracture": 2},
    "bone_protection": {"current": "none"},
    "egfr": 70,
    "record": {"vertebral_fracture_coded": False, "patient_told_diagnosis": False},
}


def run(data: dict) -> dict:
    return evaluate_data(data, today=TODAY)


def ids(result: dict) -> list[str]:
    return [p["id"] for p in result["prompts"]]


def prompt(result: dict, pid: str) -> dict:
    return next(p for p in result["prompts"] if p["id"] == pid)


def test_result_has_the_catalogue_shape():
    result = run(RECENT_FRACTURE)
    assert result["rulebook_version"] == "2026.12.5"
    assert result["input_version"] == 1
    assert result["assessed_on"] == "2026-11-23"
    p = prompt(result, "diagnosis.record_vertebral_fracture")
    assert set(p) >= {
        "id",
        "category",
        "priority",
        "title",
        "detail",
        "because",
        "recommendations",
        "sources",
        "codes",
        "actions",
        "unknowns",
        "timeframe",
    }
    assert p["recommendations"] == [10]
    # No level is recorded here, so the level-free vertebral concept (the level picks thoracic or lumbar).
    assert {c["code"] for c in p["codes"]} == {"306171000000106", "240198002"}
    assert all(c["system"] == "http://snomed.info/sct" for c in p["codes"])
    assert all(s["url"].startswith("https://") for s in p["sources"])


def test_prompts_are_ordered_by_priority_then_category():
    result = run({**RECENT_FRACTURE, "red_flags": ["night_pain", "major_trauma"]})
    keys = [(PRIORITIES.index(p["priority"]), CATEGORIES.index(p["category"])) for p in result["prompts"]]
    assert keys == sorted(keys)
    assert ids(result)[:2] == ["red_flag.emergency", "red_flag.urgent"]


def test_trace_covers_every_rule_once_and_agrees_with_prompts():
    result = run(RECENT_FRACTURE)
    assert [t["rule"] for t in result["trace"]] == [r.id for r in RULES]
    fired = {t["rule"] for t in result["trace"] if t["outcome"] == "fired"}
    assert fired == set(ids(result))
    assert {t["outcome"] for t in result["trace"]} <= {"fired", "not_fired", "not_assessable"}


def test_evaluation_is_deterministic():
    first = run(RECENT_FRACTURE)
    assert first["prompts"]
    assert run(RECENT_FRACTURE) == first


def test_unknown_is_not_no_for_kyphosis():
    """Kyphosis alone prompts imaging: unknown must be listed, and must not fire or count as no."""
    base = {
        "age": 72,
        "sex": "female",
        "postmenopausal": True,
        "back_pain": {"present": False},
        "historical_height_loss_cm": 1,
        "glucocorticoids": {"current_or_recent": False},
        "dxa_lowest_t_score": -1.0,
    }
    unknown = run(base)
    assert "imaging.spine_xray" not in ids(unknown)
    trace = next(t for t in unknown["trace"] if t["rule"] == "imaging.spine_xray")
    assert trace["outcome"] == "not_assessable" and trace["missing"] == ["kyphosis"]
    entry = next(u for u in unknown["unknowns"] if u["field"] == "kyphosis")
    assert "spine imaging" in entry["why"] and entry["label"] == "Kyphosis on examination"
    assert "imaging.spine_xray" in ids(run({**base, "kyphosis": True}))
    no = run({**base, "kyphosis": False})
    assert next(t for t in no["trace"] if t["rule"] == "imaging.spine_xray")["outcome"] == "not_fired"
    assert "kyphosis" not in {u["field"] for u in no["unknowns"]}


def test_unknown_record_counts_as_not_done_and_says_so():
    result = run({**RECENT_FRACTURE, "record": {}})
    record = prompt(result, "diagnosis.record_vertebral_fracture")
    assert record["detail"].startswith("If not already coded")
    assert record["unknowns"] == ["record.vertebral_fracture_coded"]
    told = prompt(result, "diagnosis.tell_patient")
    assert told["detail"].startswith("If not already done")
    coded = run(
        {
            **RECENT_FRACTURE,
            "record": {"vertebral_fracture_coded": True, "patient_told_diagnosis": True},
        }
    )
    assert not {"diagnosis.record_vertebral_fracture", "diagnosis.tell_patient"} & set(ids(coded))


def test_unknown_bone_protection_counts_as_none_for_starting_treatment():
    data = {k: v for k, v in RECENT_FRACTURE.items() if k != "bone_protection"}
    start = prompt(run(data), "bone.start_treatment")
    assert start["detail"].startswith("If not already on bone protection")
    assert "bone_protection.current" in start["unknowns"]


def test_role_changes_wording_never_ids():
    by_role = {role: run({**RECENT_FRACTURE, "assessor_role": role}) for role in ("gp", "nurse", "physio")}
    assert ids(by_role["gp"]) == ids(by_role["nurse"]) == ids(by_role["physio"])
    gp, physio, nurse = (prompt(by_role[r], "bone.oral_bisphosphonate") for r in ("gp", "physio", "nurse"))
    assert gp["actions"][0].startswith("Prescribe alendronic acid")
    assert physio["actions"][0].startswith("Ask the GP or first-contact practitioner to prescribe alendronic")
    assert nurse["actions"][0].startswith("Ask a prescriber")
    assert physio["title"].startswith(
        "Ask the GP or first-contact practitioner to check calcium and vitamin D first, then start an oral"
    )
    # Advice to the patient is the physiotherapist's own job.
    assert physio["actions"][1] == gp["actions"][1]


def test_emergency_is_never_deferred_for_physios():
    result = run({"age": 60, "sex": "male", "assessor_role": "physio", "red_flags": ["saddle_anaesthesia"]})
    assert prompt(result, "red_flag.emergency")["actions"][0].startswith("Send to the emergency department now")


def test_red_flag_caveat_on_fracture_prompts():
    result = run({**RECENT_FRACTURE, "red_flags": ["history_of_cancer"]})
    for pid in ("diagnosis.record_vertebral_fracture", "bone.start_treatment", "referral.fls"):
        p = prompt(result, pid)
        assert p["detail"].startswith("First exclude malignancy, infection or trauma"), pid
        assert any(b.startswith("red flag: history of cancer") for b in p["because"]), pid
    assert not prompt(result, "investigations.bloods")["detail"].startswith("First exclude")


def test_because_names_the_checkable_facts():
    result = run({"age": 74, "sex": "female", "historical_height_loss_cm": 5, "kyphosis": False})
    because = prompt(result, "imaging.spine_xray")["because"]
    assert because == ["historical height loss 5 cm (4 cm or more)"]


def test_woman_over_50_with_unknown_menopause_is_assumed_postmenopausal_and_told():
    result = run({"age": 55, "sex": "female", "kyphosis": True})
    assert "imaging.spine_xray" in ids(result)
    assert any("treated as postmenopausal" in n for n in result["notes"])
    assert "postmenopausal" in {u["field"] for u in result["unknowns"]}


def test_report_screening_is_returned_with_the_result():
    text = "Lateral thoracic spine: anterior wedging of T8."
    result = run({"age": 66, "sex": "female", "spine_imaging": {"report_text": text}})
    assert result["report"]["classification"] == "probable"
    match = result["report"]["matches"][0]
    assert text[match["start"] : match["end"]] == match["text"]
    assert run({"age": 66, "sex": "female"})["report"] is None


@pytest.mark.parametrize("role", ["gp", "nurse", "physio"])
def test_every_fired_prompt_has_title_detail_actions_and_sources(role):
    result = run({**RECENT_FRACTURE, "assessor_role": role, "red_flags": ["fever"], "kyphosis": True})
    for p in result["prompts"]:
        assert p["title"] and p["detail"] and p["actions"] and p["sources"], p["id"]


def test_confirmed_fracture_outside_nogg_population_warns_and_refers():
    """H-09: a man of 40 with a vertebral fracture gets the catalogue's prompts, with a specialist-first warning."""
    result = run({"age": 40, "sex": "male", "vertebral_fractures_known": 1, "bone_protection": {"current": "none"}})
    start = prompt(result, "bone.start_treatment")
    assert "outside NOGG's population" in start["detail"]
    specialist = prompt(result, "bone.specialist_referral")
    assert "vertebral fracture outside NOGG's population" in specialist["because"]
    in_scope = run({"age": 60, "sex": "male", "vertebral_fractures_known": 1, "bone_protection": {"current": "none"}})
    assert "outside NOGG's population" not in prompt(in_scope, "bone.start_treatment")["detail"]


def test_glucocorticoid_dose_implies_current_use_only_when_positive():
    """H-11: a recorded dose and duration mean use now or in the last year; zero means nothing."""
    base = {"age": 60, "sex": "male", "kyphosis": False, "historical_height_loss_cm": 0}
    assert "imaging.spine_xray" in ids(run({**base, "glucocorticoids": {"prednisolone_mg_per_day": 5, "months": 4}}))
    zero = run({**base, "glucocorticoids": {"prednisolone_mg_per_day": 0, "months": 0}})
    assert "imaging.spine_xray" not in ids(zero)
    assert "glucocorticoids.current_or_recent" in {u["field"] for u in zero["unknowns"]}

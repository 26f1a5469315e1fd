"""No output tells anyone to start a drug that its own check rules out, and every drug named has a check (issue 22).

The check reads the words, not the code that made them: every clause of every prompt's title, detail and actions is
scanned for the drugs it names (core/rules/drugs.py NAMES, and the class words "oral bisphosphonate" and the like).
A clause that tells someone to start, prescribe, offer, give, arrange or consider a drug, with no "not", "never",
"hold" or "no" in it, must name only drugs whose check allows starting them (offered, or offered after a named
correction or check); a class word needs at least one member allowed. Run on generated inputs (hypothesis), and on
every combination of a confirmed fracture with each contraindication, for every role.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings

from core.rules import evaluate_data
from core.rules.contract import BONE_DRUGS, validate
from core.rules.drugs import CLASSES, DRUGS, NAMES, NOT_OFFERED, STARTABLE
from core.rules.facts import Facts

from .conftest import TODAY
from .test_properties import VALID

DIRECTIVE = re.compile(r"\b(start|prescribe|offer|give|arrange|consider|begin|switch to)\b")
NEGATION = re.compile(r"\b(not|never|no|hold|avoid|unsuitable|contraindicated|instead of)\b")
CLAUSE = re.compile(r"(?<=[.;])\s+|\(|\)|\n")
# Bone drugs that no rule should name without a check: if one appears, it needs a check in drugs.py first.
UNCHECKED_WORDS = ("etidronate", "strontium", "abaloparatide", "pamidronate", "calcitonin", "tibolone")


def _named(clause: str) -> set[str]:
    found = {drug for drug, words in NAMES.items() if any(re.search(rf"\b{re.escape(w)}\b", clause) for w in words)}
    rest = clause
    for word in sorted(CLASSES, key=len, reverse=True):  # "oral bisphosphonate" before "bisphosphonate"
        pattern = rf"\b{word}s?\b"
        if re.search(pattern, rest):
            rest = re.sub(pattern, "", rest)
            if not found & set(CLASSES[word]):
                found.add("class:" + word)
    return found


def unsafe_clauses(text: str, checks: dict) -> list[tuple[str, str]]:
    """(clause, drug) for every clause of ``text`` that tells someone to start a drug its check rules out."""
    found = []
    for clause in CLAUSE.split(text.lower()):
        if not DIRECTIVE.search(clause) or NEGATION.search(clause):
            continue
        for drug in sorted(_named(clause)):
            if drug.startswith("class:"):
                members = CLASSES[drug.removeprefix("class:")]
                allowed = any(checks[m].status in STARTABLE for m in members)
            else:
                allowed = checks[drug].status in STARTABLE
            if not allowed:
                found.append((clause, drug))
    return found


def drug_checks(data: dict) -> dict:
    return Facts(validate(data, today=TODAY)).drugs


def unsafe_directives(data: dict) -> list[tuple[str, str, str]]:
    """(prompt id, clause, drug) for every clause that tells someone to start a drug its check rules out."""
    result = evaluate_data(data, today=TODAY)
    checks = drug_checks(data)
    return [
        (p["id"], clause, drug)
        for p in result["prompts"]
        for text in (p["title"], p["detail"], *p["actions"])
        for clause, drug in unsafe_clauses(text, checks)
    ]


def unchecked_drugs(data: dict) -> list[str]:
    text = " ".join(
        " ".join((p["title"], p["detail"], *p["actions"])) for p in evaluate_data(data, today=TODAY)["prompts"]
    ).lower()
    return [w for w in UNCHECKED_WORDS if w in text]


def test_every_drug_a_prompt_can_name_has_a_check():
    assert set(NAMES) == set(DRUGS)
    assert set(BONE_DRUGS) <= set(DRUGS)  # every drug the contract knows (bone_protection.current)
    for members in CLASSES.values():
        assert set(members) <= set(DRUGS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_no_output_tells_anyone_to_start_a_drug_its_check_rules_out(data):
    assert unsafe_directives(data) == []
    assert unchecked_drugs(data) == []


FRACTURE = {
    "age": 74,
    "sex": "female",
    "postmenopausal": True,
    "back_pain": {"present": True, "onset": "sudden", "site": "thoracic"},
    "spine_imaging": {"result": "fracture", "fracture_count": 1, "months_since_fracture": 2},
    "bone_protection": {"current": "none"},
    "creatinine_clearance": 60,
    "adjusted_calcium": 2.4,
    "vitamin_d_nmol_l": 60,
}
CONTRAINDICATIONS = {
    "none": {},
    "CrCl 20": {"creatinine_clearance": 20},
    "CrCl 32": {"creatinine_clearance": 32},
    "eGFR 28": {"creatinine_clearance": None, "egfr": 28},
    "renal unknown": {"creatinine_clearance": None},
    "calcium 2.8": {"adjusted_calcium": 2.8},
    "calcium 3.6": {"adjusted_calcium": 3.6},
    "calcium 2.0": {"adjusted_calcium": 2.0},
    "calcium unknown": {"adjusted_calcium": None},
    "vitamin D 15": {"vitamin_d_nmol_l": 15},
    "premenopausal 40": {"age": 40, "postmenopausal": False},
    "pregnant 40": {"age": 40, "postmenopausal": False, "pregnant_or_breastfeeding": True},
    "status unknown 45": {"age": 45, "postmenopausal": None},
    "man 45": {"age": 45, "sex": "male", "postmenopausal": None},
    "man 70": {"age": 70, "sex": "male", "postmenopausal": None},
    # Sex not recorded (a GP system's gender "other" or "unknown": issue 25), alone and with each kind of finding.
    "sex unknown 76": {"age": 76, "sex": "unknown", "postmenopausal": None},
    "sex unknown 45": {"age": 45, "sex": "unknown", "postmenopausal": None},
    "sex unknown 40, pregnant": {
        "age": 40,
        "sex": "unknown",
        "postmenopausal": None,
        "pregnant_or_breastfeeding": True,
    },
    "sex unknown 60, not postmenopausal": {"age": 60, "sex": "unknown", "postmenopausal": False},
    "sex unknown 70, CrCl 20": {"age": 70, "sex": "unknown", "postmenopausal": None, "creatinine_clearance": 20},
    "sex unknown 70, calcium 2.8": {"age": 70, "sex": "unknown", "postmenopausal": None, "adjusted_calcium": 2.8},
    "sex unknown 70, barrier": {
        "age": 70,
        "sex": "unknown",
        "postmenopausal": None,
        "oral_bisphosphonate_barriers": ["swallowing_difficulty"],
    },
    **{
        f"barrier {b}": {"oral_bisphosphonate_barriers": [b]}
        for b in (
            "oesophageal_disorder",
            "swallowing_difficulty",
            "cannot_stay_upright",
            "previous_intolerance",
            "cannot_follow_dosing_instructions",
        )
    },
    **{
        f"serious side effect of {d}": {"bone_protection": {"current": "none", "serious_side_effects": [d]}}
        for d in BONE_DRUGS
    },
    "on denosumab, CrCl 25": {"bone_protection": {"current": "denosumab", "years": 2}, "creatinine_clearance": 25},
    "alendronate 6 years, CrCl 25": {
        "bone_protection": {"current": "alendronate", "years": 6},
        "creatinine_clearance": 25,
    },
    "fracture on alendronate": {
        "bone_protection": {"current": "alendronate", "years": 6, "fracture_while_on_treatment": True}
    },
    "very high risk, CrCl 25": {"spine_imaging": {"fracture_count": 3}, "creatinine_clearance": 25},
    "very high risk, barrier": {
        "spine_imaging": {"fracture_count": 3},
        "oral_bisphosphonate_barriers": ["cannot_stay_upright"],
    },
}


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return {k: v for k, v in out.items() if v is not None}


COMBINATIONS = [
    pytest.param(_merge(FRACTURE, {**extra, "assessor_role": role}), id=f"{name}, {role}")
    for (name, extra), role in itertools.product(CONTRAINDICATIONS.items(), ("gp", "nurse", "physio"))
]


@pytest.mark.parametrize("data", COMBINATIONS)
def test_a_fracture_with_each_contraindication_never_starts_a_ruled_out_drug(data):
    assert unsafe_directives(data) == []
    assert unchecked_drugs(data) == []


def _prompts(data: dict) -> dict[str, dict]:
    return {p["id"]: p for p in evaluate_data(_merge(FRACTURE, data), today=TODAY)["prompts"]}


def test_the_check_can_fail():
    """The scanner finds what the old fixed wording said with a creatinine clearance of 20, and passes its own
    wording for the same patient and a drug's reason for not being offered."""
    checks = drug_checks(_merge(FRACTURE, {"creatinine_clearance": 20}))
    assert checks["alendronate"].status == NOT_OFFERED
    old = "Start an oral bisphosphonate: alendronic acid 70 mg weekly or risedronate 35 mg weekly. Take it on waking."
    assert unsafe_clauses(old, checks) == [
        ("start an oral bisphosphonate: alendronic acid 70 mg weekly or risedronate 35 mg weekly.", "alendronate"),
        ("start an oral bisphosphonate: alendronic acid 70 mg weekly or risedronate 35 mg weekly.", "risedronate"),
    ]
    assert unsafe_clauses("If referral will be slow, start an oral bisphosphonate meanwhile.", checks) == [
        ("if referral will be slow, start an oral bisphosphonate meanwhile.", "class:oral bisphosphonate")
    ]
    assert unsafe_clauses("Alendronic acid is not offered: creatinine clearance 20 mL/min.", checks) == []
    assert unsafe_clauses("Arrange denosumab, usually via the specialist service.", checks) == [
        ("arrange denosumab, usually via the specialist service.", "denosumab")
    ]


def test_hypercalcaemia_with_a_fracture_holds_every_drug_and_is_urgent():
    """The issue's case: 64, back pain, a fracture and a high calcium was told to start alendronic acid."""
    prompts = _prompts({"age": 64, "adjusted_calcium": 2.9})
    assert prompts["investigations.high_calcium"]["priority"] == "urgent"
    assert "within 48 hours" in prompts["investigations.high_calcium"]["detail"]
    assert "investigations.myeloma_screen" in prompts or "investigations.bloods" in prompts
    assert "bone.oral_bisphosphonate" not in prompts and "bone.oral_bisphosphonate_unsuitable" not in prompts
    assert prompts["bone.start_treatment"]["title"] == "Bone protection is indicated, but not to be started here yet"
    assert prompts["bone.calcium_vitamin_d"]["actions"] == [
        "Hold calcium and vitamin D supplements until the high calcium is explained"
    ]
    assert "start" not in " ".join(prompts["bone.specialist_referral"]["actions"]).lower()


def test_each_oral_bisphosphonate_has_its_own_renal_limit():
    both = _prompts({"creatinine_clearance": 35})["bone.oral_bisphosphonate"]["title"]
    assert "alendronic acid" in both and "risedronate" in both
    risedronate_only = _prompts({"creatinine_clearance": 32})["bone.oral_bisphosphonate"]
    assert "alendronic acid" not in risedronate_only["title"] and "risedronate" in risedronate_only["title"]
    assert "not recommended below 35" in risedronate_only["detail"]
    neither = _prompts({"creatinine_clearance": 29})
    assert "bone.oral_bisphosphonate" not in neither
    assert neither["bone.oral_bisphosphonate_unsuitable"]["title"].endswith("seek specialist advice on bone protection")


def test_a_premenopausal_or_pregnant_woman_is_not_started_on_a_drug_here():
    for extra in (
        {"age": 40, "postmenopausal": False},
        {"age": 40, "postmenopausal": False, "pregnant_or_breastfeeding": True},
    ):
        prompts = _prompts(extra)
        assert "bone.oral_bisphosphonate" not in prompts
        assert "secondary-cause work-up" in prompts["bone.specialist_referral"]["detail"]
        assert "Cushing" in prompts["investigations.bloods"]["detail"]
    unknown = _prompts({"age": 45, "postmenopausal": None})["bone.oral_bisphosphonate"]
    assert "menopausal status" in unknown["title"] and "pregnancy and breastfeeding" in unknown["title"]
    assert {"postmenopausal", "pregnant_or_breastfeeding"} <= set(unknown["unknowns"])


def test_a_previous_serious_side_effect_rules_that_drug_out():
    prompts = _prompts({"bone_protection": {"current": "none", "serious_side_effects": ["alendronate"]}})
    oral = prompts["bone.oral_bisphosphonate"]
    assert (
        "alendronic acid" not in oral["title"] and "a serious side effect of alendronic acid before" in oral["detail"]
    )


def test_a_fracture_on_treatment_continues_and_refers_never_pauses():
    prompts = _prompts({"bone_protection": {"current": "alendronate", "years": 6, "fracture_while_on_treatment": True}})
    review = prompts["bone.review_treatment"]
    assert review["title"] == "Fracture on long-term bisphosphonate treatment: continue it and refer"
    assert "pause" not in " ".join(review["actions"]).replace("do not plan a pause", "")
    assert "continue" in prompts["bone.fracture_on_treatment"]["detail"]


def test_glucocorticoids_start_with_the_steroid_for_the_nogg_groups():
    base = {"age": 72, "sex": "female", "postmenopausal": True, "bone_protection": {"current": "none"}}
    planned = {
        **base,
        "glucocorticoids": {"current_or_recent": True, "prednisolone_mg_per_day": 5, "months": 0, "planned_months": 6},
    }
    ids = {p["id"] for p in evaluate_data(planned, today=TODAY)["prompts"]}
    assert "bone.start_treatment" in ids
    short = {**planned, "glucocorticoids": {**planned["glucocorticoids"], "planned_months": 1}}
    assert "bone.start_treatment" not in {p["id"] for p in evaluate_data(short, today=TODAY)["prompts"]}
    unknown = {**planned, "glucocorticoids": {**planned["glucocorticoids"], "planned_months": None}}
    result = evaluate_data(unknown, today=TODAY)
    assert "glucocorticoids.planned_months" in {u["field"] for u in result["unknowns"]}


def test_zoledronic_acid_is_named_first_line_beside_the_oral_drugs_when_its_check_allows():
    detail = _prompts({})["bone.oral_bisphosphonate"]["detail"]
    assert "zoledronic acid 5 mg once a year is also a first-line choice (NOGG 2022)" in detail
    below_35 = _prompts({"creatinine_clearance": 34})["bone.oral_bisphosphonate"]["detail"]
    assert "also a first-line choice" not in below_35  # contraindicated below 35 (SmPC)

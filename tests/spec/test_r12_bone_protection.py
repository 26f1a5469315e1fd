"""Recommendation 12 (reconstructed): start NICE- and NOGG-aligned bone protection promptly, without waiting.

Prompts (all recommendation 12; referral.fls also serves it, see recommendation 10):
- bone.start_treatment: treatment indicated (confirmed fracture; NOGG band high or very high; high-dose steroids,
  i.e. current or recent for 3+ months at 7.5 mg/day+; or any very-high-risk feature) and no current bone
  protection. Unknown current protection counts as none (exception): fires, lists ``bone_protection.current``.
- bone.oral_bisphosphonate: start_treatment, no barrier, renal function (CrCl if given, else eGFR) not below 35;
  unknown renal function: fires and says check it first. bone.oral_bisphosphonate_unsuitable: start_treatment
  and (a barrier or renal below 35); detail: "below 35" from 30 to 35, specialist advice below 30.
- bone.pre_treatment_checks: start_treatment. bone.calcium_vitamin_d: treatment indicated or on protection.
  bone.dxa: (treatment indicated and no T-score) or band intermediate.
- bone.specialist_referral: very high risk (confirmed fracture recent, <= 24 months, or 2+; T-score <= -3.5;
  high-dose steroids; band very high; fracture on treatment), or a confirmed fracture in someone not in scope.
- investigations.bloods: confirmed fracture. falls.assessment: in scope and (confirmed fracture, prior fragility
  fracture or 1+ falls in the last year).
- bone.review_treatment: alendronate/risedronate/ibandronate 5+ years, zoledronate 3+ years; "70 or over:
  usually continue" when age minus years is 70+. bone.fracture_on_treatment: fracture while on treatment.
  bone.denosumab_continuity: on denosumab.
Out of scope with a confirmed fracture: start_treatment still fires, its detail says the patient is outside
NOGG's population. With a red flag, bone.* details start "First exclude malignancy, infection or trauma".
"""

import pytest

from .conftest import (
    FRACTURE,
    HIGH_BAND,
    QUIET,
    check_scenario,
    check_unknown,
    merge,
    prompt,
    run,
    scenario_params,
    unknown_params,
)

START, ORAL, UNSUIT, CHECKS = (
    "bone.start_treatment",
    "bone.oral_bisphosphonate",
    "bone.oral_bisphosphonate_unsuitable",
    "bone.pre_treatment_checks",
)
CALCIUM, DXA, SPEC, BLOODS = "bone.calcium_vitamin_d", "bone.dxa", "bone.specialist_referral", "investigations.bloods"
FALLS, REVIEW, FOT, DENOS = (
    "falls.assessment",
    "bone.review_treatment",
    "bone.fracture_on_treatment",
    "bone.denosumab_continuity",
)
FRAC = merge(QUIET, FRACTURE, age=70)
HIGH_CA = "investigations.high_calcium"
HIGH = merge(QUIET, HIGH_BAND)


def gc(mg, months=3):
    return merge(QUIET, glucocorticoids={"current_or_recent": True, "prednisolone_mg_per_day": mg, "months": months})


def on(drug, years, **extra):
    return merge(QUIET, age=78, bone_protection={"current": drug, "years": years, **extra})


def months_ago(n, count=1):
    return merge(FRAC, spine_imaging={"months_since_fracture": n, "fracture_count": count})


def renal(**values):
    return merge(FRAC, {"egfr": None}, values)


SCENARIOS = [
    ("confirmed fracture", FRAC, {START, ORAL, CHECKS, CALCIUM, BLOODS, FALLS, "referral.fls"}, {UNSUIT, SPEC, DXA}),
    ("confirmed fracture, T-score unknown", merge(FRAC, dxa_lowest_t_score=None), {DXA}, set()),
    ("band high, no fracture", HIGH, {START, ORAL, CHECKS, CALCIUM}, {BLOODS, SPEC, DXA, FALLS}),
    ("band high, T-score unknown", merge(HIGH, dxa_lowest_t_score=None), {DXA}, set()),
    ("band intermediate", merge(QUIET, nogg_category="intermediate"), {DXA}, {START, CALCIUM}),
    ("band low, nothing else", QUIET, set(), {START, ORAL, CHECKS, CALCIUM, DXA, SPEC, BLOODS, FALLS}),
    ("band very high", merge(QUIET, nogg_category="very_high"), {START, SPEC}, set()),
    ("prednisolone 7.5 mg for 3 months", gc(7.5), {START, SPEC}, set()),
    ("prednisolone 7.4 mg for 3 months", gc(7.4), set(), {START, SPEC}),
    ("prednisolone 10 mg for 2 months", gc(10, months=2), set(), {START, SPEC}),
    ("T-score -3.5", merge(QUIET, dxa_lowest_t_score=-3.5), {START, SPEC}, set()),
    ("T-score -3.4", merge(QUIET, dxa_lowest_t_score=-3.4), set(), {START, SPEC}),
    ("fracture 24 months ago", months_ago(24), {SPEC}, set()),
    ("fracture 25 months ago", months_ago(25), set(), {SPEC}),
    ("two fractures, 30 months ago", months_ago(30, count=2), {SPEC}, set()),
    (
        "fracture while on alendronate",
        merge(FRAC, bone_protection={"current": "alendronate", "years": 2, "fracture_while_on_treatment": True}),
        {FOT, SPEC, CALCIUM},
        {START},
    ),
    (
        "on alendronate, no fracture on it",
        on("alendronate", 2, fracture_while_on_treatment=False),
        {CALCIUM},
        {START, CHECKS, FOT, SPEC},
    ),
    ("fracture, current protection unknown", merge(FRAC, bone_protection={"current": None}), {START, CHECKS}, set()),
    ("fracture in a premenopausal woman", merge(FRAC, age=45, postmenopausal=False), {START, SPEC, BLOODS}, {FALLS}),
    ("fracture, woman 45, status unknown", merge(FRAC, age=45, postmenopausal=None), {SPEC}, set()),
    (
        "barrier: swallowing difficulty",
        merge(FRAC, oral_bisphosphonate_barriers=["swallowing_difficulty"]),
        {UNSUIT},
        {ORAL},
    ),
    ("creatinine clearance 35", renal(creatinine_clearance=35), {ORAL}, {UNSUIT}),
    ("creatinine clearance 34.9: risedronate only", renal(creatinine_clearance=34.9), {ORAL}, {UNSUIT}),
    ("creatinine clearance 30: risedronate only", renal(creatinine_clearance=30), {ORAL}, {UNSUIT}),
    ("creatinine clearance 29.9", renal(creatinine_clearance=29.9), {UNSUIT}, {ORAL}),
    ("eGFR 35", renal(egfr=35), {ORAL}, {UNSUIT}),
    ("eGFR 34.9: risedronate only", renal(egfr=34.9), {ORAL}, {UNSUIT}),
    ("eGFR 29.9", renal(egfr=29.9), {UNSUIT}, {ORAL}),
    ("CrCl 40 wins over eGFR 20", renal(creatinine_clearance=40, egfr=20), {ORAL}, {UNSUIT}),
    ("CrCl 29 wins over eGFR 80", renal(creatinine_clearance=29, egfr=80), {UNSUIT}, {ORAL}),
    ("renal function unknown", renal(), {ORAL}, {UNSUIT}),
    ("alendronate 5 years", on("alendronate", 5), {REVIEW}, set()),
    ("alendronate 4.9 years", on("alendronate", 4.9), set(), {REVIEW}),
    ("risedronate 5 years", on("risedronate", 5), {REVIEW}, set()),
    ("ibandronate 5 years", on("ibandronate", 5), {REVIEW}, set()),
    ("alendronate 3 years", on("alendronate", 3), set(), {REVIEW}),
    ("zoledronate 3 years", on("zoledronate", 3), {REVIEW}, set()),
    ("zoledronate 2.9 years", on("zoledronate", 2.9), set(), {REVIEW}),
    ("denosumab 10 years", on("denosumab", 10), {DENOS, CALCIUM}, {REVIEW, START}),
    ("on alendronate", on("alendronate", 2), set(), {DENOS}),
    ("a fall in the last year", merge(QUIET, falls_last_year=1), {FALLS}, set()),
    ("prior fragility fracture", merge(QUIET, prior_fragility_fracture=True), {FALLS}, set()),
    ("man of 45 who fell", merge(QUIET, sex="male", age=45, falls_last_year=3), set(), {FALLS}),
    ("adjusted calcium 2.7", merge(FRAC, adjusted_calcium=2.7), {HIGH_CA, START, CHECKS, CALCIUM}, {ORAL, UNSUIT}),
    ("adjusted calcium 2.6", merge(FRAC, adjusted_calcium=2.6), {ORAL}, {HIGH_CA}),
    (
        "steroid 5 mg for 1 month, 6 planned, aged 72",
        merge(gc(5, months=1), age=72, glucocorticoids={"planned_months": 6}),
        {START, ORAL},
        {SPEC},
    ),
    (
        "steroid 5 mg for 1 month, 2 planned, aged 72",
        merge(gc(5, months=1), age=72, glucocorticoids={"planned_months": 2}),
        set(),
        {START},
    ),
    (
        "steroid 10 mg planned for 3 months, aged 60",
        merge(gc(10, months=0), glucocorticoids={"planned_months": 3}),
        {START},
        {SPEC},
    ),
    (
        "steroid 5 mg for 4 months, prior fracture",
        merge(gc(5, months=4), prior_fragility_fracture=True),
        {START},
        set(),
    ),
    ("steroid 5 mg for 4 months, aged 69, no fracture", merge(gc(5, months=4), age=69), set(), {START}),
    (
        "pregnant woman of 40 with a fracture",
        merge(FRAC, age=40, postmenopausal=False, pregnant_or_breastfeeding=True),
        {START, SPEC},
        {ORAL, UNSUIT},
    ),
]

UNKNOWNS = [
    (f"band unknown ({r})", merge(QUIET, nogg_category=None), r, "nogg_category") for r in (START, ORAL, CHECKS)
] + [
    ("band and T-score unknown", merge(QUIET, nogg_category=None, dxa_lowest_t_score=None), DXA, "nogg_category"),
    ("renal unknown, no barrier", renal(), UNSUIT, "creatinine_clearance"),
    (
        "protection unknown, no indication",
        merge(QUIET, bone_protection={"current": None}),
        CALCIUM,
        "bone_protection.current",
    ),
    ("T-score unknown, nothing else", merge(QUIET, dxa_lowest_t_score=None), SPEC, "dxa_lowest_t_score"),
    (
        "fracture status unknown",
        merge(QUIET, vertebral_fractures_known=None, spine_imaging={"result": None}),
        BLOODS,
        "vertebral_fractures_known",
    ),
    ("falls unknown", merge(QUIET, falls_last_year=None), FALLS, "falls_last_year"),
    ("years on alendronate unknown", on("alendronate", None), REVIEW, "bone_protection.years"),
    ("fracture on treatment unknown", on("alendronate", 2), FOT, "bone_protection.fracture_while_on_treatment"),
    ("current protection unknown", merge(QUIET, bone_protection={"current": None}), DENOS, "bone_protection.current"),
]


@scenario_params(SCENARIOS)
def test_scenarios(description, overrides, must_fire, must_not_fire):
    check_scenario(overrides, must_fire, must_not_fire)


@unknown_params(UNKNOWNS)
def test_unknown_input_is_not_fired_and_listed(description, overrides, rule_id, field):
    check_unknown(overrides, rule_id, field)


def test_start_treatment_wording():
    p = prompt(run(**FRAC), START)
    assert p["detail"].startswith("Offer bone protection now")
    assert "do not wait for it" in p["detail"]
    assert "spine imaging shows a vertebral fracture" in p["because"]
    assert p["recommendations"] == [12]
    assert "alongside the steroid" in prompt(run(**gc(10)), START)["detail"]
    assert "alongside the steroid" in prompt(run(**merge(gc(5), age=72)), START)["detail"]
    assert "revisit" in prompt(run(**merge(FRAC, bone_protection={"declined": True})), START)["detail"]


def test_unknown_current_protection_says_if_not_already_and_is_listed():
    p = prompt(run(**merge(FRAC, bone_protection={"current": None})), START)
    assert p["detail"].startswith("If not already on bone protection")
    assert "bone_protection.current" in p["unknowns"]


def test_out_of_scope_fracture_says_outside_nogg_population():
    result = run(**merge(FRAC, age=45, postmenopausal=False))
    assert "outside NOGG's population" in prompt(result, START)["detail"]
    assert "secondary-cause work-up" in prompt(result, SPEC)["detail"]
    assert "outside NOGG" not in prompt(run(**FRAC), START)["detail"]


def test_unknown_menopausal_status_under_50_is_not_called_outside_nogg_population():
    """Scope is undecided (not "out of scope") for a woman under 50 whose menopausal status is not recorded: the
    specialist referral still fires (the safer reading, hazard log), but nothing says she is premenopausal."""
    result = run(**merge(FRAC, age=49, postmenopausal=None, menopause_before_45=None))
    spec, start = prompt(result, SPEC), prompt(result, START)
    assert "vertebral fracture in a woman under 50 whose menopausal status is not recorded" in spec["because"]
    assert not any("outside" in b for b in spec["because"])
    assert "if she is premenopausal" in spec["detail"]
    assert "postmenopausal" in spec["unknowns"]
    assert "Menopausal status is not recorded" in start["detail"]
    assert "This patient is outside NOGG's population" not in start["detail"]
    assert "postmenopausal" in [u["field"] for u in result["unknowns"]]


@pytest.mark.parametrize(
    "overrides, present, absent",
    [
        (
            renal(creatinine_clearance=29.9),
            "creatinine clearance 29.9 mL/min: below 30 the risk of severe hypocalcaemia is high",
            "Consider",
        ),
        (renal(egfr=29.9), "eGFR 29.9 mL/min: contraindicated below 35", "Consider"),
    ],
    ids=["CrCl 29.9", "eGFR 29.9"],
)
def test_unsuitable_renal_wording(overrides, present, absent):
    detail = prompt(run(**overrides), UNSUIT)["detail"]
    assert present in detail  # "eGFR" keeps its case: see test_egfr_label_keeps_its_case
    assert "No alternative can be started here: seek specialist advice." in detail
    assert absent not in detail


@pytest.mark.parametrize("renal_values", [{"creatinine_clearance": 34.9}, {"egfr": 34.9}, {"creatinine_clearance": 30}])
def test_between_30_and_35_risedronate_is_offered_and_alendronate_is_not(renal_values):
    """Each oral bisphosphonate has its own renal limit (SmPCs): alendronate 35, risedronate 30."""
    p = prompt(run(**renal(**renal_values)), ORAL)
    assert p["title"].endswith("start an oral bisphosphonate: risedronate 35 mg weekly")
    assert "alendronic acid" not in p["title"].lower()
    assert "Alendronic acid is not offered" in p["detail"] and "not recommended below 35 (SmPC)" in p["detail"]
    assert p["actions"][0].startswith("Prescribe risedronate 35 mg once a week")


BARRIER = {"oral_bisphosphonate_barriers": ["swallowing_difficulty"]}


@pytest.mark.parametrize(
    "overrides, actions",
    [
        (renal(creatinine_clearance=29.9), ["Seek specialist advice before any bone protection"]),
        (renal(egfr=29.9), ["Seek specialist advice before any bone protection"]),
        (
            merge(renal(creatinine_clearance=30), BARRIER),
            [
                "Arrange denosumab, usually via the specialist service, "
                "once the checks and corrections before it are done"
            ],
        ),
        (
            merge(renal(creatinine_clearance=35), BARRIER),
            [
                "Arrange IV zoledronic acid or denosumab, usually via the specialist service, once the checks and "
                "corrections before it are done"
            ],
        ),
        (
            merge(renal(creatinine_clearance=35), BARRIER, adjusted_calcium=2.4, vitamin_d_nmol_l=60),
            ["Arrange IV zoledronic acid or denosumab, usually via the specialist service"],
        ),
        (
            merge(renal(), BARRIER),
            [
                "Arrange IV zoledronic acid or denosumab, usually via the specialist service, once the checks and "
                "corrections before it are done"
            ],
        ),
    ],
    ids=["CrCl 29.9", "eGFR 29.9", "CrCl 30 with a barrier", "CrCl 35 with a barrier", "all known", "unknown renal"],
)
def test_unsuitable_actions_never_offer_what_renal_function_rules_out(overrides, actions):
    """The action line follows the detail: zoledronic acid is never offered below 35, nor either drug below 30."""
    assert prompt(run(**overrides), UNSUIT)["actions"] == actions


def test_unsuitable_with_renal_function_unknown_says_check_it_first():
    p = prompt(run(**merge(renal(), BARRIER)), UNSUIT)
    assert "Check renal function, calcium and vitamin D first, then consider" in p["detail"]
    assert {"creatinine_clearance", "egfr"} <= set(p["unknowns"])


def test_oral_bisphosphonate_wording():
    p = prompt(run(**renal()), ORAL)
    assert p["title"].startswith("Check renal function, calcium and vitamin D first, then start an oral")
    assert p["detail"].startswith("Before starting: check renal function, calcium and vitamin D.")
    assert "Cockcroft-Gault" in prompt(run(**renal(egfr=50)), ORAL)["detail"]
    p = prompt(run(**renal(creatinine_clearance=50)), ORAL)
    assert "Alendronic acid 70 mg once a week" in p["detail"] and "Cockcroft" not in p["detail"]
    assert "zoledronic acid 5 mg once a year is also a first-line choice" in p["detail"]
    known = prompt(run(**renal(creatinine_clearance=50, adjusted_calcium=2.4, vitamin_d_nmol_l=60)), ORAL)
    assert known["title"] == "Start an oral bisphosphonate: alendronic acid 70 mg weekly or risedronate 35 mg weekly"
    low = prompt(run(**renal(creatinine_clearance=50, adjusted_calcium=2.0, vitamin_d_nmol_l=60)), ORAL)
    assert low["title"].startswith("Correct low calcium (adjusted 2 mmol/L, below 2.2) first, then start")
    assert (
        "Alendronic acid is not offered: barrier to oral bisphosphonates: swallowing difficulty."
        in prompt(run(**merge(FRAC, oral_bisphosphonate_barriers=["swallowing_difficulty"])), UNSUIT)["detail"]
    )


@pytest.mark.parametrize("age, says", [(74, False), (75, True)], ids=["started at 69", "started at 70"])
def test_review_detail_70_or_over(age, says):
    detail = prompt(run(**merge(on("alendronate", 5), age=age)), REVIEW)["detail"]
    assert ("70 or over: usually continue" in detail) is says
    assert f"about {age - 5}" in detail


def test_specialist_mentions_romosozumab_for_postmenopausal_woman_with_recent_fracture():
    assert "romosozumab" in prompt(run(**months_ago(2)), SPEC)["detail"]
    assert "romosozumab" not in prompt(run(**merge(months_ago(2), sex="male")), SPEC)["detail"]


def test_bloods_and_checks_wording():
    assert "testosterone" in prompt(run(**merge(FRAC, sex="male")), BLOODS)["detail"]
    assert "testosterone" not in prompt(run(**FRAC), BLOODS)["detail"]
    assert "protein electrophoresis" in prompt(run(**FRAC), BLOODS)["detail"]
    p = prompt(run(**merge(FRAC, adjusted_calcium=2.1, vitamin_d_nmol_l=20)), CHECKS)
    assert "Adjusted calcium 2.1 mmol/L is low" in p["detail"] and "Vitamin D 20 nmol/L is deficient" in p["detail"]
    assert prompt(run(**FRAC), CHECKS)["actions"][0] == "Check adjusted calcium, vitamin D"


def test_each_pre_treatment_threshold_is_stated_by_a_source_the_prompt_cites():
    """The 2.2 mmol/L and 25 nmol/L in the checks' detail each come from a cited source that states them."""
    from core.rules.facts import CALCIUM_LOW, VITAMIN_D_DEFICIENT, num

    p = prompt(run(**FRAC), CHECKS)
    assert f"adjusted below {num(CALCIUM_LOW)} mmol/L" in p["detail"]
    assert f"below {num(VITAMIN_D_DEFICIENT)} nmol/L" in p["detail"]
    labels = [source["label"] for source in p["sources"]]
    assert any(f"adjusted calcium is {num(CALCIUM_LOW)}-2.6 mmol/L" in label for label in labels), labels
    assert any(f"below {num(VITAMIN_D_DEFICIENT)} nmol/L is deficient" in label for label in labels), labels
    assert any("hypocalcaemia must be corrected" in label for label in labels), labels


def test_red_flag_caveat_on_bone_prompts():
    result = run(**merge(FRAC, red_flags=["unexplained_weight_loss"]))
    for rule_id in (START, ORAL, CHECKS, CALCIUM):
        assert prompt(result, rule_id)["detail"].startswith("First exclude malignancy, infection or trauma")


@pytest.mark.parametrize(
    "role, start_lead, spec_lead, bloods_lead",
    [
        ("nurse", "Ask a prescriber", "Ask the GP to refer", "Request"),
        (
            "physio",
            "Ask the GP or first-contact practitioner to offer",
            "Ask the GP or first-contact practitioner to refer",
            "Ask the GP or first-contact practitioner to request",
        ),
    ],
)
def test_role_wording(role, start_lead, spec_lead, bloods_lead):
    result = run(**merge(months_ago(2), assessor_role=role))
    assert prompt(result, START)["actions"][0].startswith(start_lead)
    assert prompt(result, SPEC)["actions"][0].startswith(spec_lead)
    assert prompt(result, BLOODS)["actions"][0].startswith(bloods_lead)
    assert {p["id"] for p in result["prompts"]} == {p["id"] for p in run(**months_ago(2))["prompts"]}


def test_all_serve_recommendation_12():
    result = run(**merge(months_ago(2), dxa_lowest_t_score=None, falls_last_year=1))
    for p in result["prompts"]:
        if p["id"].startswith("bone.") or p["id"] in (BLOODS, FALLS):
            assert p["recommendations"] == [12], p["id"]


def test_egfr_label_keeps_its_case():
    assert "eGFR 29.9 mL/min: contraindicated below 35" in prompt(run(**renal(egfr=29.9)), UNSUIT)["detail"]

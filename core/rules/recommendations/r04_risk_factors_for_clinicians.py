"""Recommendation 4: primary-care guidance on risk factors when someone presents with back pain."""

from ..facts import Facts
from ..logic import NO, YES, Tri, all_of, not_known_true
from ..recommendation import Recommendation, Rule, acts


def _risk_condition(f: Facts) -> Tri:
    return all_of(f.in_scope, f.back_pain)


def _risk_detail(f: Facts) -> str:
    present = f.risk_factor_words(present=True)
    unknown = f.risk_factor_words(present=False)
    parts = [f"Present: {'; '.join(present)}." if present else "Present: none recorded."]
    if unknown:
        parts.append(f"Not known (ask): {'; '.join(unknown)}.")
    parts.append(
        "Risk factors for osteoporotic vertebral fracture: prior fragility fracture, a known vertebral fracture, "
        "oral glucocorticoids, parental hip fracture, smoking, alcohol over 14 units a week, rheumatoid "
        "arthritis, secondary causes, BMI under 18.5, early menopause, falls, and age (women 65+, men 75+)."
    )
    return " ".join(parts)


RISK_FACTORS = Rule(
    id="education.risk_factors",
    version=1,
    category="education",
    priority="info",
    title="Risk factors for vertebral fracture in this patient",
    title_kind="assess",
    fires_when="in scope and back pain",
    effect="risk-factor guidance",
    recommendations=(4,),
    sources=("bennett-t6", "nice-cg146", "nogg-s3-r4"),
    condition=_risk_condition,
    detail=_risk_detail,
    actions=acts(("assess", "Ask about the risk factors not yet known")),
)


def _frax_condition(f: Facts) -> Tri:
    band_unknown = YES if f.inp.nogg_category is None else NO
    return all_of(
        f.in_scope,
        f.any_risk_factor,
        not_known_true(f.confirmed),
        not_known_true(f.treatment_indicated),
        band_unknown,
    )


FRAX = Rule(
    id="risk.frax",
    version=3,
    category="assessment",
    priority="routine",
    title="Calculate FRAX and read the NOGG risk band",
    title_kind="assess",
    fires_when="in scope, a risk factor, no confirmed fracture, no treatment indicated, NOGG band unknown",
    effect="FRAX risk calculation",
    recommendations=(4,),
    sources=("nogg-s4", "nogg-tool", "nice-cg146", "nice-qs149-s1"),
    condition=_frax_condition,
    detail=lambda f: (
        "Calculate the 10-year fracture probability with FRAX (UK model, without BMD) and read the band in the "
        "NOGG tool; enter the band here to refine these prompts. Low: lifestyle advice and reassess within 5 "
        "years. Intermediate: DXA, then recalculate. High: treat, with DXA for a baseline. Very high: consider "
        "specialist referral."
    ),
    actions=acts(("assess", "Calculate FRAX without BMD and enter the NOGG band")),
)

RECOMMENDATION = Recommendation(
    number=4,
    version=1,
    title="Give primary-care clinicians guidance on risk factors when someone presents with back pain",
    audience="clinicians",
    status="verified",
    citations=("bennett-t6",),
    product="In-context guidance listing which risk factors the patient has and which are unknown.",
    rules=(RISK_FACTORS, FRAX),
)

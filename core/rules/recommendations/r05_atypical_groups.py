"""Recommendation 5: people without symptoms can have vertebral fractures; men and younger women are at risk."""

from ..facts import Facts
from ..logic import NO, Tri, all_of, any_of, unknown, yes
from ..recommendation import Recommendation, Rule, acts, static

YOUNGER_THAN = 65


def _condition(f: Facts) -> Tri:
    age = f.inp.age
    if f.male:
        group = yes(f"man aged {age}")
    elif age < YOUNGER_THAN:
        group = yes(f"woman aged {age} (under 65)" if f.female else f"aged {age} (under 65)")
    elif f.sex_unknown:
        group = unknown("sex")  # 65 or over: one of these groups only as a man
    else:
        return NO  # a woman aged 65 or over: not one of these groups, whatever the reason
    reason = any_of(f.suspected, f.confirmed, all_of(f.back_pain, f.any_risk_factor))
    return all_of(group, reason)


ATYPICAL = Rule(
    id="education.atypical_groups",
    version=3,
    category="education",
    priority="info",
    title="Men and younger women get vertebral fractures too",
    title_kind="assess",
    fires_when="a man, or anyone under 65, with a suspected or confirmed fracture, or with back pain and a risk factor",
    effect="guidance on groups who get missed",
    recommendations=(5,),
    sources=("bennett-t6", "nogg-s9-r6"),
    condition=_condition,
    detail=static(
        "Vertebral fractures are missed most in people who do not look 'typical': men and women under 65. Many "
        "vertebral fractures cause no symptoms at all. Do not rule one out because of age or sex."
    ),
    actions=acts(("assess", "Keep vertebral fracture in mind despite age or sex")),
)

RECOMMENDATION = Recommendation(
    number=5,
    version=1,
    title="Tell clinicians that people without symptoms can have vertebral fractures, and that men and younger "
    "women are at risk too",
    audience="clinicians",
    status="verified",
    citations=("bennett-t6",),
    product="A prompt for men and for women under 65; case-finding that does not stop at typical patients.",
    rules=(ATYPICAL,),
)

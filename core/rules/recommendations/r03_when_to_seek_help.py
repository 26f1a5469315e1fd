"""Recommendation 3: encourage patients with suggestive symptoms to see their GP, especially after a fall."""

from ..facts import Facts
from ..logic import NO, YES, Tri, all_of, not_known_true
from ..recommendation import Recommendation, Rule, acts, static


def _condition(f: Facts) -> Tri:
    # "No suspected or confirmed fracture": safety-netting advice is harmless, so only a fracture known to be
    # suspected or confirmed (which brings its own prompts) stops it.
    no_red_flag = NO if f.any_red_flag else YES
    return all_of(
        f.in_scope,
        f.back_pain,
        not_known_true(f.suspected),
        not_known_true(f.confirmed),
        no_red_flag,
    )


SAFETY_NET = Rule(
    id="safety_net.advice",
    version=3,
    category="patient_info",
    priority="info",
    title="Safety-net: tell the patient when to come back",
    title_kind="advise",
    fires_when="in scope, back pain, no suspected or confirmed fracture, no red flag",
    effect="safety-netting advice",
    recommendations=(3,),
    sources=("bennett-t6", "bnssg-patient", "cks-red-flags", "nhs-cauda-equina"),
    condition=_condition,
    detail=static(
        "Ask the patient to come back if the pain does not settle over the next few weeks or gets worse, if "
        "they notice their back curving or that they are getting shorter, or if new symptoms appear. They "
        "should go to A&E or call 111 straight away for numbness between the legs or around the bottom, new "
        "problems controlling the bladder or bowel, or weakness in the legs."
    ),
    actions=acts(("advise", "Tell the patient when to come back, and which symptoms need A&E or 111 straight away")),
)

RECOMMENDATION = Recommendation(
    number=3,
    version=1,
    title="Encourage patients with suggestive symptoms to see their GP, especially (not only) after a fall or injury",
    audience="patients",
    status="verified",
    citations=("bennett-t6",),
    product="Help-seeking and safety-netting advice in the leaflet and in the consultation summary.",
    rules=(SAFETY_NET,),
)

"""Recommendation 1: tell patients what a vertebral fracture is and its symptoms."""

from ..facts import Facts
from ..logic import Tri, all_of, any_of
from ..recommendation import Recommendation, Rule, acts


def _about_condition(f: Facts) -> Tri:
    return any_of(f.suspected, f.confirmed, all_of(f.in_scope, f.back_pain))


def _about_detail(f: Facts) -> str:
    present = f.risk_factor_words(present=True)
    mine = f" This patient's own risk factors: {'; '.join(present)}." if present else ""
    return (
        "Give the patient the leaflet on vertebral (spinal) fractures: what they are; the symptoms (severe back "
        "pain that does not settle with time, curving of the spine, loss of height); the risk factors, such as "
        "the menopause and steroid tablets; and when to see the GP, especially, but not only, after a fall or "
        "injury." + mine
    )


ABOUT = Rule(
    id="patient_info.about_vertebral_fracture",
    version=2,
    category="patient_info",
    priority="info",
    title="Give the patient information about vertebral fractures",
    title_kind="advise",
    fires_when="suspected or confirmed fracture, or in scope with back pain",
    effect="patient information",
    recommendations=(1, 2, 3),
    sources=("bennett-t6", "erohub-patient", "bnssg-patient"),
    condition=_about_condition,
    detail=_about_detail,
    actions=acts(
        (
            "advise",
            "Give the vertebral fracture leaflet and go through the symptoms and risk factors",
        )
    ),
)

RECOMMENDATION = Recommendation(
    number=1,
    version=1,
    title="Tell patients what a vertebral fracture is and its symptoms",
    audience="patients",
    status="verified",
    citations=("bennett-t6",),
    product="Plain-language patient information, printable, given at the consultation.",
    rules=(ABOUT,),
)

"""Recommendation 6: primary-care guidance on the symptoms of vertebral fracture."""

from ..facts import Facts
from ..logic import Tri, all_of
from ..recommendation import Recommendation, Rule, acts


def _condition(f: Facts) -> Tri:
    return all_of(f.in_scope, f.back_pain)


def _detail(f: Facts) -> str:
    bp = f.inp.back_pain
    seen = [
        label
        for label, on in (
            ("sudden onset", bp.onset == "sudden"),
            ("thoracic pain", bp.site in ("thoracic", "both")),
            ("after minor trauma", bp.after_minor_trauma),
            ("severe", bp.severe),
            ("not improving", bp.not_improving),
            ("eased by lying down", bp.eased_by_lying),
        )
        if on
    ]
    here = f" This patient: {', '.join(seen)}." if seen else ""
    return (
        "Features that point to a vertebral fracture: sudden, severe back pain, often thoracic, that does not "
        "settle with time; pain eased by lying down; pain starting after a minor fall, lifting, bending or "
        "coughing; loss of height; new curving of the spine. Many vertebral fractures cause no symptoms." + here
    )


SYMPTOMS = Rule(
    id="education.symptoms",
    version=1,
    category="education",
    priority="info",
    title="Symptoms that point to a vertebral fracture",
    title_kind="assess",
    fires_when="in scope and back pain",
    effect="symptom guidance",
    recommendations=(6,),
    sources=("bennett-t6", "nogg-s9-r6", "clark-2016", "cks-red-flags"),
    condition=_condition,
    detail=_detail,
    actions=acts(("assess", "Ask about onset, site, severity, pain on lying down, height loss and curvature")),
)

RECOMMENDATION = Recommendation(
    number=6,
    version=1,
    title="Give primary-care clinicians guidance on the symptoms of vertebral fracture",
    audience="clinicians",
    status="verified",
    citations=("bennett-t6",),
    product="In-context symptom guidance (onset, site, pain eased by lying, height loss, curvature).",
    rules=(SYMPTOMS,),
)

"""Recommendation 7: GP guidance on a full assessment for vertebral fracture, including examination."""

from ..facts import Facts
from ..logic import Tri, all_of
from ..recommendation import Recommendation, Rule, acts


def _condition(f: Facts) -> Tri:
    return all_of(f.in_scope, f.back_pain)


def _detail(f: Facts) -> str:
    ask = [] if f.inp.historical_height_loss_cm is not None else ["historical height loss"]
    if f.inp.kyphosis is None:
        ask.append("kyphosis")
    missing = f" Not yet recorded: {', '.join(ask)}." if ask else ""
    return (
        "Measure height now and compare it with the tallest height the patient remembers as an adult (a loss "
        "of 4 cm or more prompts spine imaging); look for kyphosis; feel for spinal tenderness; examine the "
        "legs neurologically; and ask about red flags (cancer, weight loss, night pain, fever, "
        "immunosuppression, bladder or bowel symptoms, saddle numbness)." + missing
    )


EXAMINATION = Rule(
    id="assessment.examination",
    version=1,
    category="assessment",
    priority="routine",
    title="Examine for a vertebral fracture",
    title_kind="assess",
    fires_when="in scope and back pain",
    effect="the examination checklist",
    recommendations=(7,),
    sources=("bennett-t6", "nogg-s3-r4", "siminoski-2006", "cks-red-flags"),
    condition=_condition,
    detail=_detail,
    actions=acts(
        ("assess", "Measure height and compare with the tallest remembered adult height"),
        ("assess", "Look for kyphosis and spinal tenderness"),
        ("assess", "Examine lower-limb neurology and ask about red flags"),
    ),
)

RECOMMENDATION = Recommendation(
    number=7,
    version=1,
    title="Guide GPs through a full assessment for vertebral fracture, including physical examination",
    audience="GPs",
    status="verified",
    citations=("bennett-t6",),
    product="Examination checklist: measured vs tallest height, kyphosis, spinal tenderness, neurology, red flags.",
    rules=(EXAMINATION,),
)

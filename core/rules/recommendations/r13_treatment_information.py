"""Recommendation 13 (reconstructed): information on treatment and self-management after diagnosis."""

from ..facts import Facts
from ..logic import Tri, all_of, any_of
from ..recommendation import HEADING, Action, Recommendation, Rule, acts

_ANALGESIA = Action(
    "prescribe", "Prescribe titrated oral analgesia (avoid NSAIDs in older people; laxative with opioids)"
)
_PHYSIOTHERAPY = Action("refer", "Refer to physiotherapy for back-extensor strengthening")
# A physiotherapist gives the rehabilitation (NOGG section 8), so is not told to ask for a physiotherapy referral.
_REHABILITATION = Action(
    "advise", "Start progressive back-extensor strengthening (unloaded if painful) and advise on everyday movements"
)


def _pain_actions(f: Facts) -> tuple[Action, ...]:
    return (_ANALGESIA, _REHABILITATION if f.inp.assessor_role == "physio" else _PHYSIOTHERAPY)


PAIN = Rule(
    id="pain.management",
    version=3,
    category="assessment",
    priority="routine",
    title="Pain relief and rehabilitation for the fracture",
    title_kind=HEADING,
    fires_when="confirmed fracture and back pain",
    effect="pain management",
    recommendations=(13,),
    sources=("nogg-s8", "nice-ta279"),
    condition=lambda f: all_of(f.confirmed, f.back_pain),
    detail=lambda f: (
        "Oral analgesia, titrated: the weakest that works, for the shortest time. Avoid NSAIDs in older people "
        "(or give a proton pump inhibitor and monitor). Give a laxative with opioids. Physiotherapy for "
        "progressive back-extensor strengthening and advice on everyday movements. Vertebroplasty or kyphoplasty "
        "only for severe ongoing pain from a recent unhealed fracture despite optimal analgesia (NICE TA279)."
    ),
    actions=_pain_actions,
)


def _treatment_info_condition(f: Facts) -> Tri:
    return any_of(f.start_treatment, f.on_treatment)


TREATMENT_INFO = Rule(
    id="patient_info.treatment",
    version=3,
    category="patient_info",
    priority="info",
    title="Give the patient information on treatment and self-management",
    title_kind="advise",
    fires_when="bone.start_treatment fires, or on bone protection",
    effect="treatment information",
    recommendations=(13,),
    sources=("bennett-reconstructed", "nhs-alendronic-acid", "nogg-s8"),
    condition=_treatment_info_condition,
    detail=lambda f: (
        "Patient information on the medicine and how to take it, side effects worth reporting, calcium and "
        "vitamin D, exercise, pain relief and preventing falls."
    ),
    actions=acts(("advise", "Give the treatment and self-management information")),
)

RECOMMENDATION = Recommendation(
    number=13,
    version=1,
    title="Give patients information on treatment and self-management after diagnosis",
    audience="patients",
    status="reconstructed",
    citations=("bennett-reconstructed",),
    product="Treatment and self-management information; pain and rehabilitation prompt.",
    rules=(PAIN, TREATMENT_INFO),
)

"""Recommendation 10 (reconstructed): clear communication of the diagnosis, with the actions needed."""

from ..codes import (
    FRAGILITY_FRACTURE,
    OSTEOPOROTIC_FRACTURE_LUMBAR_VERTEBRA,
    OSTEOPOROTIC_FRACTURE_THORACIC_VERTEBRA,
    OSTEOPOROTIC_VERTEBRAL_COLLAPSE,
    SnomedCode,
)
from ..facts import Facts
from ..logic import Tri, all_of, fact, not_known_true
from ..recommendation import Recommendation, Rule, acts


def _record_condition(f: Facts) -> Tri:
    # prompts.md: an unknown record is treated as not coded (missing the code is the harm), and said so.
    coded = fact(f.inp.record.vertebral_fracture_coded, "record.vertebral_fracture_coded")
    return all_of(f.confirmed, not_known_true(coded))


def _levels(f: Facts) -> tuple[str, ...]:
    """The levels of this imaging's fracture: the report's, when this imaging is what confirms the fracture (its
    result recorded as a fracture, or the report stating one), not a fracture only known from before."""
    this_imaging = f.inp.spine_imaging.result == "fracture" or f.report_explicit
    return f.report.levels if f.report_given and this_imaging and not f.major_trauma else ()


def _level_codes(f: Facts) -> tuple[SnomedCode, ...]:
    """The vertebral concept for the levels the report names: thoracic, lumbar, or both only when both are involved;
    with no level known, the level-free Osteoporotic vertebral collapse."""
    levels = _levels(f)
    out = []
    if any(level.startswith("T") for level in levels):
        out.append(OSTEOPOROTIC_FRACTURE_THORACIC_VERTEBRA)
    if any(level.startswith("L") for level in levels):
        out.append(OSTEOPOROTIC_FRACTURE_LUMBAR_VERTEBRA)
    return tuple(out) if out else (OSTEOPOROTIC_VERTEBRAL_COLLAPSE,)


def _record_codes(f: Facts) -> tuple[SnomedCode, ...]:
    return (FRAGILITY_FRACTURE, *_level_codes(f))


def _record_detail(f: Facts) -> str:
    lead = "If not already coded: r" if f.inp.record.vertebral_fracture_coded is None else "R"
    register = ""
    if 50 <= f.inp.age <= 74:
        register = " For ages 50-74 the register also needs the DXA result or a T-score of -2.5 or below."
    concepts = " and ".join(f"{c.term} ({c.code})" for c in _level_codes(f))
    levels = _levels(f)
    where = f" (the report names {', '.join(levels)})" if levels else " (no level is recorded here)"
    return (
        f"{lead}ecord Fragility fracture (306171000000106) with the fracture date, and {concepts}{where}. This puts "
        "the fracture on the record and keeps the osteoporosis register (QOF OST004) right." + register
    )


RECORD = Rule(
    id="diagnosis.record_vertebral_fracture",
    version=3,
    category="diagnosis",
    priority="routine",
    title="Record the vertebral fracture in the practice record",
    title_kind="record",
    fires_when="confirmed fracture and the record does not already code it (unknown counts as not coded); the "
    "vertebral concept follows the level the report names (thoracic, lumbar, both only when both)",
    effect="coding the fracture",
    recommendations=(10,),
    sources=("bennett-reconstructed", "opencodelists-ff"),
    condition=_record_condition,
    detail=_record_detail,
    actions=acts(("record", "Code the fragility fracture with its date and the vertebral fracture concept")),
    codes=(
        FRAGILITY_FRACTURE,
        OSTEOPOROTIC_VERTEBRAL_COLLAPSE,
        OSTEOPOROTIC_FRACTURE_THORACIC_VERTEBRA,
        OSTEOPOROTIC_FRACTURE_LUMBAR_VERTEBRA,
    ),
    patient_codes=_record_codes,
)


def _fls_condition(f: Facts) -> Tri:
    return f.confirmed


FLS = Rule(
    id="referral.fls",
    version=2,
    category="referral",
    priority="routine",
    title="Refer to the fracture liaison service",
    title_kind="refer",
    fires_when="confirmed fracture",
    effect="fracture liaison service referral",
    recommendations=(10, 12),
    sources=("bennett-reconstructed", "nogg-s8", "nogg-s9-r6"),
    condition=_fls_condition,
    detail=lambda f: (
        "Refer to the fracture liaison service or the local osteoporosis service. Every new vertebral fracture "
        "should have prompt secondary prevention with fracture liaison follow-up (NOGG 2022, section 8). Send "
        "the fracture level, date and what has been started."
    ),
    actions=acts(("refer", "Refer to the fracture liaison service or local osteoporosis service")),
)

RECOMMENDATION = Recommendation(
    number=10,
    version=1,
    title="Communicate a vertebral fracture diagnosis clearly between radiology, hospital and practice, with the "
    "actions needed",
    audience="clinicians",
    status="reconstructed",
    citations=("bennett-reconstructed",),
    product="Coding prompt, consultation summary, fracture liaison service referral prompt.",
    rules=(RECORD, FLS),
)

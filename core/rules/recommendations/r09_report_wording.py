"""Recommendation 9 (reconstructed): recognise fractures that imaging reports describe in other words."""

from ..facts import Facts
from ..logic import NO, Tri, all_of, not_known_true
from ..recommendation import HEADING, Recommendation, Rule, acts


def _matched(f: Facts, cls: str) -> tuple[str, ...]:
    phrases = ", ".join(f"'{p}'" for p in f.report.phrases(cls))
    levels = f.report.levels
    return (f"report wording: {phrases}",) + ((f"levels: {', '.join(levels)}",) if levels else ())


def _explicit_condition(f: Facts) -> Tri:
    return Tri(True, because=_matched(f, "explicit")) if f.report_explicit else NO


def _explicit_detail(f: Facts) -> str:
    text = (
        "The report states a vertebral fracture. It is treated as a confirmed fracture: record it, tell the "
        "patient, and follow the bone-protection prompts."
    )
    if f.major_trauma:
        text += " Major trauma is recorded, so it is not counted as an osteoporotic fracture here."
    return text


EXPLICIT = Rule(
    id="report.explicit_fracture",
    version=3,
    category="report",
    priority="routine",
    title="The report confirms a vertebral fracture",
    title_kind=HEADING,
    fires_when="report text states a vertebral fracture, not negated, and no urgent features",
    effect="report review",
    recommendations=(9,),
    sources=("bennett-reconstructed", "rcr-2023"),
    condition=_explicit_condition,
    detail=_explicit_detail,
    actions=acts(("record", "Record the fracture and act on the fracture prompts")),
)


def _probable_condition(f: Facts) -> Tri:
    # Once the fracture is confirmed (the imaging result, the fractures already known), there is nothing left to
    # confirm: the prompt goes, and the coding prompt follows.
    if not f.report_probable:
        return NO
    return all_of(Tri(True, because=_matched(f, "probable")), not_known_true(f.confirmed))


PROBABLE = Rule(
    id="report.probable_fracture",
    version=5,
    category="report",
    priority="routine",
    title="The report's wording usually means a vertebral fracture: confirm it and code it",
    title_kind=HEADING,
    fires_when="report text uses hidden fracture wording (wedging, loss of height, collapse ...), not negated, "
    "no explicit fracture, no urgent features, and the fracture not already confirmed",
    effect="report review",
    recommendations=(9,),
    sources=("bennett-reconstructed", "isr-audit", "rcr-2023"),
    condition=_probable_condition,
    detail=lambda f: (
        "Words such as 'wedging', 'loss of height', 'collapse' or 'compression' usually describe a vertebral "
        "fracture, but reports often do not call it one (in one audit only 2 of 9 fractures were called "
        "fractures, and those 2 were fully worked up and treated, unlike most of the rest). Ask the reporting "
        "radiologist to confirm. If it is a "
        "fracture, record it as one and follow the fracture prompts."
    ),
    actions=acts(
        ("assess", "Ask the reporting radiologist whether this is a vertebral fracture"),
        ("record", "Record the vertebral fracture if it is confirmed, and start the fracture pathway"),
    ),
)


def _urgent_condition(f: Facts) -> Tri:
    return Tri(True, because=_matched(f, "urgent")) if f.report_urgent else NO


URGENT = Rule(
    id="report.urgent_features",
    version=3,
    category="report",
    priority="urgent",
    title="The report suggests a possible non-osteoporotic cause: use the urgent route",
    title_kind=HEADING,
    fires_when="report text mentions lytic, destructive, metastasis, myeloma, pathological fracture, cord "
    "compression ...",
    effect="urgent referral",
    recommendations=(9,),
    sources=("bennett-reconstructed", "rcr-2023", "nice-ng234"),
    condition=_urgent_condition,
    detail=lambda f: (
        "The report describes features that may mean cancer, myeloma or another non-osteoporotic cause. Arrange "
        "urgent assessment by the local pathway (for example suspected cancer or metastatic spinal cord "
        "compression). The report does not count as a confirmed osteoporotic fracture."
    ),
    actions=acts(("refer", "Arrange urgent assessment by the suspected cancer or spinal metastases pathway")),
)

RECOMMENDATION = Recommendation(
    number=9,
    version=1,
    title="Recognise vertebral fractures that imaging reports describe in other words, and act on them",
    audience="clinicians",
    status="reconstructed",
    citations=("bennett-reconstructed", "isr-audit", "rcr-2023"),
    product="Radiology report screening.",
    rules=(EXPLICIT, PROBABLE, URGENT),
)

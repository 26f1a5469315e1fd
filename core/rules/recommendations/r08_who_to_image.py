"""Recommendation 8: an evidence-based tool for who needs spinal imaging, with the red flags that go another way."""

from ..facts import MYELOMA_AGE, MYELOMA_PAIN_WEEKS, RED_FLAG_WORDS, Facts
from ..logic import NO, YES, Tri, all_of, any_of, at_least, fact, yes
from ..recommendation import HEADING, Action, Recommendation, Rule, Timeframe, acts

_NOW = Timeframe("now: the emergency department", "nhs-cauda-equina")
_MSCC_NOW = Timeframe("immediately: the MSCC coordinator (an oncological emergency)", "ng234-mscc-timing")
_MSCC_24H = Timeframe("within 24 hours: discuss with the MSCC coordinator", "ng234-mscc-timing")
_INFECTION = Timeframe("same day", "spinal-infection-same-day")
_MYELOMA_48H = Timeframe("within 48 hours: protein electrophoresis and free light chains", "nice-ng12-hypercalcaemia")


def _urgent_timeframe(f: Facts) -> Timeframe | None:
    """The soonest time a guideline gives for this patient's urgent flags (none for weight loss or night pain)."""
    flags = set(f.urgent_flags)
    if "history_of_cancer" in flags:
        neuro = bool(f.emergency_flags)  # bladder, bowel, saddle or progressive neurological signs
        return _MSCC_NOW if neuro else _MSCC_24H
    if flags & {"fever", "immunosuppressed", "iv_drug_use"}:
        return _INFECTION
    return None


def _emergency_condition(f: Facts) -> Tri:
    if not f.emergency_flags:
        return NO
    return Tri(True, because=tuple(RED_FLAG_WORDS[x] for x in f.emergency_flags))


EMERGENCY = Rule(
    id="red_flag.emergency",
    version=3,
    category="safety",
    priority="emergency",
    title="Emergency department now: possible cauda equina, cord compression or major-trauma fracture",
    title_kind="emergency",
    fires_when="any emergency red flag (saddle anaesthesia, bladder or bowel dysfunction, progressive "
    "neurological deficit, major trauma)",
    effect="emergency referral",
    recommendations=(8,),
    sources=("cks-red-flags", "nice-ng59", "bnssg-imaging", "nhs-cauda-equina", "girft-ces"),
    condition=_emergency_condition,
    timeframe=lambda f: _NOW,
    detail=lambda f: (
        "Emergency red flags are present. Send the patient to the emergency department now, as the national "
        "suspected cauda equina pathway does (or to the on-call spinal team where the local pathway says so), "
        "for emergency MRI for suspected cauda equina or cord compression, and trauma assessment after major "
        "trauma. Do not wait for a routine referral: routine spine X-ray is not the route."
    ),
    actions=acts(
        (
            "emergency",
            "Send to the emergency department now (or the on-call spinal team, as the local pathway says)",
        )
    ),
)


def _urgent_condition(f: Facts) -> Tri:
    reasons = [RED_FLAG_WORDS[x] for x in f.urgent_flags]
    if f.report_urgent:
        phrases = ", ".join(f"'{p}'" for p in f.report.phrases("urgent"))
        reasons.append(f"report wording of urgent features ({phrases})")
    return Tri(True, because=tuple(reasons)) if reasons else NO


def _urgent_detail(f: Facts) -> str:
    flags = set(f.urgent_flags)
    parts = ["Features of serious spinal pathology: assess urgently before treating this as osteoporosis."]
    if "history_of_cancer" in flags:
        parts.append(
            "Known cancer with new spinal pain: follow the spinal metastases and metastatic spinal cord "
            "compression pathway (NICE NG234)."
        )
    if flags & {"fever", "immunosuppressed", "iv_drug_use"}:
        parts.append("Fever, immunosuppression or intravenous drug use: same-day assessment for spinal infection.")
    if flags & {"unexplained_weight_loss", "night_pain"}:
        parts.append("Unexplained weight loss or night pain: urgent assessment for malignancy, including myeloma.")
    if f.report_urgent:
        parts.append("The report describes features that may mean a non-osteoporotic cause (see the report prompt).")
    return " ".join(parts)


URGENT = Rule(
    id="red_flag.urgent",
    version=4,
    category="safety",
    priority="urgent",
    title="Urgent assessment for possible malignancy or infection",
    title_kind=HEADING,
    fires_when="any urgent red flag (history of cancer, unexplained weight loss, night pain, fever, "
    "immunosuppression, IV drug use) or report wording of urgent features",
    effect="urgent referral",
    recommendations=(8,),
    sources=("cks-red-flags", "nice-ng59", "nice-ng234", "ng234-mscc-timing", "spinal-infection-same-day"),
    condition=_urgent_condition,
    detail=_urgent_detail,
    timeframe=_urgent_timeframe,
    actions=acts(("refer", "Arrange urgent assessment for malignancy or infection by the local pathway")),
)


def _myeloma_condition(f: Facts) -> Tri:
    if f.inp.age < MYELOMA_AGE:
        return NO
    bp = f.inp.back_pain
    persistent = any_of(
        at_least(
            bp.duration_weeks,
            MYELOMA_PAIN_WEEKS,
            "back_pain.duration_weeks",
            "back pain for {n} week{s} (6 or more)",
        ),
        fact(bp.not_improving, "back_pain.not_improving", "back pain not improving"),
    )
    # A confirmed fracture never switches the screen off (NICE NG12 counts an unexplained fracture too), and a high
    # calcium is a reason of its own (NG12: hypercalcaemia in people aged 60 and over).
    rest = any_of(all_of(f.back_pain, persistent), f.high_calcium)
    if rest.value is not True:
        return rest  # the age part is true, so the whole is what the rest is
    return all_of(yes(f"aged {f.inp.age} (60 or over)"), rest)


MYELOMA = Rule(
    id="investigations.myeloma_screen",
    version=4,
    category="investigations",
    priority="routine",
    title="Check for myeloma: FBC, calcium, and ESR or plasma viscosity",
    title_kind="test",
    fires_when="age 60+ and (back pain lasting 6+ weeks or not improving, or adjusted calcium above 2.6), "
    "with or without a confirmed fracture",
    effect="myeloma blood tests",
    recommendations=(8,),
    sources=("nice-ng12", "nice-ng12-hypercalcaemia"),
    condition=_myeloma_condition,
    # NG12 gives a time only for the protein tests with hypercalcaemia (within 48 hours); none for the first bloods.
    timeframe=lambda f: _MYELOMA_48H if f.high_calcium.value else None,
    detail=lambda f: (
        "Aged 60 or over with persistent back pain or a high calcium: check full blood count, serum calcium, and "
        "ESR or plasma viscosity (NICE NG12). If these suggest myeloma, or there is hypercalcaemia or leucopenia, "
        "arrange very urgent serum protein electrophoresis and serum free light chains (within 48 hours)."
        + (
            " A vertebral fracture does not rule myeloma out: it can be the presenting fracture."
            if f.confirmed.value
            else ""
        )
    ),
    actions=acts(("test", "Request FBC, serum calcium, and ESR or plasma viscosity")),
)


def _imaging_condition(f: Facts) -> Tri:
    return all_of(f.suspected, NO if f.any_red_flag else YES)


def _imaging_actions(f: Facts) -> tuple[Action, ...]:
    return (
        Action(
            "image",
            "Request lateral thoracic and lumbar spine X-rays, or the local DXA vertebral fracture assessment route",
        ),
        Action(
            "image",
            "State 'suspected osteoporotic vertebral fracture' and the reasons on the request",
        ),
    )


IMAGING = Rule(
    id="imaging.spine_xray",
    version=1,
    category="imaging",
    priority="routine",
    title="Request lateral thoracic and lumbar spine X-rays",
    title_kind="image",
    fires_when="suspected fracture (in scope, not confirmed, not yet imaged, and height loss 4 cm+, kyphosis, "
    "long-term glucocorticoids, T-score -2.5 or below, or acute-onset back pain with a risk factor) and no "
    "emergency or urgent red flag",
    effect="spine imaging",
    recommendations=(8,),
    sources=("nogg-s3-r4", "nogg-s3-r4-gc", "nogg-s9-r6", "nogg-summary", "bnssg-imaging", "nice-ng59"),
    condition=_imaging_condition,
    detail=lambda f: (
        "A vertebral fracture is suspected (NOGG 2022). Request separate lateral thoracic and lumbar spine "
        "X-rays (a single thoracolumbar film can miss vertebrae), or use the local DXA vertebral fracture "
        "assessment route. State the suspected fracture and its reasons on the request, and ask for any fracture "
        "to be reported as a fracture with its level and grade. This is not routine back-pain imaging "
        "(NICE NG59): the suspected fracture is the reason."
    ),
    actions=_imaging_actions,
)

RECOMMENDATION = Recommendation(
    number=8,
    version=1,
    title="Use an evidence-based tool for who should be referred for spinal imaging",
    audience="clinicians",
    status="verified",
    citations=("bennett-t6",),
    product="The imaging rule (NOGG triggers) with its reasons, and the red-flag overrides.",
    rules=(EMERGENCY, URGENT, MYELOMA, IMAGING),
)

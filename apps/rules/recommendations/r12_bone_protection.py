"""Recommendation 12 (reconstructed): start NICE- and NOGG-aligned bone protection promptly, without waiting."""

from ..contract import ORAL_BISPHOSPHONATES
from ..facts import (
    CALCIUM_LOW,
    DRUG_NAMES,
    ORAL_REVIEW_YEARS,
    RENAL_ORAL_BISPHOSPHONATE,
    RENAL_SPECIALIST,
    VITAMIN_D_DEFICIENT,
    ZOLEDRONATE_REVIEW_YEARS,
    Facts,
    num,
)
from ..logic import NO, Tri, all_of, any_of, at_least, fact, negate, not_known_true, unknown, yes
from ..recommendation import HEADING, Action, Recommendation, Rule, acts

_OUT_OF_SCOPE = (
    " This patient is outside NOGG's population (postmenopausal women and men aged 50 or over): look for "
    "secondary causes and seek specialist advice before starting."
)


# In scope is undecided only for a woman under 50 whose menopausal status is not recorded (Facts): she may be in
# NOGG's population or not, so the prompts say so rather than state either.
_SCOPE_UNKNOWN = (
    " Menopausal status is not recorded for this woman under 50, so she may be outside NOGG's population "
    "(postmenopausal women and men aged 50 or over): ask, and if she is premenopausal, look for secondary causes "
    "and seek specialist advice before starting."
)


def _scope_note(f: Facts) -> str:
    value = f.in_scope.value
    return "" if value is True else _SCOPE_UNKNOWN if value is None else _OUT_OF_SCOPE


# --- bone.start_treatment -----------------------------------------------------------------------------------


def _start_detail(f: Facts) -> str:
    lead = "If not already on bone protection: o" if f.inp.bone_protection.current is None else "O"
    text = (
        f"{lead}ffer bone protection now (NOGG 2022). The risk of another fracture is highest soon after a "
        "fracture, so start promptly; request DXA for a baseline and drug choice, but do not wait for it."
    )
    if f.high_dose_gc.value:
        text += " On high-dose glucocorticoids, start alongside the steroid without waiting for DXA."
    if f.inp.bone_protection.declined:
        text += " The patient has declined treatment before: revisit the decision with them."
    return text + _scope_note(f)


START = Rule(
    id="bone.start_treatment",
    version=3,
    category="bone",
    priority="routine",
    title="Offer bone protection now: do not wait for DXA",
    title_kind="prescribe",
    fires_when="treatment indicated (confirmed fracture, NOGG band high or very high, high-dose glucocorticoids, "
    "or very high risk) and no current bone protection (unknown counts as none)",
    effect="starting bone protection",
    recommendations=(12,),
    sources=("bennett-reconstructed", "nogg-s4", "nogg-summary", "nogg-giop", "nice-qs149-s1"),
    condition=lambda f: f.start_treatment,
    detail=_start_detail,
    actions=acts(("prescribe", "Offer bone protection now and agree a start date")),
)


# --- bone.oral_bisphosphonate and the alternative -------------------------------------------------------------


def _oral_condition(f: Facts) -> Tri:
    return all_of(f.start_treatment, negate(f.barrier), not_known_true(f.renal_below_35))


def _oral_detail(f: Facts) -> str:
    text = (
        "Alendronic acid 70 mg once a week, or risedronate 35 mg once a week. Take it on waking, at least 30 "
        "minutes before food, drink or other medicines, with a full glass (200 mL or more) of plain water; "
        "swallow it whole; stay upright for at least 30 minutes and until after food; never at bedtime; report "
        "pain on swallowing, heartburn or chest pain; keep calcium and antacids apart from it."
    )
    if f.renal is None:
        text = (
            "Check renal function first: alendronate is avoided below a creatinine clearance of 35 mL/min and "
            "risedronate below 30. " + text
        )
    elif f.renal_label == "eGFR":
        text += (
            " Renal function given as eGFR: the licences use creatinine clearance (Cockcroft-Gault), so "
            "calculate it if the value is near 35."
        )
    return text + _scope_note(f)


ORAL = Rule(
    id="bone.oral_bisphosphonate",
    version=4,
    category="bone",
    priority="routine",
    title="Start an oral bisphosphonate: alendronic acid 70 mg weekly or risedronate 35 mg weekly",
    title_kind="prescribe",
    fires_when="bone.start_treatment, no oral bisphosphonate barrier, renal function not below 35 (if unknown, "
    "check it first)",
    effect="oral bisphosphonate",
    recommendations=(12,),
    sources=("nogg-drugs", "nice-ta464", "smpc-alendronate", "nhs-alendronic-acid"),
    condition=_oral_condition,
    detail=_oral_detail,
    actions=acts(
        ("prescribe", "Prescribe alendronic acid 70 mg weekly (or risedronate 35 mg weekly)"),
        ("advise", "Explain how to take it and which side effects to report"),
    ),
)


def _unsuitable_condition(f: Facts) -> Tri:
    return all_of(f.start_treatment, any_of(f.barrier, f.renal_below_35))


def _sentence_start(label: str) -> str:
    """Upper-case a leading lower-case word ("creatinine clearance"), never an abbreviation ("eGFR")."""
    return label if label.startswith("eGFR") else label[:1].upper() + label[1:]


def _unsuitable_detail(f: Facts) -> str:
    parts = ["An oral bisphosphonate is unsuitable."]
    if f.barrier.value:
        parts.append(f"Barrier: {', '.join(f.barrier.because)}.")
    renal = f.renal
    if renal is not None and renal < RENAL_SPECIALIST:
        parts.append(
            f"{_sentence_start(f.renal_label)} {num(renal)} mL/min is below 30: seek specialist advice. Zoledronic "
            "acid is contraindicated below 35, and denosumab carries a high risk of severe hypocalcaemia below 30 "
            "(MHRA)."
        )
    elif renal is not None and renal < RENAL_ORAL_BISPHOSPHONATE:
        parts.append(
            f"{_sentence_start(f.renal_label)} {num(renal)} mL/min is below 35: alendronate and zoledronic acid are "
            "contraindicated. Consider denosumab, usually via the specialist service."
        )
    else:
        parts.append(
            "Consider intravenous zoledronic acid 5 mg once a year (not if creatinine clearance is below 35) or "
            "denosumab 60 mg every 6 months, usually via the specialist service."
        )
    return " ".join(parts) + _scope_note(f)


_EITHER_ALTERNATIVE = Action("refer", "Arrange IV zoledronic acid or denosumab, usually via the specialist service")


def _unsuitable_actions(f: Facts) -> tuple[Action, ...]:
    """The alternative that renal function allows, as the detail says: never a contraindicated drug."""
    renal = f.renal
    if renal is None:
        return (
            Action("test", "Check renal function first: zoledronic acid is contraindicated below 35"),
            _EITHER_ALTERNATIVE,
        )
    if renal < RENAL_SPECIALIST:
        return (Action("refer", f"Seek specialist advice before any bone protection ({f.renal_label} below 30)"),)
    if renal < RENAL_ORAL_BISPHOSPHONATE:
        return (
            Action(
                "refer",
                f"Arrange denosumab, usually via the specialist service (zoledronic acid is contraindicated: "
                f"{f.renal_label} below 35)",
            ),
        )
    return (_EITHER_ALTERNATIVE,)


UNSUITABLE = Rule(
    id="bone.oral_bisphosphonate_unsuitable",
    version=4,
    category="bone",
    priority="routine",
    title="Oral bisphosphonate unsuitable: consider IV zoledronic acid (not below 35) or denosumab",
    title_kind=HEADING,
    fires_when="bone.start_treatment and (an oral bisphosphonate barrier, or renal function below 35)",
    effect="alternative to oral bisphosphonate",
    recommendations=(12,),
    sources=("nogg-drugs", "nice-ta464", "nice-ta204", "mhra-denosumab"),
    condition=_unsuitable_condition,
    detail=_unsuitable_detail,
    actions=_unsuitable_actions,
)


# --- checks, calcium and vitamin D, DXA ----------------------------------------------------------------------


def _checks_detail(f: Facts) -> str:
    inp = f.inp
    parts = [
        "Before starting, check adjusted calcium, 25-hydroxyvitamin D and renal function, and ask about dental "
        "health. Correct low calcium (adjusted below 2.2 mmol/L) or vitamin D deficiency (below 25 nmol/L) "
        "first."
    ]
    if inp.adjusted_calcium is not None and inp.adjusted_calcium < CALCIUM_LOW:
        parts.append(f"Adjusted calcium {num(inp.adjusted_calcium)} mmol/L is low: correct it before starting.")
    if inp.vitamin_d_nmol_l is not None and inp.vitamin_d_nmol_l < VITAMIN_D_DEFICIENT:
        parts.append(
            f"Vitamin D {num(inp.vitamin_d_nmol_l)} nmol/L is deficient: replace it before starting, especially "
            "before zoledronic acid or denosumab."
        )
    if inp.dental_problems:
        parts.append(
            "Dental problems: advise a dental check before starting, especially before IV treatment or denosumab."
        )
    return " ".join(parts)


def _checks_actions(f: Facts) -> tuple[Action, ...]:
    inp = f.inp
    missing = [
        name
        for name, value in (
            ("adjusted calcium", inp.adjusted_calcium),
            ("vitamin D", inp.vitamin_d_nmol_l),
            ("renal function", f.renal),
        )
        if value is None
    ]
    out = [Action("test", f"Check {', '.join(missing)}")] if missing else []
    out.append(Action("advise", "Ask about dental health and advise a dental check-up"))
    return tuple(out)


CHECKS = Rule(
    id="bone.pre_treatment_checks",
    version=4,
    category="bone",
    priority="routine",
    title="Before starting: calcium, vitamin D, renal function and a dental check",
    title_kind=HEADING,
    fires_when="bone.start_treatment",
    effect="pre-treatment checks",
    recommendations=(12,),
    # The two thresholds have their own sources: the adjusted-calcium reference range and the vitamin D deficiency
    # cut-off; the denosumab SmPC for correcting low calcium before starting (docs/clinical-sources.md).
    sources=(
        "cks-osteoporosis",
        "nhs-alendronic-acid",
        "nhs-adjusted-calcium",
        "ros-vitamin-d",
        "smpc-denosumab-hypocalcaemia",
    ),
    condition=lambda f: f.start_treatment,
    detail=_checks_detail,
    actions=_checks_actions,
)


CALCIUM = Rule(
    id="bone.calcium_vitamin_d",
    version=3,
    category="bone",
    priority="routine",
    title="Calcium and vitamin D",
    title_kind=HEADING,
    fires_when="treatment indicated, or on bone protection",
    effect="calcium and vitamin D advice",
    recommendations=(12,),
    sources=("nogg-2017-calcium",),
    condition=lambda f: any_of(f.treatment_indicated, f.on_treatment),
    detail=lambda f: (
        "Vitamin D (colecalciferol) 800 IU a day. Calcium 700-1200 mg a day, from the diet first; supplement "
        "if dietary intake is below 700 mg a day."
    ),
    actions=acts(("prescribe", "Prescribe colecalciferol 800 IU a day, and calcium if dietary intake is low")),
)


_NO_T_SCORE = yes("no DXA T-score")
_BAND_INTERMEDIATE = yes("NOGG band intermediate")


def _dxa_condition(f: Facts) -> Tri:
    needed = _NO_T_SCORE if f.inp.dxa_lowest_t_score is None else NO
    intermediate = _BAND_INTERMEDIATE if f.inp.nogg_category == "intermediate" else NO
    return any_of(all_of(f.treatment_indicated, needed), intermediate)


DXA = Rule(
    id="bone.dxa",
    version=2,
    category="bone",
    priority="routine",
    title="Request DXA: it must not delay treatment",
    title_kind="image",
    fires_when="(treatment indicated and no T-score known) or NOGG band intermediate",
    effect="DXA",
    recommendations=(12,),
    sources=("nogg-s4", "nogg-tool"),
    condition=_dxa_condition,
    detail=lambda f: (
        "NOGG band intermediate: request DXA, then recalculate FRAX with the BMD result."
        if f.inp.nogg_category == "intermediate" and not f.treatment_indicated.value
        else "Request DXA for a baseline and to guide the choice of drug. It must not delay treatment."
    ),
    actions=acts(("image", "Request a DXA scan")),
)


# --- specialist referral -------------------------------------------------------------------------------------


def _specialist_condition(f: Facts) -> Tri:
    outside = not_known_true(f.in_scope)
    if outside.value:
        because = (
            "vertebral fracture in a woman under 50 whose menopausal status is not recorded"
            if f.in_scope.value is None
            else "vertebral fracture outside NOGG's population"
        )
        outside = Tri(True, outside.missing, (because,))
    return any_of(f.very_high_risk, all_of(f.confirmed, outside))


def _specialist_detail(f: Facts) -> str:
    parts = []
    if f.very_high_risk.value:
        parts.append(
            "Very high fracture risk (NOGG 2022): refer to an osteoporosis specialist for anabolic or parenteral "
            "treatment, especially with more than one vertebral fracture. If referral will be slow, start an oral "
            "bisphosphonate meanwhile."
        )
        if f.female and f.in_scope.value and f.confirmed.value and f.recent.value:
            parts.append(
                "A postmenopausal woman with a major osteoporotic fracture in the last 24 months may be eligible "
                "for romosozumab (NICE TA791, specialist use)."
            )
    if f.confirmed.value and f.in_scope.value is False:
        parts.append(
            "A vertebral fracture outside NOGG's population (a premenopausal woman or a man under 50) needs a "
            "secondary-cause work-up, usually with a specialist."
        )
    elif f.confirmed.value and f.in_scope.value is None:
        parts.append(
            "A vertebral fracture in a woman under 50 whose menopausal status is not recorded: if she is "
            "premenopausal, she is outside NOGG's population and needs a secondary-cause work-up, usually with a "
            "specialist. Ask, and refer meanwhile."
        )
    return " ".join(parts)


SPECIALIST = Rule(
    id="bone.specialist_referral",
    version=3,
    category="bone",
    priority="routine",
    title="Refer to an osteoporosis specialist",
    title_kind="refer",
    fires_when="very high risk (recent or 2+ vertebral fractures, T-score -3.5 or below, high-dose "
    "glucocorticoids, NOGG band very high, fracture on treatment), or a confirmed fracture in someone not in "
    "scope",
    effect="specialist referral",
    recommendations=(12,),
    sources=("nogg-s4-very-high", "nogg-tool", "nice-ta791", "nogg-summary"),
    condition=_specialist_condition,
    detail=_specialist_detail,
    actions=acts(
        ("refer", "Refer to the osteoporosis specialist service"),
        ("prescribe", "Start an oral bisphosphonate meanwhile if referral will be slow"),
    ),
)


# --- investigations and falls --------------------------------------------------------------------------------


BLOODS = Rule(
    id="investigations.bloods",
    version=3,
    category="investigations",
    priority="routine",
    title="Blood tests after a vertebral fracture, including a myeloma screen",
    title_kind=HEADING,
    fires_when="confirmed fracture",
    effect="blood tests",
    recommendations=(12,),
    sources=("nogg-investigations",),
    condition=lambda f: f.confirmed,
    detail=lambda f: (
        "Full blood count; ESR or CRP; bone profile (adjusted calcium, phosphate, alkaline phosphatase); renal "
        "and liver function; thyroid function; 25-hydroxyvitamin D; serum protein electrophoresis with free "
        "light chains and urine Bence Jones protein, to exclude myeloma"
        + ("; testosterone, SHBG, LH and FSH (men)." if f.male else ".")
    ),
    actions=acts(("test", "Request the post-fracture blood tests, including the myeloma screen")),
)


def _falls_condition(f: Facts) -> Tri:
    inp = f.inp
    return all_of(
        f.in_scope,
        any_of(
            f.confirmed,
            fact(inp.prior_fragility_fracture, "prior_fragility_fracture", "prior fragility fracture"),
            at_least(
                inp.falls_last_year,
                1,
                "falls_last_year",
                "{n} fall{s} in the last year",
            ),
        ),
    )


FALLS = Rule(
    id="falls.assessment",
    version=3,
    category="assessment",
    priority="routine",
    title="Falls risk assessment, and strength and balance exercise",
    title_kind=HEADING,
    fires_when="in scope and (confirmed fracture, prior fragility fracture or a fall in the last year)",
    effect="falls assessment",
    recommendations=(12,),
    sources=("nogg-summary",),
    condition=_falls_condition,
    detail=lambda f: "Assess the risk of falls, and offer a strength and balance exercise programme to people at risk.",
    actions=acts(
        ("assess", "Assess falls risk"),
        ("refer", "Refer to a strength and balance programme if at risk"),
    ),
)


# --- people already on treatment ----------------------------------------------------------------------------


def _review_condition(f: Facts) -> Tri:
    prot = f.inp.bone_protection
    drug = prot.current
    if drug in ORAL_BISPHOSPHONATES:
        limit = ORAL_REVIEW_YEARS
    elif drug == "zoledronate":
        limit = ZOLEDRONATE_REVIEW_YEARS
    elif drug is None:
        return unknown("bone_protection.current")
    else:
        return NO
    return at_least(
        prot.years,
        limit,
        "bone_protection.years",
        DRUG_NAMES[drug] + " for {n} year{s} (" + str(limit) + " years or more)",
    )


def _review_detail(f: Facts) -> str:
    prot = f.inp.bone_protection
    oral = prot.current in ORAL_BISPHOSPHONATES
    text = (
        f"After {'5 years of an oral bisphosphonate' if oral else '3 years of zoledronic acid'}, review whether "
        "to continue (NICE QS149). Continue (up to about 10 years oral or 6 years IV) if any of: aged 70 or over "
        "at the start, a previous hip or vertebral fracture, a fracture on treatment, or prednisolone 7.5 mg a "
        "day or more. Otherwise repeat FRAX with hip BMD, and consider a treatment pause if below the "
        "intervention threshold and the hip T-score is above -2.5."
    )
    if prot.years is not None:
        start_age = f.inp.age - prot.years
        text += f" Age at the start was about {num(start_age)}" + (
            " (70 or over: usually continue)." if start_age >= 70 else "."
        )
    return text


REVIEW = Rule(
    id="bone.review_treatment",
    version=1,
    category="bone",
    priority="routine",
    title="Review long-term bisphosphonate treatment: continue or pause",
    title_kind="prescribe",
    fires_when="oral bisphosphonate for 5+ years, or zoledronic acid for 3+ years",
    effect="treatment review",
    recommendations=(12,),
    sources=("nice-qs149-s4", "nogg-duration", "nogg-s12"),
    condition=_review_condition,
    detail=_review_detail,
    actions=acts(("prescribe", "Review treatment: continue, or plan a pause by NOGG criteria")),
)


FRACTURE_ON_TREATMENT = Rule(
    id="bone.fracture_on_treatment",
    version=2,
    category="bone",
    priority="routine",
    title="Fracture on treatment: check adherence and secondary causes, and get a specialist review",
    title_kind=HEADING,
    fires_when="fracture while on treatment",
    effect="review of treatment failure",
    recommendations=(12,),
    sources=("nogg-duration", "nogg-s4-very-high"),
    condition=lambda f: f.fracture_on_treatment,
    detail=lambda f: (
        "A fracture on treatment: check that the medicine is being taken correctly, look for secondary causes, "
        "and arrange a specialist review of the treatment."
    ),
    actions=acts(
        ("assess", "Check adherence and how the medicine is taken"),
        ("refer", "Arrange a specialist review of the treatment"),
    ),
)


_ON_DENOSUMAB = yes("on denosumab")


def _denosumab_condition(f: Facts) -> Tri:
    current = f.inp.bone_protection.current
    if current is None:
        return unknown("bone_protection.current")
    return _ON_DENOSUMAB if current == "denosumab" else NO


DENOSUMAB = Rule(
    id="bone.denosumab_continuity",
    version=2,
    category="bone",
    priority="routine",
    title="Denosumab: never stop or delay it",
    title_kind=HEADING,
    fires_when="current treatment denosumab",
    effect="denosumab safety",
    recommendations=(12,),
    sources=("mhra-denosumab", "nogg-s12"),
    condition=_denosumab_condition,
    detail=lambda f: (
        "Give an injection every 6 months, each within 4 weeks of its due date. Stopping or delaying it raises "
        "the risk of multiple vertebral fractures (MHRA): stop only after specialist review and with a planned "
        "switch, usually to a bisphosphonate. Check calcium before each dose (severe hypocalcaemia, especially "
        "with creatinine clearance below 30)."
    ),
    actions=acts(
        ("prescribe", "Make sure the next dose is booked within 4 weeks of its due date"),
        ("test", "Check calcium before each dose"),
    ),
)

RECOMMENDATION = Recommendation(
    number=12,
    version=1,
    title="Start NICE- and NOGG-aligned bone protection promptly, without waiting",
    audience="clinicians",
    status="reconstructed",
    citations=("bennett-reconstructed", "nogg-summary"),
    product="The bone protection prompts, post-fracture blood tests and falls assessment.",
    rules=(
        START,
        ORAL,
        UNSUITABLE,
        CHECKS,
        CALCIUM,
        DXA,
        SPECIALIST,
        BLOODS,
        FALLS,
        REVIEW,
        FRACTURE_ON_TREATMENT,
        DENOSUMAB,
    ),
)

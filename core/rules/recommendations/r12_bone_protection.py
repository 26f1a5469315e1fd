"""Recommendation 12 (reconstructed): start NICE- and NOGG-aligned bone protection promptly, without waiting.

Every drug these prompts name is worded from that drug's eligibility check (core/rules/drugs.py): offered,
offered after a named correction or check, or not offered with the reason. None of them says "start" for a drug
whose check rules it out.
"""

from ..contract import ORAL_BISPHOSPHONATES
from ..drugs import (
    CALCIUM_LOW,
    CHECK_FIRST,
    NOT_OFFERED,
    VITAMIN_D_DEFICIENT,
    Eligibility,
    first_steps,
    why_not,
    with_regimen,
)
from ..drugs import (
    SPECIALIST as FOR_A_SPECIALIST,
)
from ..facts import DRUG_NAMES, ORAL_REVIEW_YEARS, ZOLEDRONATE_REVIEW_YEARS, Facts, num
from ..logic import NO, Tri, all_of, any_of, at_least, fact, not_known_true, unknown, yes
from ..recommendation import HEADING, Action, Recommendation, Rule, Timeframe, acts

_OUT_OF_SCOPE = (
    " This patient is outside NOGG's population (postmenopausal women and men aged 50 or over): look for "
    "secondary causes and seek specialist advice before starting."
)


# In scope is undecided only for a woman under 50 whose menopausal status is not recorded (Facts): she may be in
# NOGG's population or not, so the prompts say so rather than state either.
_SCOPE_UNKNOWN = (
    " Menopausal status is not recorded for this woman under 50, so she may be outside NOGG's population "
    "(postmenopausal women and men aged 50 or over): ask, and if she is premenopausal, look for secondary causes "
    "and seek specialist advice before starting; ask about pregnancy and breastfeeding."
)


# Or, with sex not recorded, for someone who may be a man or a woman (Facts._population_sex_unknown).
_SCOPE_SEX_UNKNOWN = (
    " Sex is not recorded, so this patient may be outside NOGG's population (postmenopausal women and men aged 50 "
    "or over): ask, and if outside it, look for secondary causes and seek specialist advice before starting; for "
    "a woman who may be premenopausal, ask about pregnancy and breastfeeding."
)


def _scope_note(f: Facts) -> str:
    value = f.in_scope.value
    if value is None:
        return _SCOPE_SEX_UNKNOWN if f.sex_unknown else _SCOPE_UNKNOWN
    return "" if value is True else _OUT_OF_SCOPE


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# The oral bisphosphonates NOGG names first-line, and the alternatives when they are unsuitable.
_FIRST_LINE_ORAL = ("alendronate", "risedronate")
_ALTERNATIVES = ("zoledronate", "denosumab")
_SHORT = {"alendronate": "70 mg weekly", "risedronate": "35 mg weekly"}
_ALTERNATIVE_WORDS = {"zoledronate": "IV zoledronic acid", "denosumab": "denosumab"}


def _checks(f: Facts, keys: tuple[str, ...]) -> list[Eligibility]:
    return [f.drugs[k] for k in keys]


def _startable(f: Facts, keys: tuple[str, ...]) -> list[Eligibility]:
    return [e for e in _checks(f, keys) if e.startable]


def _missing(checks: list[Eligibility]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for e in checks:
        out = out | e.missing
    return out


def _held(f: Facts) -> tuple[str, ...]:
    """Reasons that stop every bone-protection drug here (a high calcium, pregnancy, outside NOGG's population)."""
    return f.drugs_held


def _before(first: str, rest: str) -> str:
    """ "Check renal function first, then start ..." or "Start ..." (``rest`` starts with a lower-case verb)."""
    return f"{_sentence(first)} first, then {rest}" if first else _sentence(rest)


# --- bone.start_treatment -----------------------------------------------------------------------------------


def _start_title(f: Facts) -> tuple[str, str]:
    if _held(f):
        return HEADING, "Bone protection is indicated, but not to be started here yet"
    return "prescribe", "Offer bone protection now: do not wait for DXA"


def _start_detail(f: Facts) -> str:
    held = _held(f)
    if held:
        text = (
            "Bone protection is indicated (NOGG 2022), but no bone-protection drug is to be started here yet: "
            + "; ".join(held)
            + ". The risk of another fracture is highest soon after a fracture, so deal with this promptly."
        )
    else:
        lead = "If not already on bone protection: o" if f.inp.bone_protection.current is None else "O"
        text = (
            f"{lead}ffer bone protection now (NOGG 2022). The risk of another fracture is highest soon after a "
            "fracture, so start promptly; request DXA for a baseline and drug choice, but do not wait for it."
        )
    if f.gc_start_with_steroid.value and not f.confirmed.value:
        text += (
            " Glucocorticoids for 3 months or more (taken or planned) with age 70 or over, a previous fragility "
            "fracture or 7.5 mg a day or more: NOGG advises starting bone protection alongside the steroid, "
            "without waiting for DXA."
        )
    elif f.high_dose_gc.value:
        text += " On high-dose glucocorticoids, start alongside the steroid without waiting for DXA."
    if f.inp.bone_protection.declined:
        text += " The patient has declined treatment before: revisit the decision with them."
    return text + ("" if held else _scope_note(f))


def _start_actions(f: Facts) -> tuple[Action, ...]:
    if _held(f):
        return (Action("assess", "Deal with what stops bone protection now, then offer it"),)
    return (Action("prescribe", "Offer bone protection now and agree a start date"),)


def _start_timeframe(f: Facts) -> Timeframe | None:
    """NOGG gives a time only for glucocorticoids (with the steroid); after a fracture it says "promptly"."""
    if f.gc_start_with_steroid.value and not f.drugs_held:
        return Timeframe("with the steroid, without waiting for DXA", "nogg-giop")
    return None


START = Rule(
    id="bone.start_treatment",
    version=6,
    category="bone",
    priority="routine",
    title="Offer bone protection now: do not wait for DXA",
    title_kind="prescribe",
    fires_when="treatment indicated (confirmed fracture, NOGG band high or very high, high-dose glucocorticoids, "
    "glucocorticoids for 3 months or more taken or planned at age 70+ or with a previous fracture, or very high "
    "risk) and no current bone protection (unknown counts as none); says what stops every drug here, if anything "
    "does",
    effect="starting bone protection",
    recommendations=(12,),
    sources=("bennett-reconstructed", "nogg-s4", "nogg-summary", "nogg-giop", "nice-qs149-s1", "nogg-s1"),
    condition=lambda f: f.start_treatment,
    detail=_start_detail,
    actions=_start_actions,
    patient_title=_start_title,
    timeframe=_start_timeframe,
)


# --- bone.oral_bisphosphonate and the alternative -------------------------------------------------------------


def _oral_available(f: Facts) -> Tri:
    """True when alendronate or risedronate may be started (after any named correction or check)."""
    checks = _checks(f, _FIRST_LINE_ORAL)
    missing = _missing(checks)
    if _held(f):
        return Tri(False, missing)
    if any(e.startable for e in checks):
        return Tri(True, missing)
    return Tri(False, missing)


def _oral_condition(f: Facts) -> Tri:
    start = f.start_treatment
    if start.value is False:
        return all_of(start)  # decided without the drug checks (all_of would return the same)
    return all_of(start, _oral_available(f))


def _oral_names(f: Facts, *, short: bool) -> str:
    offered = _startable(f, _FIRST_LINE_ORAL)
    if short:
        return " or ".join(f"{e.name} {_SHORT[e.drug]}" for e in offered)
    return ", or ".join(with_regimen(e) for e in offered)


def _oral_title(f: Facts) -> tuple[str, str]:
    first = first_steps(_startable(f, _FIRST_LINE_ORAL))
    return "prescribe", _before(first, f"start an oral bisphosphonate: {_oral_names(f, short=True)}")


_HOW_TO_TAKE = (
    "Take it on waking, at least 30 minutes before food, drink or other medicines, with a full glass (200 mL or "
    "more) of plain water; swallow it whole; stay upright for at least 30 minutes and until after food; never at "
    "bedtime; report pain on swallowing, heartburn or chest pain; keep calcium and antacids apart from it."
)


def _oral_detail(f: Facts) -> str:
    offered = _startable(f, _FIRST_LINE_ORAL)
    parts = []
    first = first_steps(offered)
    if first:
        parts.append(f"Before starting: {first}.")
    parts.append(_sentence(_oral_names(f, short=False)) + ". " + _HOW_TO_TAKE)
    parts.extend(why_not(e) for e in _checks(f, _FIRST_LINE_ORAL) if not e.startable)
    if f.renal_label == "eGFR":
        parts.append(
            "Renal function given as eGFR: the licences use creatinine clearance (Cockcroft-Gault), so calculate it "
            "if the value is near 30-35."
        )
    zoledronate = f.drugs["zoledronate"]
    if zoledronate.startable:
        parts.append(
            "Intravenous zoledronic acid 5 mg once a year is also a first-line choice (NOGG 2022), for example when "
            "weekly tablets would be hard to take; it is usually given by the local infusion service."
        )
    return " ".join(parts) + _scope_note(f)


def _oral_actions(f: Facts) -> tuple[Action, ...]:
    offered = _startable(f, _FIRST_LINE_ORAL)
    names = " (or ".join(with_regimen(e) for e in offered) + (")" if len(offered) > 1 else "")
    after = ", once the checks and corrections before it are done" if first_steps(offered) else ""
    return (
        Action("prescribe", f"Prescribe {names}{after}"),
        Action("advise", "Explain how to take it and which side effects to report"),
    )


ORAL = Rule(
    id="bone.oral_bisphosphonate",
    version=6,
    category="bone",
    priority="routine",
    title="Start an oral bisphosphonate: alendronic acid 70 mg weekly or risedronate 35 mg weekly",
    title_kind="prescribe",
    fires_when="bone.start_treatment and alendronate or risedronate allowed by its drug check (renal function: "
    "alendronate not below 35, risedronate not below 30; no oral barrier; calcium not high; not pregnant; in "
    "NOGG's population); names only the drugs allowed, with the checks or corrections still to do first",
    effect="oral bisphosphonate",
    recommendations=(12,),
    sources=("nogg-drugs", "nice-ta464", "smpc-alendronate", "smpc-risedronate", "nhs-alendronic-acid"),
    condition=_oral_condition,
    detail=_oral_detail,
    actions=_oral_actions,
    patient_title=_oral_title,
)


def _unsuitable_condition(f: Facts) -> Tri:
    if f.start_treatment.value is False:
        return all_of(f.start_treatment)  # decided without the drug checks (all_of would return the same)
    checks = _checks(f, _FIRST_LINE_ORAL)
    missing = _missing(checks)
    if _held(f) or any(e.startable and "renal function" not in e.checks for e in checks):
        return all_of(f.start_treatment, Tri(False, missing))
    if any(e.startable for e in checks):
        # Allowed only while the renal function is unknown, which could rule both out: undecided.
        return all_of(f.start_treatment, Tri(None, missing))
    reasons = tuple(dict.fromkeys(r for e in checks for r in e.reasons))
    return all_of(f.start_treatment, Tri(True, missing, reasons))


def _alternative_words(f: Facts) -> str:
    return " or ".join(_ALTERNATIVE_WORDS[e.drug] for e in _startable(f, _ALTERNATIVES))


def _unsuitable_title(f: Facts) -> tuple[str, str]:
    words = _alternative_words(f)
    if words:
        return HEADING, f"Oral bisphosphonate unsuitable: consider {words}"
    return HEADING, "Oral bisphosphonate unsuitable: seek specialist advice on bone protection"


def _unsuitable_detail(f: Facts) -> str:
    parts = ["An oral bisphosphonate is unsuitable."]
    parts.extend(why_not(e) for e in _checks(f, _FIRST_LINE_ORAL))
    offered = _startable(f, _ALTERNATIVES)
    if offered:
        first = first_steps(offered)
        names = " or ".join(with_regimen(e) for e in offered)
        parts.append(_before(first, f"consider {names}, usually via the specialist service."))
    else:
        parts.append("No alternative can be started here: seek specialist advice.")
    parts.extend(why_not(e) for e in _checks(f, _ALTERNATIVES) if not e.startable)
    return " ".join(parts) + _scope_note(f)


def _unsuitable_actions(f: Facts) -> tuple[Action, ...]:
    """The alternatives their checks allow, as the detail says: never a contraindicated drug."""
    offered = _startable(f, _ALTERNATIVES)
    if not offered:
        return (Action("refer", "Seek specialist advice before any bone protection"),)
    after = ", once the checks and corrections before it are done" if first_steps(offered) else ""
    return (Action("refer", f"Arrange {_alternative_words(f)}, usually via the specialist service{after}"),)


UNSUITABLE = Rule(
    id="bone.oral_bisphosphonate_unsuitable",
    version=6,
    category="bone",
    priority="routine",
    title="Oral bisphosphonate unsuitable: consider IV zoledronic acid or denosumab",
    title_kind=HEADING,
    fires_when="bone.start_treatment and neither alendronate nor risedronate allowed by its drug check (an oral "
    "barrier, renal function, a serious side effect), when nothing stops every drug; names only the alternatives "
    "their checks allow (zoledronic acid not below 35; denosumab below 30 only with a specialist)",
    effect="alternative to oral bisphosphonate",
    recommendations=(12,),
    sources=("nogg-drugs", "nice-ta464", "nice-ta204", "mhra-denosumab", "smpc-zoledronate"),
    condition=_unsuitable_condition,
    detail=_unsuitable_detail,
    actions=_unsuitable_actions,
    patient_title=_unsuitable_title,
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
    if f.high_calcium.value:
        parts.append(
            f"Adjusted calcium {num(inp.adjusted_calcium)} mmol/L is high (above 2.6): hold bone protection until "
            "the cause is found (see the urgent calcium prompt)."
        )
    if inp.vitamin_d_nmol_l is not None and inp.vitamin_d_nmol_l < VITAMIN_D_DEFICIENT:
        parts.append(
            f"Vitamin D {num(inp.vitamin_d_nmol_l)} nmol/L is deficient: replace it first, above all before an "
            "intravenous bisphosphonate or denosumab."
        )
    if inp.pregnant_or_breastfeeding:
        parts.append("Pregnant, planning a pregnancy or breastfeeding: no bone-protection drug is for use now.")
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
    version=5,
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


_SUPPLEMENTS = ("colecalciferol", "calcium")


def _calcium_detail(f: Facts) -> str:
    held = [e for e in _checks(f, _SUPPLEMENTS) if e.status == NOT_OFFERED]
    if held:
        return "Hold calcium and vitamin D supplements: " + "; ".join(held[0].reasons) + "."
    text = (
        "Vitamin D (colecalciferol) 800 IU a day. Calcium 700-1200 mg a day, from the diet first; supplement "
        "if dietary intake is below 700 mg a day."
    )
    if f.drugs["calcium"].status == CHECK_FIRST:
        text += " Check adjusted calcium if it is not known: both are avoided in hypercalcaemia."
    return text


def _calcium_actions(f: Facts) -> tuple[Action, ...]:
    if any(e.status == NOT_OFFERED for e in _checks(f, _SUPPLEMENTS)):
        return (Action("prescribe", "Hold calcium and vitamin D supplements until the high calcium is explained"),)
    out = [Action("prescribe", "Prescribe colecalciferol 800 IU a day, and calcium if dietary intake is low")]
    if f.drugs["calcium"].status == CHECK_FIRST:
        out.insert(0, Action("test", "Check adjusted calcium"))
    return tuple(out)


CALCIUM = Rule(
    id="bone.calcium_vitamin_d",
    version=4,
    category="bone",
    priority="routine",
    title="Calcium and vitamin D",
    title_kind=HEADING,
    fires_when="treatment indicated, or on bone protection; held while adjusted calcium is above 2.6",
    effect="calcium and vitamin D advice",
    recommendations=(12,),
    sources=("nogg-2017-calcium", "nhs-adjusted-calcium"),
    condition=lambda f: any_of(f.treatment_indicated, f.on_treatment),
    detail=_calcium_detail,
    actions=_calcium_actions,
)


_NO_T_SCORE = yes("no DXA T-score")
_BAND_INTERMEDIATE = yes("NOGG band intermediate")


def _dxa_condition(f: Facts) -> Tri:
    needed = _NO_T_SCORE if f.inp.dxa_lowest_t_score is None else NO
    intermediate = _BAND_INTERMEDIATE if f.inp.nogg_category == "intermediate" else NO
    return any_of(all_of(f.treatment_indicated, needed), intermediate)


DXA = Rule(
    id="bone.dxa",
    version=3,
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


def _meanwhile(f: Facts) -> str:
    """What may be started while the referral is awaited: the oral bisphosphonates their checks allow."""
    offered = [] if _held(f) else _startable(f, _FIRST_LINE_ORAL)
    if not offered:
        return ""
    return " or ".join(e.name for e in offered)


def _specialist_detail(f: Facts) -> str:
    parts = []
    if f.very_high_risk.value:
        parts.append(
            "Very high fracture risk (NOGG 2022): refer to an osteoporosis specialist for anabolic or parenteral "
            "treatment, especially with more than one vertebral fracture."
        )
        meanwhile = _meanwhile(f)
        if meanwhile:
            first = first_steps(_startable(f, _FIRST_LINE_ORAL))
            parts.append(
                "If referral will be slow, start an oral bisphosphonate meanwhile ("
                + meanwhile
                + (f"; {first} first" if first else "")
                + ")."
            )
        else:
            held = _held(f)
            why = "; ".join(held) if held else "no oral bisphosphonate is suitable (see the prompt on alternatives)"
            parts.append(f"Nothing to start meanwhile: {why}.")
        romosozumab = f.drugs["romosozumab"]
        if (
            not f.male
            and f.in_scope.value
            and f.confirmed.value
            and f.recent.value
            and romosozumab.status == FOR_A_SPECIALIST
        ):
            parts.append(
                "A postmenopausal woman with a major osteoporotic fracture in the last 24 months may be eligible "
                "for romosozumab (NICE TA791, specialist use; not after a heart attack or stroke)."
            )
    if f.confirmed.value and f.in_scope.value is False:
        parts.append(
            "A vertebral fracture outside NOGG's population (a premenopausal woman or a man under 50) needs a "
            "secondary-cause work-up, usually with a specialist (NOGG section 1): no bone-protection drug is "
            "started in primary care first."
        )
    elif f.confirmed.value and f.in_scope.value is None:
        parts.append(
            "A vertebral fracture in a woman under 50 whose menopausal status is not recorded: if she is "
            "premenopausal, she is outside NOGG's population and needs a secondary-cause work-up, usually with a "
            "specialist. Ask, and refer meanwhile."
        )
    return " ".join(parts)


def _specialist_actions(f: Facts) -> tuple[Action, ...]:
    out = [Action("refer", "Refer to the osteoporosis specialist service")]
    if f.very_high_risk.value:
        meanwhile = _meanwhile(f)
        if meanwhile:
            out.append(Action("prescribe", f"Start {meanwhile} meanwhile if referral will be slow"))
    return tuple(out)


SPECIALIST = Rule(
    id="bone.specialist_referral",
    version=5,
    category="bone",
    priority="routine",
    title="Refer to an osteoporosis specialist",
    title_kind="refer",
    fires_when="very high risk (recent or 2+ vertebral fractures, T-score -3.5 or below, high-dose "
    "glucocorticoids, NOGG band very high, fracture on treatment), or a confirmed fracture in someone not in "
    "scope",
    effect="specialist referral",
    recommendations=(12,),
    sources=("nogg-s4-very-high", "nogg-tool", "nice-ta791", "nogg-summary", "nogg-s1"),
    condition=_specialist_condition,
    detail=_specialist_detail,
    actions=_specialist_actions,
)


# --- investigations and falls --------------------------------------------------------------------------------


BLOODS = Rule(
    id="investigations.bloods",
    version=5,
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
        + ("; testosterone, SHBG, LH and FSH (men)." if not f.female else ".")
        + (
            " Outside NOGG's population (a premenopausal woman or a man under 50), a secondary-cause work-up as "
            "indicated: PTH, coeliac serology, prolactin, 24-hour urine calcium and tests for Cushing's syndrome."
            if f.in_scope.value is not True
            else ""
        )
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


def _review_title(f: Facts) -> tuple[str, str]:
    if f.fracture_on_treatment.value:
        return "prescribe", "Fracture on long-term bisphosphonate treatment: continue it and refer"
    return "prescribe", "Review long-term bisphosphonate treatment: continue or pause"


def _review_detail(f: Facts) -> str:
    prot = f.inp.bone_protection
    oral = prot.current in ORAL_BISPHOSPHONATES
    if f.fracture_on_treatment.value:
        text = (
            "A fracture on treatment is a reason to continue, not to pause (NOGG): continue it, check adherence "
            "and secondary causes, and refer for a specialist review of the treatment."
        )
    else:
        text = (
            f"After {'5 years of an oral bisphosphonate' if oral else '3 years of zoledronic acid'}, review "
            "whether to continue (NICE QS149). Continue (up to about 10 years oral or 6 years IV) if any of: aged "
            "70 or over at the start, a previous hip or vertebral fracture, a fracture on treatment, or "
            "prednisolone 7.5 mg a day or more. Otherwise repeat FRAX with hip BMD, and consider a treatment "
            "pause if below the intervention threshold and the hip T-score is above -2.5."
        )
        if prot.years is not None:
            start_age = f.inp.age - prot.years
            text += f" Age at the start was about {num(start_age)}" + (
                " (70 or over: usually continue)." if start_age >= 70 else "."
            )
    current = f.drugs.get(prot.current or "")
    if current is not None and current.status == NOT_OFFERED:
        text += f" Now: {why_not(current)} Review it now rather than continue it unchanged."
    return text


def _review_actions(f: Facts) -> tuple[Action, ...]:
    if f.fracture_on_treatment.value:
        return (
            Action("prescribe", "Continue the current treatment; do not plan a pause"),
            Action("refer", "Refer for a specialist review of the treatment"),
        )
    return (Action("prescribe", "Review treatment: continue, or plan a pause by NOGG criteria"),)


REVIEW = Rule(
    id="bone.review_treatment",
    version=2,
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
    actions=_review_actions,
    patient_title=_review_title,
)


FRACTURE_ON_TREATMENT = Rule(
    id="bone.fracture_on_treatment",
    version=3,
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
        "A fracture on treatment: continue the treatment (do not stop or pause it), check that the medicine is "
        "being taken correctly, look for secondary causes, and arrange a specialist review of the treatment."
    ),
    actions=acts(
        ("assess", "Continue the treatment, and check adherence and how the medicine is taken"),
        ("refer", "Arrange a specialist review of the treatment"),
    ),
)


_ON_DENOSUMAB = yes("on denosumab")


def _denosumab_condition(f: Facts) -> Tri:
    current = f.inp.bone_protection.current
    if current is None:
        return unknown("bone_protection.current")
    return _ON_DENOSUMAB if current == "denosumab" else NO


def _denosumab_detail(f: Facts) -> str:
    text = (
        "Give an injection every 6 months, each within 4 weeks of its due date. Stopping or delaying it raises "
        "the risk of multiple vertebral fractures (MHRA): stop only after specialist review and with a planned "
        "switch, usually to a bisphosphonate. Check calcium before each dose (severe hypocalcaemia, especially "
        "with creatinine clearance below 30)."
    )
    check = f.drugs["denosumab"]
    for correction in check.corrections:
        text += f" {_sentence(correction)}: correct it before the next dose."
    if f.high_calcium.value:
        text += (
            " The adjusted calcium is high: investigate it urgently (see the calcium prompt), and do not stop or "
            "delay denosumab without specialist advice."
        )
    if f.renal is not None and f.renal < 30:
        text += (
            f" {_sentence(f.renal_label)} {num(f.renal)} mL/min: high risk of severe hypocalcaemia; continue under "
            "specialist supervision (MHRA)."
        )
    return text


DENOSUMAB = Rule(
    id="bone.denosumab_continuity",
    version=4,
    category="bone",
    priority="routine",
    title="Denosumab: never stop or delay it",
    title_kind=HEADING,
    fires_when="current treatment denosumab",
    effect="denosumab safety",
    recommendations=(12,),
    sources=("mhra-denosumab", "nogg-s12", "smpc-denosumab-hypocalcaemia"),
    condition=_denosumab_condition,
    detail=_denosumab_detail,
    timeframe=lambda f: Timeframe("each dose within 4 weeks of its due date", "nogg-s12"),
    actions=acts(
        ("prescribe", "Make sure the next dose is booked within 4 weeks of its due date"),
        ("test", "Check calcium before each dose"),
    ),
)


# --- a high calcium ---------------------------------------------------------------------------------------------

_CALCIUM_VERY_HIGH = 3.0  # CKS hypercalcaemia: above 3.0 with symptoms, same-day assessment [P]
_CALCIUM_SEVERE = 3.5  # CKS hypercalcaemia: 3.5 or above, same-day assessment [P]


def _high_calcium_detail(f: Facts) -> str:
    calcium = f.inp.adjusted_calcium or 0.0
    parts = [
        f"Adjusted calcium {num(calcium)} mmol/L is above the reference range (2.2-2.6 mmol/L). Repeat it with "
        "PTH (NICE NG132)."
    ]
    if f.inp.age >= 60:
        parts.append(
            "Aged 60 or over with hypercalcaemia: very urgent (within 48 hours) serum protein electrophoresis, "
            "serum free light chains and urine Bence Jones protein for myeloma (NICE NG12)."
        )
    else:
        parts.append(
            "PTH decides the next step: raised or normal points to hyperparathyroidism; low points to malignancy, "
            "including myeloma."
        )
    if calcium >= _CALCIUM_SEVERE:
        parts.append("Calcium 3.5 mmol/L or above: same-day hospital assessment.")
    elif calcium > _CALCIUM_VERY_HIGH:
        parts.append(
            "Calcium above 3.0 mmol/L: same-day hospital assessment if there are symptoms (thirst, vomiting, "
            "confusion)."
        )
    parts.append(
        "Hold bone-protection drugs, and calcium and vitamin D supplements, until the cause is found: a fracture "
        "with hypercalcaemia may not be osteoporotic."
    )
    return " ".join(parts)


def _high_calcium_timeframe(f: Facts) -> Timeframe | None:
    calcium = f.inp.adjusted_calcium or 0.0
    if calcium >= _CALCIUM_SEVERE:
        return Timeframe("same day: hospital assessment", "cks-hypercalcaemia")
    if f.inp.age >= 60:
        return Timeframe(
            "within 48 hours: protein electrophoresis, free light chains, urine Bence Jones", "nice-ng12-hypercalcaemia"
        )
    return None


def _high_calcium_actions(f: Facts) -> tuple[Action, ...]:
    out = [Action("test", "Repeat adjusted calcium with PTH urgently")]
    if f.inp.age >= 60:
        out.append(
            Action(
                "test",
                "Request serum protein electrophoresis, free light chains and urine Bence Jones protein within "
                "48 hours",
            )
        )
    out.append(Action("prescribe", "Hold bone protection and calcium and vitamin D supplements until explained"))
    return tuple(out)


HIGH_CALCIUM = Rule(
    id="investigations.high_calcium",
    version=2,
    category="investigations",
    priority="urgent",
    title="High adjusted calcium: investigate urgently and hold bone protection",
    title_kind=HEADING,
    fires_when="adjusted calcium above 2.6 mmol/L",
    effect="urgent calcium tests",
    recommendations=(12, 8),
    sources=("nhs-adjusted-calcium", "nice-ng12-hypercalcaemia", "nice-ng132", "cks-hypercalcaemia"),
    condition=lambda f: f.high_calcium,
    detail=_high_calcium_detail,
    timeframe=_high_calcium_timeframe,
    actions=_high_calcium_actions,
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
        HIGH_CALCIUM,
    ),
)

"""The fracture liaison service (FLS) referral letter, made from a stored assessment.

Everything in it comes from the assessment as it was stored (the input and the prompts exactly as shown), the rules
core's own terms for that input, and the decisions the clinician recorded; nothing is looked up again. The referral
itself has no verified SNOMED CT concept yet (../shared/clinical/treatment-and-coding.md section 6 lists "FLS and
clinic referral" among the concepts no source confirmed, [U]): the letter says so and names none, rather than a code
that might be wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.rules.contract import SECONDARY_CAUSES, validate
from core.rules.facts import DRUG_NAMES, SECONDARY_CAUSE_WORDS, Facts, num

from .models import Assessment, Decision, FlsService

REFERRAL_CODE_NOTE = (
    "Referral code: no SNOMED CT concept for a fracture liaison service referral has been verified against a "
    "published source yet, so none is given: record the referral with your system's own referral term."
)
NOT_SET = "not set (the practice manager can set it in the admin site)"


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


def eligible(assessment: Assessment) -> bool:
    """A referral letter is offered where the assessment prompted an FLS referral (a confirmed vertebral fracture,
    or another fragility fracture, referral.fls)."""
    return any(p["id"] == "referral.fls" for p in assessment.prompts)


def _prompt(assessment: Assessment, prompt_id: str) -> dict[str, Any] | None:
    return next((p for p in assessment.prompts if p["id"] == prompt_id), None)


def _yes_no(value: Any) -> str:
    return "not known" if value is None else "yes" if value else "no"


def sections(assessment: Assessment, service: FlsService) -> list[Section]:
    """The letter, section by section, from what the assessment holds (never more than was entered)."""
    inp = assessment.input_snapshot
    facts = Facts(validate(inp, today=assessment.assessed_on))
    return [
        _to(service),
        _reason(assessment, inp),
        _fracture(assessment, inp),
        _risk_factors(facts),
        _frax_inputs(inp),
        _medicines(inp),
        _checks_due(assessment),
        _already_done(assessment),
        _codes(assessment),
    ]


def _to(service: FlsService) -> Section:
    return Section(
        "To",
        (
            f"Service: {service.name or NOT_SET}",
            f"Address: {service.address or NOT_SET}",
            f"Email: {service.email or NOT_SET}",
            *((f"The service accepts: {service.accepts}",) if service.accepts else ()),
        ),
    )


def _reason(assessment: Assessment, inp: dict[str, Any]) -> Section:
    fls = _prompt(assessment, "referral.fls")
    reason = "; ".join(fls["because"]) if fls else "a fragility fracture"
    patient = f"Aged {inp['age']}, {'sex not recorded' if inp['sex'] == 'unknown' else inp['sex']}"
    ref = f"; practice reference {assessment.practice_reference}" if assessment.practice_reference else ""
    return Section(
        "Reason for referral",
        (f"{patient}{ref}. Referred for fracture liaison assessment and secondary prevention: {reason}.",),
    )


def _fracture(assessment: Assessment, inp: dict[str, Any]) -> Section:
    fracture = []
    report = assessment.result.get("report") or {}
    levels = report.get("levels") or []
    if levels:
        fracture.append("Level(s) named in the report: " + ", ".join(str(x) for x in levels))
    imaging = inp.get("spine_imaging") or {}
    if imaging.get("result"):
        fracture.append(f"Spine imaging result: {str(imaging['result']).replace('_', ' ')}")
    if inp.get("vertebral_fractures_known") is not None:
        fracture.append(f"Vertebral fractures known: {inp['vertebral_fractures_known']}")
    if imaging.get("months_since_fracture") is not None:
        fracture.append(f"Months since the most recent fracture: {num(imaging['months_since_fracture'])}")
    if imaging.get("report_text"):
        fracture.append(f'Report wording: "{" ".join(str(imaging["report_text"]).split())}"')
    return Section("The fracture", tuple(fracture) or ("Not recorded in the assessment",))


def _risk_factors(facts: Facts) -> Section:
    present = facts.risk_factor_words(present=True)
    unknown = facts.risk_factor_words(present=False)
    return Section(
        "Risk factors",
        (
            ("Present: " + "; ".join(present)) if present else "None recorded as present",
            *((("Not known: " + "; ".join(unknown)),) if unknown else ()),
        ),
    )


def _frax_inputs(inp: dict[str, Any]) -> Section:
    bmi = "not known"
    if inp.get("weight_kg") and inp.get("height_cm"):
        bmi = f"{inp['weight_kg'] / (inp['height_cm'] / 100) ** 2:.1f}"
    causes = [SECONDARY_CAUSE_WORDS[c] for c in inp.get("secondary_causes") or [] if c in SECONDARY_CAUSES]
    gc = inp.get("glucocorticoids") or {}
    return Section(
        "FRAX inputs",
        (
            f"Age {inp['age']}; sex {inp['sex']}; weight {num(inp.get('weight_kg'))} kg; height "
            f"{num(inp.get('height_cm'))} cm; BMI {bmi}",
            f"Previous fragility fracture: {_yes_no(inp.get('prior_fragility_fracture'))}; parental hip "
            f"fracture: {_yes_no(inp.get('parental_hip_fracture'))}; current smoker: "
            f"{_yes_no(inp.get('current_smoker'))}",
            f"Oral glucocorticoids: {_yes_no(gc.get('current_or_recent'))}; rheumatoid arthritis: "
            f"{_yes_no(inp.get('rheumatoid_arthritis'))}; secondary causes: "
            f"{', '.join(causes) if causes else 'none recorded'}",
            f"Alcohol: {num(inp.get('alcohol_units_per_week'))} units a week; lowest DXA T-score: "
            f"{num(inp.get('dxa_lowest_t_score'))}; NOGG band: {inp.get('nogg_category') or 'not known'}",
        ),
    )


def _medicines(inp: dict[str, Any]) -> Section:
    medicines = []
    gc = inp.get("glucocorticoids") or {}
    if gc.get("current_or_recent") or gc.get("prednisolone_mg_per_day"):
        medicines.append(
            f"Glucocorticoids: prednisolone {num(gc.get('prednisolone_mg_per_day'))} mg a day (or equivalent), "
            f"for {num(gc.get('months'))} months"
        )
    bone = inp.get("bone_protection") or {}
    current = bone.get("current")
    if current:
        years = f" for {num(bone['years'])} years" if bone.get("years") is not None else ""
        medicines.append(
            "Bone protection: none"
            if current == "none"
            else f"Bone protection: {DRUG_NAMES.get(current, current)}{years}"
        )
    else:
        medicines.append("Bone protection: not known")
    return Section("Medicines that matter", tuple(medicines))


def _checks_due(assessment: Assessment) -> Section:
    due = []
    for prompt_id in ("investigations.bloods", "investigations.myeloma_screen", "bone.pre_treatment_checks"):
        p = _prompt(assessment, prompt_id)
        if p:
            due.append(f"{p['title']}: {p['detail']}")
    return Section("Bloods and checks due", tuple(due) or ("None prompted",))


def _already_done(assessment: Assessment) -> Section:
    titles = {p["id"]: p["title"] for p in assessment.prompts}
    latest: dict[str, str] = {}
    for d in assessment.decisions.order_by("created_at", "id"):
        latest[d.prompt_id] = d.choice
    done = [titles[pid] for pid, choice in latest.items() if choice == Decision.Choice.DONE and pid in titles]
    return Section("Already done by the practice", tuple(done) or ("Nothing recorded as done yet",))


def _codes(assessment: Assessment) -> Section:
    diagnosis = _prompt(assessment, "diagnosis.record_vertebral_fracture")
    codes = [f"{c['display']} (SNOMED CT {c['code']})" for c in (diagnosis or {}).get("codes", [])]
    return Section("Codes", (*(f"Diagnosis: {c}" for c in codes), REFERRAL_CODE_NOTE))


def plain_text(assessment: Assessment, service: FlsService) -> str:
    """The letter as plain text, to paste into EMIS Web or SystmOne."""
    lines = [
        "Referral to the fracture liaison service",
        f"Assessment of {assessment.assessed_on:%d %B %Y} (SpinePrompt, rulebook {assessment.rulebook_version})",
        "",
    ]
    for s in sections(assessment, service):
        lines.append(s.title.upper())
        lines.extend(f"- {line}" for line in s.lines)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

"""The rulebook: the 14 recommendations in order, their rules, and integrity checks run at import."""

from __future__ import annotations

from importlib import import_module

from .recommendation import CATEGORIES, PRIORITIES, Recommendation, Rule
from .sources import SOURCES

# Bump on any change to a rule's logic or wording (with the rule's own version) and record it in CHANGELOG.md.
RULEBOOK_VERSION = "2026.12.5"

# One module per recommendation, in the study's order.
_MODULES = (
    "r01_what_it_is",
    "r02_risk_factors_for_patients",
    "r03_when_to_seek_help",
    "r04_risk_factors_for_clinicians",
    "r05_atypical_groups",
    "r06_symptoms",
    "r07_examination",
    "r08_who_to_image",
    "r09_report_wording",
    "r10_communicate_diagnosis",
    "r11_tell_the_patient",
    "r12_bone_protection",
    "r13_treatment_information",
    "r14_understanding_reports",
)
RECOMMENDATIONS: tuple[Recommendation, ...] = tuple(
    import_module(f"{__package__}.recommendations.{name}").RECOMMENDATION for name in _MODULES
)

# Prompts this rulebook adds to the catalogue, a compatible extension (new ids; no id of prompts.md changes meaning).
# Each is documented in docs/recommendations.md and CHANGELOG.md.
EXTENSION_IDS = ("investigations.high_calcium",)

# The order of ../shared/spec/prompts.md, with the extensions in place; results are sorted by priority, then
# category, then this order.
CATALOGUE_ORDER = (
    "red_flag.emergency",
    "red_flag.urgent",
    "investigations.myeloma_screen",
    "investigations.high_calcium",
    "assessment.examination",
    "education.risk_factors",
    "education.symptoms",
    "education.atypical_groups",
    "imaging.spine_xray",
    "safety_net.advice",
    "report.explicit_fracture",
    "report.probable_fracture",
    "report.urgent_features",
    "diagnosis.record_vertebral_fracture",
    "diagnosis.tell_patient",
    "referral.fls",
    "bone.start_treatment",
    "bone.oral_bisphosphonate",
    "bone.oral_bisphosphonate_unsuitable",
    "bone.pre_treatment_checks",
    "bone.calcium_vitamin_d",
    "bone.dxa",
    "bone.specialist_referral",
    "investigations.bloods",
    "risk.frax",
    "falls.assessment",
    "pain.management",
    "bone.review_treatment",
    "bone.fracture_on_treatment",
    "bone.denosumab_continuity",
    "patient_info.about_vertebral_fracture",
    "patient_info.treatment",
    "patient_info.understanding_reports",
)


class RulebookError(Exception):
    """The rulebook is inconsistent; raised at import so that a broken rulebook never runs."""


def _collect() -> tuple[Rule, ...]:
    by_id: dict[str, Rule] = {}
    numbers = [r.number for r in RECOMMENDATIONS]
    if numbers != list(range(1, 15)):
        raise RulebookError(f"recommendations must be 1-14 in order, got {numbers}")
    for rec in RECOMMENDATIONS:
        if not rec.citations or any(c not in SOURCES for c in rec.citations):
            raise RulebookError(f"{rec.id}: citations must name known sources")
        if rec.status not in ("verified", "reconstructed"):
            raise RulebookError(f"{rec.id}: unknown status {rec.status}")
        for rule in rec.rules:
            if rule.id in by_id:
                raise RulebookError(f"duplicate rule id {rule.id}")
            if rule.version < 1 or rule.category not in CATEGORIES or rule.priority not in PRIORITIES:
                raise RulebookError(f"{rule.id}: bad version, category or priority")
            if not rule.sources or any(s not in SOURCES for s in rule.sources):
                raise RulebookError(f"{rule.id}: sources must name known sources")
            if rec.number not in rule.recommendations or any(n not in numbers for n in rule.recommendations):
                raise RulebookError(f"{rule.id}: recommendations must include {rec.number} and be 1-14")
            by_id[rule.id] = rule
    if set(by_id) != set(CATALOGUE_ORDER):
        raise RulebookError(f"rules and catalogue differ: {sorted(set(by_id) ^ set(CATALOGUE_ORDER))}")
    return tuple(by_id[i] for i in CATALOGUE_ORDER)


RULES: tuple[Rule, ...] = _collect()
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
RECOMMENDATION_OF: dict[str, Recommendation] = {rule.id: rec for rec in RECOMMENDATIONS for rule in rec.rules}


def rules_serving(number: int) -> tuple[Rule, ...]:
    """Every rule whose prompt serves recommendation ``number`` (a prompt may serve several)."""
    return tuple(r for r in RULES if number in r.recommendations)

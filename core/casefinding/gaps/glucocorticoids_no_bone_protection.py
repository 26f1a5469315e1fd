"""Long-term or high-dose oral glucocorticoids with no bone protection.

Who is in it is the rules core's own terms, never words in a prompt's reasons: a course of 3 months or more taken or
planned (``Facts.gc_course_3_months``) or 7.5 mg prednisolone a day or more now (``Facts.gc_dose_high`` with
``Facts.gc_current``), thresholds ``GC_LONG_TERM_MONTHS`` and ``GC_HIGH_DOSE_MG`` from core/rules/facts.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.rules.contract import get_path
from core.rules.facts import num
from core.rules.logic import all_of, any_of

from .base import _NOGG_S4, _NOGG_SUMMARY, Context, Finding, Gap, Group, _derived, sentence, titles

GC_PATHS = (
    "glucocorticoids.current_or_recent",
    "glucocorticoids.prednisolone_mg_per_day",
    "glucocorticoids.months",
    "bone_protection.current",
)

GROUP = Group(
    "glucocorticoids_no_bone_protection",
    "Long-term or high-dose glucocorticoids, no bone protection",
    "Oral glucocorticoids for 3 months or more (or 7.5 mg prednisolone a day or more) with no current bone "
    "protection, and a consultation prompt cites the glucocorticoids (bone.start_treatment, "
    "imaging.spine_xray, risk.frax or bone.dxa).",
    "High dose: start bone protection alongside the steroid. Otherwise: assess fracture risk (FRAX with the "
    "dose adjustment) and consider spine imaging.",
    ("bone.start_treatment", "imaging.spine_xray", "risk.frax", "bone.dxa"),
    (8, 12),
    (_NOGG_SUMMARY, _NOGG_S4),
    version=2,
    weight=6,
)


def applies(ctx: Context) -> list[Finding]:
    gc = ctx.data.get("glucocorticoids") or {}
    if not (gc.get("current_or_recent") or gc.get("months") or gc.get("prednisolone_mg_per_day")):
        return []
    if get_path(ctx.data, "bone_protection.current") not in (None, "none"):
        return []
    f = ctx.facts
    qualifies = any_of(f.gc_course_3_months, all_of(f.gc_current, f.gc_dose_high))
    return ctx.prompt_group(
        GROUP.id,
        ("bone.start_treatment", "imaging.spine_xray", "risk.frax", "bone.dxa"),
        GC_PATHS,
        _derived(ctx.derivations, GC_PATHS),
        because_term=qualifies,
        next_step=_next_step(ctx, gc),
    )


def _next_step(ctx: Context, gc: Mapping[str, Any]) -> str:
    """Dose-aware: with the steroid when the rules say so (NOGG: 70 or over, a prior fracture, or 7.5 mg a day or
    more), otherwise fracture risk first, with the dose named."""
    f = ctx.facts
    dose = gc.get("prednisolone_mg_per_day")
    on = f"prednisolone {num(dose)} mg a day" if dose is not None else "the glucocorticoid (dose not recorded)"
    if f.gc_start_with_steroid.value or "bone.start_treatment" in ctx.prompts:
        drug = titles(ctx.prompts, "bone.oral_bisphosphonate", "bone.oral_bisphosphonate_unsuitable")
        return sentence([f"Start bone protection alongside {on}", *drug])
    return sentence(
        [
            f"Assess fracture risk with FRAX, adjusted for {on}",
            *titles(ctx.prompts, "imaging.spine_xray", "bone.dxa"),
        ]
    )


GAP = Gap(GROUP, applies)

"""Long-term or high-dose oral glucocorticoids with no bone protection.

Who is in it is the rules core's own terms, never words in a prompt's reasons: a course of 3 months or more taken or
planned (``Facts.gc_course_3_months``) or 7.5 mg prednisolone a day or more now (``Facts.gc_dose_high`` with
``Facts.gc_current``), thresholds ``GC_LONG_TERM_MONTHS`` and ``GC_HIGH_DOSE_MG`` from apps/rules/facts.py.
"""

from __future__ import annotations

from apps.rules.logic import all_of, any_of

from .base import _NOGG_S4, _NOGG_SUMMARY, Context, Finding, Gap, Group, _derived, _get

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
    if _get(ctx.data, "bone_protection.current") not in (None, "none"):
        return []
    f = ctx.facts
    qualifies = any_of(f.gc_course_3_months, all_of(f.gc_current, f.gc_dose_high))
    return ctx.prompt_group(
        GROUP.id,
        ("bone.start_treatment", "imaging.spine_xray", "risk.frax", "bone.dxa"),
        GC_PATHS,
        _derived(ctx.derivations, GC_PATHS),
        because_term=qualifies,
    )


GAP = Gap(GROUP, applies)

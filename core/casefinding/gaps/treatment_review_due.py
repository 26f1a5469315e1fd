"""Long-term bisphosphonate with no treatment review since it became due (NICE QS149 statement 4).

The review ages are the rules core's ``ORAL_REVIEW_YEARS`` and ``ZOLEDRONATE_REVIEW_YEARS`` (core/rules/facts.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from core.rules.facts import ORAL_REVIEW_YEARS, ZOLEDRONATE_REVIEW_YEARS

from .base import (
    _NOGG_SUMMARY,
    _QS149_S4,
    IN,
    NOT_ASSESSED,
    Context,
    Finding,
    Gap,
    Group,
    _derived,
    _facts,
    _missing,
    sentence,
    titles,
)

REVIEW_PATHS = ("bone_protection.current", "bone_protection.years")

GROUP = Group(
    "treatment_review_due",
    "Bisphosphonate review due",
    "An oral bisphosphonate for 5 years or more, or zoledronic acid for 3 years or more "
    "(bone.review_treatment), and no treatment review recorded since it became due.",
    "Review treatment: continue, or plan a pause by NOGG criteria.",
    ("bone.review_treatment",),
    (12,),
    (_QS149_S4, _NOGG_SUMMARY),
    version=2,
    weight=3,
)


def review_due(data: Mapping[str, Any], assessed: dt.date) -> dt.date | None:
    """When the review became due: the assessment date less the years beyond the review age."""
    prot = data.get("bone_protection") or {}
    years = prot.get("years")
    if years is None:
        return None
    limit = ZOLEDRONATE_REVIEW_YEARS if prot.get("current") == "zoledronate" else ORAL_REVIEW_YEARS
    return assessed - dt.timedelta(days=round((years - limit) * 365.25))


def applies(ctx: Context) -> list[Finding]:
    evidence = _derived(ctx.derivations, REVIEW_PATHS)
    facts = _facts(ctx.data, REVIEW_PATHS)
    if "bone.review_treatment" not in ctx.prompts:
        missing = _missing(ctx.trace, ("bone.review_treatment",))
        if missing and any(m.kind != "glucocorticoid" for m in ctx.record.medications):
            return [Finding(GROUP.id, NOT_ASSESSED, ("bone.review_treatment",), (), tuple(evidence), missing, facts)]
        return []
    because = tuple(ctx.prompts["bone.review_treatment"]["because"])
    if not ctx.reviews_recorded:
        why = ("treatment reviews (not in this extract)",)
        return [Finding(GROUP.id, NOT_ASSESSED, ("bone.review_treatment",), because, tuple(evidence), why, facts)]
    due = review_due(ctx.data, ctx.assessed)
    reviews = sorted(d for d in ctx.record.treatment_reviews if d is not None)
    if [d for d in reviews if due is None or d >= due]:
        return []
    last = f"last treatment review {reviews[-1].isoformat()}" if reviews else "no treatment review coded"
    if due is not None:
        last += f" (review due from about {due.isoformat()})"
    step = sentence(titles(ctx.prompts, "bone.review_treatment"))
    return [Finding(GROUP.id, IN, ("bone.review_treatment",), because, (*evidence, last), (), facts, step)]


GAP = Gap(GROUP, applies)

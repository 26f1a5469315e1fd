"""Gap groups as rules, one module each, like the recommendations (core/rules/recommendations): each holds its
``Group`` (who is in it in words, what to do, its sources, version and worklist weight) and ``applies``, which
reads the consultation's own result and the rules core's own terms and thresholds (core/rules/facts.py), never
words in a prompt's reasons, so a wording edit cannot drop patients from a worklist.

Pure Python (no Django), so the benchmark and the run's worker processes can use it. Unknown is never "no": where a
record holds what makes a group relevant but the rules cannot decide, the patient is "could not be assessed" for
it, with the unknown inputs named. docs/case-finding.md describes each group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import (
    fracture_no_bone_protection,
    fragility_fracture_no_bone_protection,
    glucocorticoids_no_bone_protection,
    imaging_trigger_no_imaging,
    register_code_missing,
    register_gap,
    report_fracture_not_coded,
    treatment_review_due,
    under_65_or_male,
)
from .base import IN, NOT_ASSESSED, Context, Finding, Gap, Group

GAPS: tuple[Gap, ...] = tuple(
    m.GAP
    for m in (
        fracture_no_bone_protection,
        report_fracture_not_coded,
        glucocorticoids_no_bone_protection,
        imaging_trigger_no_imaging,
        treatment_review_due,
        register_gap,
        under_65_or_male,
        fragility_fracture_no_bone_protection,
        register_code_missing,
    )
)
GROUPS: tuple[Group, ...] = tuple(g.group for g in GAPS)
GROUPS_BY_ID = {g.id: g for g in GROUPS}
WEIGHT = {g.id: g.weight for g in GROUPS}


def priority(groups: Iterable[str]) -> int:
    """A patient's place on the worklist: the weight of their weightiest group (0: only "could not be assessed")."""
    return max((WEIGHT[g] for g in groups), default=0)


def find_gaps(
    record: Any,
    data: Mapping[str, Any],
    derivations: Any,
    result: Mapping[str, Any],
    *,
    reviews_recorded: bool = True,
) -> list[Finding]:
    """The groups this patient is in or could not be assessed for, from their record, the contract input built from
    it (``data``, with ``derivations``) and the consultation result for that input. ``reviews_recorded`` says
    whether the extract can hold treatment reviews at all (when it cannot, a review due is "could not be
    assessed")."""
    ctx = Context(record, data, derivations, result, reviews_recorded)
    return [finding for gap in GAPS for finding in gap.applies(ctx)]


__all__ = [
    "GAPS",
    "GROUPS",
    "GROUPS_BY_ID",
    "IN",
    "NOT_ASSESSED",
    "WEIGHT",
    "Finding",
    "Group",
    "find_gaps",
    "priority",
]

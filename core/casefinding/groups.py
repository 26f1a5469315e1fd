"""The case-finding gap groups' public names: the groups themselves are rules in core/casefinding/gaps/, one module
each (see that package's docstring and docs/case-finding.md)."""

from __future__ import annotations

from .gaps import GAPS, GROUPS, GROUPS_BY_ID, IN, NOT_ASSESSED, WEIGHT, Finding, Group, find_gaps, priority
from .gaps.base import (
    REGISTER_FRACTURE_FROM,
    REGISTER_MIN_AGE,
    Source,
    fragility_fracture_codes,
    osteoporosis_codes,
)

__all__ = [
    "GAPS",
    "GROUPS",
    "GROUPS_BY_ID",
    "IN",
    "NOT_ASSESSED",
    "REGISTER_FRACTURE_FROM",
    "REGISTER_MIN_AGE",
    "WEIGHT",
    "Finding",
    "Group",
    "Source",
    "find_gaps",
    "fragility_fracture_codes",
    "osteoporosis_codes",
    "priority",
]

"""What a fracture finding measures: its Genant grade (1-3) and the stated vertebral height loss percentage."""

from __future__ import annotations

import re

from .phrases import Mention
from .text import S

_GRADE_IN = re.compile(
    rf"(?:genant|grade)(?:{S}(?:grade|type|classification|score))?\s{{0,3}}[:=]?\s{{0,3}}(?P<n>[123](?![0-9])|iii\b|ii\b|i\b)"
    rf"(?:\s?(?:-|\u2013|to|/)\s?(?P<n2>[123])(?![0-9]))?|"
    rf"genant{S}(?P<w>mild|moderate|severe)\b",
    re.I,
)
_GRADE_AFTER = re.compile(
    rf"[\s,]{{0,3}}[(\[]?\s{{0,2}}(?:genant{S})?grade\s{{0,2}}(?P<n>[123](?![0-9])|iii\b|ii\b|i\b)"
    rf"(?:\s?(?:-|\u2013|to|/)\s?(?P<n2>[123])(?![0-9]))?",
    re.I,
)
_GRADE_VALUE = {"1": 1, "2": 2, "3": 3, "i": 1, "ii": 2, "iii": 3, "mild": 1, "moderate": 2, "severe": 3}
_PCT_RE = re.compile(r"(?<![0-9.])([0-9]{1,3})(?:\.[0-9]{1,2})?\s?%")


def grade_of(text: str, m: Mention) -> int | None:
    best = None
    found = list(_GRADE_IN.finditer(text, m.start, m.end))
    ga = _GRADE_AFTER.match(text, m.end)
    if ga:
        found.append(ga)
    for g in found:
        for key in (g.group("n"), g.groupdict().get("w"), g.group("n2")):
            v = _GRADE_VALUE.get((key or "").lower())
            if v is not None and (best is None or v > best):
                best = v
    return best


def percent_in(text: str, kept: list[Mention], clause_spans, ss: int, se: int) -> int | None:
    """Highest percentage in the sentence that sits within 40 characters of a non-negated fracture phrase
    in the same clause."""
    findings = [m for m in kept if not m.negated and m.cls in ("explicit", "probable")]
    if not findings or "%" not in text[ss:se]:
        return None
    best = None
    for pm in _PCT_RE.finditer(text, ss, se):
        value = int(pm.group(1))
        if value > 100:
            continue
        ps, pe = pm.span()
        for m in findings:
            cs, ce = clause_spans[m.clause]
            if not (min(cs, m.start) <= ps < max(ce, m.end)):
                continue
            gap = ps - m.end if ps >= m.end else (m.start - pe if pe <= m.start else 0)
            if gap <= 40:
                if best is None or value > best:
                    best = value
                break
    return best

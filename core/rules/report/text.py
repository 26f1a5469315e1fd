"""Pattern building blocks shared by the screener's modules.

Whitespace runs are bounded ({1,4}) so no pattern can backtrack badly. ``DualPattern`` compiles a pattern for the
lower-cased text and, for the rare text whose lower-casing changes its length, case-insensitively;
``key_windows`` limits a search to the characters around a pattern's literal keys."""

from __future__ import annotations

import re

S = r"\s{1,4}"  # between words
H = r"[\s\-]{1,4}"  # between words, hyphen allowed
S0 = r"\s{0,4}"
PCT = r"[0-9]{1,3}(?:\.[0-9]{1,2})?\s?%"
APPROX = (
    rf"(?:(?:approx(?:imately|\.)?|about|around|roughly|almost|nearly|up{S}to|over|at{S}least|c\.|ca\.|~|>)\s{{0,4}})"
)
ENDPLATE = rf"end(?:{H})?plates?"


def max_width(pattern: str) -> int:
    """Longest match of a pattern (every quantifier here is bounded); a safe default if unknown."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # standard library (Python 3.11+)

        width = _parser.parse(pattern).getwidth()[1]
    except Exception:  # pragma: no cover - other Python versions
        return 400
    return min(int(width), 400)


def _literal_first(pattern: str) -> str:
    r"""``\bword...`` as ``w(?<!\ww)ord...``: the same matches, but the regex engine can then jump straight
    to the literal first letter instead of testing a word boundary at every position."""
    if len(pattern) > 3 and pattern.startswith("\\b") and "a" <= pattern[2] <= "z":
        c = pattern[2]
        return c + r"(?<!\w" + c + ")" + pattern[3:]
    return pattern


# Lookarounds need a few characters past a search window's end.
MARGIN = 12


class DualPattern:
    """One pattern compiled twice: case-sensitive, for the lower-cased text (fast), and case-insensitive,
    for the rare text whose lower-casing changes its length. ``width`` is its longest match."""

    __slots__ = ("lo", "ci", "pattern", "width")

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.lo = re.compile(_literal_first(pattern))
        self.ci = re.compile(pattern, re.I)
        self.width = max_width(pattern)


def key_windows(low: str, keys: tuple[str, ...], width: int, cache: dict[str, list[int]]) -> list[list[int]]:
    """Merged search windows for one pattern. Every match contains one of the pattern's keys (lower-case
    literals) and is at most ``width`` characters long, so the lower-cased text need only be searched
    within ``width`` characters of a key's occurrences; that keeps a 20,000-character report fast."""
    positions: list[int] = []
    for key in keys:
        pos = cache.get(key)
        if pos is None:
            pos = []
            p = low.find(key)
            while p != -1:
                pos.append(p)
                p = low.find(key, p + 1)
            cache[key] = pos
        positions.extend(pos)
    if not positions:
        return []
    if len(keys) > 1:
        positions.sort()
    n = len(low)
    out: list[list[int]] = []
    fwd = width + MARGIN
    for p in positions:
        a = p - width if p > width else 0
        b = p + fwd if p + fwd < n else n
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return out  # [start, end] pairs

"""Vertebral levels: T1-T12 and L1-L5 (D1-D12 read as T), ranges and lists, never MRI sequence names (``T1-weighted``,
``T2 hyperintense``) or vitamin D (``25-OH D3``)."""

from __future__ import annotations

import re

from .text import DualPattern

# A bound for pathological texts: the level tokens read in one span.
_MAX_LEVEL_TOKENS = 1000


_ORDER: dict[str, int] = {}
for _letter, _count in (("C", 7), ("T", 12), ("L", 5), ("S", 5)):
    for _n in range(1, _count + 1):
        _ORDER[f"{_letter}{_n}"] = len(_ORDER)
_BY_INDEX = {v: k for k, v in _ORDER.items()}
_VALID = frozenset([f"T{n}" for n in range(1, 13)] + [f"L{n}" for n in range(1, 6)])

_LEVEL = DualPattern(r"(?<![A-Za-z0-9])([tdlcs])([0-9]{1,2})(?![0-9A-Za-z])")
_RANGE = re.compile(
    r"\s{0,3}(-|\u2013|\u2014|\u2010|to|through|/|\\)\s{0,3}([tdlcs])?([0-9]{1,2})"
    r"(?![0-9A-Za-z])(?!\s?(?:%|cm|mm|\.[0-9]))",
    re.I,
)
# MRI sequence names that look like T1/T2 levels.
_SEQ_AFTER = re.compile(
    r"[\s\-*]{0,3}(?:w(?![a-z])|wi(?![a-z])|weight|signal|seq|image|imaging|hyper|hypo|iso(?:intens|-)|bright|"
    r"dark|high\s|low\s|stir|flair|fs(?![a-z])|fat|tse|fse|gre(?![a-z])|map|relax|contrast|gad|post|pre(?![a-z])|"
    r"\+\s?c|shine|dixon|space(?![a-z])|vibe|sag|axial|coronal|sequence)",
    re.I,
)
_SEQ_SLASH = re.compile(r"\s{0,2}/\s{0,2}t[12](?![0-9A-Za-z])", re.I)
_SEQ_LIST = re.compile(r"\s{0,3}(?:,|&|\+|and|or)\s{0,3}(?=t[12](?![0-9]))", re.I)
_SEQ_BEFORE_WORDS = tuple(
    w + sep
    for w in (
        "on",
        "sagittal",
        "sag",
        "axial",
        "coronal",
        "fat sat",
        "fat-sat",
        "fatsat",
        "fat saturated",
        "post contrast",
        "post-contrast",
        "weighted",
    )
    for sep in (" ", "  ", "\t", "\n")
) + ("t1/", "t2/", "t1 /", "t2 /")
_VITAMIN_D = re.compile(r"(?:vitamin|vit\.?|\boh|hydroxy)[\s\-]{0,2}$", re.I)


def levels_in(src: str, text: str, lo: int, hi: int, aligned: bool) -> list[tuple[int, tuple[str, ...]]]:
    """Vertebral level tokens in text[lo:hi]: (position, levels), ranges expanded, MRI sequences dropped."""
    rx = _LEVEL.lo if aligned else _LEVEL.ci
    toks = []
    for m in rx.finditer(src, lo, hi):
        toks.append(m)
        if len(toks) >= _MAX_LEVEL_TOKENS:
            break
    if not toks:
        return []
    count = len(toks)
    seq = [False] * count
    for idx in range(count - 1, -1, -1):
        m = toks[idx]
        if m.group(1) not in "tT" or m.group(2) not in ("1", "2"):
            continue
        s, e = m.span()
        if _SEQ_AFTER.match(text, e) or _SEQ_SLASH.match(text, e) or _seq_before(text, s):
            seq[idx] = True
        else:
            lm = _SEQ_LIST.match(text, e)
            if lm and idx + 1 < count and toks[idx + 1].start() == lm.end() and seq[idx + 1]:
                seq[idx] = True
    out: list[tuple[int, tuple[str, ...]]] = []
    for idx, m in enumerate(toks):
        if seq[idx]:
            continue
        letter = m.group(1).upper()
        num = int(m.group(2))
        s, e = m.span()
        if letter == "D":
            if _VITAMIN_D.search(text[max(0, s - 14) : s]):
                continue
            letter = "T"
        name = f"{letter}{num}"
        if name not in _ORDER:
            continue
        names = [name]
        rm = _RANGE.match(text, e)
        if rm:
            sep = rm.group(1).lower()
            l2 = (rm.group(2) or letter).upper()
            if l2 == "D":
                l2 = "T"
            end_name = f"{l2}{int(rm.group(3))}"
            if end_name in _ORDER:
                first, last = _ORDER[name], _ORDER[end_name]
                if sep not in ("/", "\\") and first < last <= first + 12:
                    names.extend(_BY_INDEX[x] for x in range(first + 1, last + 1))
                else:
                    names.append(end_name)
        valid = tuple(x for x in names if x in _VALID)
        if valid:
            out.append((s, valid))
    return out


def _seq_before(text: str, s: int) -> bool:
    """The token follows a word that introduces an MRI sequence ("on T1", "sagittal T2", "T1/T2")."""
    before = text[max(0, s - 24) : s].lower()
    if not before.endswith(_SEQ_BEFORE_WORDS):
        return False
    for w in _SEQ_BEFORE_WORDS:
        if before.endswith(w):
            k = len(before) - len(w)
            if k == 0 or not before[k - 1].isalnum() or w[0] == "t":
                return True
    return False


def sort_levels(levels) -> tuple[str, ...]:
    return tuple(sorted(set(levels), key=_ORDER.__getitem__))


def is_level_word(w: str) -> bool:
    return len(w) in (2, 3) and w[0] in "tdl" and w[1:].isdigit()

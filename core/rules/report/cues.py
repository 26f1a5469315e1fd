"""Negation, hedging, clause breaks, scope terminators and age qualifiers: the cues found by reading the words once, and
how they mark a phrase negated, hedged, old or acute within its clause."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .anatomy import VERT_WORD
from .phrases import Mention
from .text import S0, DualPattern, S

_NEG_PRE = DualPattern(
    rf"\b(?:no|not|without|nor|neither|negative{S}for|free{S}(?:of|from)|absence{S}of|nil|never|rather{S}than|"
    rf"instead{S}of)\b",
)
_NEG_POST = DualPattern(
    rf"\b(?:(?:is|are|was|were|has|have|had){S}(?:been{S})?)?(?:not{S}(?:been{S})?(?:seen|identified|demonstrated|"
    rf"evident|visible|present|apparent|shown|detected|noted|appreciated|confirmed|found|observed|demonstrable)|"
    rf"(?:ruled|rules){S}out|excluded|absent)\b",
)
_CANNOT = rf"(?:cannot|can{S}not|can['\u2019]t|could{S}not|couldn['\u2019]t|unable{S}to)"
_FULLY = rf"(?:(?:entirely|completely|definitely|confidently|reliably|fully|totally){S})?"
_HEDGE_PRE = DualPattern(
    rf"(?:\b(?:possible|possibly|query|queried|questionable|questionably|suspicious{S}(?:for|of)|"
    rf"suspicion{S}(?:of|for)|suspected|suspect|equivocal|likely|probable|probably|presumed|presumably|"
    rf"may{S}(?:be|represent|reflect|indicate|relate)|might{S}(?:be|represent)|could{S}(?:be|represent|reflect|indicate)|"
    rf"{_CANNOT}{S}{_FULLY}(?:exclude|rule{S}out)|not{S}{_FULLY}(?:excluded|ruled{S}out))\b|\?{{1,3}})",
)
_HEDGE_POST = DualPattern(
    rf"\b(?:(?:{_CANNOT}|not){S}(?:(?:be|been){S})?{_FULLY}(?:excluded|ruled{S}out)|"
    rf"(?:is|are|was|were){S}(?:possible|queried|suspected|likely|probable|equivocal|questionable))\b",
)
_Q_TRAIL = re.compile(r"[ \t]{0,2}\?")
_PSEUDO = DualPattern(
    rf"\bno{S}(?:(?:significant|interval|appreciable|definite|major|further{S}significant|real){S})?"
    rf"(?:change|progression|difference)\b|"
    rf"\bnot{S}(?:significantly{S})?(?:changed|progressed)\b|"
    rf"\bno{S}(?:(?:previous|prior|old|comparison|comparative|earlier|recent){S})(?:imaging|films?|studies|study|"
    rf"images?|radiographs?|x-?rays?|examinations?|scans?|mri|ct|available)\b|"
    rf"\bno{S}comparison\b|\bnot{S}only\b|\bno{S}doubt\b|\bwithout{S}(?:significant{S})?(?:change|progression)\b|"
    rf"\b(?:no|without){S}(?:(?:significant|appreciable|definite|interval){S})?further{S}(?:loss|reduction|"
    rf"collapse|compression|wedging|height{S}loss|depression)\b",
)
_TERMINATOR = DualPattern(
    rf",{S0}(?:(?:the|an?|and|but|with){S})?(?:old|chronic|healed|long[\s\-]?standing|established|known|"
    rf"previous(?:ly)?|pre-?existing|stable|unchanged|remote)\b|"
    rf"\b(?:of|at|in|involving|to|with){S}(?:the{S}|an?{S})?(?:known|previous(?:ly)?|established|old|chronic|"
    rf"existing|pre-?existing|healed)\b|"
    rf"\bthere{S}(?:is|are|was|were|has|have)\b",
)
_COORD = re.compile(
    r"[\s,]{0,6}(?:(?:and/or|and|or|nor|/|&)[\s,]{0,4})?(?:(?:the|any|a|an|of|at)\s{1,4}){0,2}"
    r"(?:[tdl][0-9]{1,2}(?:\s{0,2}(?:-|to|/|,|and)\s{0,2}[tdl]?[0-9]{1,2}){0,3}\s{0,4})?",
    re.I,
)
_AGE = DualPattern(
    rf"\b(?P<old>old|chronic|healed|long[\s\-]?standing|established|unchanged|stable|previous|previously|"
    rf"pre-?existing|remote|no{S}(?:(?:significant|interval|appreciable){S})?(?:change|progression)|"
    rf"not{S}(?:significantly{S})?changed)\b|"
    rf"\b(?P<acute>acute[\s\-]on[\s\-]chronic|acute|sub-?acute|new|newly|recent|recently|fresh|interval|(?:bone{S})?marrow{S}o?edema|o?edema(?:tous)?|"
    rf"stir{S}(?:hyperintens\w{{0,6}}|high{S}signal|signal(?:{S}(?:change|abnormality))?|bright)|"
    rf"(?:hyperintens\w{{0,6}}|high{S}signal|bright){S}on{S}stir)\b",
)
_CLAUSE_BREAK = DualPattern(
    rf"[;:]|\b(?:but|however|although|though|whereas|except|apart{S}from|other{S}than|aside{S}from|save{S}for|"
    rf"nevertheless|nonetheless)\b",
)
# Cues are found by reading the words once: each cue pattern is tried only where a word it can start with
# begins (much faster than searching the text once per pattern).
CUE_VERT, CUE_BREAK, CUE_NEG_PRE, CUE_NEG_POST, CUE_HEDGE_PRE, CUE_HEDGE_POST, CUE_PSEUDO, CUE_TERM, CUE_AGE = range(9)
_CUE_PATTERNS = (
    (
        VERT_WORD,
        "vertebra vertebrae vertebral spine spines spinal thoracolumbar lumbosacral cervicothoracic end "
        "endplate endplates vertebroplasty vertebroplasties kyphoplasty kyphoplasties lumbar thoracic dorsal",
    ),
    (_CLAUSE_BREAK, "; : but however although though whereas except apart other aside save nevertheless nonetheless"),
    (_NEG_PRE, "no not without nor neither negative free absence nil never rather instead"),
    (_NEG_POST, "is are was were has have had not ruled rules excluded absent"),
    (
        _HEDGE_PRE,
        "possible possibly query queried questionable questionably suspicious suspicion suspected suspect "
        "equivocal likely probable probably presumed presumably may might could cannot can couldn unable not ?",
    ),
    (_HEDGE_POST, "cannot can could couldn unable not is are was were"),
    (_PSEUDO, "no not without"),
    (_TERMINATOR, ", of at in involving to with there"),
    (
        _AGE,
        "old chronic healed long longstanding established unchanged stable previous previously pre preexisting "
        "remote no not acute sub subacute new newly recent recently fresh bone marrow oedema edema oedematous "
        "edematous stir hyperintense high bright interval",
    ),
)
_CUE_STARTS: dict[str, tuple[int, ...]] = {}
for _ci, (_d, _words) in enumerate(_CUE_PATTERNS):
    for _w in _words.split():
        _CUE_STARTS[_w] = _CUE_STARTS.get(_w, ()) + (_ci,)
_TOKEN = DualPattern(r"[a-z]+|[;:?,]")


def find_cues(src: str, aligned: bool, spans: list[list[int]]) -> list[list[re.Match[str]]]:
    """Matches of every cue pattern inside the spans, per pattern, in order and non-overlapping."""
    out: list[list[re.Match[str]]] = [[] for _ in _CUE_PATTERNS]
    last_end = [-1] * len(_CUE_PATTERNS)
    tok = _TOKEN.lo if aligned else _TOKEN.ci
    starts = _CUE_STARTS
    for lo, hi in spans:
        for t in tok.finditer(src, lo, hi):
            w = t.group() if aligned else t.group().lower()
            cats = starts.get(w)
            if cats is None:
                if w.startswith("hyperintens"):
                    cats = starts["hyperintense"]
                else:
                    continue
            p = t.start()
            for ci in cats:
                if p < last_end[ci]:
                    continue
                d = _CUE_PATTERNS[ci][0]
                m = (d.lo if aligned else d.ci).match(src, p)
                if m is not None and m.end() > p:
                    out[ci].append(m)
                    last_end[ci] = m.end()
    return out


def filter_masked(cues: list[tuple[int, int]], masks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop cues that start inside a mask span."""
    if not masks or not cues:
        return cues
    masks = sorted(masks)
    ms = [m[0] for m in masks]
    me: list[int] = []
    best = -1
    for m in masks:  # running maximum of the ends, so overlapping masks still work
        best = max(best, m[1])
        me.append(best)
    out = []
    for c in cues:
        k = bisect_right(ms, c[0]) - 1
        if k >= 0 and c[0] < me[k]:
            continue
        out.append(c)
    return out


class CueSpans:
    """Sorted, non-overlapping cue spans with bisect helpers."""

    __slots__ = ("spans", "starts", "ends")

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def last_before(self, pos: int, lo: int) -> tuple[int, int] | None:
        """The last cue ending at or before ``pos`` and starting at or after ``lo``."""
        k = bisect_right(self.ends, pos) - 1
        if k >= 0 and self.starts[k] >= lo:
            return self.spans[k]
        return None

    def any_in(self, lo: int, hi: int) -> bool:
        k = bisect_left(self.starts, lo)
        return k < len(self.starts) and self.starts[k] < hi

    def within(self, lo: int, hi: int) -> list[tuple[int, int]]:
        a = bisect_left(self.starts, lo)
        b = bisect_left(self.starts, hi)
        return self.spans[a:b]


# Most reports have no cue of some kinds: they share this one (never changed) rather than each building an empty one.
NO_CUES = CueSpans([])


def cue_spans(spans: list[tuple[int, int]]) -> CueSpans:
    return CueSpans(spans) if spans else NO_CUES


def negate_and_hedge(
    text: str,
    kept: list[Mention],
    clause_spans: list[tuple[int, int]],
    negation: tuple[CueSpans, CueSpans],
    hedging: tuple[CueSpans, CueSpans],
    terms: CueSpans,
    has_q: bool,
) -> None:
    """Mark each match negated or hedged by the cues in its own clause ("no fracture", "possible wedging",
    "fracture?"): ``negation`` and ``hedging`` are (cues before, cues after) a match; a cue before it reaches it
    only if no terminator (``terms``) comes between."""
    neg_pre, neg_post = negation
    hedge_pre, hedge_post = hedging
    by_clause: dict[int, list[Mention]] = {}
    for m in kept:
        by_clause.setdefault(m.clause, []).append(m)
    for ci, ms in by_clause.items():
        cs, ce = clause_spans[ci]
        cs = min(cs, ms[0].start)
        ce = max(ce, ms[-1].end)
        for m in ms:
            cue = neg_pre.last_before(m.start, cs)
            if cue is not None and not terms.any_in(cue[1], m.start):
                m.negated = True
            cue = hedge_pre.last_before(m.start, cs)
            if cue is not None and not terms.any_in(cue[1], m.start):
                m.hedged = True
            if has_q and _Q_TRAIL.match(text, m.end):
                m.hedged = True
        _apply_post(text, ms, neg_post.within(cs, ce), "negated")
        _apply_post(text, ms, hedge_post.within(cs, ce), "hedged")


def _apply_post(text: str, ms: list[Mention], cues: list[tuple[int, int]], attr: str) -> None:
    """A cue after the phrase ("fracture is not seen") applies to the nearest phrase before it and to the
    phrases co-ordinated with it ("collapse or fracture is not seen")."""
    for cs, _ce in cues:
        prior = [m for m in ms if m.end <= cs]
        if not prior:
            continue
        k = len(prior) - 1
        if cs - prior[k].end > 60:
            continue
        setattr(prior[k], attr, True)
        while k > 0:
            gap = text[prior[k - 1].end : prior[k].start]
            if len(gap) > 40 or _COORD.fullmatch(gap) is None:
                break
            k -= 1
            setattr(prior[k], attr, True)


def nearest_age(m: Mention, clause_spans, sentences, ages, age_starts, age_ends) -> str | None:
    if not ages:
        return None
    bounds = (clause_spans[m.clause], sentences[m.sent])
    for lo, hi in bounds:
        lo = min(lo, m.start)
        best: tuple[int, int, str] | None = None
        k = bisect_right(age_ends, m.start) - 1
        if k >= 0 and age_starts[k] >= lo and not (ages[k][3] and m.start - age_ends[k] > 25):
            best = (m.start - age_ends[k], 0, ages[k][2])
        k2 = bisect_left(age_starts, m.end)
        if k2 < len(ages) and age_starts[k2] < hi and not ages[k2][3]:
            cand = (age_starts[k2] - m.end, 1, ages[k2][2])
            if best is None or cand < best:
                best = cand
        if best is not None:
            return best[2]
    return None

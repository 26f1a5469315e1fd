"""The screen itself: a report's candidate phrases, read sentence by sentence with their context, cues and measures."""

from __future__ import annotations

from bisect import bisect_right

from .anatomy import BONES, NEAR_ONLY, NEAR_WORD, NOT_SPINE, WORD, vertebral_fracture_wording
from .cues import (
    CUE_AGE,
    CUE_BREAK,
    CUE_HEDGE_POST,
    CUE_HEDGE_PRE,
    CUE_NEG_POST,
    CUE_NEG_PRE,
    CUE_PSEUDO,
    CUE_TERM,
    CUE_VERT,
    NO_CUES,
    CueSpans,
    cue_spans,
    filter_masked,
    find_cues,
    nearest_age,
    negate_and_hedge,
)
from .levels import levels_in, sort_levels
from .measures import grade_of, percent_in
from .phrases import PHRASES, Mention, candidates, resolve_overlaps
from .result import NOTHING_FOUND, ReportMatch, ReportScreen
from .sentences import BLANK_LINE, DISC_HEADING, clauses, index_of, report_lines, spans_contain, split_sentences

# A bound for pathological texts: the phrase matches screened (of each kind, urgent features first).
_MAX_MATCHES = 500


def _classification(results: list[ReportMatch]) -> str:
    """The report's class: the most serious of its matches (urgent, then explicit, then probable), else none."""
    classes = {r.cls for r in results}
    for cls in ("urgent", "explicit", "probable"):
        if cls in classes:
            return cls
    return "none"


def screen_report(text: object) -> ReportScreen:
    """Screen one radiology report. Never raises on a ``str``; ``None`` or empty gives ``none``."""
    if text is None:
        return NOTHING_FOUND
    if not isinstance(text, str):
        text = str(text)
    if not text or text.isspace():
        return NOTHING_FOUND
    return _screen(text)


def _screen(text: str) -> ReportScreen:
    low = text.lower()
    # Lower-casing keeps offsets unless a rare character changes length; then search the original text
    # case-insensitively instead.
    aligned = len(low) == len(text)
    found = _phrases_found(text, low, aligned)
    if not found:
        return NOTHING_FOUND
    sentences = split_sentences(text)
    if not sentences:
        return NOTHING_FOUND
    sent_starts = [s for s, _ in sentences]
    line_starts, line_vert, request = report_lines(text, sentences, sent_starts, found[-1][0])
    by_sentence = _mentions_by_sentence(found, request, sent_starts)
    if not by_sentence:
        return NOTHING_FOUND
    order = sorted(by_sentence)
    report = _read_report(text, low, aligned, sentences, sent_starts, order)
    if report is None:
        return NOTHING_FOUND
    report.line_starts = line_starts
    report.line_vert = line_vert

    finding_levels: dict[int, tuple[str, ...]] = {}  # sentences holding a fracture finding -> its levels
    results: list[ReportMatch] = []
    grade: int | None = None
    pct: int | None = None
    for si in order:
        kept = _sentence_mentions(report, si, by_sentence[si], finding_levels)
        if not kept:
            continue
        finding_lv, g = _record_matches(report, kept, results)
        if g is not None and (grade is None or g > grade):
            grade = g
        if finding_lv is not None:
            finding_levels[si] = finding_lv
            ss, se = sentences[si]
            p = percent_in(text, kept, report.clause_spans, ss, se)
            if p is not None and (pct is None or p > pct):
                pct = p

    results.sort(key=lambda r: (r.start, r.end))
    classification = _classification(results)
    levels = sort_levels(lv for r in results if r.cls in ("explicit", "probable", "urgent") for lv in r.levels)
    return ReportScreen(
        classification=classification,
        matches=tuple(results),
        levels=levels,
        grade=grade,
        height_loss_percent=pct,
    )


def _phrases_found(text: str, low: str, aligned: bool) -> list[tuple[int, int, int, int]]:
    """The candidate phrases, overlaps resolved and ignored wording dropped, as (start, end, priority, phrase)."""
    raw = candidates(text, low, aligned, {})
    if not raw:
        return []
    found = [c for c in resolve_overlaps(raw) if PHRASES[c[3]].cls != "ignore"]
    if len(found) > _MAX_MATCHES:
        # A pathological text (no real report has hundreds of findings): read the first matches of each
        # kind, keeping every urgent feature among them, so the time stays bounded.
        urgent = [c for c in found if c[2] == 0][:_MAX_MATCHES]
        others = [c for c in found if c[2] != 0][:_MAX_MATCHES]
        found = sorted(urgent + others)
    return found


def _mentions_by_sentence(
    found: list[tuple[int, int, int, int]], request: list[tuple[int, int]], sent_starts: list[int]
) -> dict[int, list[Mention]]:
    """The phrases found, as mentions grouped by sentence; in the clinical request only urgent features count."""
    req_starts = [r[0] for r in request]
    req_ends = [r[1] for r in request]
    by_sentence: dict[int, list[Mention]] = {}
    for s, e, _prio, pi in found:
        pat = PHRASES[pi]
        in_request = bool(request) and spans_contain(req_starts, req_ends, s)
        if in_request and pat.cls != "urgent":
            continue  # the question asked ("?fracture") is not a finding
        si = index_of(sent_starts, s)
        by_sentence.setdefault(si, []).append(Mention(s, e, pat.cls, pat, si, in_request=in_request))
    return by_sentence


class _Report:
    """What the sentences holding mentions need to know about the report around them: its sentences and
    clauses, the levels and vertebral words in each, the heading lines, and the negation, hedging and age cues."""

    __slots__ = (
        "text",
        "low",
        "aligned",
        "sentences",
        "line_starts",
        "line_vert",
        "vert_sents",
        "sent_levels",
        "clause_spans",
        "clause_starts",
        "clause_levels",
        "negation",
        "hedging",
        "terms",
        "ages",
        "age_starts",
        "age_ends",
        "has_q",
        "has_grade_words",
    )

    def __init__(self, text: str, low: str, aligned: bool, sentences: list[tuple[int, int]]):
        self.text = text
        self.low = low
        self.aligned = aligned
        self.sentences = sentences
        self.line_starts: list[int] = [0]
        self.line_vert: list[bool] = [False]
        self.vert_sents: set[int] = set()
        self.sent_levels: dict[int, set[str]] = {}
        self.clause_spans: list[tuple[int, int]] = []
        self.clause_starts: list[int] = []
        self.clause_levels: dict[int, tuple[str, ...]] = {}
        self.negation: tuple[CueSpans, CueSpans] = (NO_CUES, NO_CUES)  # cues before, cues after a phrase
        self.hedging: tuple[CueSpans, CueSpans] = (NO_CUES, NO_CUES)
        self.terms: CueSpans = NO_CUES  # scope terminators
        self.ages: list[tuple[int, int, str, bool]] = []
        self.age_starts: list[int] = []
        self.age_ends: list[int] = []
        self.has_q = "?" in text
        self.has_grade_words = "grade" in low or "genant" in low


def _read_report(
    text: str, low: str, aligned: bool, sentences: list[tuple[int, int]], sent_starts: list[int], order: list[int]
) -> _Report | None:
    """Levels, vertebral words, clauses and cues, read only in the runs of sentences that hold mentions; None
    when those sentences have no clause left."""
    report = _Report(text, low, aligned, sentences)
    src = low if aligned else text
    spans: list[list[int]] = []
    for si in order:
        ss, se = sentences[si]
        if spans and ss - spans[-1][1] <= 200:
            spans[-1][1] = se
        else:
            spans.append([ss, se])

    cues = find_cues(src, aligned, spans)
    for vm in cues[CUE_VERT]:
        if vm.group(0).lower().startswith("spine") and NOT_SPINE.search(text[max(0, vm.start() - 12) : vm.start()]):
            continue
        report.vert_sents.add(index_of(sent_starts, vm.start()))
    level_tokens: list[tuple[int, tuple[str, ...]]] = []
    for lo, hi in spans:
        for pos, names in levels_in(src, text, lo, hi, aligned):
            level_tokens.append((pos, names))
            report.sent_levels.setdefault(index_of(sent_starts, pos), set()).update(names)

    report.clause_spans = clauses(sentences, order, [m.span() for m in cues[CUE_BREAK]])
    if not report.clause_spans:
        return None
    report.clause_starts = [c[0] for c in report.clause_spans]
    clause_level_sets: dict[int, set[str]] = {}
    for pos, names in level_tokens:
        clause_level_sets.setdefault(index_of(report.clause_starts, pos), set()).update(names)
    report.clause_levels = {ci: sort_levels(v) for ci, v in clause_level_sets.items()}

    neg_pre_l = [m.span() for m in cues[CUE_NEG_PRE]]
    neg_post_l = [m.span() for m in cues[CUE_NEG_POST]]
    hedge_pre_l = [m.span() for m in cues[CUE_HEDGE_PRE]]
    hedge_post_l = [m.span() for m in cues[CUE_HEDGE_POST]]
    pseudo_l = [m.span() for m in cues[CUE_PSEUDO]]
    neg_post_l = filter_masked(neg_post_l, hedge_post_l + hedge_pre_l)
    neg_pre_l = filter_masked(neg_pre_l, hedge_post_l + hedge_pre_l + neg_post_l + pseudo_l)
    report.negation = (cue_spans(neg_pre_l), cue_spans(neg_post_l))
    report.hedging = (cue_spans(hedge_pre_l), cue_spans(hedge_post_l))
    report.terms = cue_spans([m.span() for m in cues[CUE_TERM]])
    # "previous" dates a phrase only just before it ("previous T12 vertebroplasty", not "compared with previous")
    ages = [
        (m.start(), m.end(), "old" if m.group("old") else "acute", m.group(0)[:4].lower() == "prev")
        for m in cues[CUE_AGE]
    ]
    ages.sort()
    report.ages = ages
    report.age_starts = [a[0] for a in ages]
    report.age_ends = [a[1] for a in ages]
    return report


def _sentence_mentions(
    report: _Report, si: int, mentions: list[Mention], finding_levels: dict[int, tuple[str, ...]]
) -> list[Mention]:
    """The mentions of one sentence that stand, with their levels, negation and hedging: fracture wording about
    another bone is dropped, and fracture wording needs vertebral context (the sentence's own, its heading's, or a
    finding in the sentence just before)."""
    text, low = report.text, report.low
    ss, se = report.sentences[si]
    s_levels = sort_levels(report.sent_levels.get(si, ()))
    # (the lower-cased text, when aligned, is the sentence lower-cased: only a Greek sigma's form, final or
    # not, can differ, and WORD reads ASCII only)
    if report.aligned and NEAR_WORD.search(low[ss:se]) is None:
        has_bone = has_near = False
    else:
        words = set(WORD.findall(low, ss, se) if report.aligned else WORD.findall(text[ss:se].lower()))
        has_bone = not BONES.isdisjoint(words)
        has_near = has_bone or not NEAR_ONLY.isdisjoint(words)
    line_idx = max(0, bisect_right(report.line_starts, ss) - 1)
    own_ctx = bool(s_levels) or si in report.vert_sents or report.line_vert[line_idx]
    inherited: tuple[str, ...] | None = None
    if (
        not own_ctx
        and not has_bone
        and si - 1 in finding_levels
        and not BLANK_LINE.search(text, report.sentences[si - 1][1], ss)
    ):
        inherited = finding_levels[si - 1]

    disc_heading = DISC_HEADING.match(text, ss) is not None
    clause_levels = report.clause_levels
    kept: list[Mention] = []
    for m in mentions:
        m.clause = index_of(report.clause_starts, m.start)
        if disc_heading and m.cls == "probable" and "height" in text[m.start : m.end].lower():
            m.cls = "exclusion"  # "Discs: reduced height at L4/5"
        if (
            m.cls in ("explicit", "probable")
            and has_near
            and not vertebral_fracture_wording(text, m, report.clause_spans, clause_levels, has_bone)
        ):
            continue
        c_levels = clause_levels.get(m.clause)
        if c_levels:
            m.levels = c_levels
        elif s_levels:
            m.levels = s_levels
        elif inherited and m.cls in ("explicit", "probable"):
            m.levels = inherited
        kept.append(m)
    if not kept:
        return kept

    negate_and_hedge(text, kept, report.clause_spans, report.negation, report.hedging, report.terms, report.has_q)

    # fracture wording needs vertebral context, except when negated (then it is only reported); an urgent
    # feature in the clinical request counts only when stated ("Known myeloma", not "?metastases")
    context = own_ctx or inherited is not None
    return [
        m
        for m in kept
        if (m.negated or context or m.pat.self_ctx or m.cls not in ("explicit", "probable"))
        and not (m.in_request and (m.hedged or m.negated))
    ]


def _record_matches(
    report: _Report, kept: list[Mention], results: list[ReportMatch]
) -> tuple[tuple[str, ...] | None, int | None]:
    """Add one sentence's matches to the results (hedged explicit wording is probable; negated wording keeps the
    class it would have had). Returns the levels of its fracture findings (None without one) and the highest
    Genant grade stated with them."""
    text = report.text
    has_finding = False
    finding_lv: set[str] = set()
    grade: int | None = None
    for m in kept:
        cls = m.cls
        if cls == "explicit" and m.hedged:
            cls = "probable"
        age = nearest_age(m, report.clause_spans, report.sentences, report.ages, report.age_starts, report.age_ends)
        if m.negated:
            results.append(ReportMatch(text[m.start : m.end], m.start, m.end, "negated", m.levels, age, cls))
            continue
        results.append(ReportMatch(text[m.start : m.end], m.start, m.end, cls, m.levels, age))
        if cls in ("explicit", "probable"):
            has_finding = True
            finding_lv.update(m.levels)
            if report.has_grade_words:
                g = grade_of(text, m)
                if g is not None and (grade is None or g > grade):
                    grade = g
    return (sort_levels(finding_lv) if has_finding else None), grade

"""Sentences, clauses and the report's layout: sentence breaks (not at decimals or abbreviations), headings (a spine
section, a clinical request), the clinical-request regions, and clauses cut at clause-break cues."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .anatomy import VERT_WORD

_NEWLINES = frozenset("\n\r\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e")
_BULLETS = frozenset("\u2022\u25aa\u25e6\u25cf\u2023\u2043\u25a0\u25a1")
_BREAK_CAND = re.compile(
    r"[.!?\n\r\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e\u2022\u25aa\u25e6\u25cf\u2023\u2043\u25a0\u25a1]"
)
_ABBREV = frozenset(
    [
        "approx",
        "e.g",
        "i.e",
        "c.f",
        "cf",
        "vs",
        "eg",
        "ie",
        "viz",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "fig",
        "incl",
        "ca",
        "approx",
        "appt",
        "ref",
        "cm.h",
        "st",
        "sr",
        "jr",
    ]
)
DISC_HEADING = re.compile(r"(?:intervertebral\s{1,3})?discs?(?:\s{1,3}spaces?)?(?:\s{1,3}heights?)?\s{0,3}:", re.I)
_CONTINUING_WORDS = frozenset(
    {"of", "the", "a", "an", "and", "or", "with", "at", "in", "to", "from", "by", "for", "on", "involving"}
)
_CLOSERS = "\"')]}\u201d\u2019"


# A line break: "\r\n" or one of the characters (str.splitlines' set). Written as a character class first, not as
# "\r\n|[...]", so that the regex engine can skip quickly to a candidate character; the matches are the same.
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e](?:(?<=\r)\n)?")
_HEADER_INLINE = re.compile(r"[ \t>*\-\u2022]{0,6}([A-Za-z][A-Za-z /&()'\u2019\-]{0,40}?)[ \t]{0,3}:", re.I)
_REQUEST_HDR = re.compile(
    r"(?:clinical(?:\s{1,3}(?:details?|info(?:rmation)?|history|indications?|question|notes?|summary))?|history|"
    r"indications?|reason\s{1,3}for\s{1,3}[a-z]{1,12}|requests?(?:\s{1,3}details)?|referral(?:\s{1,3}[a-z]{1,10})?|"
    r"hx|c/o|clinical\s{1,3}query|query|question)",
    re.I,
)
_FINDINGS_HDR = re.compile(
    r"\b(?:findings?|report|impression|conclusions?|opinion|comments?|results?|summary)\s{0,3}:", re.I
)
_GENERIC_HDR = re.compile(
    r"(?:findings?|report|impression|conclusions?|opinion|comments?|results?|summary|technique|comparison|"
    r"history|clinical.{0,20}|indications?|procedure|examination|exam|date.{0,20}|views?)",
    re.I,
)
_EXAM_TITLE = re.compile(r"(?:xr|x-ray|xray|ct|mri?|dxa|dexa|vfa|plain|lateral|ap|radiographs?|films?)\b", re.I)
BLANK_LINE = re.compile(r"\n[ \t\r]*\n|\r[ \t]*\r")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, trimmed of whitespace and bullet markers."""
    n = len(text)
    out: list[tuple[int, int]] = []

    def add(s: int, e: int) -> None:
        while True:
            while s < e and text[s].isspace():
                s += 1
            if s + 1 < e and text[s] in "-*\u2013>" and text[s + 1].isspace():
                s += 1
                continue
            break
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))

    start = 0
    for m in _BREAK_CAND.finditer(text):
        i = m.start()
        c = text[i]
        if c in _NEWLINES:
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                continue
            brk = not _line_continues(text, i)
        elif c in _BULLETS or c == "!":
            brk = True
        elif c == "?":
            prev = text[i - 1] if i > 0 else " "
            nxt = text[i + 1] if i + 1 < n else " "
            brk = (not prev.isspace()) and prev != "?" and (nxt.isspace() or nxt in _CLOSERS)
        else:  # "."
            nxt = text[i + 1] if i + 1 < n else " "
            if not (nxt.isspace() or nxt in _CLOSERS):
                brk = False  # "2.5", "e.g", "..."
            elif i == 0 or not text[i - 1].isalpha():
                brk = True
            else:
                before = text[i - 12 if i > 12 else 0 : i].rsplit(None, 1)
                word = before[-1].lstrip("([{\"'").lower() if before else ""
                brk = word not in _ABBREV
        if brk:
            add(start, i)
            start = i + 1
    add(start, n)
    return out


def _line_continues(text: str, i: int) -> bool:
    """A line break inside a wrapped sentence: previous line ends in a word or comma, next starts lower case."""
    n = len(text)
    j = i - 1
    while j >= 0 and text[j] in " \t\r":
        j -= 1
    if j < 0 or not (text[j].isalnum() or text[j] == ","):
        return False
    k = i + 1
    while k < n and text[k] in " \t":
        k += 1
    if k >= n or text[k] in _NEWLINES:
        return False
    if text[k].islower() and text[k].isalpha():
        return True
    # a line ending in a word that cannot end a sentence ("wedging of the / T8 vertebral body")
    h = j
    while h >= 0 and text[h].isalpha():
        h -= 1
    return text[h + 1 : j + 1].lower() in _CONTINUING_WORDS


def _whole_line_header(line: str) -> str | None:
    """Classify a line that is a heading on its own: 'vert', 'request', 'generic', 'other' or None."""
    st = line.strip(" \t\r>*-\u2022")
    if not st or len(st) > 60:
        return None
    ends_colon = st.endswith(":")
    core = st.rstrip(":").strip()
    if not core or core[-1] in ".!?,;" or ":" in core or len(core.split()) > 6:
        return None
    if core.isascii():
        # ASCII letters are exactly the cased characters, so this is "has letters, all upper case" (below)
        upper = core.isupper()
    else:
        letters = [ch for ch in core if ch.isalpha()]
        upper = bool(letters) and all(ch.isupper() for ch in letters)
    if not (ends_colon or upper or _EXAM_TITLE.match(core)):
        return None
    if _REQUEST_HDR.fullmatch(core):
        return "request"
    if VERT_WORD.ci.search(core):
        return "vert"
    if _GENERIC_HDR.fullmatch(core):
        return "generic"
    return "other"


def spans_contain(starts: list[int], ends: list[int], pos: int) -> bool:
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


def report_lines(
    text: str, sentences: list[tuple[int, int]], sent_starts: list[int], last_pos: int
) -> tuple[list[int], list[bool], list[tuple[int, int]]]:
    """The report's lines up to the last candidate: where each starts, whether it is under a spine heading (a
    "Thoracic spine:" line, or an inline "Lumbar spine: ..."), and the clinical-request regions (the question
    asked, "?fracture", is not a finding)."""
    line_starts = [0]
    # Every line-break character is unprintable, so a printable text is one line (no need to search it).
    one_line = text.isprintable()
    if not one_line:
        for lb in _LINE_BREAK.finditer(text, 0, last_pos + 1):
            line_starts.append(lb.end())
    n_lines = len(line_starts)
    line_vert = [False] * n_lines
    request: list[tuple[int, int]] = []
    state: str | None = None
    request_next = False
    for li in range(n_lines):
        ls = line_starts[li]
        le = line_starts[li + 1] if li + 1 < n_lines else len(text)
        if li + 1 >= n_lines and not one_line:
            nl = _LINE_BREAK.search(text, ls)
            le = nl.start() if nl else len(text)
        while le > ls and text[le - 1] in "\r\n\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e":
            le -= 1
        seg = text[ls:le]
        if not seg or seg.isspace():
            request_next = False
            continue
        if request_next:
            request.append((ls, le))
            request_next = False
            continue
        wh = _whole_line_header(seg) if le - ls <= 80 else None
        if wh is not None:
            if wh == "request":
                request_next = True
            elif wh == "vert":
                state = "vert"
            elif wh == "other":
                state = None
            line_vert[li] = wh == "vert"
            continue
        vert = state == "vert"
        if ":" in seg:
            hm = _HEADER_INLINE.match(text, ls, le)
            if hm:
                head = hm.group(1).strip()
                if _REQUEST_HDR.fullmatch(head):
                    # The request runs to a findings heading or the end of its sentence, whichever comes first:
                    # a report pasted as one line ("Clinical details: back pain. Wedge fracture of L1.") goes on
                    # with the findings.
                    fm = _FINDINGS_HDR.search(text, hm.end(), le)
                    end = min(fm.start() if fm else le, sentences[index_of(sent_starts, hm.end())][1])
                    request.append((hm.end(), max(end, hm.end())))
                elif VERT_WORD.ci.search(head):
                    vert = True
        line_vert[li] = vert
    return line_starts, line_vert, request


def clauses(sentences: list[tuple[int, int]], order: list[int], breaks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidate sentences cut into clauses at the clause-break cues ("; but", "however", ...): negation and
    hedging reach only within a clause."""
    break_starts = [b[0] for b in breaks]
    clause_spans: list[tuple[int, int]] = []
    for si in order:
        ss, se = sentences[si]
        cur = ss
        k = bisect_left(break_starts, ss)
        while k < len(breaks) and breaks[k][0] < se:
            bs, be = breaks[k]
            if bs >= cur:
                if bs > cur:
                    clause_spans.append((cur, bs))
                cur = max(cur, be)
            k += 1
        if cur < se:
            clause_spans.append((cur, se))
    return clause_spans


def index_of(starts: list[int], pos: int) -> int:
    """The index of the span (sentence, clause) holding ``pos``, given the spans' sorted starts."""
    k = bisect_right(starts, pos) - 1
    return k if k > 0 else 0

"""The phrase patterns of every class (explicit, probable, urgent, mimic, exclusion, ignored wording), each with the
literal keys that every match contains, and how candidates are found and their overlaps resolved.

Pattern table: shared/clinical/identification.md section 6."""

from __future__ import annotations

from dataclasses import dataclass

from .text import APPROX, ENDPLATE, PCT, S0, DualPattern, H, S, key_windows, max_width

# A bound for pathological texts: the phrase matches read per pattern.
_MAX_FOUND = 2000

_TYPE = rf"(?:vertebral(?:{S}body)?|compression|wedge(?:d|[\s\-]shaped)?|crush|insufficiency|fragility|osteoporotic)"
_GRADE_N = r"(?:[123](?![0-9])|iii\b|ii\b|i\b)"
_GRADE_TO = r"(?:\s?(?:-|\u2013|to|/)\s?[123](?![0-9]))?"  # "grade 1-2"
_HMOD = (
    rf"(?:anterior|posterior|central|middle|mid|midline|vertebral|body|some|mild|minor|slight|subtle|partial|"
    rf"marked|significant|moderate|severe|further|minimal|the|its|their|of|approx(?:imately|\.)?|about|around|"
    rf"up{S}to|{PCT})"
)
_HPRE = (
    r"(?:anterior|posterior|central|middle|mid|vertebral|body|mild|minor|slight|partial|marked|significant|"
    r"moderate|severe)"
)
_LVL = r"[tl][0-9]{1,2}(?:\s?/\s?[tls]?[0-9]{1,2}|\s?-\s?[tls]?[0-9]{1,2})?"
_ROOTS = (
    rf"(?:nerve{S}roots?|nerve|roots?|thecal{S}sac|thecal|dural{S}sac|dural|cauda{S}equina|neural{S}foram\w{{0,8}}|"
    rf"foram\w{{0,8}}|lateral{S}recess(?:es)?|exiting{S}nerve)"
)

_FRACTURE = r"\bfractur(?:es?|ed)\b"
_TYPE_KEYS = ("vertebr", "compression", "wedge", "crush", "insufficiency", "fragility", "osteoporotic")
_PCT_LEFT = rf"\b{PCT}{S}$"


@dataclass(frozen=True, slots=True)
class PhraseSource:
    cls: str
    core: str  # the regex searched for
    keys: tuple[str, ...]  # lower-case literals, one of which every core match contains (the rarest)
    self_ctx: bool = False  # carries its own vertebral context (e.g. "Genant grade 2", "vertebroplasty")
    left: str | None = None  # optional words just before the core that belong to the phrase, ending in "$"
    need_left: bool = False  # the phrase exists only with those words
    left_keys: tuple[str, ...] = ()  # literals one of which the left words contain (a cheap pre-check)
    # Further literals, one of which every core match also contains: when none is in the lower-cased text the
    # pattern cannot match there and is not searched (a cheap pre-check; "height" is common, "inch" is not).
    also: tuple[str, ...] = ()


_PATTERNS_SRC: tuple[PhraseSource, ...] = (
    # --- explicit --------------------------------------------------------------------------------------
    # "fracture(s)/fractured", with an optional type before it: "osteoporotic wedge compression fracture"
    PhraseSource(
        "explicit", _FRACTURE, ("fractur",), left=rf"\b{_TYPE}(?:{H}(?:type|{_TYPE})){{0,2}}{H}$", left_keys=_TYPE_KEYS
    ),
    # "endplate fracture" is listed with the hidden wordings (identification.md 6.3): probable, not explicit
    PhraseSource(
        "probable", _FRACTURE, ("fractur",), True, rf"\b(?:(?:superior|inferior){S})?{ENDPLATE}{S}$", True, ("end",)
    ),
    PhraseSource("explicit", r"(?<![\w#])#\s?[tdl][0-9]{1,2}(?![0-9A-Za-z])", ("#",), True),
    PhraseSource("explicit", r"(?<![A-Za-z0-9])[tdl][0-9]{1,2}\s?#(?![\w#])", ("#",), True),
    PhraseSource("explicit", r"#(?![\w#])", ("#",), False, rf"\b{_TYPE}{S0}$", True, _TYPE_KEYS),
    PhraseSource(
        "explicit",
        rf"\bgenant(?:{S}(?:grade|type|classification|score))?\s{{0,3}}[:=]?\s{{0,3}}"
        rf"(?:{_GRADE_N}{_GRADE_TO}|mild\b|moderate\b|severe\b)",
        ("genant",),
        True,
    ),
    PhraseSource(
        "explicit", rf"\b(?:sq|semi-?quantitative){S}grade\s{{0,3}}{_GRADE_N}{_GRADE_TO}", ("sq", "semi"), True
    ),
    PhraseSource(
        "explicit",
        rf"\bgrade\s{{0,3}}{_GRADE_N}\s{{0,3}}(?:\(\s{{0,2}}(?:mild|moderate|severe)\s{{0,2}}\)\s{{0,3}})?"
        rf"(?:(?:anterior|mild|moderate|severe){S})?(?:wedge|compression|crush|biconcave|vertebral|osteoporotic|"
        rf"fragility|{ENDPLATE})(?:{H}(?:compression{S})?(?:fractur(?:es?|ed)|deformit(?:y|ies)))?",
        ("grade",),
        True,
    ),
    PhraseSource(
        "explicit",
        r"(?:vertebroplast(?:y|ies)|kyphoplast(?:y|ies))\b",
        ("plast",),
        True,
        rf"\bballoon{S}$",
        False,
        ("balloon",),
    ),
    PhraseSource(
        "explicit",
        r"\baugmentation\b",
        ("augment",),
        False,
        rf"\b(?:cement(?:ed)?|vertebral(?:{S}body)?){S}$",
        True,
        ("cement", "vertebral"),
    ),
    # --- probable (hidden fracture wording) -----------------------------------------------------------
    PhraseSource(
        "probable",
        r"\bwedging\b",
        ("wedg",),
        left=rf"\b(?:anterior|posterior|lateral|central){S}$",
        left_keys=("anterior", "posterior", "lateral", "central"),
    ),
    PhraseSource(
        "probable", rf"\bwedge(?:d|[\s\-]shaped)?(?:{H}(?:compression|type))?{S}deformit(?:y|ies)\b", ("deformit",)
    ),
    PhraseSource("probable", r"\bwedge[\s\-]shaped\b", ("wedge",)),
    PhraseSource("probable", r"\bwedged?\b", ("wedge",)),
    PhraseSource(
        "probable",
        rf"\bloss{S}of{S}(?:{_HMOD}{S}){{0,5}}heights?\b",
        ("loss",),
        left=_PCT_LEFT,
        left_keys=("%",),
        also=("height",),
    ),
    PhraseSource(
        "probable",
        rf"\bheight{S}(?:loss|reduction)(?:{S}of{S}{APPROX}?{PCT})?",
        ("height",),
        left=rf"(?:\b{PCT}{S})?(?:\b{_HPRE}{S}){{0,2}}$",
        also=("loss", "reduction"),
    ),
    PhraseSource(
        "probable",
        rf"\b(?:reduced|reduction{S}(?:in|of)|decreased|decrease{S}in|diminished|diminution{S}(?:in|of)|lost)"
        rf"{S}(?:{_HMOD}{S}){{0,4}}heights?\b",
        ("height",),
        left=_PCT_LEFT,
        left_keys=("%",),
        also=("reduc", "decrease", "diminish", "diminution", "lost"),
    ),
    PhraseSource("probable", rf"\breduced{S}in{S}height\b", ("height",), also=("reduced",)),
    PhraseSource(
        "probable",
        rf"\bheights?{S}(?:(?:is|are|has|have){S}(?:been{S})?)?(?:(?:mildly|slightly|moderately|markedly|significantly|"
        rf"severely|partially){S})?(?:reduced|reduction|decreased|diminished|lost)\b",
        ("height",),
        also=("reduc", "decreased", "diminished", "lost"),
    ),
    PhraseSource(
        "probable",
        r"\bcollaps(?:e|ed|es|ing)\b",
        ("collaps",),
        left=rf"(?:\b{PCT}{S})?(?:\b(?:partial|complete|total|mild|moderate|severe|near[\s\-]complete|anterior|"
        rf"vertebral(?:{S}body)?|osteoporotic){S}){{0,2}}$",
    ),
    PhraseSource(
        "probable",
        rf"\bcompress(?:ion|ed)(?:{S}deformit(?:y|ies))?\b",
        ("compress",),
        left=rf"\bvertebral(?:{S}body)?{S}$",
        left_keys=("vertebral",),
    ),
    PhraseSource("probable", rf"\bcrush(?:ed)?(?:{S}deformit(?:y|ies))?\b", ("crush",)),
    PhraseSource(
        "probable",
        rf"\bbiconcav(?:e|ity)(?:{S}(?:deformit(?:y|ies)|vertebra[el]?|vertebrae|appearance))?\b",
        ("biconcav",),
    ),
    PhraseSource(
        "probable", rf"\bcod[\s\-]?fish(?:{S}(?:deformit(?:y|ies)|vertebra[el]?|vertebrae|appearance))?\b", ("fish",)
    ),
    PhraseSource(
        "probable",
        rf"\bend(?:{H})?plates?{S}(?:depression|concavity|infraction|impaction|compression)\b",
        ("plate",),
        True,
        rf"\b(?:superior|inferior){S}$",
        left_keys=("superior", "inferior"),
    ),
    PhraseSource(
        "probable",
        rf"\b(?:depression|concavity|infraction|impaction){S}of{S}(?:the{S})?(?:(?:superior|inferior){S})?{ENDPLATE}\b",
        ("plate",),
        True,
    ),
    PhraseSource("probable", rf"\bvertebral{S}(?:body{S})?deformit(?:y|ies)\b", ("deformit",), True),
    PhraseSource("probable", rf"\bvertebra{S}plana\b", ("plana",), True),
    # --- urgent (no vertebral context needed) -----------------------------------------------------------
    PhraseSource(
        "urgent",
        rf"lytic(?:{S}(?:lesions?|deposits?|areas?|destruction|process|change|metastas[ie]s))?\b",
        ("lytic",),
        True,
        r"\bosteo$",
        left_keys=("osteo",),
    ),
    PhraseSource("urgent", rf"\bdestructive(?:{S}(?:lesions?|process|changes?))?\b", ("destructive",), True),
    PhraseSource(
        "urgent",
        rf"\b(?:bony|bone|cortical|{ENDPLATE}|vertebral(?:{S}body)?){S}destruction\b",
        ("destruction",),
        True,
    ),
    PhraseSource(
        "urgent",
        rf"\bpathologic(?:al)?(?:{S}(?:vertebral|compression|wedge|insufficiency))?{S}(?:fractur(?:es?|ed)|collapse)\b",
        ("patholog",),
        True,
    ),
    PhraseSource(
        "urgent",
        rf"\bmalignant(?:{S}(?:vertebral|compression))?{S}(?:collapse|fractures?|infiltration)\b",
        ("malignant",),
        True,
    ),
    PhraseSource(
        "urgent",
        rf"\b(?:metastas[ie]s|metastatic(?:{S}(?:disease|deposits?|lesions?|infiltration))?|mets)\b",
        ("metasta", "mets"),
        True,
    ),
    PhraseSource("urgent", r"\bmyeloma\b", ("myeloma",), True, rf"\bmultiple{S}$", False, ("multiple",)),
    PhraseSource("urgent", r"\bplasmacytomas?\b", ("plasmacytoma",), True),
    PhraseSource(
        "urgent",
        rf"\b(?:soft[\s\-]tissue|paravertebral|paraspinal|epidural){S}(?:mass(?:es)?|component)\b",
        ("mass", "component"),
        True,
    ),
    PhraseSource("urgent", rf"\bpedicles?{S}(?:destruction|involvement|erosion)\b", ("pedicle",), True),
    # a pedicle that is lost, absent or not seen on the AP view (the "winking owl" sign), or that abnormal signal
    # or a lesion extends into: pedicle involvement (identification.md 6.3)
    PhraseSource(
        "urgent",
        rf"\b(?:loss|absence|non-?visuali[sz]ation){S}of{S}(?:the{S})?(?:(?:left|right|both|bilateral){S})?"
        rf"(?:(?:[tdl][0-9]{{1,2}}|vertebral){S})?pedicles?\b",
        ("pedicle",),
        True,
    ),
    PhraseSource(
        "urgent",
        rf"\b(?:absent|missing|destroyed|eroded){S}(?:(?:left|right|both|bilateral){S})?(?:(?:[tdl][0-9]{{1,2}}|vertebral)"
        rf"{S})?pedicles?\b",
        ("pedicle",),
        True,
    ),
    PhraseSource("urgent", rf"\bwinking{S}owl\b", ("owl",), True),
    PhraseSource(
        "urgent",
        rf"\b(?:extend(?:s|ing)?|extension){S}into{S}(?:the{S})?(?:(?:left|right|both|bilateral){S})?pedicles?\b",
        ("pedicle",),
        True,
    ),
    PhraseSource(
        "urgent",
        rf"\b(?:destruction|involvement|erosion){S}of{S}(?:the{S})?(?:(?:left|right|both|bilateral){S})?pedicles?\b",
        ("pedicle",),
        True,
    ),
    PhraseSource(
        "urgent",
        rf"\bposterior{S}elements?{S}(?:involvement|destruction|(?:are|is){S}involved)\b",
        ("element",),
        True,
    ),
    PhraseSource("urgent", rf"\binvolvement{S}of{S}(?:the{S})?posterior{S}elements?\b", ("element",), True),
    PhraseSource("urgent", rf"\bretropuls(?:ion|ed)(?:{S}(?:(?:bony{S})?fragments?|bone))?\b", ("retropuls",), True),
    PhraseSource("urgent", rf"\bburst(?:[\s\-]{{1,3}}type)?{S}fractur(?:es?|ed)\b", ("burst",), True),
    PhraseSource(
        "urgent", rf"\b(?:cord|conus){S}compression\b", ("cord", "conus"), True, rf"\bspinal{S}$", False, ("spinal",)
    ),
    PhraseSource("urgent", rf"\bcompression{S}of{S}(?:the{S})?(?:spinal{S})?(?:cord|conus)\b", ("cord", "conus"), True),
    PhraseSource("urgent", rf"\bcompressing{S}(?:the{S})?(?:spinal{S})?(?:cord|conus)\b", ("cord", "conus"), True),
    PhraseSource("urgent", rf"\bcord{S}(?:is{S})?compressed\b", ("cord",), True, rf"\bspinal{S}$", False, ("spinal",)),
    PhraseSource(
        "urgent", rf"\bcanal{S}(?:compromise|encroachment)\b", ("canal",), True, rf"\bspinal{S}$", False, ("spinal",)
    ),
    PhraseSource("urgent", rf"\bcompromise{S}of{S}(?:the{S})?(?:spinal{S})?canal\b", ("canal",), True),
    # --- exclusions (never a fracture) ------------------------------------------------------------------
    PhraseSource(
        "exclusion",
        rf"\b(?:(?:exiting|traversing|descending){S})?(?:nerve{S}roots?|roots?|nerve|neural|thecal{S}sac|thecal|"
        rf"dural{S}sac|dural|cauda{S}equina|foraminal|lateral{S}recess){S}compression\b",
        ("compress",),
        True,
        also=("root", "nerve", "neural", "thecal", "dural", "cauda", "foraminal", "recess"),
    ),
    PhraseSource(
        "exclusion",
        rf"\bcompression{S}of{S}(?:the{S})?(?:(?:left|right|bilateral|exiting|traversing|descending|{_LVL}){S}){{0,3}}{_ROOTS}\b",
        ("compress",),
        True,
        also=("nerve", "root", "thecal", "dural", "cauda", "foram", "recess"),
    ),
    PhraseSource(
        "exclusion",
        rf"\b(?:nerve{S}roots?|roots?|thecal{S}sac|cauda{S}equina){S}(?:(?:is|are){S})?compressed\b",
        ("compress",),
        True,
        also=("root", "thecal", "cauda"),
    ),
    PhraseSource(
        "exclusion",
        rf"\b(?:loss|reduction|reduced|decrease|decreased|diminished){S}(?:(?:of|in){S})?(?:the{S})?"
        rf"(?:(?:intervertebral|{_LVL}|lumbar|thoracic|lower{S}lumbar){S}){{0,2}}discs?(?:{S}spaces?)?{S}heights?\b",
        ("disc",),
        True,
        also=("height",),
    ),
    PhraseSource(
        "exclusion",
        rf"\b(?:intervertebral{S})?discs?(?:{S}spaces?)?{S}heights?{S}(?:loss|reduction|(?:(?:is|are){S})?"
        rf"(?:reduced|decreased|diminished|lost))\b",
        ("disc",),
        True,
        also=("height",),
    ),
    PhraseSource(
        "exclusion",
        rf"\bloss{S}of{S}(?:the{S})?(?:disc{S})?height{S}(?:of|at|in){S}(?:the{S})?(?:{_LVL}(?:{S}(?:and|,){S}{_LVL})?{S})?"
        rf"(?:intervertebral{S})?discs?(?:{S}spaces?)?\b",
        ("disc",),
        True,
        also=("height",),
    ),
    PhraseSource("exclusion", rf"\bdiscs?(?:{S}spaces?)?{S}collapse\b", ("disc",), True, also=("collapse",)),
    PhraseSource("exclusion", rf"\bpatient(?:['\u2019]s)?{S}height(?:{S}loss)?\b", ("patient",), True, rf"\bthe{S}$"),
    PhraseSource(
        "exclusion",
        rf"\b(?:measured|standing|recorded|self[\s\-]reported|historical|clinical|overall){S}height(?:{S}loss)?\b",
        ("height",),
        True,
        also=("measured", "standing", "recorded", "reported", "historical", "clinical", "overall"),
    ),
    PhraseSource(
        "exclusion",
        rf"\b[0-9]{{1,2}}(?:\.[0-9])?\s?(?:cm|cms|centimet(?:er|re)s?|inch(?:es)?){S}(?:of{S})?(?:loss{S}of{S}height|height{S}loss)\b",
        ("height",),
        True,
        also=("cm", "centimet", "inch"),
    ),
    PhraseSource(
        "exclusion",
        rf"\b(?:loss{S}of{S}height|height{S}loss){S}(?:of{S})?{APPROX}?[0-9]{{1,2}}(?:\.[0-9])?\s?(?:cm|cms|centimet(?:er|re)s?|inch(?:es)?)\b",
        ("height",),
        True,
        also=("cm", "centimet", "inch"),
    ),
    PhraseSource(
        "exclusion",
        rf"\blost{S}[0-9]{{1,2}}(?:\.[0-9])?\s?(?:cm|cms|inch(?:es)?){S}(?:in|of){S}height\b",
        ("height",),
        True,
        also=("lost",),
    ),
    PhraseSource(
        "exclusion",
        rf"\b(?:(?:left|right){S})?(?:(?:upper|middle|lower){S})?(?:lobe|lobar|lung|lingula|lingular|segmental|"
        rf"subsegmental|basal|bibasal|bibasilar|alveolar|airspace|apical){S}collapsed?\b",
        ("collaps",),
        True,
    ),
    PhraseSource(
        "exclusion",
        rf"\bcollapsed?{S}(?:of{S}(?:the{S})?)?(?:(?:left|right){S})?(?:(?:upper|middle|lower){S})?(?:lobes?|lungs?|lingula)\b",
        ("collaps",),
        True,
    ),
    # --- ignored wording (suppresses shorter phrases it overlaps; never reported) -------------------------
    PhraseSource(
        "ignore",
        rf"\bfractur(?:es?|ed){S}(?:risk|probability|prediction|liaison|clinic|service|prevention|threshold|"
        rf"assessment|rate|incidence)\b",
        ("fractur",),
        True,
        also=(
            "risk",
            "probability",
            "prediction",
            "liaison",
            "clinic",
            "service",
            "prevention",
            "threshold",
            "assessment",
            "rate",
            "incidence",
        ),
    ),
    PhraseSource(
        "ignore",
        _FRACTURE,
        ("fractur",),
        True,
        rf"\b(?:risk|risks|probability|probabilities|likelihood|chance|prevention|prevent|predict\w{{0,6}}|avoid)"
        rf"{S}(?:of{S})?(?:(?:a|an|the|further|future|new|major|hip|osteoporotic|fragility|vertebral|subsequent|"
        rf"any|sustaining|another){S}){{0,3}}$",
        True,
        ("risk", "probabilit", "likelihood", "chance", "prevent", "predict", "avoid"),
    ),
    PhraseSource("ignore", _FRACTURE, ("fractur",), True, rf"\bmajor{S}osteoporotic{S}$", True, ("major",)),
    PhraseSource(
        "ignore",
        _FRACTURE,
        ("fractur",),
        True,
        rf"\b(?:(?:to|for|please){S}(?:exclude|rule{S}out|assess{S}for|look{S}for|query)|exclude|rule{S}out)"
        rf"{S}(?:an?{S}|any{S})?"
        rf"(?:(?:vertebral|wedge|compression|osteoporotic|fragility|insufficiency){S}){{0,2}}$",
        True,
        ("exclude", "rule", "assess", "look", "query"),
    ),
    PhraseSource(
        "ignore",
        rf"\bwedge{S}(?:resection|excision|biopsy)\b",
        ("wedge",),
        True,
        also=("resection", "excision", "biopsy"),
    ),
    PhraseSource(
        "ignore",
        rf"\bcompression{S}(?:stockings?|hosiery|bandag\w{{0,6}}|garments?|views?|paddle|therapy)\b",
        ("compress",),
        True,
        also=("stocking", "hosiery", "bandag", "garment", "view", "paddle", "therapy"),
    ),
    # --- mimics (reported; not a fracture) ----------------------------------------------------------------
    PhraseSource(
        "mimic", rf"\bschmorl(?:['\u2019]?s)?{S}(?:nodes?|nodules?|node{S}herniations?)\b", ("schmorl",), True
    ),
    PhraseSource(
        "mimic",
        rf"\bdegenerat(?:ive|ion)(?:{S}(?:(?:disc|joint|facet|spinal){S})?(?:changes?|disease))?\b",
        ("degenerat",),
        True,
    ),
    PhraseSource("mimic", rf"\bspondylo(?:sis|tic(?:{S}changes?)?)\b", ("spondylo",), True),
    PhraseSource("mimic", rf"\bosteophyt(?:es?|osis|ic(?:{S}(?:lipping|changes?))?)\b", ("osteophyt",), True),
    PhraseSource(
        "mimic",
        rf"\bdiscs?(?:{S}spaces?)?{S}narrowing\b",
        ("narrowing",),
        True,
        rf"\bintervertebral{S}$",
        False,
        ("intervertebral",),
    ),
    PhraseSource(
        "mimic",
        rf"\bnarrowing{S}of{S}(?:the{S})?(?:{_LVL}{S})?(?:intervertebral{S})?discs?(?:{S}spaces?)?\b",
        ("narrowing",),
        True,
    ),
    PhraseSource("mimic", rf"\bnarrowed{S}(?:intervertebral{S})?discs?(?:{S}spaces?)?\b", ("narrowed",), True),
    PhraseSource("mimic", rf"\bscheuermann(?:['\u2019]?s)?(?:{S}disease)?\b", ("scheuermann",), True),
    PhraseSource("mimic", rf"\blimbus{S}vertebra[el]?\b", ("limbus",), True),
    PhraseSource(
        "mimic",
        rf"\bcupid(?:['\u2019]?s)?[\s\-]{{1,4}}bow(?:{S}(?:deformity|configuration|vertebra[el]?|vertebrae))?\b",
        ("cupid",),
        True,
    ),
)

PHRASE_KEYS = frozenset(k for s in _PATTERNS_SRC for k in s.keys)
PRIORITY = {"urgent": 0, "exclusion": 1, "ignore": 2, "explicit": 3, "probable": 4, "mimic": 5}


@dataclass(frozen=True, slots=True)
class Phrase:
    cls: str
    regex: DualPattern
    keys: tuple[str, ...]
    self_ctx: bool
    width: int  # longest possible core match, in characters
    left: DualPattern | None
    need_left: bool
    left_keys: tuple[str, ...]
    also: tuple[str, ...]


PHRASES = tuple(
    Phrase(
        s.cls,
        DualPattern(s.core),
        s.keys,
        s.self_ctx,
        max_width(s.core),
        DualPattern(s.left[:-1] + r"\Z") if s.left else None,
        s.need_left,
        s.left_keys,
        s.also,
    )
    for s in _PATTERNS_SRC
)

# The patterns (by index) that each key can start a search for.
PHRASES_WITH_KEY: dict[str, tuple[int, ...]] = {
    key: tuple(i for i, p in enumerate(PHRASES) if key in p.keys) for key in sorted(PHRASE_KEYS)
}


def resolve_overlaps(cands: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Keep the longest candidate (then the higher priority) where candidates overlap."""
    cands.sort()
    kept: list[tuple[int, int, int, int]] = []
    i = 0
    total = len(cands)
    while i < total:
        j = i + 1
        cluster_end = cands[i][1]
        while j < total and cands[j][0] < cluster_end:
            cluster_end = max(cluster_end, cands[j][1])
            j += 1
        if j == i + 1:
            kept.append(cands[i])
        else:
            # Exclusions and ignored wording beat any fracture wording they overlap ("disc height loss of
            # 50%", "osteoporotic fracture risk"); otherwise the longest wins, then the class priority.
            cluster = sorted(cands[i:j], key=lambda c: (c[2] > 2, -(c[1] - c[0]), c[2], c[0]))
            chosen: list[tuple[int, int, int, int]] = []
            for c in cluster:
                if all(c[1] <= k[0] or c[0] >= k[1] for k in chosen):
                    chosen.append(c)
            kept.extend(sorted(chosen))
        i = j
    return kept


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    cls: str
    pat: Phrase
    sent: int
    clause: int = 0
    levels: tuple[str, ...] = ()
    hedged: bool = False
    negated: bool = False
    in_request: bool = False  # an urgent feature stated in the clinical request ("Known myeloma")


def candidates(text: str, low: str, aligned: bool, cache: dict[str, list[int]]) -> list[tuple[int, int, int, int]]:
    """Every phrase candidate as (start, end, priority, pattern index); overlaps are resolved later."""
    raw: list[tuple[int, int, int, int]] = []
    src = low if aligned else text

    # The patterns to search: those with one of their keys in the text, in pattern order. (A comprehension with
    # "in" costs far less per key than filter() calling low.__contains__.)
    found_by_core: dict[str, list[tuple[int, int]]] = {}  # several patterns share a core ("fracture")
    for pi in sorted(set().union(*[PHRASES_WITH_KEY[k] for k in PHRASE_KEYS if k in low])):
        pat = PHRASES[pi]
        if aligned and pat.also:
            # Searched case-sensitively in the lower-cased text, a match contains one of these literals as
            # they are (the case-insensitive search of the original text is left as it was).
            for k in pat.also:
                if k in low:
                    break
            else:
                continue
        found = found_by_core.get(pat.regex.pattern)
        if found is None:
            if aligned:
                rx = pat.regex.lo
                found = [
                    m.span() for a, b in key_windows(low, pat.keys, pat.width, cache) for m in rx.finditer(low, a, b)
                ]
            else:
                found = [m.span() for m in pat.regex.ci.finditer(text)]
            del found[_MAX_FOUND:]
            found_by_core[pat.regex.pattern] = found
        if not found:
            continue
        prio = PRIORITY[pat.cls]
        left = pat.left
        lrx = None if left is None else (left.lo if aligned else left.ci)
        # the left words' keys that occur in the text at all (None: the left words need no key)
        left_keys = [k for k in pat.left_keys if k in low] if pat.left_keys else None
        for s, e in found:
            if e <= s:
                continue
            if lrx is not None:
                lo = s - left.width if s > left.width else 0  # type: ignore[union-attr]
                lm = None
                # The left words are searched for only when one of their keys starts in low[lo:s] (the keys are
                # located in the lower-cased text, with the same offsets, even when it is not aligned): an
                # occurrence p of k with lo <= p < s is exactly one found within low[lo : s + len(k) - 1].
                if left_keys is None:
                    lm = lrx.search(src, lo, s)
                else:
                    for k in left_keys:
                        if low.find(k, lo, s + len(k) - 1) != -1:
                            lm = lrx.search(src, lo, s)
                            break
                if lm is not None and lm.start() < s:
                    s = lm.start()
                elif pat.need_left:
                    continue
            if s > 0 and src[s].isalnum() and (src[s - 1].isalnum() or src[s - 1] == "_"):
                continue  # starts inside a word
            raw.append((s, e, prio, pi))
    return raw

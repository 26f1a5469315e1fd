"""Vertebral context and other bones: the words that place a finding in the spine, and the bones (rib, hip, wrist,
sacrum ...) whose fracture is not a vertebral fracture."""

from __future__ import annotations

import re

from .levels import is_level_word
from .phrases import Mention
from .text import ENDPLATE, DualPattern, S

# Vertebral words giving context.
VERT_WORD = DualPattern(
    rf"\b(?:vertebra[el]?|vertebrae|spines?|spinal|thoracolumbar|lumbosacral|cervicothoracic|{ENDPLATE}|"
    r"vertebroplast(?:y|ies)|kyphoplast(?:y|ies)|"
    rf"lumbar(?!{S}(?:puncture|arter|vein|region|hernia|fossa|drain))|"
    rf"(?:thoracic|dorsal)(?={S}(?:wedge|compression|crush|insufficiency|fragility|osteoporotic|vertebra|body|"
    r"bodies|level|levels|fracture|collapse|wedging|kyphosis)))\b",
)
NOT_SPINE = re.compile(r"(?:iliac|ischial|scapular|tibial|nasal)\s{1,3}$", re.I)

# Bones other than vertebrae: a fracture of these is not a vertebral fracture.
BONES = frozenset(
    [
        "rib",
        "ribs",
        "clavicle",
        "clavicles",
        "clavicular",
        "sternum",
        "sternal",
        "humerus",
        "humeri",
        "humeral",
        "scapula",
        "scapulae",
        "scapular",
        "femur",
        "femora",
        "femoral",
        "hip",
        "hips",
        "wrist",
        "wrists",
        "radius",
        "radial",
        "ulna",
        "ulnar",
        "pelvis",
        "pelvic",
        "sacrum",
        "sacral",
        "coccyx",
        "coccygeal",
        "ankle",
        "ankles",
        "tibia",
        "tibial",
        "fibula",
        "fibular",
        "pubic",
        "ramus",
        "rami",
        "acetabulum",
        "acetabular",
        "colles",
        "skull",
        "nof",
        "ilium",
        "iliac",
        "ischium",
        "ischial",
        "calcaneum",
        "calcaneus",
        "metatarsal",
        "metacarpal",
        "scaphoid",
        "patella",
        "elbow",
        "shoulder",
        "knee",
        "mandible",
        "finger",
        "toe",
    ]
)
# Parts of a vertebra that are not the vertebral body (a fracture there is not an osteoporotic VF).
NEAR_ONLY = BONES | frozenset(["process", "processes", "spinous", "transverse", "facet", "lamina", "pars"])
WORD = re.compile(r"[a-z0-9']+")


def _near_word_pattern() -> str:
    """A word of NEAR_ONLY as a whole WORD token, alternatives grouped by first letter ("c(?:lavicle|...)|r(?:ib|
    ...)") so that the regex engine tries only one group where a word starts."""
    groups: dict[str, list[str]] = {}
    for w in sorted(NEAR_ONLY):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    alts = "|".join(c + "(?:" + "|".join(rest) + ")" for c, rest in groups.items())
    return rf"(?<![a-z0-9'])(?:{alts})(?![a-z0-9'])"


# Searched in a sentence (as a string of its own), this finds every WORD token of the sentence that is in
# NEAR_ONLY: a token starts at the string's start or after a character outside [a-z0-9'], and ends at its end
# or before one. So when it finds nothing, the sentence's words meet neither NEAR_ONLY nor BONES.
NEAR_WORD = re.compile(_near_word_pattern())


# Words that can stand between fracture wording and the bone it qualifies: "fractured left 7th and 8th ribs".
_BONE_MODIFIERS = (
    r"left|right|bilateral|posterior|anterior|lateral|medial|upper|lower|proximal|distal|adjacent|multiple|"
    r"old|healed|healing|and|\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth"
)
# A fracture word followed straight away (spaces only, no punctuation) by another bone, up to five modifiers
# between: the fracture is of that bone ("Old fractured left 8th rib at the level of T8" is a rib fracture, not T8's).
_FRACTURE_ENDS = ("fracture", "fractured", "fractures")
_BONE_NEXT = re.compile(rf" +(?:(?:{_BONE_MODIFIERS}) +){{0,5}}(?:{_near_word_pattern()})", re.I)


def vertebral_fracture_wording(
    text: str,
    m: Mention,
    clause_spans: list[tuple[int, int]],
    clause_levels: dict[int, tuple[str, ...]],
    sentence_has_bone: bool,
) -> bool:
    """False when the wording is about another bone ("left 7th rib fracture", "fracture of the radius")."""
    cs, ce = clause_spans[m.clause]
    before: list[str] = WORD.findall(text[max(cs, m.start - 40) : m.start].lower())[-4:]
    level_before = False  # "T8 fracture": a level names the fractured bone first
    for w in reversed(before):
        if is_level_word(w):
            level_before = True
            break
        if w in NEAR_ONLY:
            return False
    after = WORD.findall(text[m.end : min(max(ce, m.end), m.end + 50)].lower())[:6]
    if after and after[0] in ("of", "to", "involving", "through", "in", "at", "affecting"):
        for w in after[1:]:
            if is_level_word(w):
                break
            if w in NEAR_ONLY:
                return False
    elif (
        sentence_has_bone
        and not level_before
        and text[m.start : m.end].lower().endswith(_FRACTURE_ENDS)
        and _BONE_NEXT.match(text, m.end)
    ):
        return False  # "fractured left 8th rib"
    if sentence_has_bone and not clause_levels.get(m.clause):
        phrase = text[m.start : m.end].lower()
        specific = any(k in phrase for k in ("wedge", "compress", "crush", "vertebr", "plate", "genant", "plast", "#"))
        if m.cls == "explicit" and not specific:
            return False
    return True

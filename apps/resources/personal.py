"""What the leaflet and decision aid say about one patient, read from the rules' own facts for the stored input.

The rules core decides which risk factors apply (``core.rules.facts.Facts``), so the leaflet's "the ones that apply to
you" always agrees with the prompts the clinician saw (H-31). Nothing here is stored or logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core.rules.contract import validate
from core.rules.drugs import held_for_all
from core.rules.facts import Facts

from .content import MENOPAUSE_WORDS, RISK_FACTOR_WORDS


@dataclass(frozen=True)
class Personal:
    applies: list[Any] = field(default_factory=list)  # patient words for the risk factors present
    not_known: list[Any] = field(default_factory=list)  # risk factors the assessment did not know
    applies_keys: list[str] = field(default_factory=list)  # the rules' names, for tests
    # What the patient is told about a spine fracture: "yes" only when a clinician recorded it (the imaging result,
    # or fractures already diagnosed), "no" only when the rules know there is none, otherwise "unknown" (a report's
    # words alone, or imaging not done or not read, are for the clinician to confirm first: a content review).
    fracture: str = "unknown"
    nogg_category: str | None = None
    on_treatment: bool = False
    on_denosumab: bool = False
    # Whether the rules' drug checks allow the tablets the aid describes (alendronic acid or risedronate): when they
    # do not (kidney function, a barrier, a high calcium, pregnancy), the aid does not tell the patient to start them.
    tablets_allowed: bool = True
    female: bool = True
    male: bool = False  # with neither, sex was not recorded

    @property
    def confirmed_fracture(self) -> bool:
        return self.fracture == "yes"


def personal_from_input(snapshot: dict[str, Any], *, assessed_on: dt.date) -> Personal:
    """The patient's risk factors and the facts the decision aid needs, from a stored input snapshot."""
    inp = validate(snapshot, today=assessed_on)
    facts = Facts(inp)
    applies, not_known, keys = [], [], []
    if not facts.male:
        # The leaflet names the menopause only when the record says so: the rules' assumption from age 50 (H-10)
        # is for prompting, not for telling a patient something about herself. With sex not recorded it is named
        # only when recorded (never "not known" to someone who may be a man).
        if inp.postmenopausal or inp.menopause_before_45:
            applies.append(MENOPAUSE_WORDS)
            keys.append("menopause")
        elif inp.postmenopausal is None and facts.female:
            not_known.append(MENOPAUSE_WORDS)
    for name, term in facts.risk_factors:
        if name == "oral glucocorticoids":
            term = facts.long_term_gc  # the words say "for 3 months or more": a short course is not this
        if term.value is True:
            applies.append(RISK_FACTOR_WORDS[name])
            keys.append(name)
        elif term.value is None and not (name == "menopause before 45" and not facts.female):
            not_known.append(RISK_FACTOR_WORDS[name])  # (an early menopause is never "not known" for a man)
    return Personal(
        applies=applies,
        not_known=not_known,
        applies_keys=keys,
        fracture=_fracture(inp, facts),
        nogg_category=inp.nogg_category,
        on_treatment=facts.on_treatment.value is True,
        on_denosumab=inp.bone_protection.current == "denosumab",
        female=facts.female,
        male=facts.male,
        tablets_allowed=not held_for_all(facts.drugs)
        and any(facts.drugs[k].startable for k in ("alendronate", "risedronate")),
    )


def _fracture(inp: Any, facts: Facts) -> str:
    recorded = (inp.spine_imaging.result == "fracture" and not facts.major_trauma) or (
        inp.vertebral_fractures_known or 0
    ) >= 1
    if recorded:
        return "yes"
    if facts.confirmed.value is False and not facts.confirmed.missing:
        return "no"
    return "unknown"

"""A fragility fracture at a site other than the spine coded, and no bone protection: NOGG advises considering drug
treatment after any fragility fracture (NOGG 2022 section 4 recommendation 2, [V] treatment-and-coding.md 1.2).

Such a fracture is only a FRAX risk factor to the consultation rules, so without a NOGG band these patients were
"could not be assessed". A patient with a vertebral fracture coded, or whose consultation already prompts
to start bone protection, is the fracture group's, not this one's. In NOGG's population only (the rules core's
``Facts.in_scope``); unknown current treatment or population is "could not be assessed", never "not in".
"""

from __future__ import annotations

from core.rules.contract import field_label, get_path

from .base import (
    _NOGG_S4,
    _NOGG_SUMMARY,
    IN,
    NOT_ASSESSED,
    Context,
    Finding,
    Gap,
    Group,
    _code_words,
    _derived,
    _facts,
    sentence,
    titles,
)

PATHS = ("prior_fragility_fracture", "bone_protection.current")

GROUP = Group(
    "fragility_fracture_no_bone_protection",
    "Fragility fracture at another site, no bone protection",
    "A fragility fracture at a site other than the spine is coded (no vertebral fracture coded), no bone protection "
    "is current, the patient is in NOGG's population, and the consultation does not already prompt to start "
    "bone protection.",
    "Consider bone protection: NOGG advises considering drug treatment after any fragility fracture, with risk "
    "assessment guiding the choice; falls assessment too.",
    ("bone.start_treatment",),
    (12,),
    (_NOGG_S4, _NOGG_SUMMARY),
    version=1,
    weight=7,
)


def applies(ctx: Context) -> list[Finding]:
    if not ctx.fragility or ctx.vertebral or "bone.start_treatment" in ctx.prompts:
        return []
    current = get_path(ctx.data, "bone_protection.current")
    if current not in (None, "none"):
        return []
    evidence = tuple(_code_words(ctx.fragility) + _derived(ctx.derivations, ("bone_protection.current",)))
    scope = ctx.facts.in_scope
    if scope.value is False:
        return []
    if scope.value is None:
        missing = tuple(field_label(f) for f in sorted(scope.missing))
        return [Finding(GROUP.id, NOT_ASSESSED, (), (), evidence, missing, _facts(ctx.data, PATHS))]
    # No bone protection in the record reads as none, as bone.start_treatment reads it (the prompt catalogue's
    # deliberate exception): a worklist that left these patients off would hide the very gap it is for.
    treatment = "no bone protection current" if current == "none" else "no bone protection recorded"
    because = ("fragility fracture coded", treatment, *scope.because)
    first = "Consider bone protection, with FRAX or the NOGG band to guide the choice"
    step = sentence([first, *titles(ctx.prompts, "risk.frax", "falls.assessment")])
    return [Finding(GROUP.id, IN, (), because, evidence, (), _facts(ctx.data, PATHS), step)]


GAP = Gap(GROUP, applies)

"""A vertebral or fragility fracture coded, and the consultation rules prompt to start bone protection."""

from __future__ import annotations

from .base import (
    _BENNETT_R,
    _NOGG_S4,
    _NOGG_SUMMARY,
    Context,
    Finding,
    Gap,
    Group,
    _code_words,
    _derived,
    _suspected_words,
    sentence,
    titles,
)

FRACTURE_PATHS = (
    "vertebral_fractures_known",
    "prior_fragility_fracture",
    "spine_imaging.months_since_fracture",
    "bone_protection.current",
    "record.vertebral_fracture_coded",
)

GROUP = Group(
    "fracture_no_bone_protection",
    "Fracture coded, no bone protection",
    "A vertebral or fragility fracture is coded, and the consultation rules prompt to start bone protection "
    "(bone.start_treatment): treatment is indicated and no bone protection is current.",
    "Offer bone protection now; do not wait for DXA.",
    ("bone.start_treatment",),
    (12,),
    (_NOGG_S4, _NOGG_SUMMARY, _BENNETT_R),
    version=1,
    weight=8,
)


def applies(ctx: Context) -> list[Finding]:
    if not (ctx.fractures or ctx.suspected):
        return []
    evidence = _code_words(ctx.fractures) + _suspected_words(ctx.suspected)
    evidence += _derived(ctx.derivations, ("bone_protection.current",))
    steps = titles(
        ctx.prompts,
        "bone.oral_bisphosphonate",
        "bone.oral_bisphosphonate_unsuitable",
        "investigations.bloods",
        "referral.fls",
        "falls.assessment",
    )
    return ctx.prompt_group(GROUP.id, ("bone.start_treatment",), FRACTURE_PATHS, evidence, next_step=sentence(steps))


GAP = Gap(GROUP, applies)

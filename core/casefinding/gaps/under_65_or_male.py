"""Men and people under 65 with a coded fracture (recommendation 5)."""

from __future__ import annotations

from .base import _BENNETT_T6, Context, Finding, Gap, Group, _code_words, _suspected_words, sentence, titles

ATYPICAL_PATHS = ("age", "sex", "vertebral_fractures_known", "prior_fragility_fracture")

GROUP = Group(
    "under_65_or_male",
    "Men and people under 65 with a coded fracture",
    "A vertebral or fragility fracture is coded in a man or in someone under 65, and the consultation rules "
    "give the atypical-groups prompt (education.atypical_groups).",
    "Men and younger women get vertebral fractures too and are often missed: assess as for anyone else.",
    ("education.atypical_groups",),
    (5,),
    (_BENNETT_T6,),
    version=1,
    weight=1,
)


def applies(ctx: Context) -> list[Finding]:
    if not (ctx.fractures or ctx.suspected):
        return []
    evidence = _code_words(ctx.fractures) + _suspected_words(ctx.suspected)
    steps = titles(ctx.prompts, "bone.start_treatment", "imaging.spine_xray", "risk.frax")
    return ctx.prompt_group(
        GROUP.id, ("education.atypical_groups",), ATYPICAL_PATHS, evidence, next_step=sentence(steps)
    )


GAP = Gap(GROUP, applies)

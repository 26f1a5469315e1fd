"""Height loss or kyphosis, and the consultation rules prompt spine X-rays.

Who is in it is the rules core's own terms: ``Facts.height_loss`` (historical height loss of ``HEIGHT_LOSS_CM`` or
more, core/rules/facts.py) or ``Facts.kyphosis``, never words in a prompt's reasons.
"""

from __future__ import annotations

from core.rules.logic import any_of

from .base import _BENNETT_T6, _NOGG_SUMMARY, Context, Finding, Gap, Group, _derived, sentence, titles

IMAGING_PATHS = ("historical_height_loss_cm", "kyphosis", "spine_imaging.result")

GROUP = Group(
    "imaging_trigger_no_imaging",
    "Height loss or kyphosis, no spine imaging",
    "Historical height loss of 4 cm or more or kyphosis, no spine imaging, and the consultation rules prompt "
    "spine X-rays (imaging.spine_xray) citing it.",
    "Request lateral thoracic and lumbar spine X-rays (or DXA vertebral fracture assessment), stating the "
    "suspected fracture on the request.",
    ("imaging.spine_xray",),
    (8,),
    (_NOGG_SUMMARY, _BENNETT_T6),
    version=2,
    weight=4,
)


def applies(ctx: Context) -> list[Finding]:
    if ctx.data.get("historical_height_loss_cm") is None and not ctx.data.get("kyphosis"):
        return []
    f = ctx.facts
    trigger = any_of(f.height_loss, f.kyphosis)
    if trigger.value is not True:
        return []  # no trigger recorded: not a patient this group is about
    return ctx.prompt_group(
        GROUP.id,
        ("imaging.spine_xray",),
        IMAGING_PATHS,
        _derived(ctx.derivations, IMAGING_PATHS),
        because_term=trigger,
        next_step=sentence(titles(ctx.prompts, "imaging.spine_xray")),
    )


GAP = Gap(GROUP, applies)

"""A vertebral fracture coded without the fragility fracture code the QOF register needs: the register gap the other
way round from ``register_gap``. OST004 counts patients by a fragility fracture code (FF_COD, business rules v51,
[V] treatment-and-coding.md section 5); a vertebral fracture coded only by its own concept (osteoporotic vertebral
collapse, say) is not in FF_COD, so the patient cannot be on the osteoporosis register."""

from __future__ import annotations

from .base import _QOF, IN, REGISTER_MIN_AGE, Context, Finding, Gap, Group, _code_words

GROUP = Group(
    "register_code_missing",
    "Vertebral fracture coded, no fragility fracture code (QOF register)",
    "Aged 50 or over with a vertebral fracture coded and no fragility fracture code (FF_COD) at all: a comparison "
    "of codes, as the QOF register rules are.",
    "If the fracture was a fragility fracture, add Fragility fracture (306171000000106) with the fracture's date, "
    "so that the patient can be on the osteoporosis register.",
    (),
    (10,),
    (_QOF,),
    version=1,
    weight=2,
)


def applies(ctx: Context) -> list[Finding]:
    if not ctx.vertebral or ctx.ff_cod or ctx.data.get("age", 0) < REGISTER_MIN_AGE:
        return []
    because = ("vertebral fracture coded", "no fragility fracture code (FF_COD)")
    dated = sorted(c.date for c in ctx.vertebral if c.date is not None)
    when = f" dated {dated[-1].isoformat()}" if dated else " with the fracture's date"
    step = f"If it was a fragility fracture, add Fragility fracture (306171000000106){when}."
    return [Finding(GROUP.id, IN, (), because, tuple(_code_words(ctx.vertebral)), (), {}, step)]


GAP = Gap(GROUP, applies)

"""A fragility fracture coded and no osteoporosis code: the QOF OST004 register, a comparison of codes."""

from __future__ import annotations

import datetime as dt

from .base import (
    _QOF,
    IN,
    NOT_ASSESSED,
    REGISTER_FRACTURE_FROM,
    REGISTER_MIN_AGE,
    Context,
    Finding,
    Gap,
    Group,
    _code_words,
    osteoporosis_codes,
)

GROUP = Group(
    "register_gap",
    "Fracture coded, no osteoporosis code (QOF register)",
    "Aged 50 or over with a fragility fracture code (FF_COD) dated on or after 1 April 2012 (2014 from age "
    "75) and no osteoporosis diagnosis code (OSTEO_COD): a comparison of codes, as the QOF register rules are.",
    "Review the diagnosis; if osteoporosis is confirmed (by DXA from 50 to 74), code it so the patient is on "
    "the osteoporosis register.",
    (),
    (10,),
    (_QOF,),
    version=1,
    weight=2,
)


def applies(ctx: Context) -> list[Finding]:
    age = ctx.data.get("age", 0)
    if not ctx.ff_cod or age < REGISTER_MIN_AGE or any(c.code in osteoporosis_codes() for c in ctx.conditions):
        return []
    start = REGISTER_FRACTURE_FROM[75 if age >= 75 else 50]
    counted = [c for c in ctx.ff_cod if isinstance(c.date, dt.date) and c.date >= start]
    if counted:
        because = (
            f"fragility fracture coded on or after {start.isoformat()}",
            "no osteoporosis diagnosis code (OSTEO_COD)",
        )
        step = "If osteoporosis is confirmed (by DXA from 50 to 74), code Osteoporosis (64859006)."
        return [Finding(GROUP.id, IN, (), because, tuple(_code_words(counted)), (), {}, step)]
    undated = [c for c in ctx.ff_cod if not isinstance(c.date, dt.date)]
    if undated:
        return [Finding(GROUP.id, NOT_ASSESSED, (), (), tuple(_code_words(undated)), ("fracture date",), {})]
    return []


GAP = Gap(GROUP, applies)

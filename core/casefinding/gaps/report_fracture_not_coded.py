"""The spine report describes a vertebral fracture that is not coded (recommendations 9 and 10)."""

from __future__ import annotations

from core.rules.contract import get_path

from .base import _BENNETT_R, IN, Context, Finding, Gap, Group, _derived, _facts, sentence

GROUP = Group(
    "report_fracture_not_coded",
    "Report describes a fracture that is not coded",
    "The spine report's wording describes a vertebral fracture (report.explicit_fracture with "
    "diagnosis.record_vertebral_fracture, or report.probable_fracture) and no vertebral fracture code is in "
    "the record.",
    "Confirm with the radiologist where the wording is only probable, then code the fracture with its date.",
    ("report.explicit_fracture", "report.probable_fracture", "diagnosis.record_vertebral_fracture"),
    (9, 10),
    (_BENNETT_R,),
    version=1,
    weight=5,
)


def applies(ctx: Context) -> list[Finding]:
    if not get_path(ctx.data, "spine_imaging.report_text") or ctx.vertebral:
        return []
    if "report.probable_fracture" in ctx.prompts:
        ids: tuple[str, ...] = ("report.probable_fracture",)
    elif "report.explicit_fracture" in ctx.prompts and "diagnosis.record_vertebral_fracture" in ctx.prompts:
        ids = ("report.explicit_fracture", "diagnosis.record_vertebral_fracture")
    else:
        return []
    because = tuple(dict.fromkeys(b for pid in ids for b in ctx.prompts[pid]["because"]))
    evidence = [*_derived(ctx.derivations, ("spine_imaging.report_text",)), "no vertebral fracture code"]
    codes = [c for pid in ids for c in ctx.prompts[pid].get("codes", [])]
    if codes:
        step = "Code " + " and ".join(f"{c['display']} ({c['code']})" for c in codes) + ", with the report's date"
    else:
        step = "Confirm the fracture with the radiologist, then code it with the report's date"
    facts = _facts(ctx.data, ("record.vertebral_fracture_coded",))
    return [Finding(GROUP.id, IN, ids, because, tuple(evidence), (), facts, sentence([step]))]


GAP = Gap(GROUP, applies)

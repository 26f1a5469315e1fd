"""The consultation plan: at most five actions a GP reads in five seconds, from one stored result.

A pure function of the result the rules gave (the prompts as they were shown): no new clinical content. Actions are
ranked emergency, urgent, soon (a routine prompt with a guideline's timeframe), then routine, and within each by the
order below, which puts what changes care first (image, treat, refer, code) and the checklists last. When a red
flag leads, the plan is the red-flag pathway, and the osteoporosis actions wait, listed apart.
"""

from __future__ import annotations

from typing import Any

from core.rules.contract import get_path

PLAN_SIZE = 5

# Red-flag pathway prompts: when one fires, the plan is theirs (with the urgent tests that go with them).
RED_FLAG = ("red_flag.emergency", "red_flag.urgent", "report.urgent_features")
WITH_THE_RED_FLAG = ("investigations.high_calcium", "investigations.myeloma_screen")

# Actions in the order a GP acts on them. Prompts not listed (patient information, education, the report's own
# statement that it confirms a fracture) are never plan actions: they stay in the full list.
ORDER = (
    *RED_FLAG,
    "investigations.high_calcium",
    "imaging.spine_xray",
    "report.probable_fracture",
    "bone.oral_bisphosphonate",
    "bone.oral_bisphosphonate_unsuitable",
    "bone.start_treatment",
    "bone.specialist_referral",
    "bone.fracture_on_treatment",
    "bone.review_treatment",
    "bone.denosumab_continuity",
    "diagnosis.record_vertebral_fracture",
    "referral.fls",
    "investigations.myeloma_screen",
    "investigations.bloods",
    "risk.frax",
    "bone.dxa",
    "bone.pre_treatment_checks",
    "diagnosis.tell_patient",
    "falls.assessment",
    "bone.calcium_vitamin_d",
    "pain.management",
    "safety_net.advice",
    "assessment.examination",
)
_RANK = {pid: i for i, pid in enumerate(ORDER)}
# Two prompts that say one thing: starting bone protection is the drug prompt when one fired.
_SAID_BY = {"bone.start_treatment": ("bone.oral_bisphosphonate", "bone.oral_bisphosphonate_unsuitable")}

URGENCY = {"emergency": 0, "urgent": 1}
SOON = 2
ROUTINE = 3
URGENCY_WORDS = {0: "Emergency", 1: "Urgent", SOON: "Soon", ROUTINE: "Routine"}

FRAX_UK = "https://frax.shef.ac.uk/FRAX/tool.aspx?country=1"
# The FRAX inputs (treatment-and-coding.md section 6 [V]) and where the assessment holds them.
FRAX_INPUTS = (
    ("Age", "age"),
    ("Sex", "sex"),
    ("Weight (kg)", "weight_kg"),
    ("Height (cm)", "height_cm"),
    ("Previous fracture", "prior_fragility_fracture"),
    ("Parent fractured hip", "parental_hip_fracture"),
    ("Current smoking", "current_smoker"),
    ("Glucocorticoids", "glucocorticoids.current_or_recent"),
    ("Rheumatoid arthritis", "rheumatoid_arthritis"),
    ("Secondary osteoporosis", "secondary_causes"),
    ("Alcohol (units a week; FRAX asks 3 or more a day)", "alcohol_units_per_week"),
    ("Femoral neck BMD (T-score here is the lowest of spine and hip)", "dxa_lowest_t_score"),
)


def _urgency(prompt: dict[str, Any]) -> int:
    if prompt["priority"] in URGENCY:
        return URGENCY[prompt["priority"]]
    return SOON if prompt.get("timeframe") else ROUTINE


def _words(value: Any) -> str:
    if value is None:
        return "not known"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return "yes (" + ", ".join(v.replace("_", " ") for v in value) + ")" if value else "none recorded"
    return str(value)


def xray_request(prompt: dict[str, Any]) -> str:
    """The request wording the imaging prompt asks for, with its reasons, ready to paste."""
    reasons = "; ".join(prompt["because"])
    return (
        f"Lateral thoracic and lumbar spine X-rays. Suspected osteoporotic vertebral fracture: {reasons}. Please "
        "report any vertebral fracture as a fracture, with its level and grade."
    )


def _tool(prompt: dict[str, Any], snapshot: dict[str, Any]) -> dict[str, Any] | None:
    pid = prompt["id"]
    if prompt.get("codes"):
        return {"kind": "codes", "codes": prompt["codes"]}
    if pid == "imaging.spine_xray":
        return {"kind": "request", "text": xray_request(prompt)}
    if pid == "risk.frax":
        return {
            "kind": "frax",
            "url": FRAX_UK,
            "inputs": [(label, _words(get_path(snapshot, path))) for label, path in FRAX_INPUTS],
        }
    return None


def build(result: dict[str, Any], snapshot: dict[str, Any]) -> dict[str, Any]:
    """The plan for one stored result: ``items`` (at most five), ``waiting`` (the osteoporosis actions held back
    while a red flag leads), ``red_flag_first``, and ``more`` (actions past the first five)."""
    prompts = {p["id"]: p for p in result["prompts"]}
    actions = [
        p for pid, p in prompts.items() if pid in _RANK and not any(other in prompts for other in _SAID_BY.get(pid, ()))
    ]
    actions.sort(key=lambda p: (_urgency(p), _RANK[p["id"]]))
    red_flag_first = any(p["id"] in RED_FLAG for p in actions)
    waiting: list[dict[str, Any]] = []
    if red_flag_first:
        waiting = [p for p in actions if p["id"] not in RED_FLAG + WITH_THE_RED_FLAG]
        actions = [p for p in actions if p["id"] in RED_FLAG + WITH_THE_RED_FLAG]
    items = [
        {
            "prompt": p,
            "urgency": URGENCY_WORDS[_urgency(p)],
            "urgency_level": _urgency(p),
            "action": p["actions"][0] if p["actions"] else "",
            "timeframe": p.get("timeframe"),
            "tool": _tool(p, snapshot),
        }
        for p in actions[:PLAN_SIZE]
    ]
    return {
        "items": items,
        "more": max(0, len(actions) - PLAN_SIZE),
        "red_flag_first": red_flag_first,
        "waiting": [{"prompt": p, "action": p["actions"][0] if p["actions"] else ""} for p in waiting],
    }


def summary_lines(plan: dict[str, Any]) -> list[str]:
    """The plan as the summary pasted into the record says it."""
    lines = ["Plan:"]
    for i, item in enumerate(plan["items"], 1):
        when = f" ({item['timeframe']['text']})" if item["timeframe"] else ""
        lines.append(f"{i}. {item['prompt']['title']}{when}")
    if plan["red_flag_first"] and plan["waiting"]:
        lines.append(
            "Red flag pathway first: the osteoporosis actions ("
            + "; ".join(w["prompt"]["title"] for w in plan["waiting"])
            + ") wait until the red flag is dealt with."
        )
    return lines

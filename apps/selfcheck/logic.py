"""What the self-check's answers mean: one of three outcomes, and why (pure Python, no Django).

- Get help now: a sign of cauda equina syndrome or spinal cord compression, or pain after a serious injury (the
  leaflet's "When to get help" wording and sources: NHS cauda equina syndrome, NICE CKS red flags, NICE NG234).
- See the GP (today for a high temperature, or new back pain after cancer; otherwise book an appointment and take
  the summary): new back pain that started suddenly or at 50 or over, height loss, a curved upper back, long-term
  steroid tablets or a broken bone after a small fall (recommendations 2 and 3: the signs and risk factors a
  patient can see), or weight loss or night pain.
- Nothing to do now, with what to watch for. An answer of "not sure" is never read as "no": the summary lists it
  as something to ask about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .content import EMERGENCY, GP, NOT_SURE, NOTHING, NOW, QUESTIONS, SAME_DAY, SOON, YES

NOW_FLAGS = ("numb", "peeing", "bowels", "legs")
CITES = {
    NOW: ((3,), ("nhs-cauda-equina", "cks-red-flags", "nice-ng234", "bennett-t6")),
    GP: ((2, 3), ("bennett-t6", "bnssg-patient", "nhs-osteoporosis-causes", "cks-red-flags")),
    NOTHING: ((3,), ("bennett-t6", "bnssg-patient", "nhs-cauda-equina")),
}


@dataclass(frozen=True)
class Result:
    outcome: str  # NOW, GP or NOTHING
    today: bool = False  # GP: contact the surgery today
    injury: bool = False  # NOW: after a serious injury (A&E)
    why: tuple[str, ...] = ()  # keys of content.WHY
    flags: tuple[str, ...] = ()  # the red flags ticked (keys of content.EMERGENCY / SAME_DAY / SOON)
    unsure: tuple[str, ...] = field(default=())  # questions answered "not sure"


def clean(raw: dict[str, Any]) -> dict[str, Any]:
    """Only the known choices: anything else (free text, an id) is dropped, so nothing identifying is ever kept."""
    out: dict[str, Any] = {}
    for name, (_label, _hint, choices) in QUESTIONS.items():
        value = raw.get(name)
        if value in {c for c, _ in choices}:
            out[name] = value
    known = set(EMERGENCY) | set(SAME_DAY) | set(SOON)
    out["flags"] = sorted({f for f in raw.get("flags") or [] if f in known})
    return out


def decide(answers: dict[str, Any]) -> Result:
    a = clean(answers)
    flags = tuple(a["flags"])
    unsure = tuple(n for n in QUESTIONS if a.get(n) == NOT_SURE)
    if any(f in NOW_FLAGS for f in flags) or "injury" in flags:
        return Result(NOW, injury="injury" in flags and not any(f in NOW_FLAGS for f in flags), flags=flags)
    why = []
    pain = a.get("back_pain") == YES
    if pain and a.get("pain_start") == "sudden":
        why.append("sudden_pain")
    if pain and a.get("age_band") in ("50_64", "65_74", "75_plus"):
        why.append("pain_over_50")
    for name in ("height_loss", "curve", "steroids", "broken_bone"):
        if a.get(name) == YES:
            why.append(name)
    if any(f in SOON for f in flags):
        why.append("soon_flag")
    today = any(f in SAME_DAY for f in flags)
    if today or why:
        return Result(GP, today=today, why=tuple(why), flags=flags, unsure=unsure)
    return Result(NOTHING, flags=flags, unsure=unsure)

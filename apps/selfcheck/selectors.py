"""Self-check reads: a code still within its 7 days, the answers it prefills for a clinician, and the answers in
the person's own words. A code past its expiry is never returned; deleting it is the writes' job (services.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .content import EMERGENCY, NO, QUESTIONS, SAME_DAY, SOON, YES
from .models import SelfCheckCode, normalise


def code_get(code: str) -> SelfCheckCode | None:
    code = normalise(code)
    return SelfCheckCode.objects.filter(code=code, expires_at__gt=timezone.now()).first() if code else None


# The self-check's words for a flag -> the contract's red flag (the clinician confirms each).
RED_FLAGS = {
    "numb": "saddle_anaesthesia",
    "peeing": "bladder_or_bowel_dysfunction",
    "bowels": "bladder_or_bowel_dysfunction",
    "legs": "progressive_neurological_deficit",
    "injury": "major_trauma",
    "fever": "fever",
    "cancer": "history_of_cancer",
    "weight_loss": "unexplained_weight_loss",
    "night_pain": "night_pain",
}


def prefill(stored: SelfCheckCode) -> tuple[dict[str, Any], list[str]]:
    """Contract answers from what the person said, only where one means exactly the other, and the contract paths
    prefilled (marked "from the patient" on the form). Age band, height loss, a curved back and steroid tablets
    are shown to the clinician in the patient's words, not turned into measurements or an examination finding."""
    a = stored.answers
    data: dict[str, Any] = {}
    if a.get("sex") in ("female", "male"):
        data["sex"] = a["sex"]
    if a.get("back_pain") in (YES, NO):
        data["back_pain"] = {"present": a["back_pain"] == YES}
        if a["back_pain"] == YES and a.get("pain_start") in ("sudden", "gradual"):
            data["back_pain"]["onset"] = a["pain_start"]
    if a.get("broken_bone") in (YES, NO):
        data["prior_fragility_fracture"] = a["broken_bone"] == YES
    flags = sorted({RED_FLAGS[f] for f in a.get("flags", []) if f in RED_FLAGS})
    if flags:
        data["red_flags"] = flags
    paths = [p for p in ("sex", "back_pain.present", "back_pain.onset", "prior_fragility_fracture") if _has(data, p)]
    return data, paths + (["red_flags"] if flags else [])


def _has(data: dict[str, Any], path: str) -> bool:
    head, _, tail = path.partition(".")
    return head in data and (not tail or tail in (data[head] or {}))


def answer_words(answers: dict[str, Any], *, with_flags: bool = False) -> list[tuple[str, str]]:
    """The answers, question by question, in the person's own words (the printed summary; the clinician's panel
    adds the warning signs ticked)."""
    out = []
    for name, (label, _hint, choices) in QUESTIONS.items():
        value = answers.get(name)
        if value:
            out.append((str(label), str(dict(choices)[value])))
    if with_flags:
        words = {**EMERGENCY, **SAME_DAY, **SOON}
        flags = [str(words[f]) for f in answers.get("flags", []) if f in words]
        if flags:
            out.append(("Back pain and", "; ".join(flags)))
    return out

"""Self-check writes and reads: the outcome audited as a count, a code stored only when asked for, and a code turned
into prefilled assessment answers for a clinician."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

from .content import EMERGENCY, NO, QUESTIONS, SAME_DAY, SOON, YES
from .logic import Result, clean
from .models import SelfCheckCode, new_code, normalise

CHANNEL = "selfcheck"


def outcome_recorded(result: Result) -> None:
    """Counts of outcomes only: never an answer (audit detail: the outcome)."""
    audit_record(
        event=AuditEvent.Event.EVALUATION,
        target_type="selfcheck",
        detail={"channel": CHANNEL, "outcome": result.outcome},
    )


def purge() -> int:
    deleted, _ = SelfCheckCode.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def code_create(*, answers: dict[str, Any], result: Result) -> SelfCheckCode:
    """Store the answers (choices only) under a fresh code for 7 days; audited with the outcome, no answers."""
    purge()
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                stored = SelfCheckCode.objects.create(
                    code=new_code(),
                    answers=clean(answers),
                    outcome=result.outcome,
                    created_at=now,
                    expires_at=SelfCheckCode.expiry(now),
                )
        except IntegrityError:
            continue  # the same code drawn twice: draw again
        audit_record(
            event=AuditEvent.Event.EVALUATION,
            target_type="selfcheck_code",
            detail={"channel": CHANNEL, "outcome": result.outcome, "code_stored": True},
        )
        return stored
    raise RuntimeError("no free self-check code")  # 31^8 codes: not in practice


def code_get(code: str) -> SelfCheckCode | None:
    purge()
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

"""Self-check writes: the outcome audited as a count, and a code stored only when asked for (making one deletes
the expired ones). The reads are in selectors.py."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

from .logic import Result, clean
from .models import SelfCheckCode, new_code

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

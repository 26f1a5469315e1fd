"""Refused calls in the audit log, without letting an attacker fill it (docs/audit.md, "Refused calls").

Each refusal adds one to a tally of (minute, channel, source, reason). A tally whose minute is over becomes one
audit event ``refused`` with its count, at the next refusal or ``manage.py audit_verify`` run, whichever comes
first; until then it is visible in the admin. The rows a flood can create are bounded: ``source`` is a configured
issuer or the client's address (never a string the caller chooses), ``reason`` is one of a fixed set, and the rate
limit (apps/web/ratelimit.py) caps the refusals one address can cause each minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import AuditEvent, RefusalTally
from .services import audit_record


def _minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def refusal_record(*, channel: str, source: str, reason: str, detail: dict[str, Any] | None = None) -> None:
    """Count one refused call; write the tallies of minutes already over to the audit log."""
    now = timezone.now()
    window = _minute(now)
    key = {"window": window, "channel": channel[:16], "source": source[:200], "reason": reason[:64]}
    with transaction.atomic():
        updated = RefusalTally.objects.filter(**key).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RefusalTally.objects.create(**key, count=1, first_detail=dict(detail or {}))
            except IntegrityError:  # another worker created it a moment ago
                RefusalTally.objects.filter(**key).update(count=F("count") + 1)
    refusals_flush(before=window)


def refusals_flush(*, before: datetime | None = None) -> int:
    """Write every tally of a minute before ``before`` (default: the current minute) as one audit event and
    remove it; returns how many were written."""
    before = before or _minute(timezone.now())
    written = 0
    for pk in RefusalTally.objects.filter(window__lt=before).values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            tally = RefusalTally.objects.select_for_update().filter(pk=pk).first()
            if tally is None:  # another worker wrote it
                continue
            audit_record(
                event=AuditEvent.Event.REFUSED,
                actor=tally.source,
                target_type=tally.channel,
                detail={
                    "reason": tally.reason,
                    "count": tally.count,
                    "minute": tally.window.isoformat(),
                    "until": (tally.window + timedelta(minutes=1)).isoformat(),
                    **tally.first_detail,
                },
            )
            tally.delete()
            written += 1
    return written

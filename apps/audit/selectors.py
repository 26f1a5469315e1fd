"""Reading the audit log: whether a username is locked out (ADR 0005)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import AuditEvent


def login_locked_out(*, username: str, in_flight: int = 0) -> bool:
    """Whether logins for ``username`` are refused: LOGIN_LOCKOUT_ATTEMPTS failed logins within
    LOGIN_LOCKOUT_MINUTES, the last of them less than LOGIN_LOCKOUT_MINUTES ago. ``in_flight`` password checks
    still running for the username count as failures now (see ``login_attempt_begin``).

    The audit log is the source of truth, so the count survives restarts and is shared by every
    process without a cache. Refusals while locked out are not counted: they never checked a
    password, and counting them would keep a locked-out user locked out for as long as they retry.
    """
    attempts = settings.LOGIN_LOCKOUT_ATTEMPTS
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    now = timezone.now()
    # The most recent real failures; anything older than two windows cannot matter.
    recent = [now] * in_flight + list(
        AuditEvent.objects.filter(event=AuditEvent.Event.LOGIN_FAILED, actor=username, created_at__gt=now - 2 * window)
        .exclude(detail__has_key="locked")
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:attempts]
    )
    recent = recent[:attempts]
    return len(recent) == attempts and recent[0] > now - window and recent[0] - recent[-1] <= window

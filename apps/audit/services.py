"""Writing to the audit log, and the login attempts that the lockout counts. The question asked of the log (is a
username locked out?) is in selectors.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from .models import AuditEvent, LoginAttempt
from .selectors import login_locked_out


def audit_record(
    *,
    event: str,
    actor: AbstractBaseUser | str | None = None,
    target_type: str = "",
    target_id: str = "",
    rulebook_version: str = "",
    rules: Iterable[Mapping[str, Any]] = (),
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` is a user (username and role are read from it) or, where there is no user yet, the
    username as typed (a failed login). ``rules`` are mappings with "id" and "version"; only those two
    keys are kept. ``detail`` must hold ids, counts and codes only, never patient data or free text.
    """
    username, role = "", ""
    if isinstance(actor, str):
        username = actor
    elif actor is not None and actor.is_authenticated:
        username, role = actor.get_username(), getattr(actor, "role", "")
    return AuditEvent.objects.create(
        event=event,
        # Typed usernames are untrusted input: keep them within the column.
        actor=username[: AuditEvent._meta.get_field("actor").max_length],
        actor_role=role,
        target_type=target_type,
        target_id=str(target_id),
        rulebook_version=rulebook_version,
        rules=[{"id": r["id"], "version": r["version"]} for r in rules],
        detail=dict(detail or {}),
    )


# A password check takes well under a second; a row older than this was left by a process that died mid-check.
LOGIN_ATTEMPT_STALE = timedelta(minutes=1)


def login_attempt_begin(*, username: str) -> LoginAttempt | None:
    """Reserve a password check for ``username``, or None when the username is locked out (nothing reserved).

    The reservation is committed before the count, so of any number of concurrent attempts the one committed
    k-th sees at least k - 1 others (still running, or finished and in the audit log as failures): no more than
    LOGIN_LOCKOUT_ATTEMPTS checks can run, however many are sent at once. Must run outside a transaction (in
    autocommit), as the login views do."""
    # Typed usernames are untrusted input: kept within the column, as audit_record keeps the actor, so the two agree.
    username = username[: LoginAttempt._meta.get_field("username").max_length]
    attempt = LoginAttempt.objects.create(username=username)
    others = (
        LoginAttempt.objects.filter(username=username, started_at__gt=timezone.now() - LOGIN_ATTEMPT_STALE)
        .exclude(pk=attempt.pk)
        .count()
    )
    if login_locked_out(username=username, in_flight=others):
        attempt.delete()
        return None
    return attempt


def login_attempt_end(attempt: LoginAttempt) -> None:
    """The check is over: a failure is already in the audit log (written by the failure signal first)."""
    attempt.delete()
    LoginAttempt.objects.filter(started_at__lt=timezone.now() - LOGIN_ATTEMPT_STALE).delete()

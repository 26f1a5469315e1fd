"""Audit the django.contrib.auth signals: login, logout and failed login (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent
from .services import audit_record


def on_user_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(event=AuditEvent.Event.LOGIN, actor=user)


def on_user_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Logging out when not logged in sends user=None: nobody to record.
    if user is not None:
        audit_record(event=AuditEvent.Event.LOGOUT, actor=user)


def on_user_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the attempted username is kept. The credentials dict is never stored: Django masks the
    # password in it, but even the mask and any other keys have no place in the audit log.
    username = credentials.get("username")
    audit_record(event=AuditEvent.Event.LOGIN_FAILED, actor=username if isinstance(username, str) else "")

"""The audit log: one append-only table of who did what, when, under which rulebook version."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from apps.core.insert_only import InsertOnlyError, InsertOnlyModel


class AppendOnlyError(InsertOnlyError):
    """Raised on any attempt to change or remove an audit event."""


class AuditEvent(InsertOnlyModel):
    """One thing that happened: a login, a failed login, a logout, an evaluation, a view of a record, a
    clinician's decision on a prompt, or an evaluation through the API.

    Append-only: rows are inserted and never updated or deleted. ``save()`` refuses a row that already
    has a primary key, ``delete()`` and the queryset's ``update()``/``delete()`` refuse, and database
    triggers (migration 0002) reject UPDATE and DELETE statements from anywhere else.

    No patient-identifiable data, ever: no names, NHS numbers, dates of birth, addresses or free text
    from an assessment or report. ``detail`` holds ids, counts and codes only (for example a prompt id,
    the number of prompts shown, a SNOMED CT code). ``actor`` is the member of staff's username, kept as
    a string rather than a foreign key so that the record outlives the account.

    No foreign keys on purpose: an audit row must never be deleted or changed by a cascade, and must
    still read correctly after the user or record it refers to is gone.
    """

    class Event(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Login failed"
        LOGOUT = "logout", "Logged out"
        EVALUATION = "evaluation", "Evaluation"
        VIEW = "view", "Viewed"
        DECISION = "decision", "Decision"
        API_EVALUATION = "api_evaluation", "API evaluation"
        API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"

    # A default rather than auto_now_add, so tests can insert events dated in the past (rows cannot be
    # back-dated afterwards, because they cannot be updated).
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    event = models.CharField(max_length=32, choices=Event.choices)
    actor = models.CharField(max_length=150, blank=True, help_text="Username, or the attempted username.")
    actor_role = models.CharField(max_length=32, blank=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    rulebook_version = models.CharField(max_length=32, blank=True)
    rules = models.JSONField(default=list, blank=True, help_text='Rules applied: [{"id": ..., "version": ...}].')
    detail = models.JSONField(default=dict, blank=True, help_text="Ids, counts and codes; never patient data.")

    refused = AppendOnlyError

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "actor", "created_at"], name="audit_event_actor_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.event} {self.actor or '-'}"


class LoginAttempt(models.Model):
    """A password check in progress for a username: written before the check and deleted after it (by then a
    failure is in the audit log). The lockout counts these too, so concurrent guesses cannot all pass the check
    before any of them has failed (found by a security review: 99 parallel wrong passwords were all checked, and
    the right one among them logged in). Not part of the audit trail, so rows are deleted freely."""

    username = models.CharField(max_length=150)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["username", "started_at"], name="login_attempt_user_time")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.username}"

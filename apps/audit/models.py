"""The audit log: one append-only table of who did what, when, under which rulebook version."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from apps.web.insert_only import InsertOnlyError, InsertOnlyModel, InsertOnlyQuerySet

from . import chain


class AppendOnlyError(InsertOnlyError):
    """Raised on any attempt to change or remove an audit event."""


class AuditQuerySet(InsertOnlyQuerySet):
    def bulk_create(self, objs, *args, **kwargs):  # type: ignore[override]
        """One at a time, so every event is chained (a bulk insert would bypass ``save()``)."""
        objs = list(objs)
        with transaction.atomic(using=self.db):
            for obj in objs:
                obj.save(using=self.db)
        return objs


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
        REFUSED = "refused", "Call refused"

    # Set by save() from the service's clock, whatever the caller passes: an event cannot be back-dated.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    event = models.CharField(max_length=32, choices=Event.choices)
    actor = models.CharField(max_length=150, blank=True, help_text="Username, or the attempted username.")
    actor_role = models.CharField(max_length=32, blank=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    rulebook_version = models.CharField(max_length=32, blank=True)
    rules = models.JSONField(default=list, blank=True, help_text='Rules applied: [{"id": ..., "version": ...}].')
    detail = models.JSONField(default=dict, blank=True, help_text="Ids, counts and codes; never patient data.")
    # The hash chain (apps/audit/chain.py, docs/audit.md): the event's place, the previous event's hash and its
    # own. Nullable only so the migration could add them without rebuilding the guarded table; save() always sets
    # them, and audit_verify reports an event without them as inserted outside the service.
    seq = models.PositiveBigIntegerField(null=True, editable=False, db_index=True)
    prev_hash = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001 (see above)
    hash = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001 (see above)

    refused = AppendOnlyError
    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "actor", "created_at"], name="audit_event_actor_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.event} {self.actor or '-'}"

    def content(self) -> dict:
        return {name: getattr(self, name) for name in chain.CONTENT_FIELDS}

    def save(self, *args, **kwargs):
        """Append the event to the chain: under the chain head's row lock (PostgreSQL; SQLite's write
        transaction serialises writers), number it after the head, stamp it with the service's clock, hash it with
        the head's hash, store it and move the head."""
        if not self._state.adding:
            raise self.refused(f"a stored {self._meta.verbose_name} cannot be changed")
        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using):
            head = AuditChainHead.locked(using=using)
            self.created_at = timezone.now()
            self.seq = head.seq + 1
            self.prev_hash = head.hash
            self.hash = chain.digest(
                seq=self.seq,
                created_at=self.created_at,
                prev_hash=self.prev_hash,
                content=self.content(),
                key=chain_key(),
            )
            super().save(*args, **kwargs)
            head.seq, head.hash, head.updated_at = self.seq, self.hash, self.created_at
            head.save(using=using, update_fields=["seq", "hash", "updated_at"])


def chain_key() -> bytes:
    """The optional server-side key (AUDIT_CHAIN_KEY): with it, someone who can write to the database but cannot
    read the service's configuration cannot forge a valid chain."""
    return settings.AUDIT_CHAIN_KEY.encode("utf-8")


class AuditChainHead(models.Model):
    """The last event of the chain, one row (pk 1). Rows cannot be locked on SQLite, so its single writer is
    SQLite's own lock; on PostgreSQL ``locked()`` takes the row lock that orders concurrent events. Not audit
    data itself: audit_verify compares it with the chain, so events removed from the end are noticed."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=chain.GENESIS)
    updated_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"audit chain head: seq {self.seq}"

    @classmethod
    def locked(cls, *, using: str = "default") -> AuditChainHead:
        head = cls.objects.using(using).select_for_update().filter(pk=1).first()
        if head is None:  # a new database (the migration creates it; a test flush removes it)
            cls.objects.using(using).get_or_create(pk=1)
            head = cls.objects.using(using).select_for_update().get(pk=1)
        return head


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


class RefusalTally(models.Model):
    """Refused calls (a forged or replayed CDS Hooks token, an API call without a valid token, a rate limit) counted
    per source, reason and minute, so a flood of forgeries cannot fill the audit log: each tally becomes one audit
    event with its count once its minute is over (apps/audit/refusals.py). Working state, not the audit trail:
    rows are deleted as they are written to the log."""

    window = models.DateTimeField(help_text="The start of the minute counted.")
    channel = models.CharField(max_length=16)
    source = models.CharField(max_length=200, help_text="A configured issuer, or the client's address.")
    reason = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)
    first_detail = models.JSONField(default=dict, blank=True, help_text="From the first refusal: its jti, its kid.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["window", "channel", "source", "reason"], name="refusal_tally_once")
        ]

    def __str__(self) -> str:
        return f"{self.window:%Y-%m-%d %H:%M} {self.channel} {self.source} {self.reason} x{self.count}"

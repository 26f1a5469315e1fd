"""What the CDS Hooks services remember: the cards they issued (rule ids and versions only) and the feedback on them
(both append-only: the models refuse changes, and database triggers refuse raw SQL), and the JWT ids already seen
(replay protection shared by every worker through the database).

No patient data is stored here: no FHIR ids, no hookInstance, no prefetch, no free text from the CDS Client.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from apps.web.insert_only import InsertOnlyError, InsertOnlyModel


class AppendOnlyError(InsertOnlyError):
    """Raised on any attempt to change or remove an issued card or stored card feedback."""


class IssuedCard(InsertOnlyModel):
    """One card returned to a CDS Client: its uuid (sent back in feedback) and the rule that produced it.
    Append-only, like the feedback on it."""

    refused = AppendOnlyError

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    service = models.CharField(max_length=64)
    issuer = models.CharField(max_length=255, help_text="The JWT iss of the CDS Client that was sent the card.")
    rule_id = models.CharField(max_length=64, db_index=True)
    rule_version = models.PositiveIntegerField()
    rulebook_version = models.CharField(max_length=32)
    suggestion_ids = models.JSONField(default=list, blank=True, help_text="The uuids of the card's suggestions.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.rule_version} ({self.id})"


class CardFeedback(InsertOnlyModel):
    """One outcome reported by a CDS Client for one card: accepted (with how many suggestions) or overridden (with
    the override reason code, if one was chosen). Append-only; the client's free-text comment is never stored."""

    refused = AppendOnlyError

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    card = models.ForeignKey(IssuedCard, on_delete=models.PROTECT, related_name="feedback")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    issuer = models.CharField(max_length=255)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    # One of the SpinePrompt override reason codes (the web app's "not now" reasons), "unlisted" for a reason from
    # another code system, or blank when the card was overridden without a reason or accepted.
    reason = models.CharField(max_length=32, blank=True)
    accepted_suggestions = models.PositiveSmallIntegerField(default=0)
    comment_given = models.BooleanField(default=False, help_text="Whether the user typed a comment (never stored).")
    outcome_at = models.DateTimeField(help_text="outcomeTimestamp as reported by the CDS Client.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "card feedback"
        constraints = [
            models.CheckConstraint(
                name="card_feedback_outcome_valid", condition=models.Q(outcome__in=["accepted", "overridden"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.outcome}"


class SeenToken(models.Model):
    """A JWT id already accepted from an issuer, kept until the token expires: a second use is a replay.

    In the database (not a per-process cache) so that every gunicorn worker sees every token."""

    issuer = models.CharField(max_length=255)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "jti"], name="seen_token_once_per_issuer")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.jti}"

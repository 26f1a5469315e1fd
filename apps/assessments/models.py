"""Stored assessments, the prompts exactly as shown, and what the clinician decided about each prompt.

An assessment is a record of what SpinePrompt showed: it is written once and never changed, so reopening it
shows exactly what was shown then, whatever the rules say now. Decisions are appended, never edited: a later
decision on the same prompt supersedes the earlier one, and both stay.

No patient-identifiable data is needed. ``practice_reference`` is optional and must not be a name or an NHS
number (the form refuses anything that looks like one).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.web.insert_only import InsertOnlyError, InsertOnlyModel


class ImmutableError(InsertOnlyError):
    """Raised on any attempt to change or remove a stored assessment, prompt or decision."""


class _InsertOnly(InsertOnlyModel):
    refused = ImmutableError

    class Meta:
        abstract = True


class Assessment(_InsertOnly):
    # A random id in every URL: assessment addresses cannot be guessed or counted.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    assessor_role = models.CharField(max_length=16)
    practice_reference = models.CharField(max_length=40, blank=True)
    assessed_on = models.DateField()
    input_version = models.PositiveSmallIntegerField()
    rulebook_version = models.CharField(max_length=32)
    input_snapshot = models.JSONField(help_text="The assessment input exactly as evaluated (contract version 1).")
    result = models.JSONField(help_text="The result exactly as shown: prompts, unknowns, notes, report screening.")
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        help_text="The earlier assessment of the same consultation that this one revises (both are kept).",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="assessment_user_recent")]

    def __str__(self) -> str:
        return f"Assessment {self.id} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def prompts(self) -> list[dict]:
        return self.result["prompts"]


class ShownPrompt(_InsertOnly):
    """One prompt shown in one assessment: what the feedback dashboard counts."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="shown_prompts")
    prompt_id = models.CharField(max_length=64)
    rule_version = models.PositiveIntegerField()
    priority = models.CharField(max_length=16)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "prompt_id"], name="shown_prompt_once_per_assessment")
        ]
        indexes = [models.Index(fields=["prompt_id"], name="shown_prompt_id")]

    def __str__(self) -> str:
        return f"{self.prompt_id} ({self.priority})"


class Decision(_InsertOnly):
    """What the clinician decided about one prompt. The newest decision for a prompt is the current one."""

    class Choice(models.TextChoices):
        DONE = "done", "Done or will do"
        NOT_NOW = "not_now", "Not now"

    class Reason(models.TextChoices):
        ALREADY_DONE = "already_done", "Already done"
        NOT_APPROPRIATE = "not_clinically_appropriate", "Not clinically appropriate"
        DECLINED = "patient_declined", "Patient declined"
        OTHER = "other", "Other"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="decisions")
    prompt_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions")
    choice = models.CharField(max_length=16, choices=Choice.choices)
    reason = models.CharField(max_length=32, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True, max_length=500)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["assessment", "prompt_id", "-created_at"], name="decision_latest")]
        constraints = [
            models.CheckConstraint(
                name="decision_choice_valid",
                condition=models.Q(choice__in=["done", "not_now"]),
            ),
            # "Not now" always says why; "done" never carries a reason.
            models.CheckConstraint(
                name="decision_reason_matches_choice",
                condition=(
                    models.Q(choice="done", reason="")
                    | models.Q(
                        choice="not_now",
                        reason__in=["already_done", "not_clinically_appropriate", "patient_declined", "other"],
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prompt_id}: {self.get_choice_display()}"


class ReportReview(_InsertOnly):
    """A clinician's review of report wording the screener called a probable fracture: the radiologist confirmed
    it is a vertebral fracture, or said it is not. A confirmation re-assesses with the fracture confirmed, so the
    coding and treatment prompts follow; ``reassessment`` is that new assessment."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed: a vertebral fracture"
        REJECTED = "rejected", "Not a vertebral fracture"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="report_reviews")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_reviews")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reassessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="confirmed_from"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="report_review_outcome_valid", condition=models.Q(outcome__in=["confirmed", "rejected"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.created_at:%Y-%m-%d})"


class AssessmentDraft(models.Model):
    """Assessment input prepared elsewhere (a CDS Hooks call mapped from the GP record) for a clinician to open,
    check and submit at /assessments/new/?draft=<id>. Short-lived: it expires, and expired drafts are deleted.

    It holds the contract input only: no FHIR ids, names or NHS numbers. The random id is the only way to reach it,
    and opening it still needs a logged-in clinician, as every assessment page does.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    data = models.JSONField(help_text="Assessment input (contract version 1), as mapped; never FHIR ids.")
    source = models.CharField(max_length=32, help_text='Where it came from, e.g. "cds-hooks".')
    # A keyed digest of the GP system's patient id (apps.assessments.services.draft_subject), never the id: a SMART
    # launch from a card opens this draft only for the same patient (apps/smart).
    subject = models.CharField(max_length=64, blank=True, default="")
    # The practice's own pseudonymous reference, when the draft comes from a case-finding worklist row: it fills the
    # form's practice reference, so the assessment can be found against the worklist.
    reference = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Draft {self.id} ({self.source})"


class FlsService(models.Model):
    """The practice's local fracture liaison service, as its practice manager sets it in the admin site. One row;
    until it is set the referral letter says "not set" where each detail goes."""

    name = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    accepts = models.TextField(blank=True, help_text="What the service accepts: referral criteria, forms, routes.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fracture liaison service"
        verbose_name_plural = "fracture liaison service"

    def __str__(self) -> str:
        return self.name or "Fracture liaison service (not set)"

    @classmethod
    def current(cls) -> FlsService:
        return cls.objects.order_by("pk").first() or cls()


class FlsReferral(_InsertOnly):
    """A fracture liaison service referral letter made from an assessment: stored exactly as made (never changed or
    deleted, like the assessment it comes from) and audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="fls_referrals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fls_referrals")
    created_at = models.DateTimeField(default=timezone.now)
    letter = models.TextField(help_text="The letter as made, in plain text.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"FLS referral {self.id} ({self.created_at:%Y-%m-%d})"

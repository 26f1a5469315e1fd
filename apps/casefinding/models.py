"""Case-finding runs and the patients each run put on the worklist.

Only what the worklist needs is stored (docs/case-finding.md, "What is stored"): the practice's pseudonymous id for
each listed patient, the gap groups they are in (or could not be assessed for), the structured reasons, age and
sex, and the assessment input the extract gave (for the prefilled assessment). No names or NHS numbers; patients in
no group are counted, never stored. Runs are deleted after CASEFINDING_RETENTION_DAYS (services.casefinding_purge);
deleting a run deletes its patients. A patient's status (invited, done, not now) is kept across runs by
pseudonymous id (PatientStatus), so next month's run shows what is still open.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class Run(models.Model):
    # A random id in every URL: run addresses cannot be guessed or counted.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The member of staff's username as a string (like the audit log), so a run never blocks deleting an account.
    created_by = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=16, help_text="Where the run came from: upload or command.")
    input_format = models.CharField(max_length=8, help_text="csv or ndjson")
    assessed_on = models.DateField()
    rulebook_version = models.CharField(max_length=32)
    rows_read = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    patients_assessed = models.PositiveIntegerField(default=0)
    summary = models.JSONField(
        default=dict,
        help_text="Counts only: per group in / could not be assessed (with why), skipped rows by field.",
    )
    # False while the run is being stored in short batches (so no write holds SQLite for long): an incomplete run's
    # worklist is never shown; if its import fails its patients are removed and the run says why (status failed).
    complete = models.BooleanField(default=True)

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Reading the extract"
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.COMPLETE)
    error = models.TextField(blank=True, help_text="Why the run failed, as shown on its page (never patient data).")
    bytes_total = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    patients_listed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Case-finding run {self.id} ({self.created_at:%Y-%m-%d %H:%M})"


class Patient(models.Model):
    """One patient on a run's worklist: in at least one gap group, or not assessable for at least one."""

    # Random, so a worklist row's address reveals nothing about the patient or the run's size.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="patients")
    pseudonymous_id = models.CharField(max_length=64)
    # Group ids between bars ("|register_gap|under_65_or_male|"), so a group filter is one indexed-free LIKE that
    # works the same on SQLite and PostgreSQL; group_count serves the "in at least N groups" filter.
    groups = models.CharField(max_length=255, blank=True, help_text="Ids of the gap groups the patient is in.")
    group_count = models.PositiveSmallIntegerField(default=0)
    not_assessed = models.CharField(
        max_length=255, blank=True, help_text="Ids of the groups the data could not decide, between bars."
    )
    reasons = models.JSONField(
        default=list,
        help_text="Structured reasons: [{group, status, prompts, because, evidence, missing, facts}].",
    )
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    # The worklist's order: the highest clinical weight of the patient's groups (groups.py), then age.
    priority = models.PositiveSmallIntegerField(default=0)
    data = models.JSONField(
        default=dict, blank=True, help_text="The assessment input the extract gave (report identifiers removed)."
    )

    class Meta:
        ordering = ["run", "pseudonymous_id"]
        indexes = [
            models.Index(fields=["run", "pseudonymous_id"], name="casefinding_patient_run_id"),
            models.Index(fields=["run", "-priority", "-age"], name="casefinding_patient_order"),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonymous_id} ({self.group_count} groups)"

    @property
    def group_ids(self) -> list[str]:
        return [g for g in self.groups.split("|") if g]

    @property
    def not_assessed_ids(self) -> list[str]:
        return [g for g in self.not_assessed.split("|") if g]


class PatientStatus(models.Model):
    """Where the practice is with a patient, kept across runs by the practice's pseudonymous id: a new run of the
    same search shows the status beside the patient, and what changed since the last run. Holds no clinical data."""

    class Status(models.TextChoices):
        OPEN = "open", "Not yet acted on"
        INVITED = "invited", "Invited"
        ASSESSED = "assessed", "Assessed"
        DONE = "done", "Done"
        NOT_NOW = "not_now", "Not now"

    pseudonymous_id = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(max_length=200, blank=True, help_text="Why not now (no patient-identifiable data).")
    look_again_on = models.DateField(null=True, blank=True, help_text="For not now: when to look again.")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"{self.pseudonymous_id}: {self.status}"

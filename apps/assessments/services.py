"""Storing assessments, decisions, drafts and referral letters, with their audit events (writes only: what the pages
read back is selectors.py)."""

from __future__ import annotations

import copy
import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.evaluation.services import assessment_evaluate
from apps.web import housekeeping
from core.records.identifiers import redact_identifiers

from .models import Assessment, AssessmentDraft, Decision, ReportReview, ShownPrompt


def assessment_create(
    *, user, data: dict[str, Any], practice_reference: str = "", revises: Assessment | None = None
) -> Assessment:
    """Evaluate valid contract input, store the input and the result exactly as shown, and audit it.

    Raises ``core.rules.InputError`` for invalid input (nothing is stored) and ``DecisionSupportUnavailable``
    when the rules fail (nothing is stored; the failure is audited without any patient data).
    """
    result = assessment_evaluate(
        data=data,
        on_unavailable=lambda: audit_record(
            event=AuditEvent.Event.EVALUATION, actor=user, detail={"outcome": "unavailable"}
        ),
    )
    with transaction.atomic():
        return _store(user=user, data=data, result=result, practice_reference=practice_reference, revises=revises)


def _store(
    *, user, data: dict[str, Any], result: dict[str, Any], practice_reference: str, revises: Assessment | None = None
) -> Assessment:
    if revises is not None and revises.user_id != user.pk:
        raise PermissionError("only your own assessment can be revised")
    assessment = Assessment.objects.create(
        user=user,
        assessor_role=result["assessor_role"],
        practice_reference=practice_reference,
        assessed_on=result["assessed_on"],
        input_version=result["input_version"],
        rulebook_version=result["rulebook_version"],
        input_snapshot=data,
        result=result,
        revises=revises,
    )
    ShownPrompt.objects.bulk_create(
        ShownPrompt(
            assessment=assessment,
            prompt_id=p["id"],
            rule_version=p["rule_version"],
            priority=p["priority"],
            position=i,
        )
        for i, p in enumerate(result["prompts"])
    )
    audit_assessment_event(
        AuditEvent.Event.EVALUATION,
        user=user,
        assessment=assessment,
        rules=[{"id": p["id"], "version": p["rule_version"]} for p in result["prompts"]],
        detail={
            "outcome": "evaluated",
            "prompts": len(result["prompts"]),
            "unknowns": len(result["unknowns"]),
            **({"revises": str(revises.pk)} if revises is not None else {}),
        },
    )
    return assessment


def audit_assessment_event(
    event: str, *, user, assessment: Assessment, detail: dict[str, Any], rules: list | None = None
) -> None:
    """An audit event about one stored assessment: ids, versions and codes only (docs/audit.md)."""
    audit_record(
        event=event,
        actor=user,
        target_type="assessment",
        target_id=str(assessment.pk),
        rulebook_version=assessment.rulebook_version,
        rules=rules or [],
        detail=detail,
    )


def draft_subject(patient_id: str) -> str:
    """A keyed digest (HMAC-SHA-256 with the server's secret key) of a GP system's patient id, stored with a draft
    so that a SMART launch from its card opens it only for the same patient. Not the id, and not reversible
    without the key."""
    return hmac.new(settings.SECRET_KEY.encode(), b"draft-subject|" + patient_id.encode(), hashlib.sha256).hexdigest()


def assessment_draft_create(
    *, data: dict[str, Any], source: str, subject: str = "", reference: str = ""
) -> AssessmentDraft:
    """Store contract input for a clinician to open at /assessments/new/?draft=<id>, expiring after
    ASSESSMENT_DRAFT_HOURS. Expired drafts (never opened: selectors.assessment_draft_get checks the expiry) are
    deleted here, at most once a minute per process (apps.web.housekeeping). ``subject``: :func:`draft_subject` of
    the patient's id in the GP system, when it came from one."""
    now = timezone.now()
    if housekeeping.due("assessments.drafts"):
        AssessmentDraft.objects.filter(expires_at__lte=now).delete()
    # A report from the GP record can carry the patient's NHS number or date of birth. A draft holds no identifiers
    # (it can be opened by any clinician with its link), so they are replaced by "[removed]" here (H-23); the
    # screener does not need them.
    report = (data.get("spine_imaging") or {}).get("report_text")
    if report:
        redacted, removed = redact_identifiers(report)
        if removed:
            data = {**data, "spine_imaging": {**data["spine_imaging"], "report_text": redacted}}
    return AssessmentDraft.objects.create(
        data=data,
        source=source,
        subject=subject,
        reference=reference[:40],
        created_at=now,
        expires_at=now + timedelta(hours=settings.ASSESSMENT_DRAFT_HOURS),
    )


def prefill_viewed(*, user, page: str, target_type: str = "", target_id: str = "") -> None:
    """Audit opening a form prefilled from stored answers (a CDS Hooks draft, or an earlier assessment)."""
    audit_record(
        event=AuditEvent.Event.VIEW, actor=user, target_type=target_type, target_id=target_id, detail={"page": page}
    )


def assessment_viewed(*, user, assessment: Assessment, page: str) -> None:
    audit_assessment_event(AuditEvent.Event.VIEW, user=user, assessment=assessment, detail={"page": page})


@transaction.atomic
def decision_record(
    *, user, assessment: Assessment, prompt_id: str, choice: str, reason: str = "", note: str = ""
) -> Decision:
    """Append a decision on one prompt of the assessment, and audit it (codes only, never the free text)."""
    prompt = next(p for p in assessment.prompts if p["id"] == prompt_id)
    decision = Decision.objects.create(
        assessment=assessment,
        prompt_id=prompt_id,
        user=user,
        choice=choice,
        reason=reason if choice == Decision.Choice.NOT_NOW else "",
        note=note,
    )
    audit_assessment_event(
        AuditEvent.Event.DECISION,
        user=user,
        assessment=assessment,
        rules=[{"id": prompt_id, "version": prompt["rule_version"]}],
        detail={"prompt": prompt_id, "choice": decision.choice, "reason": decision.reason, "note": bool(note)},
    )
    return decision


@transaction.atomic
def report_review_record(*, user, assessment: Assessment, outcome: str) -> ReportReview:
    """Store and audit the review; a confirmation re-assesses with the fracture confirmed (spine imaging result
    "fracture", one fracture per level found when the count was not known), so the coding prompt follows."""
    reassessment = None
    if outcome == ReportReview.Outcome.CONFIRMED:
        data = copy.deepcopy(assessment.input_snapshot)
        imaging = data.setdefault("spine_imaging", {})
        imaging["result"] = "fracture"
        if imaging.get("fracture_count") is None and assessment.result["report"]["levels"]:
            imaging["fracture_count"] = len(assessment.result["report"]["levels"])
        data["assessed_on"] = timezone.localdate().isoformat()
        data["assessor_role"] = user.role
        reassessment = assessment_create(user=user, data=data, practice_reference=assessment.practice_reference)
    review = ReportReview.objects.create(assessment=assessment, user=user, outcome=outcome, reassessment=reassessment)
    audit_assessment_event(
        AuditEvent.Event.DECISION,
        user=user,
        assessment=assessment,
        rules=[
            {"id": p["id"], "version": p["rule_version"]}
            for p in assessment.prompts
            if p["id"] == "report.probable_fracture"
        ],
        detail={
            "prompt": "report.probable_fracture",
            "review": outcome,
            "reassessment": str(reassessment.pk) if reassessment else "",
        },
    )
    return review


def fls_referral_create(*, user: Any, assessment: Any, letter: str) -> Any:
    """Keep the referral letter with the assessment, exactly as made, and audit it (no patient data in the audit)."""
    from .models import FlsReferral

    with transaction.atomic():
        referral = FlsReferral.objects.create(assessment=assessment, user=user, letter=letter)
        audit_record(
            event=AuditEvent.Event.DECISION,
            actor=user,
            target_type="fls_referral",
            target_id=str(referral.pk),
            detail={"assessment": str(assessment.pk), "action": "fls_referral_made"},
        )
    return referral

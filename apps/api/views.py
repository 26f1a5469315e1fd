"""JSON API v1: thin views around the rules core. See docs/api.md and /api/v1/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.accounts.permissions import Can, can
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.evaluation.services import DecisionSupportUnavailable, assessment_evaluate
from core.rules import RULEBOOK_VERSION, InputError
from core.rules.catalogue import rulebook_data

from .decorators import methods, token_required
from .http import errors_response, json_body
from .openapi import openapi_document

UNAVAILABLE = {
    "error": "decision support unavailable",
    "detail": "SpinePrompt could not evaluate this assessment. No prompts are shown because none could be "
    "worked out, not because none apply. Use clinical judgement and the guidelines directly.",
}


# Evaluating an assessment is clinical work: as in the web app, a practice manager or admin account may read the
# rulebook but not evaluate a patient.
FORBIDDEN = {"error": "evaluation needs a clinical role (GP, practice nurse or physiotherapist)"}


# Bearer-token clients send no cookies and no API view reads a session, so CSRF (a cookie attack) does not apply to
# the API; every view is exempt, so a wrong method gets the API's 405 rather than the site's CSRF page.
@csrf_exempt
@methods("POST")
@token_required
def evaluate(request: HttpRequest) -> JsonResponse:
    if not can(request.user, Can.ASSESS):
        # Refused before the body is read; audited, so a misused token shows up (docs/audit.md).
        _audit(request, outcome="refused")
        return JsonResponse(FORBIDDEN, status=403)
    data = json_body(request, field="(input)")
    if isinstance(data, JsonResponse):
        return data
    try:
        result = assessment_evaluate(data=data, on_unavailable=lambda: _audit(request, outcome="unavailable"))
    except InputError as exc:
        # Invalid input: nothing is evaluated and nothing is stored, not even an audit event.
        return errors_response(exc.as_dict()["errors"])
    except DecisionSupportUnavailable:
        return JsonResponse(UNAVAILABLE, status=500)
    _audit(request, outcome="evaluated", result=result)
    return JsonResponse(result)


def _audit(request: HttpRequest, *, outcome: str, result: dict | None = None) -> None:
    """One audit event per evaluation: who, which token, the rule ids and versions that fired, and counts.
    Never the input or the prompt text (docs/audit.md)."""
    prompts = result["prompts"] if result else []
    audit_record(
        event=AuditEvent.Event.API_EVALUATION,
        actor=request.user,
        target_type="api_token",
        target_id=str(request.api_token.pk),  # type: ignore[attr-defined]
        rulebook_version=result["rulebook_version"] if result else RULEBOOK_VERSION,
        rules=[{"id": p["id"], "version": p["rule_version"]} for p in prompts],
        detail={"outcome": outcome, "prompts": len(prompts), "unknowns": len(result["unknowns"]) if result else 0},
    )


@csrf_exempt
@methods("GET")
@token_required
def rulebook(request: HttpRequest) -> JsonResponse:
    return JsonResponse(rulebook_data())


@csrf_exempt
@methods("GET")
def openapi(request: HttpRequest) -> JsonResponse:
    """The API description is public: it holds no patient or clinical-decision data."""
    return JsonResponse(openapi_document(), json_dumps_params={"indent": 2})


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/v1/: the API's JSON error, not the site's HTML page."""
    return JsonResponse({"error": "not found"}, status=404)

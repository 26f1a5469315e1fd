"""CDS Hooks 2.0 endpoints (docs/cds-hooks.md): thin views around services.py.

The service and feedback endpoints are CSRF-exempt: CDS Clients send a signed bearer JWT and no cookies, so CSRF (a
cookie attack) does not apply. Nothing else in SpinePrompt is exempt.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.api.decorators import methods
from apps.api.http import errors_response, json_body

from .cors import cors
from .decorators import client_jwt_required
from .services import (
    SERVICES,
    PrefetchUnavailable,
    RequestInvalid,
    base_url,
    cds_call,
    cds_feedback_record,
    discovery,
)

logger = logging.getLogger(__name__)


@cors("GET")
@methods("GET", "HEAD")
def services(request: HttpRequest) -> JsonResponse:
    """Discovery is public: it describes the services and their prefetch templates and holds no patient data or
    decision (like /api/v1/openapi.json). Every call that carries patient data needs the signed JWT."""
    return JsonResponse(discovery(), json_dumps_params={"indent": 2})


_NOT_FOUND = {"error": "no such CDS service"}


def _service_and_body(request: HttpRequest, service_id: str) -> tuple[Any, Any] | JsonResponse:
    """The service and the decoded JSON body, or the 404/400 response to give instead."""
    svc = SERVICES.get(service_id)
    if svc is None:
        return JsonResponse(_NOT_FOUND, status=404)
    body = json_body(request, field="(body)")
    if isinstance(body, JsonResponse):
        return body
    return svc, body


@csrf_exempt
@cors("POST")
@methods("POST")
@client_jwt_required
def service(request: HttpRequest, service_id: str) -> JsonResponse:
    found = _service_and_body(request, service_id)
    if isinstance(found, JsonResponse):
        return found
    svc, body = found
    try:
        answer = cds_call(
            service=svc, body=body, client=request.cds_client, site=base_url(request.build_absolute_uri("/"))
        )  # type: ignore[attr-defined]
    except RequestInvalid as exc:
        return errors_response(exc.errors)
    except PrefetchUnavailable as exc:
        # CDS Hooks 2.0: 412 when the service cannot obtain the FHIR data it needs. The message names a prefetch
        # key or the server's status, never data.
        return JsonResponse({"error": "precondition failed", "detail": str(exc)}, status=412)
    return JsonResponse(answer)


@csrf_exempt
@cors("POST")
@methods("POST")
@client_jwt_required
def feedback(request: HttpRequest, service_id: str) -> JsonResponse:
    found = _service_and_body(request, service_id)
    if isinstance(found, JsonResponse):
        return found
    svc, body = found
    try:
        stored = cds_feedback_record(service=svc, body=body, client=request.cds_client)  # type: ignore[attr-defined]
    except RequestInvalid as exc:
        return errors_response(exc.errors)
    return JsonResponse({"stored": len(stored)})

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse

from apps.audit.refusals import refusal_record
from apps.web.ratelimit import client_address

from .security import InvalidClientToken, client_verify, configured_issuers, unverified_claims


def _refusal(request: HttpRequest, authorization: str, reason: str) -> None:
    """Audit a refused call, counted per minute (apps/audit/refusals.py). The source is the issuer when the token
    names a configured one (a replay, an expired or mis-signed token from a known client), else the client's
    address: never a string the caller chose. The token itself is never stored."""
    claims = unverified_claims(authorization)
    iss = claims.get("iss")
    known = isinstance(iss, str) and iss in configured_issuers()
    jti = claims.get("jti")
    refusal_record(
        channel="cds_hooks",
        source=iss if known else client_address(request),  # type: ignore[arg-type]
        reason=reason,
        detail={"first_jti": jti[:64]} if known and isinstance(jti, str) else {},
    )


def client_jwt_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a CDS Client's signed JWT whose aud is this endpoint's URL; anything else gets 401 with no detail.

    The token and the header are never logged, not even on failure."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        from .services import base_url

        audience = base_url(request.build_absolute_uri("/")) + request.path
        authorization = request.headers.get("Authorization", "")
        try:
            request.cds_client = client_verify(authorization=authorization, audience=audience)  # type: ignore[attr-defined]
        except InvalidClientToken as exc:
            _refusal(request, authorization, str(exc) or "refused")
            response = JsonResponse({"error": "authentication required"}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="cds-services"'
            return response
        return view(request, *args, **kwargs)

    return wrapper

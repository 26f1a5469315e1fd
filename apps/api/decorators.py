from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse

from apps.audit.refusals import refusal_record
from apps.web.ratelimit import client_address

from .services import api_token_authenticate


def token_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require ``Authorization: Bearer <token>``; anything else gets 401 with no detail."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        token = api_token_authenticate(raw=raw.strip()) if scheme.lower() == "bearer" and len(raw) <= 512 else None
        if token is None:
            # Audited, counted per address and minute (apps/audit/refusals.py); the token is never stored.
            refusal_record(
                channel="api",
                source=client_address(request),
                reason="token not valid" if scheme.lower() == "bearer" and raw.strip() else "no token",
            )
            response = JsonResponse({"error": "authentication required"}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="spineprompt"'
            return response
        request.user = token.user
        request.api_token = token  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def methods(*allowed: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Like Django's ``require_http_methods``, but the 405 is the API's JSON error, with the ``Allow`` header, so
    a client always gets JSON it can read (``require_http_methods`` sends an empty HTML body)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method not in allowed:
                response = JsonResponse({"error": "method not allowed"}, status=405)
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""CORS for the CDS Hooks endpoints (docs/cds-hooks.md, "Browser clients").

A CDS Client running in a browser (the public CDS Hooks sandbox, a web EHR) calls from its own origin, so the
browser first sends a preflight ``OPTIONS`` and then reads the answer only if it carries
``Access-Control-Allow-Origin``. Only the origins in ``CDS_HOOKS_CORS_ORIGINS`` are allowed (none by default; ``*``
for local testing only, refused in production). No cookies are involved (the CDS Hooks calls carry a bearer JWT), so
credentials are never allowed; the JWT is still required on every service and feedback call.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse

MAX_AGE_SECONDS = 600


def _allowed(origin: str) -> str | None:
    allowed = settings.CDS_HOOKS_CORS_ORIGINS
    if not origin:
        return None
    if "*" in allowed:
        return "*"
    return origin if origin.rstrip("/") in {o.rstrip("/") for o in allowed} else None


def cors(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer a preflight for ``methods`` and add the allow-origin header to every answer, for allowed origins."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            origin = _allowed(request.headers.get("Origin", ""))
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Allow"] = ", ".join((*methods, "OPTIONS"))
                if origin:
                    response["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
                    response["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
                    response["Access-Control-Max-Age"] = str(MAX_AGE_SECONDS)
            else:
                response = view(request, *args, **kwargs)
            if origin:
                response["Access-Control-Allow-Origin"] = origin
            response["Vary"] = "Origin"
            return response

        return wrapped

    return decorator

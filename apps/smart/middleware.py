"""Framing by an EHR: allowed only for the origins configured for the EHR that launched this session, nowhere else.

Everywhere else SpinePrompt refuses to be framed (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``,
clickjacking). A session started by a SMART launch (apps/smart/views.callback) may be framed by that EHR's
``frame_origins``; the launch and callback pages by any configured EHR's, since no session says which yet. The
origins are read from the configuration on every response, so removing an EHR ends its framing at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from apps.core.middleware import CONTENT_SECURITY_POLICY

from .config import all_frame_origins, issuer
from .services import ISSUER_KEY

_NONE = "frame-ancestors 'none'"


def frame_origins(request: HttpRequest) -> tuple[str, ...]:
    if request.path.startswith("/smart/"):
        return all_frame_origins()
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return ()
    ehr = issuer(session.get(ISSUER_KEY, ""))
    return ehr.frame_origins if ehr is not None else ()


class EhrFramingMiddleware:
    """Between the session middleware and Django's X-Frame-Options middleware, so it sees the session and runs after
    X-Frame-Options is set (responses pass the middleware list in reverse)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origins = frame_origins(request)
        if origins and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
                _NONE, "frame-ancestors " + " ".join(origins)
            )
            del response.headers["X-Frame-Options"]
        return response

"""Framing by an EHR: allowed only for the origins configured for the EHR that launched this session, nowhere else.

Everywhere else SpinePrompt refuses to be framed (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``,
clickjacking). A session started by a SMART launch (apps/smart/views.callback) may be framed by that EHR's
``frame_origins``; the launch and callback pages by any configured EHR's, since no session says which yet. The
origins are read from the configuration on every response, so removing an EHR ends its framing at once.
"""

from __future__ import annotations

import http.cookies
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from apps.web.middleware import CONTENT_SECURITY_POLICY

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


class _PartitionedMorsel(http.cookies.Morsel):  # type: ignore[type-arg]
    """A cookie with the ``Partitioned`` attribute (CHIPS), which Python 3.11's Morsel cannot write itself."""

    def OutputString(self, attrs: Any = None) -> str:  # noqa: N802 - Morsel's name
        return super().OutputString(attrs) + "; Partitioned"


class PartitionedCookiesMiddleware:
    """With SMART_EMBEDDED, the session and CSRF cookies are ``SameSite=None; Secure; Partitioned``.

    Inside a GP system's frame SpinePrompt is a third-party site. Browsers that block third-party cookies (Safari,
    Firefox's strict mode, Chromium's private windows) still keep a *partitioned* cookie: one kept for SpinePrompt
    under this GP system only (CHIPS), which is exactly the framed session. Placed before the session middleware,
    so it sees the cookies the session and CSRF middleware set on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SMART_EMBEDDED:
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                morsel = response.cookies.get(name)
                if morsel is not None and not isinstance(morsel, _PartitionedMorsel):
                    partitioned = _PartitionedMorsel()
                    partitioned.set(morsel.key, morsel.value, morsel.coded_value)
                    partitioned.update(morsel)
                    dict.__setitem__(response.cookies, name, partitioned)
        return response

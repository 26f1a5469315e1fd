"""Rate limits on the doors an attacker would hammer: CDS Hooks, the JSON API, the two login forms and the public
self-check
(docs/security.md, "Rate limits").

A fixed one-minute window per client address and door, counted in Django's cache; over the limit the answer is 429
with ``Retry-After`` (the seconds left in the window): JSON for machine clients, the site's page for a person. Our
own twenty lines rather than a library: django-ratelimit (the well-kept choice) decides *whether* a request is over
the limit, but a 429 with Retry-After, the JSON body and the audit of a refusal would be ours to write anyway.

The cache is per process unless CACHES names a shared one (docs/security.md): with N workers the effective limit is
up to N times the setting, which still bounds a flood. The first 429 of each window is audited as a refusal.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from .errors import for_machine

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or with DJANGO_TRUST_X_FORWARDED_FOR the last address of
    X-Forwarded-For (the one our own proxy appended; earlier ones are whatever the client sent)."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64] or "unknown"


def door(request: HttpRequest) -> str | None:
    """Which limited door a request knocks on, or None."""
    path = request.path
    if path.startswith("/cds-services/") and request.method == "POST":
        return "cds_hooks"
    if path.startswith("/api/"):
        return "api"
    if path in ("/accounts/login/", "/admin/login/") and request.method == "POST":
        return "login"
    if path.startswith("/check/") and request.method == "POST":
        return "selfcheck"  # public and anonymous: each answer and each code stored counts
    return None


def _clock() -> float:
    return time.time()


def over_limit(scope: str, address: str, limit: int, *, now: float | None = None) -> tuple[int, bool] | None:
    """None while under ``limit`` calls this window; else (seconds until the window ends, first refusal of the
    window)."""
    now = _clock() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{address}:{window}"
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, WINDOW_SECONDS + 5)
        count = 1
    if count <= limit:
        return None
    retry = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
    return retry, count == limit + 1


class RateLimitMiddleware:
    """Before the session and authentication, so a refused request costs the database nothing (except the one
    audit tally of each window's first refusal)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = door(request)
        limit = settings.RATE_LIMITS.get(scope) if scope else None
        if limit:
            address = client_address(request)
            refused = over_limit(scope, address, limit)  # type: ignore[arg-type]
            if refused is not None:
                retry, first = refused
                if first:
                    from apps.audit.refusals import refusal_record

                    refusal_record(channel=scope, source=address, reason="rate limited")  # type: ignore[arg-type]
                return too_many(request, retry)
        return self.get_response(request)


def too_many(request: HttpRequest, retry: int) -> HttpResponse:
    if for_machine(request):
        response: HttpResponse = JsonResponse(
            {"error": "too many requests", "detail": f"Try again in {retry} seconds."}, status=429
        )
    else:
        response = HttpResponse(loader.get_template("429.html").render({"retry": retry}), status=429)
    response["Retry-After"] = str(retry)
    return response

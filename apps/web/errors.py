"""Error pages and answers (config/urls.py handler400/403/404/500).

A machine client (the JSON API under /api/ and CDS Hooks under /cds-services/) always gets JSON it can read,
whatever went wrong and wherever (a view, a middleware, the database): docs/api.md promises it. A person gets the
site's page. When the database is away (a restart, a failover, SQLite busy beyond its timeout) the answer is 503
with ``Retry-After``, not 500: the request can simply be repeated, and nothing acknowledged was lost.
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

MACHINE_PREFIXES = ("/api/", "/cds-services/")
RETRY_AFTER_SECONDS = 5

UNAVAILABLE_DB = {
    "error": "service unavailable",
    "detail": "SpinePrompt cannot reach its database just now. Nothing was stored. Try again in a few seconds.",
}
UNAVAILABLE = {
    "error": "decision support unavailable",
    "detail": "SpinePrompt could not answer this request. No prompts are shown because none could be worked out, "
    "not because none apply. Use clinical judgement and the guidelines directly.",
}


def for_machine(request: HttpRequest) -> bool:
    return request.path.startswith(MACHINE_PREFIXES)


def database_away(exc: BaseException | None) -> bool:
    """A database that cannot be reached or is busy: worth retrying, unlike a bug. A constraint violation
    (IntegrityError) or a bad query (ProgrammingError) is a bug and stays a 500."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        type(exc) is DatabaseError  # psycopg's connection lost during a query surfaces as the base class
    )


class DatabaseAwayFilter(logging.Filter):
    """Drop the traceback from a log record whose exception is the database being away: the 503 and its one line
    say all there is to say, and a restart under load would otherwise print hundreds of identical tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and database_away(record.exc_info[1]):
            record.exc_info = None
            record.exc_text = None
        return True


def _page(template: str, status: int, request: HttpRequest | None = None) -> HttpResponse:
    # A server error page is rendered without the request: its context processors read the session and the
    # user, which need the database that may be the very thing that failed.
    try:
        body = loader.get_template(template).render(None, request)
    except Exception:  # the error page itself must never fail
        body = "<!doctype html><title>SpinePrompt</title><h1>Sorry, there is a problem with the service</h1>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if for_machine(request):
        return JsonResponse({"errors": [{"field": "(request)", "message": "cannot be read"}]}, status=400)
    return _page("400.html", 400, request)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if for_machine(request):
        return JsonResponse({"error": "forbidden"}, status=403)
    return _page("403.html", 403, request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if for_machine(request):
        return JsonResponse({"error": "not found"}, status=404)
    return _page("404.html", 404, request)


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]  # Django calls the handler inside its except block
    if database_away(exc):
        logger.warning("database unavailable: %s", exc.__class__.__name__)  # never the query: it may hold data
        if for_machine(request):
            response: HttpResponse = JsonResponse(UNAVAILABLE_DB, status=503)
        else:
            response = _page("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if for_machine(request):
        return JsonResponse(UNAVAILABLE, status=500)
    return _page("500.html", 500)

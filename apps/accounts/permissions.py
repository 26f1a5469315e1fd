"""Who may do what: the one place every view, the API, case-finding and the templates ask (docs/security.md,
"Permissions"). ``tests/security/test_access_matrix.py`` pins the role-by-URL behaviour this produces.

Permissions are capabilities, granted to roles; a view asks for a capability, never for a role, so adding a role or
moving a capability is one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Role


class Can(StrEnum):
    ASSESS = "assess"  # assess a patient: the form, results, reports, personalised leaflets, the API's evaluate
    CASEFINDING = "casefinding"  # upload practice extracts and read worklists
    FEEDBACK = "feedback"  # the dashboard of clinicians' decisions on the rules


GRANTS: dict[str, frozenset[Can]] = {
    Role.GP: frozenset({Can.ASSESS, Can.CASEFINDING}),
    Role.NURSE: frozenset({Can.ASSESS}),
    Role.PHYSIO: frozenset({Can.ASSESS}),
    Role.ADMIN: frozenset({Can.CASEFINDING, Can.FEEDBACK}),
}

REFUSED = {
    Can.ASSESS: "Assessments are for clinical roles.",
    Can.CASEFINDING: "Case-finding is for GPs and practice admins.",
    Can.FEEDBACK: "The feedback dashboard is for practice admins.",
}


def can(user: Any, capability: Can) -> bool:
    """Whether ``user`` (any user object, anonymous included) has ``capability``."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    return capability in GRANTS.get(getattr(user, "role", ""), frozenset())


def require(capability: Can) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator: logged in (else the login page), and ``capability`` (else 403 with the reason)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, capability):
                raise PermissionDenied(REFUSED[capability])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permissions(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``can.assess``, ``can.casefinding``, ``can.feedback`` for the logged-in user."""
    user = getattr(request, "user", None)
    return {"can": {c.value: can(user, c) for c in Can}}

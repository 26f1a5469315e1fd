"""SMART App Launch: /smart/launch (the EHR opens it) and /smart/callback (the EHR's authorisation server returns)."""

from __future__ import annotations

import logging

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

from . import services

logger = logging.getLogger(__name__)


def _failed(request: HttpRequest, exc: services.LaunchFailed, step: str) -> HttpResponse:
    audit_record(event=AuditEvent.Event.REFUSED, target_type="smart_launch", detail={"step": step, "reason": str(exc)})
    return render(request, "smart/failed.html", {"reason": str(exc)}, status=400)


@require_GET
def launch(request: HttpRequest) -> HttpResponse:
    """No login needed here: the EHR's authorisation server says who the user is (callback)."""
    redirect_uri = request.build_absolute_uri(reverse("smart:callback"))
    try:
        url = services.launch(
            iss=request.GET.get("iss", ""),
            launch_token=request.GET.get("launch", ""),
            redirect_uri=redirect_uri,
            session=request.session,
        )
    except services.LaunchFailed as exc:
        return _failed(request, exc, "launch")
    return HttpResponseRedirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    try:
        launched = services.callback(url=request.build_absolute_uri(), session=request.session)
    except services.LaunchFailed as exc:
        return _failed(request, exc, "callback")
    # A new session for the user (login rotates the key); the EHR's origins may frame it for as long as it lasts.
    login(request, launched.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[services.ISSUER_KEY] = launched.ehr.iss
    return HttpResponseRedirect(f"{reverse('assessments:new')}?draft={launched.draft.pk}")

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers: no login, no database, no patient data."""
    return JsonResponse({"status": "ok"})

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse

from .security import InvalidClientToken, client_verify


def client_jwt_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a CDS Client's signed JWT whose aud is this endpoint's URL; anything else gets 401 with no detail.

    The token and the header are never logged, not even on failure."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        from .services import base_url

        audience = base_url(request.build_absolute_uri("/")) + request.path
        try:
            request.cds_client = client_verify(  # type: ignore[attr-defined]
                authorization=request.headers.get("Authorization", ""), audience=audience
            )
        except InvalidClientToken:
            response = JsonResponse({"error": "authentication required"}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="cds-services"'
            return response
        return view(request, *args, **kwargs)

    return wrapper

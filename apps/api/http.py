"""The JSON doors' shared request and error handling (the API and CDS Hooks): one reader for a JSON body, one shape
for its errors, ``{"errors": [{"field": ..., "message": ...}]}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse

from core.boundary import BoundaryError, json_parse


def errors_response(errors: list[dict[str, str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def json_body(request: HttpRequest, *, field: str) -> Any:
    """The decoded JSON body, or the JsonResponse to give instead, naming ``field``: 413 past the upload limit,
    400 for anything the one JSON boundary (core/boundary.py) refuses (not UTF-8, malformed, too deep, a number of
    thousands of digits): unreadable input, named, never an internal error."""
    try:
        return json_parse(request.body, field=field)
    except RequestDataTooBig:
        return errors_response([{"field": field, "message": "is too large"}], status=413)
    except BoundaryError as exc:
        return errors_response([exc.as_dict()])

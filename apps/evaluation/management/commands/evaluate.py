"""python manage.py evaluate FILE|- : print the result JSON, or the field errors on stderr with exit code 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from apps.evaluation.services import assessment_evaluate
from core.boundary import BoundaryError, json_parse
from core.rules import InputError

INVALID = 2


class Command(BaseCommand):
    help = "Evaluate one assessment input (JSON file, or - for stdin) and print the result JSON. Stores nothing."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="path to an assessment input JSON file, or - to read stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            raw = _stdin_bytes() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            self._fail([{"field": "(file)", "message": f"cannot be read: {exc.__class__.__name__}"}])
        try:
            # The one JSON boundary (core/boundary.py), as the API reads a body: a byte-order mark dropped, nesting
            # and digits bounded, so deep or huge input is exit 2 with the reason, never a traceback.
            data = json_parse(raw, field="(input)")
        except BoundaryError as exc:
            self._fail([exc.as_dict()])
        try:
            result = assessment_evaluate(data=data)
        except InputError as exc:
            self._fail(exc.as_dict()["errors"])
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _fail(self, errors: list[dict[str, str]]) -> None:
        sys.stderr.write(json.dumps({"errors": errors}, indent=2) + "\n")
        raise SystemExit(INVALID)


def _stdin_bytes() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)  # a test may replace stdin with text
    return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")

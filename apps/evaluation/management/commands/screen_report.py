"""python manage.py screen_report FILE|- : screen one radiology report and print the screening as JSON.

The same function (core.rules.report.screen_report) feeds the rules' report.* prompts. Stores nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from core.rules.contract import REPORT_TEXT_MAX
from core.rules.report import screen_report

INVALID = 2


class Command(BaseCommand):
    help = "Screen one radiology report (text file, or - for stdin) for vertebral fracture wording; print JSON."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="path to a plain-text report, or - to read stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail("(file)", f"cannot be read: {exc.__class__.__name__}")
        if len(text) > REPORT_TEXT_MAX:
            # The same limit as the assessment input's spine_imaging.report_text.
            self._fail("(input)", f"must be at most {REPORT_TEXT_MAX:,} characters")
        self.stdout.write(json.dumps(screen_report(text).as_dict(), indent=2, ensure_ascii=False))

    def _fail(self, field: str, message: str) -> None:
        sys.stderr.write(json.dumps({"errors": [{"field": field, "message": message}]}, indent=2) + "\n")
        raise SystemExit(INVALID)

"""python manage.py casefind FILE [FILE...] --format csv|ndjson: find care gaps in an extract, store the worklist and
print the summary with each group's counts; exit 2 when the input cannot be used (nothing is stored)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.casefinding.services import UnusableInput, casefinding_run
from core.casefinding.groups import GROUPS
from core.rules.contract import iso_date

INVALID = 2


class Command(BaseCommand):
    help = (
        "Run case-finding on a CSV extract or FHIR R4 bulk NDJSON files (docs/case-finding.md), store the worklist "
        "(pseudonymous ids, groups and reasons; deleted after CASEFINDING_RETENTION_DAYS) and print the summary."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", help="the extract: one CSV file, or the NDJSON files of a bulk export")
        parser.add_argument("--format", required=True, choices=("csv", "ndjson"), dest="input_format")
        parser.add_argument("--as-of", default=None, help="assessment date, YYYY-MM-DD (default today)")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["as_of"]
        as_of = iso_date(raw) if raw else None  # the contract's one date form: not 20260101 or 2026-W01-1
        if raw and as_of is None:
            self._fail("--as-of must be a date, YYYY-MM-DD", field="--as-of")
        if as_of is not None and as_of > timezone.localdate():
            self._fail("--as-of must not be in the future", field="--as-of")
        with contextlib.ExitStack() as stack:
            try:
                streams = [stack.enter_context(open(f, "rb")) for f in options["files"]]  # noqa: SIM115
            except OSError as exc:
                self._fail(f"cannot be read: {exc.filename} ({exc.__class__.__name__})")
            try:
                run = casefinding_run(
                    streams=streams,
                    input_format=options["input_format"],
                    source="command",
                    assessed_on=as_of,
                    workers=max(1, options["workers"]),
                )
            except UnusableInput as exc:
                self._fail(str(exc))
        summary = run.summary
        if options["json"]:
            self.stdout.write(json.dumps({"run": str(run.pk), **summary}, indent=2))
            return
        out = self.stdout.write
        out(
            f"Run {run.pk} ({summary['input_format']}, assessed on {summary['assessed_on']}, rulebook "
            f"{summary['rulebook_version']})"
        )
        out(
            f"Rows read: {summary['rows_read']}; skipped: {summary['rows_skipped']}; patients assessed: "
            f"{summary['patients_assessed']}; on the worklist: {summary['patients_listed']}"
        )
        if summary.get("deceased_excluded"):
            out(f"Patients who have died (not assessed, not listed): {summary['deceased_excluded']}")
        for field, n in summary["skipped_by_field"].items():
            out(f"  skipped for {field}: {n}")
        for e in summary["errors"][:20]:
            out(f"  line {e['line']}: {e['field']}: {e['message']}")
        if summary["errors_not_listed"] or len(summary["errors"]) > 20:
            out(f"  ... and {summary['errors_not_listed'] + max(len(summary['errors']) - 20, 0)} more")
        out("Groups (in / could not be assessed):")
        for g in GROUPS:
            counts = summary["groups"][g.id]
            out(f"  {g.title}: {counts['in']} / {counts['not_assessed']}")

    def _fail(self, message: str, *, field: str = "(file)") -> None:
        sys.stderr.write(json.dumps({"errors": [{"field": field, "message": message}]}, indent=2) + "\n")
        raise SystemExit(INVALID)

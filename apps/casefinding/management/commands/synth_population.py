"""python manage.py synth_population N --seed S --out DIR: write a synthetic population (CSV and FHIR NDJSON)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.casefinding.synth import write_population


class Command(BaseCommand):
    help = (
        "Write a synthetic practice population with planted case-finding gaps: DIR/population.csv, "
        "DIR/ndjson/<Type>.ndjson (FHIR R4 bulk NDJSON, the same patients) and DIR/manifest.json (who was planted "
        "in which group). Deterministic for a seed and --as-of date."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("patients", type=int, help="number of patients")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True, help="directory to write into (created if missing)")
        parser.add_argument("--as-of", default=None, help="the date the data is as of (YYYY-MM-DD; default today)")
        parser.add_argument("--formats", default="csv,ndjson", help="comma-separated: csv, ndjson (default both)")
        parser.add_argument("--planted-share", type=float, default=0.1, help="share of patients planted (0-1)")

    def handle(self, *args: Any, **options: Any) -> None:
        n = options["patients"]
        if n < 1:
            raise CommandError("N must be at least 1")
        formats = tuple(f.strip() for f in options["formats"].split(",") if f.strip())
        if not formats or set(formats) - {"csv", "ndjson"}:
            raise CommandError("--formats takes csv, ndjson or both")
        if not 0 <= options["planted_share"] <= 1:
            raise CommandError("--planted-share must be between 0 and 1")
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of must be a date, YYYY-MM-DD") from None
        manifest = write_population(
            n,
            Path(options["out"]),
            seed=options["seed"],
            today=as_of,
            formats=formats,
            planted_share=options["planted_share"],
        )
        planted = sum(len(v) for v in manifest["planted"].values())
        self.stdout.write(f"Wrote {n} patients ({planted} planted) as of {as_of} to {options['out']}")

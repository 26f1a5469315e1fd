"""Shared helpers for the case-finding tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from core.casefinding import pipeline
from core.casefinding.synth import write_population

AS_OF = dt.date(2026, 11, 23)


def run_files(paths: list[Path], input_format: str, *, workers: int = 1):
    """Run the pipeline (no database) and return (summary dict, listed patients)."""
    listed: list[pipeline.ListedPatient] = []
    streams = [p.open("rb") for p in paths]
    try:
        summary = pipeline.run(
            streams, input_format=input_format, assessed_on=AS_OF, store=listed.extend, workers=workers
        )
    finally:
        for s in streams:
            s.close()
    return summary.as_dict(), listed


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="session")
def population(tmp_path_factory) -> Path:
    """A seeded synthetic population (CSV and NDJSON, 1,500 patients, about 20% planted)."""
    out = tmp_path_factory.mktemp("population")
    write_population(1500, out, seed=7, today=AS_OF, planted_share=0.2)
    return out

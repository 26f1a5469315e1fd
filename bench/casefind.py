"""Case-finding throughput: synthetic patients a second through the whole run, on every core.

The extract is generated first, outside the timing, into a temporary directory (manage.py synth_population's
generator, seed 1, about 10% planted). The timed part is exactly what `manage.py casefind` does: read the file,
parse each row into a PatientRecord, record_to_input, evaluate with the rules, gap groups, and store the worklist
(bulk inserts into a throwaway SQLite database, one transaction) with the run and its audit event. Rows are read
in chunks and evaluated in a process pool with a bounded number of chunks in flight, so memory stays flat.

    .venv/bin/python bench/casefind.py [--patients 1000000] [--format csv|ndjson] [--workers N] [--background]
        [--write]

--background measures the path an upload takes (issue 26): the file stored and queued as the upload page does
(services.casefinding_start), then the database task backend's worker (`manage.py db_worker --batch`, in this
process) reading it with CASEFINDING_WORKERS evaluation processes, the progress written after every chunk. The
time is from the queued upload to the complete run.

Targets (issue 7): 1,000,000 CSV patients in under 5 minutes with peak memory under 500 MB on the 2-core machine.
Peak memory is the parent's maximum resident set plus, for each worker, the largest worker's (getrusage
RUSAGE_SELF and RUSAGE_CHILDREN): an upper bound on all processes together. --write records the figures in
docs/performance.md (one section per format).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, write_section  # noqa: E402

TARGET_SECONDS = 300
TARGET_MB = 500
AS_OF = dt.date(2026, 11, 23)


def _mb(kilobytes: int) -> float:
    return kilobytes / 1024  # ru_maxrss is in kilobytes on Linux


class _Upload:
    """A file as Django's UploadedFile gives it to casefinding_start (its name and its chunks)."""

    def __init__(self, path: Path) -> None:
        self.path, self.name = path, path.name

    def chunks(self, size: int = 1024 * 1024):
        with self.path.open("rb") as fh:
            while block := fh.read(size):
                yield block


def _background(files: list[Path], args: argparse.Namespace, tmp: Path):
    from django.conf import settings
    from django.core.management import call_command

    from apps.casefinding.models import Run
    from apps.casefinding.services import casefinding_start

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CASEFINDING_UPLOAD_DIR = str(tmp / "uploads")
    settings.CASEFINDING_WORKERS = args.workers
    start = time.perf_counter()
    queued = casefinding_start(user=None, files=[_Upload(f) for f in files], input_format=args.format)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    seconds = time.perf_counter() - start
    run = Run.objects.get(pk=queued.pk)
    if run.status != Run.Status.COMPLETE:
        raise SystemExit(f"the background import ended {run.status}: {run.error}")
    return run, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "ndjson"), default="csv")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--background", action="store_true", help="through the upload's background task")
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="spineprompt-casefind-bench-") as tmp:
        os.environ["SQLITE_PATH"] = str(Path(tmp, "bench.sqlite3"))
        os.environ.pop("DATABASE_URL", None)
        # As in production: with DEBUG on, Django keeps the text of recent queries (the bulk inserts) in memory.
        os.environ["DJANGO_DEBUG"] = "false"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from apps.casefinding.services import casefinding_run
        from apps.casefinding.synth import write_population

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        write_population(args.patients, Path(tmp), seed=args.seed, today=AS_OF, formats=(args.format,))
        generated = time.perf_counter() - start
        files = [Path(tmp, "population.csv")] if args.format == "csv" else sorted(Path(tmp, "ndjson").glob("*.ndjson"))
        size_mb = sum(f.stat().st_size for f in files) / 1024 / 1024
        print(f"generated {args.patients:,} patients ({size_mb:,.0f} MB {args.format}) in {generated:.1f} s")

        if args.background:
            run, seconds = _background(files, args, Path(tmp))
        else:
            streams = [f.open("rb") for f in files]
            start = time.perf_counter()
            run = casefinding_run(
                streams=streams, input_format=args.format, source="command", assessed_on=AS_OF, workers=args.workers
            )
            seconds = time.perf_counter() - start
            for s in streams:
                s.close()
        stored = run.patients.count()

    parent = _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    child = _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    peak = parent + (child * args.workers if args.workers > 1 else 0)
    rate = run.patients_assessed / seconds
    where = machine()
    lines = [
        f"- Machine: {where}; {args.workers} worker process(es)"
        + (
            "; through the upload's background task (database backend, its worker in-process)"
            if args.background
            else ""
        ),
        f"- Patients: {args.patients:,} ({args.format.upper()}, {size_mb:,.0f} MB; generated first, untimed); "
        f"assessed {run.patients_assessed:,}, skipped {run.rows_skipped:,}, stored on the worklist {stored:,}",
        f"- Total time: **{seconds:,.1f} s** (target under {TARGET_SECONDS} s for 1,000,000 CSV patients)",
        f"- Throughput: **{rate:,.0f} patients a second**",
        f"- Peak memory: **{peak:,.0f} MB** (parent {parent:,.0f} MB + {args.workers} x largest worker "
        f"{child:,.0f} MB; target under {TARGET_MB} MB)",
    ]
    print("\n".join(lines))
    print(f"patients_per_second: {rate:.0f}")
    if args.write:
        mode = ", background upload" if args.background else ""
        body = "\n".join(
            [
                f"### Case-finding ({args.format.upper()}{mode}, `bench/casefind.py`)",
                "",
                "Parse -> PatientRecord -> record_to_input -> evaluate -> gap groups -> store the worklist, on "
                "every core (issue 7).",
                "",
                *lines,
                "",
                f"Run: `.venv/bin/python bench/casefind.py --patients {args.patients} --format {args.format} "
                f"--workers {args.workers}{' --background' if args.background else ''} --write`.",
            ]
        )
        write_section(f"casefind-{args.format}{'-background' if args.background else ''}", body)


if __name__ == "__main__":
    main()

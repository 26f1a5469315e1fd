"""Case-finding throughput: synthetic patients a second through the whole run, on every core.

The extract is generated first, outside the timing, into a temporary directory (manage.py synth_population's
generator, seed 1, about 10% planted). The timed part is exactly what `manage.py casefind` does: read the file,
parse each row into a PatientRecord, record_to_input, evaluate with the rules, gap groups, and store the worklist
(bulk inserts into a throwaway SQLite database, one transaction) with the run and its audit event. Rows are read
in chunks and evaluated in a process pool with a bounded number of chunks in flight, so memory stays flat.

    .venv/bin/python bench/casefind.py [--patients 1000000] [--format csv|ndjson] [--workers N] [--background]
        [--reverse-files] [--write]
    .venv/bin/python bench/casefind.py --sizes 10000,1000000 [--format csv|ndjson] [--write]
    .venv/bin/python bench/casefind.py --compare [--patients 20000]

Floors (issue 28), measured in the same run over the same files, untimed by the run itself: `csv.reader` over the
CSV, `json.loads` over every NDJSON line. The run's time is printed as a ratio to its floor (targets: CSV within
40x, NDJSON within 6x). --sizes runs each size in a fresh process (peak memory is a process's lifetime maximum) and
prints how peak memory changes from the smallest to the largest (target: flat within 15%). --reverse-files reads
the NDJSON files in the opposite order (Patient last). --compare writes both formats of one population and checks
they give the same worklist, group by group (issue 28 point 2); it exits 1 if they do not.

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

from bench.common import load_at_start, machine, write_section  # noqa: E402

TARGET_SECONDS = 300
TARGET_MB = 500
FLOOR_RATIO = {"csv": 40, "ndjson": 6}
FLAT_WITHIN = 0.15
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


def floor_seconds(files: list[Path], input_format: str) -> float:
    """The parsing floor: the standard library's parser over the same bytes, nothing else."""
    import csv
    import json

    start = time.perf_counter()
    for f in files:
        with f.open(encoding="utf-8", newline="") as fh:
            if input_format == "csv":
                for _row in csv.reader(fh):
                    pass
            else:
                for line in fh:
                    json.loads(line)
    return time.perf_counter() - start


def _worklist(run) -> dict[str, tuple[str, str]]:
    return {p.pseudonymous_id: (p.groups, p.not_assessed) for p in run.patients.all().iterator()}


def compare(args: argparse.Namespace) -> None:
    """Both formats of one population, one worklist: exit 1 with the differing groups if not."""
    with tempfile.TemporaryDirectory(prefix="spineprompt-casefind-compare-") as tmp:
        _setup(tmp)
        from apps.casefinding.services import casefinding_run
        from core.casefinding.groups import GROUPS
        from core.casefinding.synth import write_population

        write_population(args.patients, Path(tmp), seed=args.seed, today=AS_OF, formats=("csv", "ndjson"))
        lists, groups = {}, {}
        for fmt in ("csv", "ndjson"):
            files = _files(Path(tmp), fmt)
            streams = [f.open("rb") for f in files]
            run = casefinding_run(
                streams=streams, input_format=fmt, source="command", assessed_on=AS_OF, workers=args.workers
            )
            for st in streams:
                st.close()
            lists[fmt], groups[fmt] = _worklist(run), run.summary["groups"]
    differ = [
        g.id
        for g in GROUPS
        if groups["csv"][g.id] != groups["ndjson"][g.id]
        or {k for k, (gs, _) in lists["csv"].items() if g.id in gs.split("|")}
        != {k for k, (gs, _) in lists["ndjson"].items() if g.id in gs.split("|")}
    ]
    same = lists["csv"] == lists["ndjson"] and not differ
    print(
        f"{args.patients:,} patients, seed {args.seed}: CSV lists {len(lists['csv']):,}, NDJSON lists "
        f"{len(lists['ndjson']):,}; " + ("the same worklist, group by group" if same else f"DIFFERENT in {differ}")
    )
    for g in GROUPS:
        print(
            f"  {g.id}: csv {groups['csv'][g.id]['in']:,} in, {groups['csv'][g.id]['not_assessed']:,} not assessed; "
            f"ndjson {groups['ndjson'][g.id]['in']:,} in, {groups['ndjson'][g.id]['not_assessed']:,} not assessed"
        )
    if not same:
        raise SystemExit(1)


def _setup(tmp: str) -> None:
    os.environ["SQLITE_PATH"] = str(Path(tmp, "bench.sqlite3"))
    os.environ.pop("DATABASE_URL", None)
    # As in production: with DEBUG on, Django keeps the text of recent queries (the bulk inserts) in memory.
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _files(folder: Path, fmt: str, *, reverse: bool = False) -> list[Path]:
    if fmt == "csv":
        return [folder / "population.csv"]
    return sorted((folder / "ndjson").glob("*.ndjson"), reverse=reverse)


def sizes(args: argparse.Namespace) -> None:
    """Each size in a fresh process (peak RSS is a lifetime maximum); then the flatness of peak memory."""
    import json
    import subprocess

    results = []
    for n in [int(x) for x in args.sizes.split(",")]:
        cmd = [
            sys.executable,
            __file__,
            "--patients",
            str(n),
            "--format",
            args.format,
            "--workers",
            str(args.workers),
            "--seed",
            str(args.seed),
            "--json",
        ]
        if args.reverse_files:
            cmd.append("--reverse-files")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(results[-1]["lines"][1])
        print("  " + results[-1]["lines"][2] + "; " + results[-1]["lines"][4])
    small, large = results[0], results[-1]
    growth = large["peak_mb"] / small["peak_mb"] - 1
    verdict = "met" if growth <= FLAT_WITHIN else "not met"
    flat = (
        f"- Peak memory (all processes) from {small['patients']:,} to {large['patients']:,} patients: "
        f"{small['peak_mb']:,.0f} -> {large['peak_mb']:,.0f} MB, **{growth:+.0%}** (target flat within "
        f"{FLAT_WITHIN:.0%}: {verdict})"
    )
    print(flat)
    if args.write:
        rows = "\n".join(
            f"| {r['patients']:,} | {r['seconds']:,.1f} | {r['floor_seconds']:,.2f} | {r['ratio']:,.1f}x | "
            f"{r['peak_mb']:,.0f} | {r['parent_mb']:,.0f} + {args.workers} x {r['child_mb']:,.0f} | {r['listed']:,} |"
            for r in results
        )
        body = "\n".join(
            [
                f"### Case-finding memory and floor, {args.format.upper()} (`bench/casefind.py --sizes`)",
                "",
                f"- Machine: {large['machine']}; {args.workers} worker process(es); load average before the runs "
                f"{large['load']}",
                f"- Floor: {'`csv.reader`' if args.format == 'csv' else '`json.loads` of every line'} over the same "
                f"files; target within {FLOOR_RATIO[args.format]}x at 1,000,000",
                flat,
                "",
                "| patients | run (s) | floor (s) | run / floor | peak MB (all processes) | parent + workers MB "
                "| listed |",
                "|---|---|---|---|---|---|---|",
                rows,
                "",
                f"Run: `.venv/bin/python bench/casefind.py --sizes {args.sizes} --format {args.format} "
                f"--workers {args.workers}{' --reverse-files' if args.reverse_files else ''} --write`.",
            ]
        )
        write_section(f"casefind-{args.format}-sizes", body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "ndjson"), default="csv")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--background", action="store_true", help="through the upload's background task")
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    parser.add_argument("--sizes", help="comma-separated sizes, each run in a fresh process")
    parser.add_argument("--compare", action="store_true", help="check CSV and NDJSON give one worklist")
    parser.add_argument("--reverse-files", action="store_true", help="NDJSON files in reverse order")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one size, for --sizes
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    if args.sizes:
        sizes(args)
        return
    load = load_at_start()

    with tempfile.TemporaryDirectory(prefix="spineprompt-casefind-bench-") as tmp:
        _setup(tmp)
        from apps.casefinding.services import casefinding_run
        from core.casefinding.synth import write_population

        start = time.perf_counter()
        write_population(args.patients, Path(tmp), seed=args.seed, today=AS_OF, formats=(args.format,))
        generated = time.perf_counter() - start
        files = _files(Path(tmp), args.format, reverse=args.reverse_files)
        size_mb = sum(f.stat().st_size for f in files) / 1024 / 1024
        if not args.json:
            print(f"generated {args.patients:,} patients ({size_mb:,.0f} MB {args.format}) in {generated:.1f} s")
        floor = floor_seconds(files, args.format)

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
        f"- Machine: {where}; {args.workers} worker process(es); load average before the run {load}"
        + (
            "; through the upload's background task (database backend, its worker in-process)"
            if args.background
            else ""
        ),
        f"- Patients: {args.patients:,} ({args.format.upper()}, {size_mb:,.0f} MB; generated first, untimed); "
        f"assessed {run.patients_assessed:,}, skipped {run.rows_skipped:,}, stored on the worklist {stored:,}",
        f"- Total time: **{seconds:,.1f} s**, **{seconds / floor:,.1f}x** the floor of {floor:,.2f} s "
        f"({'csv.reader' if args.format == 'csv' else 'json.loads of every line'}; target within "
        f"{FLOOR_RATIO[args.format]}x at 1,000,000; under {TARGET_SECONDS} s for 1,000,000 CSV patients)",
        f"- Throughput: **{rate:,.0f} patients a second**",
        f"- Peak memory: **{peak:,.0f} MB** (parent {parent:,.0f} MB + {args.workers} x largest worker "
        f"{child:,.0f} MB; target under {TARGET_MB} MB)",
    ]
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "patients": args.patients,
                    "seconds": seconds,
                    "floor_seconds": floor,
                    "ratio": seconds / floor,
                    "peak_mb": peak,
                    "parent_mb": parent,
                    "child_mb": child,
                    "listed": stored,
                    "machine": where,
                    "load": load,
                    "lines": lines,
                }
            )
        )
        return
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

"""SQLite while a long case-finding import runs (issue 24): do logins and other writes still get through?

    .venv/bin/python bench/sqlite_contention.py [--patients 30000] [--no-write]

Makes a fresh SQLite file, generates a synthetic extract, starts ``manage.py casefind`` on it in another process
and, while it runs, performs what a login writes (a LoginAttempt row and an audit event) every 20 ms from this
process, timing each one. Records in docs/performance.md how long the import took, how many writes were made
during it, how many failed ("database is locked" must be 0) and their p95 and longest latency: the longest is
about the longest write transaction the import holds, since a writer waits for the other with the busy timeout.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PYTHON = REPO / ".venv" / "bin" / "python"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=30_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="spineprompt-contention-") as tmp:
        db = Path(tmp, "contention.sqlite3")
        env = {**os.environ, "SQLITE_PATH": str(db), "DJANGO_SETTINGS_MODULE": "config.settings"}
        env.pop("DATABASE_URL", None)
        os.environ.update(env)
        os.environ.pop("DATABASE_URL", None)
        subprocess.run([str(PYTHON), "manage.py", "migrate", "--verbosity", "0"], cwd=REPO, env=env, check=True)
        subprocess.run(
            [str(PYTHON), "manage.py", "synth_population", str(args.patients), "--out", tmp, "--formats", "csv"],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
        )
        import django

        django.setup()
        from django.db import OperationalError, connection

        from apps.audit.models import AuditEvent, LoginAttempt
        from apps.audit.services import audit_record
        from bench.common import load_at_start, machine, write_section

        started = time.monotonic()
        importer = subprocess.Popen(
            [
                str(PYTHON),
                "manage.py",
                "casefind",
                str(Path(tmp, "population.csv")),
                "--format",
                "csv",
                "--workers",
                "1",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        latencies: list[float] = []
        errors: list[str] = []
        while importer.poll() is None:
            t0 = time.monotonic()
            try:
                attempt = LoginAttempt.objects.create(username="contention")
                audit_record(event=AuditEvent.Event.LOGIN, actor="contention")
                attempt.delete()
                latencies.append(time.monotonic() - t0)
            except OperationalError as exc:
                errors.append(str(exc))
            time.sleep(0.02)
        took = time.monotonic() - started
        assert importer.returncode == 0, f"the import failed ({importer.returncode})"
        connection.close()
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0
    longest = ordered[-1] if ordered else 0.0
    body = "\n".join(
        [
            f"`manage.py casefind` importing a synthetic {args.patients:,}-patient CSV into a fresh SQLite file (WAL, "
            "busy timeout 20 s, IMMEDIATE transactions, patients stored 1,000 a transaction) while another process "
            "writes what a login writes (a LoginAttempt row and an audit event) every 20 ms. "
            f"Machine: {machine()}; load average at the start {load_at_start()}.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| import took | {took:.1f} s |",
            f"| login writes during it | {len(latencies) + len(errors):,} |",
            f'| failed ("database is locked") | {len(errors):,} (must be 0) |',
            f"| p95 write latency | {p95 * 1000:.0f} ms |",
            f"| longest write (about the longest transaction the import held) | {longest * 1000:.0f} ms |",
        ]
    )
    print(body)
    if not args.no_write:
        write_section(
            "sqlite-contention", "## SQLite during a long case-finding import (bench/sqlite_contention.py)\n\n" + body
        )
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

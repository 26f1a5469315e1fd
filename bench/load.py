"""Load with a database restart (issue 24): 50 clients for 60 s against gunicorn on PostgreSQL, the server restarted
in the middle. Records throughput, p95 latency, what clients got while the database was away (JSON 503s only) and
acknowledged saves lost (must be 0) in docs/performance.md.

    scripts/with-postgres .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--no-write]

Each client posts assessments to POST /api/v1/evaluate in a loop on its own keep-alive connection. An evaluation
that answers 200 has stored its audit event first, so a 200 is an acknowledged save: after the run, the audit
events in the database must number at least the 200s the clients counted. The rate limit is off for the run
(RATE_LIMIT_API=0): 50 clients on one address would otherwise be refused by design. The restart is
``pg_ctl stop -m fast`` (connections cut) at the half-way mark, down ``--outage`` seconds (2), then started again.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import load_at_start, machine, production_env, write_section  # noqa: E402

PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
BODY = json.dumps(
    {
        "input_version": 1,
        "age": 72,
        "sex": "female",
        "assessor_role": "gp",
        "back_pain": {"present": True, "onset": "sudden"},
        "glucocorticoids": {"current_or_recent": True, "prednisolone_mg_per_day": 10, "months": 5},
    }
).encode()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    return production_env(log_level="ERROR", RATE_LIMIT_API="0")


def _manage(env: dict[str, str], code: str) -> str:
    out = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def _token(env: dict[str, str]) -> str:
    return _manage(
        env,
        "from apps.accounts.models import User; from apps.api.services import api_token_create; "
        "u, _ = User.objects.get_or_create(username='load-gp', defaults={'role': 'gp'}); "
        "print(api_token_create(user=u, name='load test')[1])",
    )


def _stored(env: dict[str, str]) -> int:
    return int(
        _manage(
            env,
            "from apps.audit.models import AuditEvent; "
            "print(AuditEvent.objects.filter(event='api_evaluation', actor='load-gp').count())",
        )
    )


def _start(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=REPO,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "4"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[tuple[float, float, int, str, str]] = []  # (start, latency, status, content type, error)

    def add(self, *row) -> None:
        with self.lock:
            self.calls.append(row)


def client(port: int, token: str, until: float, results: Results) -> None:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "X-Forwarded-Proto": "https",
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        start = time.monotonic()
        try:
            conn.request("POST", "/api/v1/evaluate", body=BODY, headers=headers)
            response = conn.getresponse()
            body = response.read()
            ctype = response.getheader("Content-Type", "")
            error = ""
            if response.status != 200:
                try:
                    error = json.loads(body).get("error", "")
                except ValueError:
                    error = "(not JSON)"
                if response.status == 503 and not response.getheader("Retry-After"):
                    error += " (no Retry-After)"
            results.add(start, time.monotonic() - start, response.status, ctype, error)
        except (OSError, http.client.HTTPException) as exc:
            results.add(start, time.monotonic() - start, 0, "", exc.__class__.__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def restart_postgres(outage: float) -> tuple[float, float]:
    """Stop the server (fast: connections cut), keep it down ``outage`` seconds, start it again with the options it
    was started with (from postmaster.opts). Returns when it went down and when it accepted connections again."""
    ctl, data = os.environ["SPINEPROMPT_PG_CTL"], os.environ["SPINEPROMPT_PG_DATA"]
    prefix = shlex.split(os.environ.get("SPINEPROMPT_PG_AS", ""))
    argv = shlex.split(Path(data, "postmaster.opts").read_text())[1:]
    options = [a for i, a in enumerate(argv) if a != "-D" and (i == 0 or argv[i - 1] != "-D")]
    # The server gets a log file of its own: it must not inherit our pipes (run would wait for it to exit).
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    down = time.monotonic()
    subprocess.run([*prefix, ctl, "-D", data, "-m", "fast", "-w", "stop"], **quiet)
    time.sleep(outage)
    log = str(Path(data).parent / "restart.log")
    subprocess.run([*prefix, ctl, "-D", data, "-l", log, "-o", shlex.join(options), "-w", "start"], **quiet)
    return down, time.monotonic()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--outage", type=float, default=2.0, help="seconds the database stays down")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or "SPINEPROMPT_PG_CTL" not in os.environ:
        raise SystemExit("run under scripts/with-postgres: this test restarts the PostgreSQL server")
    env = _env()
    with tempfile.TemporaryDirectory():
        subprocess.run([str(PYTHON), "manage.py", "migrate", "--verbosity", "0"], cwd=REPO, env=env, check=True)
        token = _token(env)
        port = _free_port()
        server = _start(env, port)
        try:
            results = Results()
            began = time.monotonic()
            until = began + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, token, until, results), daemon=True)
                for _ in range(args.clients)
            ]
            for t in threads:
                t.start()
            time.sleep(args.seconds / 2)
            down, up = restart_postgres(args.outage)
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        stored = _stored(env)
        # 4 workers wrote those events at once, through a restart: the hash chain must still hold every one.
        verify = subprocess.run(
            [str(PYTHON), "manage.py", "audit_verify"], cwd=REPO, env=env, capture_output=True, text=True
        )

    calls = results.calls
    ok = [c for c in calls if c[2] == 200]
    failed = [c for c in calls if c[2] != 200]
    # "During the outage": calls that started while pg_ctl was restarting, and the few seconds after, while the
    # workers' connections were re-made.
    window = [c for c in calls if down - 1 <= c[0] <= up + 5]
    by_answer: dict[str, int] = {}
    for c in failed:
        key = f"{c[2]} {c[4]}" + ("" if c[3].startswith("application/json") or c[2] == 0 else " (not JSON)")
        by_answer[key] = by_answer.get(key, 0) + 1
    not_json_503 = sum(
        1 for c in failed if not (c[2] == 503 and c[3].startswith("application/json") and c[4] == "service unavailable")
    )
    lost = max(0, len(ok) - stored)
    seconds = args.seconds
    lines = [
        f"{args.clients} clients for {seconds:.0f} s posting POST /api/v1/evaluate (each answer 200 stores its audit "
        "event first) against gunicorn (4 workers, config/gunicorn.conf.py) with production settings, on a "
        "throwaway PostgreSQL 15 (scripts/with-postgres), stopped with `pg_ctl stop -m fast` at "
        f"{down - began:.1f} s and started again {up - down:.1f} s later. The clients run on the same machine. "
        f"Machine: {machine()}; load average at the start {load_at_start()}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| calls | {len(calls):,} |",
        f"| throughput | {len(calls) / seconds:,.0f} calls/s ({len(ok) / seconds:,.0f} answered 200) |",
        f"| p95 latency (all calls) | {percentile([c[1] for c in calls], 95) * 1000:.0f} ms |",
        f"| p95 latency (200s) | {percentile([c[1] for c in ok], 95) * 1000:.0f} ms |",
        f"| calls started while it was down (and 5 s after) | {len(window):,} |",
        f"| answers other than 200 | {len(failed):,}: "
        + (", ".join(f"{n:,} × {k}" for k, n in sorted(by_answer.items())) or "none")
        + " |",
        f"| of them not a JSON 503 `service unavailable` with Retry-After | {not_json_503:,} (must be 0) |",
        f"| acknowledged saves (200s) | {len(ok):,} |",
        f"| audit events stored for them | {stored:,} |",
        f"| acknowledged saves lost | {lost:,} (must be 0) |",
        "| audit hash chain after the run (`manage.py audit_verify`) | "
        + (verify.stdout.strip().split(";")[0] if verify.returncode == 0 else "BROKEN: " + verify.stderr.strip())
        + " |",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("load", "## Load with a database restart (bench/load.py)\n\n" + body)
    if lost or not_json_503 or verify.returncode != 0:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

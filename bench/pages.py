"""Server-side time to render the results page of a stored assessment, for each shared vignette.

Each vignette is assessed once through the real form (POST /assessments/new/), then its results page
(GET /assessments/<id>/) is requested many times through Django's full stack (middleware, session and login,
the view, its audit event, template rendering) with an in-process client, against a fresh SQLite database
and DEBUG off. Target (issue 3): p95 under 150 ms here. The floor, measured the same way in the same run: the
login page (GET /accounts/login/, anonymous: middleware, session, CSRF token, a small form template). Target (issue
28): the results page's p95 within 2.5x the login page's.

    .venv/bin/python bench/pages.py [--requests 200] [--write]

The last line printed is `results_page_p95_ms: N` (over all requests). --write records the figures in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, load_at_start, machine, pin_to_one_core, write_section  # noqa: E402

TARGET_P95_MS = 150.0
TARGET_RATIO = 2.5


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def setup_django(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_ENV"] = "development"
    os.environ["DJANGO_DEBUG"] = "false"  # templates and queries as in production, not the debug toolbar path
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"  # the in-process client's host name
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    # Not setup_test_environment(): it instruments every template render, which would inflate the figures.
    call_command("migrate", verbosity=0)


def login_page(requests: int) -> list[float]:
    """The floor: the login page, anonymous, through the same stack."""
    from django.test import Client

    client = Client()
    for _ in range(5):
        client.get("/accounts/login/")
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get("/accounts/login/")
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"the login page answered {response.status_code}")
    return samples


def measure(requests: int) -> dict[str, list[float]]:
    from django.test import Client

    from apps.accounts.models import User
    from apps.assessments.forms import initial_from_contract
    from apps.assessments.models import Assessment

    user = User.objects.create_user(username="bench-gp", password="unused-bench-password", role="gp")
    client = Client()
    client.force_login(user)
    cases = [json.loads(p.read_text()) for p in sorted((REPO / "tests" / "data" / "vignettes").glob("*.json"))]
    timings: dict[str, list[float]] = {}
    for case in cases:
        if "expect" not in case:
            continue
        answers = {k: v for k, v in initial_from_contract(case["input"]).items() if v not in (None, "", [])}
        response = client.post("/assessments/new/", answers)
        if response.status_code != 302:
            raise SystemExit(f"{case['name']}: the form did not store an assessment ({response.status_code})")
        url = response["Location"]
        assert Assessment.objects.filter(pk=url.rstrip("/").rsplit("/", 1)[-1]).exists()
        for _ in range(5):  # warm up: template loading and caches
            client.get(url)
        samples = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{case['name']}: results page answered {response.status_code}")
        timings[case["name"]] = samples
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="requests per vignette (at least 200)")
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    args = parser.parse_args()
    if args.requests < 200:
        parser.error("--requests must be at least 200")
    pinned = pin_to_one_core()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        timings = measure(args.requests)
        login = login_page(args.requests * 2)
    rows = []
    for name, samples in timings.items():
        p50, p95 = statistics.median(samples), percentile(samples, 95)
        rows.append((name, p50, p95))
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    everything = [s for samples in timings.values() for s in samples]
    p50_all, p95_all = statistics.median(everything), percentile(everything, 95)
    where = machine()
    print(f"machine: {where} ({pinned}); {len(everything)} requests")
    print(
        f"all: p50 {p50_all:.1f} ms, p95 {p95_all:.1f} ms; target p95 < {TARGET_P95_MS:g} ms: "
        f"{'met' if p95_all < TARGET_P95_MS else 'NOT MET'}"
    )
    login_p50, login_p95 = statistics.median(login), percentile(login, 95)
    ratio = p95_all / login_p95
    verdict = "met" if ratio <= TARGET_RATIO else "NOT MET"
    print(
        f"floor: login page p50 {login_p50:.1f} ms, p95 {login_p95:.1f} ms; results page p95 / login p95 = "
        f"{ratio:.2f}x; target within {TARGET_RATIO:g}x: {verdict}"
    )
    if args.write:
        load = load_at_start()
        table = "\n".join(f"| {name} | {p50:.1f} | {p95:.1f} |" for name, p50, p95 in rows)
        write_section(
            "pages",
            "## Results page (`bench/pages.py`)\n\n"
            "Server-side time for GET /assessments/<id>/ (the stored results page): Django's full stack in "
            "process (middleware, session, login check, view, audit event, template), fresh SQLite database, "
            f"DEBUG off, one core, {args.requests} requests per vignette after 5 warm-up requests.\n\n"
            f"Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {where} ({pinned}; load average before "
            f"the run {load}).\n\n"
            "| vignette | p50 (ms) | p95 (ms) |\n|---|---|---|\n"
            f"{table}\n"
            f"| **all {len(everything)} requests** | **{p50_all:.1f}** | **{p95_all:.1f}** |\n"
            f"| floor: the login page, {len(login)} requests | {login_p50:.1f} | {login_p95:.1f} |\n\n"
            f"Results page p95 / login page p95: **{ratio:.2f}x** (target within {TARGET_RATIO:g}x: {verdict}). "
            f"Target: p95 under {TARGET_P95_MS:g} ms.\n",
        )
    print(f"results_page_p95_ms: {p95_all:.1f}")


if __name__ == "__main__":
    main()

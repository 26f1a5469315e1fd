"""CDS Hooks patient-view calls against a production server: throughput and latency (issue 6).

Starts gunicorn (2 workers) with production settings (DJANGO_ENV=production, DEBUG off; TLS is the proxy's job, so
requests carry X-Forwarded-Proto: https as a proxy would send), a fresh migrated SQLite database in a temporary
folder (or DATABASE_URL if set), and a CDS Client JWKS generated for this run. A load generator then posts
patient-view calls, each with a 200-resource prefetch (a synthetic patient with height and weight series, many
observations and medicines, conditions and radiology reports) and a freshly signed ES384 JWT (unique jti), for
--seconds (default 60). Every answer must be 200 with cards; anything else counts as an error.

    .venv/bin/python bench/cdshooks.py [--seconds 60] [--concurrency 2] [--write]

The floor, measured first in the same run under the same gunicorn settings: a hello-world Django view
(bench/hello.py) given the same requests (body, headers, a signed JWT it does not check). Targets: p95 under 100 ms
with no errors, and (issue 28) p95 within 3x the hello-world view's. The last line printed is
`cdshooks_p95_ms: N`. --write records the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, load_at_start, machine, production_env, write_section  # noqa: E402

TARGET_P95_MS = 100.0
TARGET_RATIO = 3.0
SERVICE = "spineprompt-patient-view"
PATH = f"/cds-services/{SERVICE}"
BASE_URL = "https://spineprompt.bench.invalid"
ISS = "https://ehr.bench.invalid"
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _coding(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def synthetic_prefetch(patient_id: str = "bench-patient") -> dict:
    """200 resources about one synthetic woman of 78: 1 Patient, 12 Conditions, 150 Observations, 24
    MedicationRequests, 9 MedicationStatements and 4 DiagnosticReports. Codes only where the mapping has them in its
    value sets (docs/fhir-mapping.md); everything else is text, as much of a real record is."""
    subject = {"reference": f"Patient/{patient_id}"}
    today = dt.datetime.now(dt.UTC).date()

    def day(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    def searchset(resources: list[dict]) -> dict:
        return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}

    conditions = [
        {
            "resourceType": "Condition",
            "id": "c-vf",
            "subject": subject,
            "clinicalStatus": _coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
            "code": _coding("http://snomed.info/sct", "240198002", "Osteoporotic vertebral collapse"),
            "onsetDateTime": day(150),
        }
    ] + [
        {
            "resourceType": "Condition",
            "id": f"c-{i}",
            "subject": subject,
            "code": {"text": text},
            "onsetDateTime": day(900 + 40 * i),
        }
        for i, text in enumerate(
            [
                "Hypertension",
                "Asthma",
                "Osteoarthritis of knee",
                "Hypothyroidism",
                "Cataract",
                "Gout",
                "Atrial fibrillation",
                "Depression",
                "Psoriasis",
                "Hiatus hernia",
                "Anaemia",
            ]
        )
    ]
    observations = []
    for i in range(40):  # height series, slowly falling
        observations.append(
            {
                "resourceType": "Observation",
                "id": f"h-{i}",
                "status": "final",
                "subject": subject,
                "code": _coding("http://loinc.org", "8302-2", "Body height"),
                "effectiveDateTime": day(4000 - 95 * i),
                "valueQuantity": {
                    "value": round(164 - i * 0.12, 1),
                    "unit": "cm",
                    "system": "http://unitsofmeasure.org",
                    "code": "cm",
                },
            }
        )
    for i in range(40):
        observations.append(
            {
                "resourceType": "Observation",
                "id": f"w-{i}",
                "status": "final",
                "subject": subject,
                "code": _coding("http://loinc.org", "29463-7", "Body weight"),
                "effectiveDateTime": day(4000 - 95 * i),
                "valueQuantity": {
                    "value": 61 + (i % 5),
                    "unit": "kg",
                    "system": "http://unitsofmeasure.org",
                    "code": "kg",
                },
            }
        )
    for i in range(70):  # other results the mapping does not use (text only)
        observations.append(
            {
                "resourceType": "Observation",
                "id": f"o-{i}",
                "status": "final",
                "subject": subject,
                "code": {
                    "text": ["Systolic blood pressure", "Pulse rate", "Haemoglobin", "Sodium", "Cholesterol"][i % 5]
                },
                "effectiveDateTime": day(30 * i),
                "valueQuantity": {"value": 100 + i, "unit": "1"},
            }
        )
    meds = []
    for i in range(24):
        text = [
            "Amlodipine 5mg tablets",
            "Levothyroxine 50microgram tablets",
            "Salbutamol inhaler",
            "Omeprazole 20mg capsules",
            "Apixaban 5mg tablets",
            "Sertraline 50mg tablets",
        ][i % 6]
        meds.append(
            {
                "resourceType": "MedicationRequest",
                "id": f"mr-{i}",
                "status": "completed" if i > 5 else "active",
                "intent": "order",
                "subject": subject,
                "medicationCodeableConcept": {"text": text},
                "authoredOn": day(60 * i),
                "dosageInstruction": [{"text": "one daily", "route": {"text": "oral"}}],
            }
        )
    statements = [
        {
            "resourceType": "MedicationStatement",
            "id": f"ms-{i}",
            "status": "completed",
            "subject": subject,
            "medicationCodeableConcept": {
                "text": ["Paracetamol 500mg tablets", "Ibuprofen gel", "Codeine 30mg tablets"][i % 3]
            },
            "effectivePeriod": {"start": day(400 + 30 * i), "end": day(300 + 30 * i)},
        }
        for i in range(9)
    ]
    reports = [
        {
            "resourceType": "DiagnosticReport",
            "id": f"dr-{i}",
            "status": "final",
            "subject": subject,
            "code": {"text": text},
            "effectiveDateTime": day(d),
            "conclusion": conclusion,
        }
        for i, (text, d, conclusion) in enumerate(
            [
                ("Chest X-ray", 1200, "Heart size normal. Lungs clear."),
                ("Knee X-ray", 800, "Moderate medial compartment osteoarthritis."),
                ("Abdominal ultrasound", 500, "Normal liver and gallbladder."),
                (
                    "Lateral thoracic spine X-ray",
                    150,
                    "Anterior wedging of T8 with 30% loss of anterior height. No other abnormality.",
                ),
            ]
        )
    ]
    prefetch = {
        "patient": {"resourceType": "Patient", "id": patient_id, "gender": "female", "birthDate": day(78 * 365 + 100)},
        "conditions": searchset(conditions),
        "observations": searchset(observations),
        "medicationRequests": searchset(meds),
        "medicationStatements": searchset(statements),
        "diagnosticReports": searchset(reports),
    }
    count = 1 + sum(len(v["entry"]) for k, v in prefetch.items() if k != "patient")
    assert count == 200, count
    return prefetch


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, jwks: dict, wsgi: str = "config.wsgi:application") -> tuple[subprocess.Popen, int, dict]:
    issuers = tmp / "issuers.json"
    issuers.write_text(json.dumps({"issuers": [{"iss": ISS, "jwks": jwks}]}))
    env = production_env(
        hosts="127.0.0.1,spineprompt.bench.invalid",
        CDS_HOOKS_ISSUERS_FILE=str(issuers),
        CDS_HOOKS_BASE_URL=BASE_URL,
        # The load generator is one address calling far faster than a GP system would: the service is measured,
        # not the rate limiter (which would answer 429 after 600 calls a minute per worker).
        RATE_LIMIT_CDS_HOOKS="0",
    )
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--verbosity", "0"], cwd=REPO, env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [
            str(GUNICORN),
            wsgi,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/cds-services", headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return server, port, env
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


def load(
    port: int, seconds: float, concurrency: int, key, path: str = PATH, cards: bool = True
) -> tuple[list[float], list[str]]:
    import jwt

    body_template = {
        "hook": "patient-view",
        "context": {"userId": "Practitioner/bench", "patientId": "bench-patient"},
        "prefetch": synthetic_prefetch(),
    }
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], []
        while time.monotonic() < stop:
            now = int(time.time())
            token = jwt.encode(
                {"iss": ISS, "aud": BASE_URL + PATH, "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())},
                key,
                algorithm="ES384",
                headers={"kid": "bench-1"},
            )
            body = json.dumps({**body_template, "hookInstance": str(uuid.uuid4())})
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "X-Forwarded-Proto": "https",
                "Host": "spineprompt.bench.invalid",
            }
            start = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                elapsed = (time.perf_counter() - start) * 1000
                if response.status != 200:
                    bad.append(f"HTTP {response.status}")
                elif cards:
                    answer = json.loads(data)["cards"]
                    if not answer or answer[0]["summary"].startswith("SpinePrompt decision support is unavailable"):
                        bad.append("no cards or the unavailable card")
                mine.append(elapsed)
            except (OSError, http.client.HTTPException) as exc:
                bad.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to drive calls (default 60)")
    parser.add_argument(
        "--concurrency", type=int, default=2, help="simultaneous client connections (default 2, one per worker)"
    )
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    args = parser.parse_args()
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP384R1())
    public = {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key())), "kid": "bench-1", "alg": "ES384"}
    from bench.hello import PATH as HELLO

    load_before = load_at_start()
    with tempfile.TemporaryDirectory() as tmp:
        server, port, _env = start_server(Path(tmp), {"keys": [public]}, wsgi="bench.hello:application")
        try:
            load(port, min(3.0, args.seconds), args.concurrency, key, path=HELLO, cards=False)
            floor, floor_errors = load(port, args.seconds, args.concurrency, key, path=HELLO, cards=False)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if not floor or floor_errors:
        raise SystemExit(f"the hello-world floor did not answer cleanly: {sorted(set(floor_errors))[:3]}")
    floor_p50, floor_p95 = statistics.median(floor), percentile(floor, 95)
    with tempfile.TemporaryDirectory() as tmp:
        server, port, _env = start_server(Path(tmp), {"keys": [public]})
        try:
            load(port, min(3.0, args.seconds), args.concurrency, key)  # warm up both workers
            began = time.perf_counter()
            latencies, errors = load(port, args.seconds, args.concurrency, key)
            wall = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=30)
    if not latencies:
        raise SystemExit("no calls completed")
    p50, p95, p99 = statistics.median(latencies), percentile(latencies, 95), percentile(latencies, 99)
    throughput = len(latencies) / wall
    where = machine()
    db = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "a fresh SQLite file"
    print(f"machine: {where}; {len(latencies)} calls in {wall:.1f} s, concurrency {args.concurrency}, database {db}")
    print(
        f"throughput {throughput:.1f} calls/s; p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms; "
        f"errors {len(errors)}"
    )
    if errors:
        print("errors seen: " + ", ".join(sorted(set(errors))))
    met = p95 < TARGET_P95_MS and not errors
    print(f"target p95 < {TARGET_P95_MS:g} ms with no errors: {'met' if met else 'NOT MET'}")
    ratio = p95 / floor_p95
    ratio_met = ratio <= TARGET_RATIO
    print(
        f"floor: hello-world Django view p50 {floor_p50:.1f} ms, p95 {floor_p95:.1f} ms ({len(floor)} calls); "
        f"patient-view p95 / floor p95 = {ratio:.2f}x; target within {TARGET_RATIO:g}x: "
        f"{'met' if ratio_met else 'NOT MET'}"
    )
    if args.write:
        write_section(
            "cdshooks",
            "## CDS Hooks patient-view (`bench/cdshooks.py`)\n\n"
            "Client-side latency of POST /cds-services/spineprompt-patient-view against gunicorn (2 workers) with "
            f"production settings (DEBUG off) and {db}, each call with a 200-resource prefetch (one synthetic patient: "
            "conditions, height and weight series, other observations, medicines, radiology reports) and a freshly "
            f"signed ES384 JWT (unique jti); {args.concurrency} keep-alive connections for {args.seconds:g} s after a "
            "3 s warm-up. The load generator runs on the same machine. Every call maps the prefetch, evaluates, "
            "builds the cards and stores the issued cards, the prefilled draft, the jti and the audit event.\n\n"
            f"Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {where}; load average before the run "
            f"{load_before}. The floor is a hello-world Django view (bench/hello.py: the same settings, middleware "
            "and gunicorn workers, reading the same body) driven the same way just before.\n\n"
            "| | calls | throughput (calls/s) | p50 (ms) | p95 (ms) | p99 (ms) | errors |\n"
            "|---|---|---|---|---|---|---|\n"
            f"| patient-view | {len(latencies)} | {throughput:.1f} | {p50:.1f} | {p95:.1f} | {p99:.1f} | "
            f"{len(errors)} |\n"
            f"| floor: hello-world view | {len(floor)} | {len(floor) / args.seconds:.1f} | {floor_p50:.1f} | "
            f"{floor_p95:.1f} | {percentile(floor, 99):.1f} | 0 |\n\n"
            f"patient-view p95 / floor p95: **{ratio:.2f}x** (target within {TARGET_RATIO:g}x: "
            f"{'met' if ratio_met else 'not met'}). "
            f"Target: p95 under {TARGET_P95_MS:g} ms and no errors: {'met' if met else 'not met'}.\n",
        )
    print(f"cdshooks_p95_ms: {p95:.1f}")


if __name__ == "__main__":
    main()

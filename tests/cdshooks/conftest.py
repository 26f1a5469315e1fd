"""Keys, signed tokens and synthetic prefetch for the CDS Hooks tests. Keys are generated here, per test session:
no private key is ever committed."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ISS = "https://ehr.example.test"
SITE = "http://testserver"
PATIENT_VIEW = "spineprompt-patient-view"
ORDER_SELECT = "spineprompt-order-select"


@pytest.fixture(scope="session")
def ec_key():
    return ec.generate_private_key(ec.SECP384R1())


@pytest.fixture(scope="session")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(private_key, kid: str, alg: str) -> dict[str, Any]:
    algo = jwt.algorithms.ECAlgorithm if alg.startswith("ES") else jwt.algorithms.RSAAlgorithm
    return {**json.loads(algo.to_jwk(private_key.public_key())), "kid": kid, "alg": alg, "use": "sig"}


@pytest.fixture(autouse=True)
def issuers(settings, ec_key, rsa_key):
    settings.CDS_HOOKS_ISSUERS = json.dumps(
        {
            "issuers": [
                {
                    "iss": ISS,
                    "jwks": {"keys": [public_jwk(ec_key, "ec-1", "ES384"), public_jwk(rsa_key, "rsa-1", "RS384")]},
                    "jku": ["https://ehr.example.test/.well-known/jwks.json"],
                }
            ]
        }
    )
    settings.CDS_HOOKS_ISSUERS_FILE = ""
    settings.CDS_HOOKS_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]


@pytest.fixture
def sign(ec_key) -> Callable[..., str]:
    """A token for ``path`` (aud = http://testserver + path), ES384 with the configured key unless overridden."""

    def _sign(path: str, *, key=None, alg="ES384", kid="ec-1", headers=None, **claims) -> str:
        now = int(time.time())
        payload = {"iss": ISS, "aud": SITE + path, "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, key or ec_key, algorithm=alg, headers={"kid": kid, **(headers or {})})

    return _sign


@pytest.fixture
def post(client, sign) -> Callable[..., Any]:
    """POST JSON to a CDS endpoint with a fresh valid token (or the given one; token="" sends none)."""

    def _post(path: str, body: Any, *, token: str | None = None, raw: bytes | None = None):
        headers = {}
        token = sign(path) if token is None else token
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        data = raw if raw is not None else json.dumps(body)
        return client.post(path, data=data, content_type="application/json", **headers)

    return _post


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def patient_prefetch(patient_id: str = "p1", *, fracture: bool = True, **overrides: Any) -> dict[str, Any]:
    """A synthetic woman of 76 with a coded osteoporotic vertebral collapse 5 months ago and nothing else."""
    subject = {"reference": f"Patient/{patient_id}"}
    conditions = []
    if fracture:
        conditions.append(
            {
                "resourceType": "Condition",
                "id": "c1",
                "subject": subject,
                "clinicalStatus": {
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
                },
                "code": {
                    "coding": [
                        {
                            "system": "http://snomed.info/sct",
                            "code": "240198002",
                            "display": "Osteoporotic vertebral collapse",
                        }
                    ]
                },
                "onsetDateTime": "2026-06-01",
            }
        )
    prefetch = {
        "patient": {"resourceType": "Patient", "id": patient_id, "gender": "female", "birthDate": "1950-01-01"},
        "conditions": searchset(*conditions),
        "observations": None,
        "medicationRequests": None,
        "medicationStatements": None,
        "diagnosticReports": None,
    }
    prefetch.update(overrides)
    return prefetch


def hook_body(hook: str = "patient-view", *, patient_id: str = "p1", prefetch: Any = None, **extra: Any) -> dict:
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/u1", "patientId": patient_id},
        "prefetch": patient_prefetch(patient_id) if prefetch is None else prefetch,
    }
    body.update(extra)
    return body


# --- a FHIR server for the prefetch the service fetches itself -----------------------------------------------


class _Fhir(BaseHTTPRequestHandler):
    """A FHIR server for one test: answers from ``routes`` (path -> (status, body)); records the requests."""

    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).seen.append((self.path, self.headers.get("Authorization")))
        status, body = self.routes.get(self.path.split("?")[0], (404, {"resourceType": "OperationOutcome"}))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _register_fhir_server(settings, *bases: str) -> None:
    """Configure ``bases`` as the FHIR servers the test issuer may send (its ``fhir_servers``)."""
    config = json.loads(settings.CDS_HOOKS_ISSUERS)
    for issuer in config["issuers"]:
        issuer["fhir_servers"] = list(bases)
    settings.CDS_HOOKS_ISSUERS = json.dumps(config)


@pytest.fixture
def fhir_server(settings):
    settings.CDS_HOOKS_ALLOW_HTTP_FHIR = True
    settings.CDS_HOOKS_FHIR_TIMEOUT_SECONDS = 2
    _Fhir.routes, _Fhir.seen = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Fhir)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    _register_fhir_server(settings, base)
    yield base, _Fhir
    server.shutdown()
    server.server_close()


AUTH = {
    "access_token": "fhir-token",
    "token_type": "Bearer",
    "expires_in": 300,
    "scope": "patient/*.read",
    "subject": "sp",
}

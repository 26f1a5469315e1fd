"""A small simulated EHR for SMART App Launch tests: an authorisation server and a FHIR server on one local port.

- ``GET /fhir/.well-known/smart-configuration``: the endpoints, S256 PKCE, the JWKS.
- ``GET /auth/authorize``: checks the request as an EHR would (client id, redirect URI, the launch it issued, the
  audience, an S256 code challenge, the scopes) and, the user being already signed in to the EHR, redirects
  straight back with a one-time code and the state.
- ``POST /auth/token``: checks the code, the redirect URI and the PKCE verifier against the challenge (and the client
  secret for a confidential client), and answers with an access token, the patient, an RS256 id_token naming the
  ``fhirUser``, and the launch's ``appContext``.
- ``GET /fhir/<Type>...``: the patient's resources, only with that access token.
- ``GET /ehr?frame=<url>``: the GP system's own page, framing ``url`` (the browser test of framing).

Each behaviour a test wants to break is a field of :class:`Ehr` (``fhir_user``, ``pkce``, ``sign_with`` ...).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _searchset(*resources: dict) -> dict:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


@dataclass
class Ehr:
    base: str = ""
    client_id: str = "spineprompt"
    client_secret: str = ""
    fhir_user: str = "Practitioner/gp-1"
    patient_id: str = "p1"
    resources: dict[str, Any] = field(default_factory=dict)  # FHIR type -> a resource (Patient) or a searchset
    app_context: str | None = None
    pkce: bool = True  # advertise S256 in the SMART configuration
    sign_with: Any = None  # a private key other than the published one (a forged id_token)
    launches: set[str] = field(default_factory=set)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    seen: list[str] = field(default_factory=list)  # request paths, in order

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def fhir(self) -> str:
        return f"{self.base}/fhir"

    def new_launch(self) -> str:
        token = secrets.token_urlsafe(8)
        self.launches.add(token)
        return token

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "ehr-1", "alg": "RS256", "use": "sig"}]}

    def id_token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.base + "/auth", "sub": "u-1", "aud": self.client_id, "iat": now, "exp": now + 300}
        if self.fhir_user:
            claims["fhirUser"] = f"{self.fhir}/{self.fhir_user}"
        return jwt.encode(claims, self.sign_with or self.key, algorithm="RS256", headers={"kid": "ehr-1"})


class _Handler(BaseHTTPRequestHandler):
    ehr: Ehr

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        ehr = self.ehr
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        ehr.seen.append(url.path)
        if url.path == "/fhir/.well-known/smart-configuration":
            conf = {
                "issuer": ehr.base + "/auth",
                "authorization_endpoint": ehr.base + "/auth/authorize",
                "token_endpoint": ehr.base + "/auth/token",
                "jwks_uri": ehr.base + "/auth/jwks",
                "capabilities": [
                    "launch-ehr",
                    "client-public",
                    "client-confidential-symmetric",
                    "sso-openid-connect",
                    "context-ehr-patient",
                    "permission-v2",
                ],
                "code_challenge_methods_supported": ["S256"] if ehr.pkce else [],
            }
            return self._send(200, conf)
        if url.path == "/auth/jwks":
            return self._send(200, ehr.jwks())
        if url.path == "/auth/authorize":
            return self._authorize(query)
        if url.path == "/ehr":  # the GP system's own page, showing the app it launches in a frame
            return self._page(query.get("frame", ""))
        if url.path.startswith("/fhir/"):
            if self.headers.get("Authorization", "").removeprefix("Bearer ") not in ehr.tokens:
                return self._send(401, {"resourceType": "OperationOutcome"})
            kind = url.path.removeprefix("/fhir/").split("/")[0]
            if url.path == f"/fhir/Patient/{ehr.patient_id}":
                return self._send(200, ehr.resources["Patient"])
            if kind != "Patient" and query.get("patient") == ehr.patient_id:
                return self._send(200, ehr.resources.get(kind) or _searchset())
            return self._send(404, {"resourceType": "OperationOutcome"})
        return self._send(404)

    def _page(self, frame: str) -> None:
        src = frame.replace("&", "&amp;").replace('"', "&quot;")
        body = (
            '<!doctype html><html lang="en"><head><title>GP system</title></head><body><h1>GP system</h1>'
            f'<iframe title="SpinePrompt" src="{src}" width="1200" height="800"></iframe></body></html>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorize(self, q: dict[str, str]) -> None:
        ehr = self.ehr
        ok = (
            q.get("response_type") == "code"
            and q.get("client_id") == ehr.client_id
            and q.get("launch") in ehr.launches
            and q.get("aud") == ehr.fhir
            and q.get("code_challenge_method") == "S256"
            and q.get("code_challenge")
            and "launch" in q.get("scope", "").split()
            and "openid" in q.get("scope", "").split()
            and "fhirUser" in q.get("scope", "").split()
        )
        if not ok:
            return self._send(400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(12)
        ehr.codes[code] = {"challenge": q["code_challenge"], "redirect_uri": q["redirect_uri"]}
        ehr.launches.discard(q["launch"])  # a launch is used once
        back = q["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": q.get("state", "")})
        return self._send(302, headers={"Location": back})

    def do_POST(self) -> None:  # noqa: N802
        ehr = self.ehr
        ehr.seen.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path != "/auth/token" or form.get("grant_type") != "authorization_code":
            return self._send(400, {"error": "unsupported_grant_type"})
        grant = ehr.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        secret_ok = (
            not ehr.client_secret
            or self.headers.get("Authorization")
            == "Basic " + base64.b64encode(f"{ehr.client_id}:{ehr.client_secret}".encode()).decode()
        )
        if grant is None or grant["challenge"] != challenge or grant["redirect_uri"] != form.get("redirect_uri"):
            return self._send(400, {"error": "invalid_grant"})
        if not secret_ok:
            return self._send(401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(16)
        ehr.tokens.add(token)
        answer = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "launch openid fhirUser patient/*.rs",
            "patient": ehr.patient_id,
            "id_token": ehr.id_token(),
        }
        if ehr.app_context is not None:
            answer["appContext"] = ehr.app_context
        return self._send(200, answer)


def start(ehr: Ehr) -> tuple[ThreadingHTTPServer, threading.Thread]:
    handler = type("Handler", (_Handler,), {"ehr": ehr})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ehr.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread

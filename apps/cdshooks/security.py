"""Trusting CDS Clients: the signed JWT on every service and feedback call (CDS Hooks 2.0, "Trusting CDS Clients",
https://cds-hooks.hl7.org/2.0/#trusting-cds-clients).

- Issuers and their public keys come from configuration only (CDS_HOOKS_ISSUERS or CDS_HOOKS_ISSUERS_FILE). Keys
  are never fetched: a ``jku`` header is accepted only when it is on that issuer's allowlist, and even then the
  configured keys are used.
- Only asymmetric algorithms: ES384 and RS384 (the spec's recommendation) plus ES256, which the public CDS Hooks
  sandbox signs with. ``none`` and every HMAC algorithm are refused (the spec forbids both), and the key type must
  match the algorithm.
- ``aud`` must be the endpoint's own URL, as a string or in an array of strings (CDS Hooks 2.0.1), ``exp``,
  ``iat`` and ``jti`` are required, the lifetime is bounded, and a ``jti`` is accepted once per issuer until it
  expires (stored in the database, so every worker shares it).

Every failure is the same ``InvalidClientToken`` and the view answers 401 without detail; the exception's message is a
short fixed reason ("unknown issuer", "replayed jti") for the audit record. Tokens are never logged or stored.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.web import housekeeping
from apps.web.issuers import load_issuers

from .models import SeenToken

logger = logging.getLogger(__name__)

# alg -> the key type it needs. RS384 and ES384 are RECOMMENDED by CDS Hooks 2.0; ES256 is what the public sandbox
# (cds-hooks/sandbox) used to sign with. Nothing symmetric, nothing unsigned.
ALLOWED_ALGORITHMS = {"ES384": "EC", "RS384": "RSA", "ES256": "EC"}


class InvalidClientToken(Exception):
    """The call is not from a trusted CDS Client. Deliberately without detail: the response says only 401."""


@dataclass(frozen=True)
class Issuer:
    iss: str
    keys: dict[str, tuple[Any, str | None]]  # kid -> (PyJWK, the JWK's own "alg" if it names one)
    jku: frozenset[str]
    # The FHIR servers this client may send as fhirServer (base URLs, without a trailing "/"). SpinePrompt fetches
    # a missing prefetch only from one of them: the URL comes from the call, and fetching any URL a caller names
    # would let it make this server send requests (with a bearer token) anywhere, the internal network included.
    fhir_servers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Client:
    """A verified caller: its issuer, and the token's tenant if it sent one."""

    iss: str
    tenant: str
    fhir_servers: frozenset[str] = frozenset()


@lru_cache(maxsize=8)
def _issuers(raw: str, file_path: str) -> dict[str, Issuer]:
    """Parse and check the configuration once per value (settings do not change while a process runs)."""
    out: dict[str, Issuer] = {}
    for i, entry in enumerate(load_issuers(raw, file_path, "CDS_HOOKS_ISSUERS")):
        where = f"CDS_HOOKS_ISSUERS issuers[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("iss"), str) or not entry["iss"]:
            raise ImproperlyConfigured(f"{where}.iss must be the issuer's URI.")
        jwks = entry.get("jwks")
        if isinstance(jwks, str):  # a path to a JWKS file
            try:
                jwks = json.loads(Path(jwks).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                raise ImproperlyConfigured(f"{where}.jwks file cannot be read as JSON.") from None
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
            raise ImproperlyConfigured(f'{where}.jwks must be a JWK Set {{"keys": [...]}} or a path to one.')
        keys: dict[str, Any] = {}
        for j, jwk in enumerate(jwks["keys"]):
            if not isinstance(jwk, dict) or not jwk.get("kid"):
                raise ImproperlyConfigured(f"{where}.jwks.keys[{j}] needs a kid.")
            if "d" in jwk:
                raise ImproperlyConfigured(f"{where}.jwks.keys[{j}] is a private key: configure the public key only.")
            if jwk.get("kty") not in ("EC", "RSA"):
                raise ImproperlyConfigured(f"{where}.jwks.keys[{j}] must be an EC or RSA public key.")
            try:
                keys[jwk["kid"]] = (jwt.PyJWK(jwk), jwk.get("alg"))
            except jwt.PyJWTError:
                raise ImproperlyConfigured(f"{where}.jwks.keys[{j}] is not a usable public key.") from None
        jku = entry.get("jku", [])
        if isinstance(jku, str):
            jku = [jku]
        servers = entry.get("fhir_servers", [])
        if isinstance(servers, str):
            servers = [servers]
        if not isinstance(servers, list) or not all(isinstance(u, str) and u.strip() for u in servers):
            raise ImproperlyConfigured(f"{where}.fhir_servers must be a list of FHIR base URLs.")
        out[entry["iss"]] = Issuer(
            iss=entry["iss"],
            keys=keys,
            jku=frozenset(jku),
            fhir_servers=frozenset(fhir_base(u) for u in servers),
        )
    return out


def fhir_base(url: str) -> str:
    """A FHIR base URL as compared with the allowlist: without surrounding space or a trailing "/"."""
    return url.strip().rstrip("/")


def configured_issuers() -> dict[str, Issuer]:
    return _issuers(settings.CDS_HOOKS_ISSUERS, settings.CDS_HOOKS_ISSUERS_FILE)


# The largest token accepted: a CDS Hooks JWT is a few hundred bytes; 8 KB leaves room for long issuer and tenant
# URLs. The server in front (gunicorn's limit_request_field_size, a proxy's header buffers) must accept header
# fields of at least MAX_HEADER_FIELD_BYTES so that any oversized token reaches the app and gets its 401 (see
# config/gunicorn.conf.py and docs/security.md).
MAX_TOKEN_BYTES = 8192
MAX_HEADER_FIELD_BYTES = 16384


def bearer_token(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > MAX_TOKEN_BYTES:
        raise InvalidClientToken("not a bearer token of a usable size")
    return token.strip()


def _number(value: object) -> bool:
    """A JSON number: int or float, not bool (True is an int in Python), not a numeric string."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _checked_header(token: str) -> tuple[str, str, str | None]:
    """(alg, kid, jku) from the unverified header, each checked to be a string before anything uses it: a list or
    an object there must be a 401, not a TypeError in a set lookup."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidClientToken("malformed token") from None
    if not isinstance(header, dict):
        raise InvalidClientToken("malformed token")
    alg, kid, jku = header.get("alg"), header.get("kid"), header.get("jku")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        raise InvalidClientToken("algorithm not allowed")
    if not isinstance(kid, str) or not kid:
        raise InvalidClientToken("no key id")
    if "jku" in header and not isinstance(jku, str):
        raise InvalidClientToken("jku not allowed")
    return alg, kid, jku if "jku" in header else None


def unverified_claims(authorization: str) -> dict[str, Any]:
    """The claims a refused token makes, for the audit record only (never trusted): {} when it has none."""
    try:
        claims = jwt.decode(bearer_token(authorization), options={"verify_signature": False})
    except (InvalidClientToken, jwt.PyJWTError):
        return {}
    return claims if isinstance(claims, dict) else {}


def client_verify(*, authorization: str, audience: str) -> Client:
    """Verify the Authorization header of a call to ``audience`` (the endpoint's absolute URL) and record its jti.

    Raises InvalidClientToken for anything short of a fresh token signed by a configured issuer's key; its message
    is the reason, for the audit record (never the token)."""
    token = bearer_token(authorization)
    alg, kid, jku = _checked_header(token)
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise InvalidClientToken("malformed token") from None
    iss = claims.get("iss") if isinstance(claims, dict) else None
    issuer = configured_issuers().get(iss) if isinstance(iss, str) else None
    if issuer is None:
        raise InvalidClientToken("unknown issuer")
    if jku is not None and jku not in issuer.jku:
        raise InvalidClientToken("jku not allowed")
    entry = issuer.keys.get(kid)
    if entry is None:
        raise InvalidClientToken("unknown key")
    key, key_alg = entry
    # The key must suit the algorithm: its type, an EC key's curve (PyJWK names ES256/ES384 from it), and the
    # JWK's own "alg" when it states one.
    if key.key_type != ALLOWED_ALGORITHMS[alg] or key_alg not in (alg, None):
        raise InvalidClientToken("key does not suit the algorithm")
    if key.key_type == "EC" and key.algorithm_name != alg:
        raise InvalidClientToken("key does not suit the algorithm")
    # Claims are type-checked before PyJWT compares them: it would read a numeric string exp as a number.
    for name in ("exp", "iat"):
        if name in claims and not _number(claims[name]):
            raise InvalidClientToken(f"{name} is not a number")
    leeway = settings.CDS_HOOKS_JWT_LEEWAY_SECONDS
    try:
        verified = jwt.decode(
            token,
            key=key.key,
            algorithms=[alg],
            audience=audience,
            issuer=issuer.iss,
            leeway=leeway,
            # aud: a string equal to this endpoint's URL, or an array of strings naming it (CDS Hooks 2.0.1 allows
            # both; PyJWT refuses an array holding anything but strings). A token naming another service too cannot
            # be used twice here: its jti is accepted once per issuer across every endpoint (_remember_jti).
            options={"require": ["iss", "aud", "exp", "iat", "jti"], "verify_iat": True},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidClientToken("expired") from None
    except jwt.InvalidSignatureError:
        raise InvalidClientToken("bad signature") from None
    except jwt.InvalidAudienceError:
        raise InvalidClientToken("wrong audience") from None
    except jwt.PyJWTError:
        raise InvalidClientToken("claims not valid") from None
    now = timezone.now().timestamp()
    iat, exp, jti = verified["iat"], verified["exp"], verified["jti"]
    if not _number(iat) or not _number(exp):
        raise InvalidClientToken("claims not valid")
    if not isinstance(jti, str) or not jti or len(jti) > 255:
        raise InvalidClientToken("no usable jti")
    if iat > now + leeway or exp - iat > settings.CDS_HOOKS_JWT_MAX_LIFETIME_SECONDS:
        raise InvalidClientToken("lifetime not allowed")
    _remember_jti(issuer=issuer.iss, jti=jti, exp=exp + leeway)
    tenant = verified.get("tenant")
    return Client(iss=issuer.iss, tenant=tenant if isinstance(tenant, str) else "", fhir_servers=issuer.fhir_servers)


def _remember_jti(*, issuer: str, jti: str, exp: float) -> None:
    """Accept a jti once per issuer: the unique constraint makes this atomic across workers."""
    now = timezone.now()
    try:
        with transaction.atomic():
            SeenToken.objects.create(issuer=issuer, jti=jti, expires_at=datetime.fromtimestamp(exp, tz=UTC))
    except IntegrityError:
        raise InvalidClientToken("replayed jti") from None
    # Forget tokens that can no longer be replayed (they would fail exp anyway): housekeeping, once a minute.
    if housekeeping.due("cdshooks.seen_tokens"):
        SeenToken.objects.filter(expires_at__lt=now - timedelta(seconds=1)).delete()

"""The EHRs that may launch SpinePrompt (SMART_ISSUERS or SMART_ISSUERS_FILE), read and checked once per value.

JSON ``{"issuers": [{"iss": <the EHR's FHIR base URL>, "client_id": ..., "client_secret": <optional: a
confidential client>, "frame_origins": [<origins allowed to frame SpinePrompt>], "cds_issuer": <optional: the
CDS Hooks JWT issuer of the same EHR, whose card links then become SMART links>}]}``. Only an ``iss`` listed here is
ever contacted: the launch URL's ``iss`` comes from the browser, and fetching any URL it names would let anyone make
this server send requests anywhere.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.web.issuers import load_issuers


@dataclass(frozen=True)
class SmartIssuer:
    iss: str  # the FHIR base URL, without a trailing "/"
    client_id: str
    client_secret: str = ""
    frame_origins: tuple[str, ...] = ()
    cds_issuer: str = ""


def _origin(value: Any, where: str) -> str:
    parts = urllib.parse.urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc or parts.path not in ("", "/"):
        raise ImproperlyConfigured(f"{where} must be an origin such as https://ehr.example.org (no path).")
    if parts.scheme == "http" and settings.IS_PRODUCTION:
        raise ImproperlyConfigured(f"{where} must be https when DJANGO_ENV=production.")
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=8)
def _issuers(raw: str, file_path: str) -> dict[str, SmartIssuer]:
    entries = load_issuers(raw, file_path, "SMART_ISSUERS")
    out: dict[str, SmartIssuer] = {}
    for i, entry in enumerate(entries):
        where = f"SMART_ISSUERS issuers[{i}]"
        if not isinstance(entry, dict):
            raise ImproperlyConfigured(f"{where} must be an object.")
        iss, client_id = entry.get("iss"), entry.get("client_id")
        if not isinstance(iss, str) or urllib.parse.urlsplit(iss).scheme not in ("https", "http"):
            raise ImproperlyConfigured(f"{where}.iss must be the EHR's FHIR base URL.")
        if not isinstance(client_id, str) or not client_id:
            raise ImproperlyConfigured(f"{where}.client_id must be the client id the EHR registered.")
        origins = entry.get("frame_origins", [])
        if not isinstance(origins, list):
            raise ImproperlyConfigured(f"{where}.frame_origins must be a list of origins.")
        secret, cds = entry.get("client_secret", ""), entry.get("cds_issuer", "")
        if not isinstance(secret, str) or not isinstance(cds, str):
            raise ImproperlyConfigured(f"{where}.client_secret and cds_issuer must be strings.")
        base = iss.strip().rstrip("/")
        out[base] = SmartIssuer(
            iss=base,
            client_id=client_id,
            client_secret=secret,
            frame_origins=tuple(_origin(o, f"{where}.frame_origins[{j}]") for j, o in enumerate(origins)),
            cds_issuer=cds,
        )
    return out


def configured() -> dict[str, SmartIssuer]:
    return _issuers(settings.SMART_ISSUERS, settings.SMART_ISSUERS_FILE)


def issuer(iss: str) -> SmartIssuer | None:
    return configured().get(iss.strip().rstrip("/")) if isinstance(iss, str) else None


def for_cds_issuer(cds_iss: str) -> SmartIssuer | None:
    """The SMART registration of the EHR whose CDS Hooks calls come from ``cds_iss``, if any."""
    return next((s for s in configured().values() if s.cds_issuer and s.cds_issuer == cds_iss), None)


def all_frame_origins() -> tuple[str, ...]:
    return tuple(dict.fromkeys(o for s in configured().values() for o in s.frame_origins))

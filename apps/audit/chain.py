"""The audit log's hash chain (docs/audit.md, "Tamper-evident").

Each event's ``hash`` is SHA-256 (HMAC-SHA-256 when ``AUDIT_CHAIN_KEY`` is set) over a canonical JSON of its
content, its sequence number and the previous event's hash. Changing, removing or inserting any event breaks the
chain from there on, and ``manage.py audit_verify`` names the first event where it breaks.

Pure functions, so the migration that chains existing events and the verifier use exactly what the service does.
Never change the canonical form: events already stored were hashed with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64
CONTENT_FIELDS = (
    "event",
    "actor",
    "actor_role",
    "target_type",
    "target_id",
    "rulebook_version",
    "rules",
    "detail",
)


def timestamp(value: dt.datetime) -> str:
    """One spelling of an instant, whatever the database hands back: UTC, microseconds."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    """JSON as every database hands it back: keys as strings, tuples as lists, a whole float as an integer
    (PostgreSQL's jsonb returns 1e20 as 100000000000000000000)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical(*, seq: int, created_at: dt.datetime, prev_hash: str, content: Mapping[str, Any]) -> bytes:
    body = {name: _plain(content[name]) for name in CONTENT_FIELDS}
    body.update(seq=seq, created_at=timestamp(created_at), prev_hash=prev_hash)
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(*, seq: int, created_at: dt.datetime, prev_hash: str, content: Mapping[str, Any], key: bytes) -> str:
    message = canonical(seq=seq, created_at=created_at, prev_hash=prev_hash, content=content)
    if key:
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    return hashlib.sha256(message).hexdigest()

"""Reading a JSON list of issuers from a setting or the file another setting names (CDS_HOOKS_ISSUERS,
SMART_ISSUERS): one reader, so both refuse bad configuration with the same words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def load_issuers(raw: str, file_path: str, setting: str) -> list[Any]:
    """The entries of ``{"issuers": [...]}`` (or a bare list) from ``raw``, or from the file at ``file_path`` when
    set (the ``<setting>_FILE`` setting wins). Empty: no issuers. Raises ImproperlyConfigured naming the setting."""
    if file_path:
        try:
            raw = Path(file_path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ImproperlyConfigured(f"{setting}_FILE cannot be read ({exc.strerror}).") from None
    if not raw.strip():
        return []
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise ImproperlyConfigured(f"{setting} is not valid JSON.") from None
    issuers = data.get("issuers") if isinstance(data, dict) else data
    if not isinstance(issuers, list):
        raise ImproperlyConfigured(f'{setting} must be {{"issuers": [...]}}.')
    return issuers

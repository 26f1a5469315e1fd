"""Expired rows deleted on the way through, at most once a minute per process.

A CDS Hooks call writes a replay-protection token and a prefilled draft; deleting the expired ones on every call
cost two DELETE statements and a transaction of their own each time. Expiry is enforced where the rows
are read (a draft past ``expires_at`` is never opened; a token past its ``exp`` fails the JWT check), so deleting
them is housekeeping: here it runs on the first call and then at most once every ``EVERY_SECONDS`` in each worker,
so an expired row outlives its expiry by at most that long while the service is in use.
"""

from __future__ import annotations

import time
from collections.abc import Callable

EVERY_SECONDS = 60.0
_last: dict[str, float] = {}


def due(name: str, *, every: float = EVERY_SECONDS, clock: Callable[[], float] = time.monotonic) -> bool:
    """Whether the purge called ``name`` should run now (and, if so, noted as run). Two threads may both see it
    due at once: a purge run twice is harmless."""
    now = clock()
    last = _last.get(name)
    if last is not None and now - last < every:
        return False
    _last[name] = now
    return True


def reset() -> None:
    """Forget every purge's last run (tests)."""
    _last.clear()

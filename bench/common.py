"""Helpers shared by the benchmark scripts: machine description and writing results into docs/performance.md."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The machine's load when the benchmark started (every bench imports this module first): stated beside each figure,
# since this shared machine's speed moves with what else it runs.
_LOAD_AT_START = os.getloadavg()


def load_at_start() -> str:
    """The 1-, 5- and 15-minute load averages when this process started."""
    return ", ".join(f"{x:.2f}" for x in _LOAD_AT_START)


PERFORMANCE_DOC = REPO / "docs" / "performance.md"


def pin_to_one_core() -> str:
    """Run on a single core so the figure is per core, whatever else the machine is doing."""
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity here)"  # pragma: no cover - Linux has it


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:  # pragma: no cover - not Linux
        pass
    from core.rules import COMPILED  # which build of the rules core this process runs (ADR 0003)

    core = "rules core compiled (mypyc)" if COMPILED else "rules core interpreted"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}, {core}"


def production_env(*, hosts: str = "127.0.0.1", log_level: str = "WARNING", **extra: str) -> dict[str, str]:
    """The environment of a server started with production settings for a benchmark (DEBUG off, a throwaway secret
    key; TLS is the proxy's job, so the benchmark sends X-Forwarded-Proto)."""
    import uuid

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": hosts,
        "DJANGO_TRUST_X_FORWARDED_PROTO": "true",
        "DJANGO_LOG_LEVEL": log_level,
        **extra,
    }
    env.pop("DJANGO_DEBUG", None)
    return env


def write_section(name: str, body: str) -> None:
    """Replace (or append) the block between <!-- bench:NAME --> markers in docs/performance.md."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else "# Performance\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    PERFORMANCE_DOC.write_text(text)

"""Use the compiled build of the rules core when it was built from exactly these sources (ADR 0003).

``scripts/build_rules.py`` compiles the modules listed in ``COMPILED_MODULES`` with mypyc into ``.compiled/rules/``
(outside the source tree) and records a digest of every source file of the package beside them. On import, the
package puts that folder first on its own ``__path__`` only when the recorded digest equals the digest of the
sources as they are now. So the compiled modules are the same Python source, compiled; an edited rule is never
shadowed by a stale build (it is then interpreted until the build is redone); and with no build at all (no C
compiler, say) the package runs as plain Python, slower but the same. ``SPINEPROMPT_RULES_INTERPRETED=1`` forces
plain Python (the tests use it to compare the two).

Standard library only, and never compiled itself: it decides what the rest is.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUILD = PACKAGE.parents[1] / ".compiled" / "rules"
STAMP_NAME = "SOURCES.sha256"  # in the build folder: the digest of the sources it was built from

# Compiled with mypyc. Not these: the package and subpackage ``__init__`` files and this module (they choose the
# build), and ``contract.py`` (its records are made with ``object.__new__``, which a compiled class refuses; it is
# a small part of an evaluation).
COMPILED_MODULES = (
    "figures",
    "logic",
    "facts",
    "drugs",
    *(f"report.{p.stem}" for p in sorted((PACKAGE / "report").glob("[a-z]*.py"))),
    "engine",
    "recommendation",
    "rulebook",
    "sources",
    "codes",
    "catalogue",
    *(f"recommendations.{p.stem}" for p in sorted((PACKAGE / "recommendations").glob("r[0-9][0-9]_*.py"))),
)


def sources_digest() -> str:
    """SHA-256 over every Python source of the package, with its path: any edit, addition or removal changes it."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_is_current() -> bool:
    """Whether the build holds the digest of the sources as they are now."""
    try:
        recorded = (BUILD / STAMP_NAME).read_text(encoding="ascii").strip()
    except OSError:
        return False
    return recorded == sources_digest()


def use_compiled(package_path: list[str], subpackage: str = "") -> bool:
    """Put the compiled build first on a package's ``__path__`` if it is current. Returns whether it did."""
    if os.environ.get("SPINEPROMPT_RULES_INTERPRETED") == "1" or not build_is_current():
        return False
    folder = BUILD / "core" / "rules" / subpackage
    if not folder.is_dir():
        return False
    package_path.insert(0, str(folder))
    return True

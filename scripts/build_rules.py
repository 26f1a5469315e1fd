"""Compile the rules core with mypyc into .compiled/rules/ (docs/adr/0003-compiled-rules-core.md).

    .venv/bin/python scripts/build_rules.py [--force]

Run by scripts/setup. Skipped when the build is current (its recorded digest equals the sources' digest). The
modules are compiled from the same Python source that the tests read; the package uses the build only while it
is current (core/rules/_compiled.py), so an edited rule runs interpreted until this is run again. Exits 1 with the
reason when the build fails (no C compiler or Python headers, say), after removing any old build: the rules core
then runs as plain Python, the same but slower.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.rules._compiled import BUILD, COMPILED_MODULES, STAMP_NAME, build_is_current, sources_digest  # noqa: E402

GROUP = "core.rules.native"  # the shared library of the compiled modules, inside the package (no top-level name)


def build() -> None:
    from mypyc.build import mypycify  # mypy's compiler: a dev dependency (pyproject.toml says why)
    from setuptools import Distribution

    digest = sources_digest()
    BUILD.parent.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="rules-", dir=BUILD.parent))
    try:
        os.chdir(REPO)  # module names come from the paths: core/rules/facts.py is core.rules.facts
        paths = [f"core/rules/{name.replace('.', '/')}.py" for name in COMPILED_MODULES]
        extensions = mypycify(
            [*paths, "--cache-dir", str(work / "mypy-cache")],
            opt_level="3",
            group_name=GROUP,
            target_dir=str(work / "c"),
        )
        command = Distribution({"name": "spineprompt-rules", "ext_modules": extensions}).get_command_obj("build_ext")
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "objects")
        command.ensure_finalized()
        command.run()
        # The digest of the sources it was built from: the package uses the build only while they are unchanged.
        (work / "lib" / STAMP_NAME).write_text(digest + "\n", encoding="ascii")
        remove(BUILD)
        (work / "lib").rename(BUILD)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="rebuild even when the build is current")
    args = parser.parse_args()
    if build_is_current() and not args.force:
        print("build_rules: compiled rules core up to date")
        return
    start = time.monotonic()
    print(f"build_rules: compiling {len(COMPILED_MODULES)} modules of the rules core with mypyc (about a minute)")
    try:
        build()
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure leaves the plain-Python core, said so
        remove(BUILD)
        print(f"build_rules: the build failed ({type(exc).__name__}: {exc})", file=sys.stderr)
        print("build_rules: the rules core will run as plain Python (the same results, slower)", file=sys.stderr)
        sys.exit(1)
    print(f"build_rules: built in {time.monotonic() - start:.0f} s into {BUILD.relative_to(REPO)}")


if __name__ == "__main__":
    main()

"""The compiled rules core (mypyc, ADR 0003): used only while it matches the sources, and gives exactly what the
Python source gives."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import core.rules
from core.rules import _compiled

from .conftest import REPO

IN_CI = os.environ.get("CI") == "true"

# Runs in a fresh interpreter, so that the build chosen is the one this environment gives: prints one SHA-256 per
# case of bench/golden.py's cases (vignettes in every role, 4,000 random valid inputs, mutated invalid ones, report
# texts through the screener), every Nth.
_HASHES = """
import hashlib, sys
import core.rules as rules
from bench import golden
print("compiled" if rules.COMPILED else "interpreted")
for case in golden.build_cases(rules)[:: int(sys.argv[1])]:
    print(hashlib.sha256(golden.run_case(rules, case).encode()).hexdigest())
"""


def _hashes(*, interpreted: bool, every: int) -> list[str]:
    env = {**os.environ, "SPINEPROMPT_RULES_INTERPRETED": "1" if interpreted else "0", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", _HASHES, str(every)], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout.split()


@pytest.fixture(scope="module")
def build_current() -> bool:
    current = _compiled.build_is_current()
    if not current and IN_CI:
        pytest.fail("CI must test the compiled rules core, and there is no current build (scripts/build_rules.py)")
    return current


def test_the_package_uses_the_build_exactly_when_it_is_current(build_current):
    assert core.rules.COMPILED is (build_current and os.environ.get("SPINEPROMPT_RULES_INTERPRETED") != "1")
    from core.rules import engine, facts, logic
    from core.rules.recommendations import r12_bone_protection
    from core.rules.report import phrases, screen

    for module in (engine, facts, logic, screen, phrases, r12_bone_protection):
        assert module.__file__.endswith(".so") is core.rules.COMPILED, module.__file__


def test_compiled_and_interpreted_give_identical_results(build_current):
    if not build_current:
        pytest.skip("no current compiled build here (scripts/build_rules.py); the plain-Python core is in use")
    compiled = _hashes(interpreted=False, every=4)
    interpreted = _hashes(interpreted=True, every=4)
    assert compiled[0] == "compiled" and interpreted[0] == "interpreted"
    assert len(compiled) > 4000
    differing = [i for i, (a, b) in enumerate(zip(compiled[1:], interpreted[1:], strict=True)) if a != b]
    assert differing == [], (
        f"{len(differing)} cases differ (case indices, every 4th of bench/golden.py's: {differing[:5]})"
    )


def test_a_changed_source_means_the_build_is_not_used(tmp_path, monkeypatch):
    package = tmp_path / "rules"
    (package / "recommendations").mkdir(parents=True)
    (package / "facts.py").write_text("X = 1\n")
    (package / "recommendations" / "r01_x.py").write_text("Y = 1\n")
    build = tmp_path / "build"
    (build / "core" / "rules" / "recommendations").mkdir(parents=True)
    monkeypatch.setattr(_compiled, "PACKAGE", package)
    monkeypatch.setattr(_compiled, "BUILD", build)
    monkeypatch.delenv("SPINEPROMPT_RULES_INTERPRETED", raising=False)

    assert _compiled.use_compiled(path := []) is False and path == []  # no build recorded
    (build / "SOURCES.sha256").write_text(_compiled.sources_digest() + "\n")
    assert _compiled.use_compiled(path := ["src"]) is True
    assert path == [str(build / "core" / "rules"), "src"]
    assert _compiled.use_compiled(path := [], "recommendations") is True
    assert path == [str(build / "core" / "rules" / "recommendations")]

    (package / "recommendations" / "r01_x.py").write_text("Y = 2\n")  # a rule edited after the build
    assert _compiled.use_compiled(path := []) is False and path == []
    (build / "SOURCES.sha256").write_text(_compiled.sources_digest() + "\n")
    (package / "recommendations" / "r02_y.py").write_text("Z = 1\n")  # a module added
    assert _compiled.use_compiled([]) is False
    (package / "recommendations" / "r02_y.py").unlink()
    assert _compiled.use_compiled([]) is True
    monkeypatch.setenv("SPINEPROMPT_RULES_INTERPRETED", "1")
    assert _compiled.use_compiled([]) is False


def test_every_rule_module_and_every_screener_module_is_compiled():
    rules = sorted(p.stem for p in (REPO / "core" / "rules" / "recommendations").glob("r*.py"))
    assert len(rules) == 14
    compiled = _compiled.COMPILED_MODULES
    assert [f"recommendations.{r}" for r in rules] == [m for m in compiled if m.startswith("recommendations.")]
    screener = sorted(p.stem for p in (REPO / "core" / "rules" / "report").glob("*.py") if p.stem != "__init__")
    assert len(screener) >= 5
    assert [f"report.{m}" for m in screener] == [m for m in compiled if m.startswith("report.")]
    assert {"logic", "facts", "engine", "report.screen"} <= set(compiled)

"""Every package the app and its tests run on is pinned: pyproject.toml pins the direct dependencies, and
constraints.txt pins those and everything they pull in, so a fresh machine installs exactly what CI tested."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def constraints() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"constraints.txt: not an exact pin: {line!r}"
        name = canonicalize_name(match[1])
        assert name not in pins, f"constraints.txt: {name} pinned twice"
        pins[name] = match[2]
    return pins


def direct_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    return [Requirement(line) for line in lines]


def test_pyproject_pins_every_direct_dependency_exactly_as_constraints_does():
    pins = constraints()
    for req in direct_requirements():
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"pyproject.toml: pin {req.name} exactly"
        assert pins.get(canonicalize_name(req.name)) == specs[0].version, f"constraints.txt disagrees on {req.name}"


def test_constraints_cover_everything_installed_for_the_app_and_its_tests():
    """Walk the installed requirement tree from the direct dependencies: every package reached is pinned, and the
    installed version is the pinned one (run scripts/setup after changing either file)."""
    pins = constraints()
    seen: set[str] = set()
    visited: set[tuple[str, frozenset[str]]] = set()
    # (requirement, the extras asked of the package that requires it: they decide its "extra == ..." markers)
    todo: list[tuple[Requirement, frozenset[str]]] = [(req, frozenset()) for req in direct_requirements()]
    while todo:
        req, parent_extras = todo.pop()
        if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in parent_extras or {""}):
            continue
        name = canonicalize_name(req.name)
        if (name, frozenset(req.extras)) in visited:
            continue
        visited.add((name, frozenset(req.extras)))
        seen.add(name)
        assert name in pins, f"{name} is installed for the app but not pinned in constraints.txt"
        assert metadata.version(req.name) == pins[name], f"{name}: installed {metadata.version(req.name)}"
        todo.extend((Requirement(r), frozenset(req.extras)) for r in metadata.requires(req.name) or [])
    unused = set(pins) - seen
    assert not unused, f"constraints.txt pins packages nothing requires: {sorted(unused)}"


def test_the_build_tools_are_pinned_too():
    """The editable install is built in pip's build isolation with the build-system requirement, and scripts/setup
    installs pip itself first: a range in either would let a fresh machine build with something CI never ran."""
    build = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    for line in build:
        specs = list(Requirement(line).specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"pyproject.toml [build-system]: pin {line!r} exactly"
    setup = (REPO / "scripts" / "setup").read_text()
    pip_installs = re.findall(r"-m pip install[^\n]*", setup)
    assert pip_installs, "scripts/setup no longer installs with pip: update this test"
    for command in pip_installs:
        assert "--upgrade" not in command and "-U " not in command, (
            f"scripts/setup upgrades to whatever is newest: {command}"
        )
        if " -e " not in command:  # the project install itself is constrained by constraints.txt
            assert re.search(r"\bpip==[0-9][0-9.]*\b", command), f"scripts/setup: pin pip exactly: {command}"
        else:
            assert "-c constraints.txt" in command, (
                f"scripts/setup: install the project with -c constraints.txt: {command}"
            )

"""The layout shows the design (ADR 0002, ADR 0009): ``core/`` holds the pure code, which never imports Django or
``apps``; ``apps/`` holds installed Django apps only, which call into ``core``."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "core"

# What each part of core may import besides the standard library and itself. The rules import nothing else at all,
# so they can be read, reviewed and compiled on their own.
MAY_IMPORT = {
    "rules": set(),
    "spill": set(),
    "boundary": {"core.rules"},
    "records": {"core.rules"},
    "fhir": {"core.rules", "core.records", "core.boundary", "core.spill", "fhirclient"},
    "casefinding": {"core.rules", "core.records", "core.fhir", "core.boundary", "core.spill"},
}
# Where the pure code was before it moved to core/ (the case-finding modules are now core.casefinding).
OLD_PLACES = (
    "apps.rules",
    "apps.records",
    "apps.fhir",
    "apps.spill",
    "apps.boundary",
    *(f"apps.casefinding.{m}" for m in ("pipeline", "extract", "groups", "synth", "gaps")),
)


def _is_part(path: Path) -> bool:
    return (path.suffix == ".py" and path.name != "__init__.py") or (path / "__init__.py").is_file()


def _parts(core: Path) -> list[str]:
    return sorted(p.stem if p.suffix == ".py" else p.name for p in core.iterdir() if _is_part(p))


def _sources(core: Path, part: str) -> list[Path]:
    root = core / part
    return sorted(root.rglob("*.py")) if root.is_dir() else [core / f"{part}.py"]


def _modules(part: str) -> list[str]:
    return [
        p.relative_to(REPO).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
        for p in _sources(CORE, part)
    ]


def _imported(path: Path) -> list[str]:
    """Every absolute name a module imports; "from core import spill" is core.spill."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _offenders(core: Path, part: str) -> list[str]:
    own = f"core.{part}"
    return [
        f"{path.relative_to(core.parent)}: {name}"
        for path in _sources(core, part)
        for name in _imported(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not _within(name, own)
        and not any(_within(name, allowed) for allowed in MAY_IMPORT[part])
    ]


def test_every_part_of_core_has_its_import_rule():
    assert _parts(CORE) == sorted(MAY_IMPORT)


@pytest.mark.parametrize("part", sorted(MAY_IMPORT))
def test_importing_every_module_loads_no_django_and_no_app(part):
    modules = _modules(part)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'apps', 'config'))\n"
        "print(','.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"core.{part} loaded: {proc.stdout}{proc.stderr}"
    assert modules


@pytest.mark.parametrize("part", sorted(MAY_IMPORT))
def test_source_imports_only_the_standard_library_itself_and_what_it_may(part):
    assert _offenders(CORE, part) == []


def test_the_source_scan_catches_a_django_import_and_a_forbidden_neighbour(tmp_path):
    fake = tmp_path / "core" / "rules"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("import json\nfrom django.conf import settings\nfrom core.records import x\n")
    assert _offenders(tmp_path / "core", "rules") == [
        "core/rules/__init__.py: django.conf.settings",
        "core/rules/__init__.py: core.records.x",
    ]


def test_apps_holds_installed_django_apps_only():
    from django.conf import settings

    installed = {name for name in settings.INSTALLED_APPS if name.startswith("apps.")}
    folders = {f"apps.{p.name}" for p in (REPO / "apps").iterdir() if (p / "__init__.py").is_file()}
    loose = sorted(p.name for p in (REPO / "apps").glob("*.py") if p.name != "__init__.py")
    assert folders == installed
    assert all((REPO / "apps" / name.split(".")[1] / "apps.py").is_file() for name in folders)
    assert loose == []


def test_nothing_imports_the_pure_code_from_its_old_places():
    offenders = [
        f"{path.relative_to(REPO)}: {name}"
        for folder in ("apps", "core", "config", "bench", "scripts", "tests")
        for path in sorted((REPO / folder).rglob("*.py"))
        for name in _imported(path)
        if any(_within(name, old) for old in OLD_PLACES)
    ]
    assert offenders == []

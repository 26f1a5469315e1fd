"""apps/records and apps/fhir are plain Python: they never import Django (like apps/rules, ADR 0002), so CDS Hooks
and case-finding workers can map records without the web stack."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Third-party packages each may import; everything else must be the standard library or our own pure packages.
ALLOWED = {"records": {"apps"}, "fhir": {"apps", "fhirclient"}}
PURE_APPS = {"apps.rules", "apps.records", "apps.fhir", "apps.boundary", "apps.spill"}


def test_importing_records_and_fhir_does_not_load_django():
    code = (
        "import sys, apps.records, apps.fhir, apps.fhir.mapping, apps.fhir.bundles, apps.spill; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"Django modules loaded: {proc.stdout}{proc.stderr}"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_source_imports_only_the_standard_library_and_allowed_packages(package):
    offenders = []
    for path in (REPO / "apps" / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                root = name.split(".")[0]
                if root in sys.stdlib_module_names:
                    continue
                if root == "apps" and not any(name == p or name.startswith(p + ".") for p in PURE_APPS):
                    offenders.append(f"{path.relative_to(REPO)}: {name} (not a pure package)")
                elif root not in ALLOWED[package]:
                    offenders.append(f"{path.relative_to(REPO)}: {name}")
    assert offenders == []

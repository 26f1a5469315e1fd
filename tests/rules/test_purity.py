"""apps/rules is a plain Python package: it must never import Django (architecture.md, ADR 0002)."""

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

RULES_DIR = REPO / "apps" / "rules"


def test_importing_rules_does_not_load_django():
    code = (
        "import sys, apps.rules, apps.rules.engine, apps.rules.report; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"Django modules loaded by apps.rules: {proc.stdout}{proc.stderr}"


def test_rules_source_has_no_third_party_imports():
    allowed_roots = set(sys.stdlib_module_names)
    offenders = []
    for path in RULES_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            offenders += [f"{Path(path).relative_to(REPO)}: {r}" for r in roots if r not in allowed_roots]
    assert offenders == []

"""The case-finding logic (extract parsing, gap groups, the pipeline, the generator) needs no Django, so worker
processes and the benchmark run it without setting Django up."""

import subprocess
import sys

from tests.rules.conftest import REPO


def test_case_finding_logic_does_not_load_django():
    code = (
        "import sys, apps.casefinding.extract, apps.casefinding.groups, apps.casefinding.pipeline, "
        "apps.casefinding.synth; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"Django modules loaded by case-finding logic: {proc.stdout}{proc.stderr}"

"""Helpers for the management-command tests: each command runs in a real subprocess, as a user would run it."""

import subprocess
import sys

from tests.rules.conftest import REPO


def run_manage(command: str, args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", command, *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

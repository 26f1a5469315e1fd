"""python manage.py evaluate FILE|-: result JSON on stdout and exit 0; field errors on stderr and exit 2."""

import json

import pytest

from tests.rules.conftest import VIGNETTE_DIR, load_vignettes

from .conftest import run_manage

pytestmark = pytest.mark.slow


def run(args, stdin=None):
    return run_manage("evaluate", args, stdin)


@pytest.mark.parametrize("case", load_vignettes(), ids=lambda c: c["name"])
def test_every_vignette_through_the_cli(case, tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(case["input"]))
    proc = run([str(path)])
    if "expect_error" in case:
        assert proc.returncode == 2
        assert proc.stdout == ""
        errors = json.loads(proc.stderr)["errors"]
        assert case["expect_error"] in [e["field"] for e in errors]
    else:
        assert proc.returncode == 0, proc.stderr
        ids = {p["id"] for p in json.loads(proc.stdout)["prompts"]}
        assert set(case["expect"]["include"]) <= ids
        assert not set(case["expect"]["exclude"]) & ids


def test_cli_reads_stdin():
    data = json.loads((VIGNETTE_DIR / "on-denosumab.json").read_text())["input"]
    proc = run(["-"], stdin=json.dumps(data))
    assert proc.returncode == 0
    assert "bone.denosumab_continuity" in {p["id"] for p in json.loads(proc.stdout)["prompts"]}


@pytest.mark.parametrize(
    ("stdin", "field"),
    [("{broken", "(input)"), ('{"age": 70}', "sex"), ('{"age": 70, "sex": "male", "x": 1}', "x")],
)
def test_cli_rejects_bad_input_with_exit_2(stdin, field):
    proc = run(["-"], stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert field in [e["field"] for e in json.loads(proc.stderr)["errors"]]


def test_cli_names_an_unreadable_file(tmp_path):
    proc = run([str(tmp_path / "missing.json")])
    assert proc.returncode == 2
    assert json.loads(proc.stderr)["errors"][0]["field"] == "(file)"

"""python manage.py screen_report FILE|-: the screening JSON on stdout; the same function as the report.* prompts."""

import json

import pytest

from core.rules import evaluate_data
from core.rules.report import screen_report
from tests.rules.conftest import TODAY

from .conftest import run_manage

pytestmark = pytest.mark.slow

WEDGING = "FINDINGS: Anterior wedging of T8 with 30% loss of anterior vertebral height. Degenerative change."


def run(args, stdin=None):
    return run_manage("screen_report", args, stdin)


def test_a_report_file_is_screened(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(WEDGING)
    proc = run([str(path)])
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["classification"] == "probable"
    assert out["levels"] == ["T8"]
    assert out["height_loss_percent"] == 30
    assert {m["class"] for m in out["matches"]} == {"probable", "mimic"}
    for m in out["matches"]:
        assert WEDGING[m["start"] : m["end"]] == m["text"]
    assert set(out["matches"][0]) == {"text", "start", "end", "class", "levels", "age"}


def test_stdin_gives_the_same_screening_as_the_rules_use():
    proc = run(["-"], stdin=WEDGING)
    assert proc.returncode == 0, proc.stderr
    result = evaluate_data({"age": 70, "sex": "female", "spine_imaging": {"report_text": WEDGING}}, today=TODAY)
    assert json.loads(proc.stdout) == result["report"] == screen_report(WEDGING).as_dict()


def test_no_fracture_wording_is_none():
    proc = run(["-"], stdin="Normal chest radiograph. Vertebral body heights are maintained.")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["classification"] == "none"


@pytest.mark.parametrize(
    ("args", "stdin", "field"),
    [(["/no/such/report.txt"], None, "(file)"), (["-"], "x" * 20_001, "(input)")],
)
def test_unreadable_or_too_long_input_is_an_error_with_exit_2(args, stdin, field):
    proc = run(args, stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert json.loads(proc.stderr)["errors"][0]["field"] == field

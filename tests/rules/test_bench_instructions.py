"""`bench/instructions.py` counts instructions per evaluation under callgrind. Running callgrind takes minutes, so
these tests check its arithmetic, its choice of vignettes, its budget and its counted loop without it."""

import subprocess
import sys

import pytest

from bench import instructions
from bench.common import REPO
from bench.evaluate import inputs


def test_the_report_and_no_report_vignettes_split_all_of_them():
    data = inputs()
    report, plain = instructions._chosen(data, "report"), instructions._chosen(data, "no-report")
    assert report and plain
    assert len(report) + len(plain) == len(instructions._chosen(data, "all")) == len(data)
    assert all(d["spine_imaging"]["report_text"] for d in report)
    assert not any((d.get("spine_imaging") or {}).get("report_text") for d in plain)


def test_one_evaluation_is_the_difference_between_the_long_and_the_short_run(monkeypatch):
    start_up = 400_000_000
    per_eval = 850_000
    n = len(inputs())

    def fake_count(rounds, which):
        # start-up, the warm-up pass, then the counted loops: only the loops differ between the runs
        return start_up + per_eval * n * (rounds + 1)

    monkeypatch.setattr(instructions, "count", fake_count)
    thousands, covered = instructions.per_evaluation("all")
    assert covered == n
    assert thousands == pytest.approx(per_eval / 1000)


def test_the_budget_fails_the_run_only_when_exceeded(monkeypatch, capsys):
    monkeypatch.setattr(instructions.shutil, "which", lambda _name: "/usr/bin/valgrind")
    monkeypatch.setattr(instructions, "per_evaluation", lambda which: (900.0 if which == "all" else 800.0, 4))
    monkeypatch.setattr(sys, "argv", ["instructions.py", "--budget", "1000"])
    instructions.main()
    assert capsys.readouterr().out.splitlines()[-1] == "instructions_per_evaluation: 900"
    monkeypatch.setattr(sys, "argv", ["instructions.py", "--budget", "899"])
    with pytest.raises(SystemExit) as exc:
        instructions.main()
    assert exc.value.code == 1
    assert "over budget" in capsys.readouterr().err


def test_without_valgrind_it_says_so_and_counts_nothing(monkeypatch, capsys):
    monkeypatch.setattr(instructions.shutil, "which", lambda _name: None)
    monkeypatch.setattr(instructions, "per_evaluation", lambda which: pytest.fail("counted without valgrind"))
    monkeypatch.setattr(sys, "argv", ["instructions.py"])
    with pytest.raises(SystemExit) as exc:
        instructions.main()
    assert exc.value.code == 2
    assert "valgrind is not installed" in capsys.readouterr().err


def test_the_counted_loop_runs_the_evaluations(monkeypatch):
    calls = []
    import core.rules

    real = core.rules.evaluate_data
    monkeypatch.setattr(core.rules, "evaluate_data", lambda d, today: calls.append(d) or real(d, today=today))
    instructions._loop(2, "no-report")
    plain = instructions._chosen(inputs(), "no-report")
    assert len(calls) == 3 * len(plain)  # the warm-up pass and two loops


def test_the_counted_loop_runs_as_a_script():
    proc = subprocess.run(
        [sys.executable, "bench/instructions.py", "--loop", "1", "--which", "report"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""

"""Instructions per evaluation, counted by valgrind's callgrind: a speed figure that repeats exactly.

``bench/evaluate.py`` times evaluations, and on a shared machine its figure moves by 30% between days and by up to
1.8 times between rounds of one run. Counting the instructions the CPU executes does not depend on what else the
machine is doing: the same code and inputs give the same count. So this is the figure to compare before and after
a change to the rules core (the speed in seconds still comes from ``bench/evaluate.py``).

    .venv/bin/python bench/instructions.py [--write] [--budget THOUSANDS]

It runs the same evaluations as ``bench/evaluate.py`` (the shared vignettes, from the JSON-decoded input to the
result dict) under callgrind twice, with a short and a long loop; the difference divided by the extra evaluations
is the cost of one evaluation, with interpreter start-up and imports cancelled out. It prints the thousands of
instructions per evaluation over all the vignettes, and for those with and without report text. The last line is
``instructions_per_evaluation: N`` (thousands). ``--budget`` exits 1 when that figure is above the budget (a
regression guard that does not flap); ``--write`` records the figures in docs/performance.md.

Needs valgrind (Debian package ``valgrind``); it exits 2 with a message when valgrind is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, machine, write_section  # noqa: E402

SHORT, LONG = 5, 25  # loops over the chosen vignettes in the two counted runs
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def _loop(rounds: int, which: str) -> None:
    """The counted work: ``rounds`` evaluations of each chosen vignette (run inside callgrind)."""
    from bench.evaluate import TODAY, inputs
    from core.rules import evaluate_data

    data = _chosen(inputs(), which)
    for d in data:  # the same warm-up as bench/evaluate.py, in both runs, so it cancels out
        evaluate_data(d, today=TODAY)
    for _ in range(rounds):
        for d in data:
            evaluate_data(d, today=TODAY)


def _chosen(data: list[dict], which: str) -> list[dict]:
    def has_report(d: dict) -> bool:
        return bool((d.get("spine_imaging") or {}).get("report_text"))

    if which == "report":
        return [d for d in data if has_report(d)]
    if which == "no-report":
        return [d for d in data if not has_report(d)]
    return data


def count(rounds: int, which: str) -> int:
    """Instructions executed by a fresh interpreter running ``_loop(rounds, which)``."""
    # Without address-space randomisation (setarch -R, util-linux), objects land at the same addresses in every
    # run, so nothing that depends on them (a set of objects' order, say) varies the count.
    fixed_layout = ["setarch", "-R"] if shutil.which("setarch") else []
    proc = subprocess.run(
        [
            *fixed_layout,
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",  # only the total is wanted, and callgrind prints it
            sys.executable,
            str(Path(__file__).resolve()),
            "--loop",
            str(rounds),
            "--which",
            which,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        # The same environment for every run: the count depends a little on what the process is given.
        env={
            "PATH": os.environ.get("PATH", ""),
            "PYTHONHASHSEED": "0",
            "LANG": "C.UTF-8",
            # Both runs compile or both read the same bytecode files: never one writing them for the other.
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        check=False,
    )
    found = _COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"callgrind run failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def per_evaluation(which: str) -> tuple[float, int]:
    """Thousands of instructions per evaluation, and how many vignettes it covers."""
    from bench.evaluate import inputs

    n = len(_chosen(inputs(), which))
    extra = (count(LONG, which) - count(SHORT, which)) / ((LONG - SHORT) * n)
    return extra / 1000, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="record the figures in docs/performance.md")
    parser.add_argument("--budget", type=float, help="exit 1 if thousands of instructions per evaluation exceed it")
    parser.add_argument("--loop", type=int, help=argparse.SUPPRESS)  # inside callgrind
    parser.add_argument("--which", default="all", choices=("all", "report", "no-report"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loop is not None:
        _loop(args.loop, args.which)
        return
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian package valgrind): nothing counted", file=sys.stderr)
        raise SystemExit(2)
    figures = {which: per_evaluation(which) for which in ("all", "no-report", "report")}
    where = machine()
    print(f"machine: {where}")
    for which, (thousands, n) in figures.items():
        print(f"{which}: {thousands:,.0f} thousand instructions per evaluation ({n} vignette{'' if n == 1 else 's'})")
    overall = figures["all"][0]
    if args.write:
        rows = "".join(f"| {which} | {n} | **{thousands:,.0f}** |\n" for which, (thousands, n) in figures.items())
        write_section(
            "instructions",
            "## Instructions per evaluation (`bench/instructions.py`)\n\n"
            "Counted by `valgrind --tool=callgrind` (the same figure on every run of the same code, whatever else "
            "the machine is doing): the difference between a "
            f"{LONG}-loop and a {SHORT}-loop run over the shared vignettes, from the JSON-decoded input to the "
            "result dict, so start-up and imports cancel out. Compare this figure before and after a change to "
            "the rules core.\n\n"
            f"Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {where}.\n\n"
            "| vignettes | how many | thousands of instructions per evaluation |\n|---|---|---|\n" + rows,
        )
    print(f"instructions_per_evaluation: {overall:.0f}")
    if args.budget is not None and overall > args.budget:
        print(f"over budget: {overall:,.0f} > {args.budget:,.0f} thousand", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()

"""Evaluations per second, in process, on one core.

Each evaluation starts from the JSON-decoded input of a shared vignette and ends with the result dict:
validation, evaluation and serialisation are all included. Target (issue 2): at least 10,000 a second here.

    .venv/bin/python bench/evaluate.py [--seconds 5] [--write] [--interpreted-too]

The last line printed is `evaluations_per_second: N`. --write records the figure in docs/performance.md. The
floor is always measured and printed beside the figure: building the same result dicts from precomputed values
(straight-line code, every string and number ready), what the output alone costs in pure Python, whatever the rules
do. --interpreted-too also runs the interpreted rules core (SPINEPROMPT_RULES_INTERPRETED=1) in a child process,
interleaved with the compiled one three times, and prints the ratio (ADR 0003's claim, measured again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, load_at_start, machine, pin_to_one_core, write_section  # noqa: E402
from core.rules import evaluate_data  # noqa: E402

TODAY = dt.date(2026, 11, 23)
TARGET = 10_000


def inputs() -> list[dict]:
    cases = [json.loads(p.read_text()) for p in sorted((REPO / "tests" / "data" / "vignettes").glob("*.json"))]
    return [c["input"] for c in cases if "expect" in c]


def measure(seconds: float) -> tuple[float, list[float]]:
    data = inputs()
    for d in data:  # warm up (imports, caches)
        evaluate_data(d, today=TODAY)
    rounds: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        n = 0
        start = time.perf_counter()
        for _ in range(50):
            for d in data:
                evaluate_data(d, today=TODAY)
                n += 1
        rounds.append(n / (time.perf_counter() - start))
    return statistics.median(rounds), rounds


def floor_builders(results: list[dict]) -> list:
    """For each result, a function that builds an equal result from precomputed values, as straight-line code.

    This is the cheapest pure-Python way to produce the output: every string and number is ready, so only the
    result's own dicts and lists are built (as literals, one bytecode instruction each). Its time is a floor
    under any pure-Python evaluation that returns fresh containers, whatever the rules do.
    """
    builders = []
    for result in results:
        values: list = []
        code = _literal(result, values)
        builders.append(eval(f"lambda v=v: {code}", {"v": tuple(values)}))  # noqa: S307 - our own literal source
    return builders


def _literal(x: object, values: list) -> str:
    """Python source that builds ``x``'s dicts and lists as literals, reading every other value from ``v``."""
    if type(x) is dict:
        return "{" + ",".join(f"{k!r}:{_literal(v, values)}" for k, v in x.items()) + "}"
    if type(x) is list:
        return "[" + ",".join(_literal(v, values) for v in x) + "]"
    values.append(x)
    return f"v[{len(values) - 1}]"


def measure_floor(builders: list, seconds: float) -> float:
    """Microseconds an evaluation to build the results alone (median of rounds)."""
    rounds: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        for _ in range(50):
            for build in builders:
                build()
        rounds.append((time.perf_counter() - start) / (50 * len(builders)) * 1e6)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    parser.add_argument("--interpreted-too", action="store_true", help="also the interpreted core, interleaved")
    parser.add_argument("--rate-only", action="store_true", help=argparse.SUPPRESS)  # a child: print the rate
    args = parser.parse_args()
    pinned = pin_to_one_core()
    if args.rate_only:
        print(f"{measure(args.seconds)[0]:.1f}")
        return
    load = load_at_start()
    rate, rounds = measure(args.seconds)
    where = machine()
    print(f"machine: {where} ({pinned}); load average before the run {load}")
    print(f"vignettes: {len(inputs())}; rounds: {len(rounds)}; min {min(rounds):,.0f}/s; max {max(rounds):,.0f}/s")
    print(f"target: {TARGET:,}/s: {'met' if rate >= TARGET else 'NOT MET'}")
    floor = measure_floor(floor_builders([evaluate_data(d, today=TODAY) for d in inputs()]), args.seconds)
    floor_line = (
        f"floor: {floor:.1f} microseconds an evaluation to build the result dicts alone; whole evaluation "
        f"{1e6 / rate:.1f} ({1e6 / rate / floor:.1f}x the floor)"
    )
    print(floor_line)
    pairs = interleaved(args.seconds) if args.interpreted_too else []
    if pairs:
        ratios = [c / i for c, i in pairs]
        print(
            "compiled / interpreted, interleaved: "
            + ", ".join(f"{c:,.0f} / {i:,.0f}" for c, i in pairs)
            + f": {min(ratios):.2f}-{max(ratios):.2f}x"
        )
    if args.write:
        compared = (
            "Compiled and interpreted cores interleaved, each in its own process: "
            + ", ".join(f"{c:,.0f} against {i:,.0f}" for c, i in pairs)
            + f" a second, so the compiled core is **{min(ratios):.2f}-{max(ratios):.2f}x** the interpreted one.\n"
            if pairs
            else ""
        )
        write_section(
            "evaluate",
            "## Rules evaluation (`bench/evaluate.py`)\n\n"
            "In process, one core, from the JSON-decoded input of each shared vignette to the result dict "
            "(validation, evaluation, serialisation). Median of rounds over "
            f"{args.seconds:g} s; load average before the run {load}.\n\n"
            f"| measured | machine | evaluations per second | microseconds each | floor (µs) | target |\n"
            "|---|---|---|---|---|---|\n"
            f"| {dt.datetime.now(dt.UTC).date().isoformat()} | {where} | **{rate:,.0f}** | {1e6 / rate:.1f} | "
            f"{floor:.1f} | {TARGET:,} |\n\n"
            "The floor: building the same result dicts from precomputed values, what the output alone costs in "
            "pure Python.\n\n" + compared,
        )
    print(f"evaluations_per_second: {rate:.0f}")


def interleaved(seconds: float) -> list[tuple[float, float]]:
    """(compiled, interpreted) rates, three times, each measured in a fresh child process, alternating."""
    import subprocess

    def child(interpreted: bool) -> float:
        env = {**os.environ, "SPINEPROMPT_RULES_INTERPRETED": "1" if interpreted else "0"}
        out = subprocess.run(
            [sys.executable, __file__, "--rate-only", "--seconds", str(seconds)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return float(out.strip().splitlines()[-1])

    return [(child(False), child(True)) for _ in range(3)]


if __name__ == "__main__":
    main()

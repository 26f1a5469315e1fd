"""Radiology report screening speed: 2 KB reports a second on one core, and the worst case on adversarial text.

Reports are built deterministically from the labelled corpus (tests/data/report_corpus.jsonl, when present) or
from built-in report sentences, each cut to 2,048 characters at a word boundary. The adversarial inputs are
20,000-character texts designed to make regular expressions backtrack (long runs of level names, repeated
cue words, negations, digits, whitespace and punctuation); each is screened several times and its slowest run
is kept. Targets (issue 5): at least 500 reports a second; every adversarial input under 50 ms.

    .venv/bin/python bench/screen.py [--seconds 5] [--write]

The last line printed is `reports_per_second: N`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, load_at_start, machine, pin_to_one_core, write_section  # noqa: E402
from core.rules.contract import REPORT_TEXT_MAX  # noqa: E402
from core.rules.report import screen_report  # noqa: E402

TARGET_PER_SECOND = 500
TARGET_ADVERSARIAL_MS = 50.0
REPORT_SIZE = 2048
CORPUS = REPO / "tests" / "data" / "report_corpus.jsonl"

SENTENCES = [
    "CLINICAL DETAILS: Cough, ? infection.",
    "FINDINGS: The heart is not enlarged. The lungs are clear. No pleural effusion.",
    "Anterior wedging of T8 with approximately 30% loss of anterior vertebral body height.",
    "Degenerative change in the lower thoracic spine with small anterior osteophytes.",
    "No fracture or collapse. Vertebral body heights are maintained.",
    "Old healed fracture of the left 6th rib.",
    "Moderate (Genant grade 2) compression fracture of L1, unchanged from the previous study.",
    "Schmorl's nodes at T11 and T12. Disc space narrowing at L4/5 with nerve root compression.",
    "IMPRESSION: Loss of height of the T12 vertebral body, likely an osteoporotic fracture.",
    "Mild biconcave deformity of L2. Background osteopenia.",
    "No lytic or sclerotic bone lesion is seen.",
]


def reports() -> list[str]:
    if CORPUS.exists():
        texts = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if line.strip()]
    else:
        texts = SENTENCES
    rng = random.Random(20261123)
    out = []
    for _ in range(50):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < REPORT_SIZE:
            parts.append(rng.choice(texts))
        text = " ".join(parts)[:REPORT_SIZE]
        out.append(text[: text.rfind(" ")] if " " in text else text)
    return out


def adversarial() -> dict[str, str]:
    n = REPORT_TEXT_MAX
    cases = {
        "levels": "T1 T2 T3 L1-L5 " * n,
        "level ranges": "T1-T12, " * n,
        "cue words": "wedging collapse compression fracture " * n,
        "negations": "no no no evidence of no " * n,
        "negated list": "no fracture, collapse, wedging or " * n,
        "percent digits": "9" * n,
        "percentages": "30% 40% loss of height of " * n,
        "whitespace": " \t\n" * n,
        "punctuation": ".,;:-/()" * n,
        "one long word": "a" * n,
        "loss of": "loss of " * n,
        "endplates": "end-plate end plate endplates " * n,
        "grades": "Genant grade grade 2 " * n,
        "upper case": "ANTERIOR WEDGING OF T8. " * n,
        "random": "".join(random.Random(7).choice("abcdefTL0123456789 .,-%\n") for _ in range(n)),
    }
    return {name: text[:n] for name, text in cases.items()}


def measure_throughput(seconds: float) -> tuple[float, list[float]]:
    texts = reports()
    for t in texts:
        screen_report(t)
    rounds: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        for t in texts:
            screen_report(t)
        rounds.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rounds), rounds


_WORD = re.compile(r"\w+")


def measure_floor(seconds: float) -> float:
    """The floor: every report lower-cased and split into words by one regular expression, nothing else (reports
    a second, median of rounds): what reading the text once costs."""
    texts = reports()
    rounds: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        for t in texts:
            _WORD.findall(t.lower())
        rounds.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rounds)


def measure_adversarial(repeats: int = 5) -> dict[str, float]:
    worst: dict[str, float] = {}
    for name, text in adversarial().items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            screen_report(text)
            times.append((time.perf_counter() - start) * 1000)
        worst[name] = max(times)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    args = parser.parse_args()
    pinned = pin_to_one_core()
    rate, rounds = measure_throughput(args.seconds)
    floor = measure_floor(min(args.seconds, 2.0))
    worst = measure_adversarial()
    slowest = max(worst, key=worst.get)
    where = machine()
    print(f"machine: {where} ({pinned}); source: {'corpus' if CORPUS.exists() else 'built-in sentences'}")
    for name, ms in worst.items():
        print(f"adversarial {name!r}: {ms:.1f} ms")
    print(
        f"adversarial worst: {slowest!r} {worst[slowest]:.1f} ms; target < {TARGET_ADVERSARIAL_MS:g} ms: "
        f"{'met' if worst[slowest] < TARGET_ADVERSARIAL_MS else 'NOT MET'}"
    )
    print(
        f"throughput: {rate:,.0f} reports/s (min {min(rounds):,.0f}, max {max(rounds):,.0f}); "
        f"target {TARGET_PER_SECOND}: {'met' if rate >= TARGET_PER_SECOND else 'NOT MET'}"
    )
    print(
        f"floor: {floor:,.0f} reports/s split into words by one regular expression; "
        f"screening takes {floor / rate:.0f}x that"
    )
    if args.write:
        rows = "\n".join(f"| {name} | {ms:.1f} |" for name, ms in worst.items())
        write_section(
            "screen",
            "## Report screening (`bench/screen.py`)\n\n"
            f"One core, {REPORT_SIZE:,}-character reports built from "
            f"{'the labelled corpus' if CORPUS.exists() else 'built-in report sentences'}; median of rounds over "
            f"{args.seconds:g} s. Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {where}; load average at "
            f"the start {load_at_start()}.\n\n"
            f"**{rate:,.0f} reports a second** (target at least {TARGET_PER_SECOND}); the floor, each report "
            f"lower-cased and split into words by one regular expression: {floor:,.0f} a second ("
            f"{floor / rate:.0f}x).\n\n"
            f"Adversarial {REPORT_TEXT_MAX:,}-character inputs, slowest of 5 runs each (target under "
            f"{TARGET_ADVERSARIAL_MS:g} ms each):\n\n| input | ms |\n|---|---|\n{rows}\n",
        )
    print(f"reports_per_second: {rate:.0f}")


if __name__ == "__main__":
    main()

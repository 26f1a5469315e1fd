"""Equivalence harness for speed work on the rules core: record the results of a large, seeded, varied set of
inputs once, from the code as it is, then check that changed code gives the same results, byte for byte as JSON.

    # before changing anything: record from a clean checkout of main (the inputs are stored with the results)
    git worktree add /tmp/golden-base main
    .venv/bin/python bench/golden.py record /tmp/golden.jsonl --code /tmp/golden-base
    # after every change
    .venv/bin/python bench/golden.py check /tmp/golden.jsonl

The cases (seeded, so a re-recording gives the same inputs): every vignette for every role; random valid inputs
built from the contract's schema, with threshold edges, shuffled key order and nested objects present, empty or
absent; every report text in the rule and spec tests and the labelled corpus, inside a minimal and a fuller input
and screened directly; generated report texts (phrase and cue words from the screener recombined, case changed,
non-ASCII that changes length when lower-cased, long texts); mutated and invalid inputs (unknown keys, wrong types,
out of range, future and malformed dates, bad list items, several errors at once, non-objects). An invalid input's
result is its error list, in order. (Files recorded while the core had a typed ``evaluate`` also hold
``evaluate(validate(x)).as_dict()`` for some inputs; checking compares the result part only.)

Not a test and not a benchmark: a tool for refactoring without changing a single result.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime as dt
import gzip
import importlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 23)
SEED = 20261123


def _import_rules(code: Path) -> Any:
    sys.path.insert(0, str(code))
    rules = importlib.import_module("core.rules")
    if not Path(rules.__file__).resolve().is_relative_to(code.resolve()):
        raise SystemExit(f"core.rules came from {rules.__file__}, not {code}")
    return rules


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


# --- report texts ------------------------------------------------------------------------------------------------


def _test_strings() -> list[str]:
    """Every string constant of three or more characters in the rule and spec tests (report texts among them)."""
    out: list[str] = []
    for path in sorted([*(REPO / "tests" / "rules").glob("*.py"), *(REPO / "tests" / "spec").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value.strip()) >= 3:
                out.append(node.value)
    return list(dict.fromkeys(out))


def _corpus_texts() -> list[str]:
    lines = (REPO / "tests" / "data" / "report_corpus.jsonl").read_text().splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


FRAGMENTS = [
    "wedging of T8",
    "anterior wedging",
    "wedge fracture",
    "wedge-shaped",
    "wedged",
    "wedge resection",
    "compression fracture",
    "compression of the L4 nerve root",
    "cord compression",
    "compression stockings",
    "loss of height",
    "30% loss of anterior vertebral height",
    "height loss of approximately 25%",
    "disc height loss",
    "loss of disc height at L4/5",
    "5 cm height loss",
    "patient's height",
    "collapse",
    "partial collapse",
    "lobar collapse",
    "crush deformity",
    "biconcave",
    "cod fish vertebrae",
    "superior endplate depression",
    "vertebra plana",
    "vertebral deformity",
    "Genant grade 2",
    "grade 3 wedge deformity",
    "SQ grade 1",
    "vertebroplasty",
    "balloon kyphoplasty",
    "cement augmentation",
    "# T12",
    "L1 #",
    "osteoporotic #",
    "lytic lesion",
    "osteolytic",
    "destructive process",
    "pathological fracture",
    "malignant collapse",
    "metastases",
    "multiple myeloma",
    "plasmacytoma",
    "soft tissue mass",
    "pedicle destruction",
    "posterior element involvement",
    "retropulsed fragment",
    "burst fracture",
    "canal compromise",
    "Schmorl's node",
    "degenerative change",
    "spondylosis",
    "osteophytes",
    "disc space narrowing",
    "Scheuermann's disease",
    "limbus vertebra",
    "cupid's bow",
    "fracture risk",
    "risk of fracture",
    "major osteoporotic fracture",
    "to exclude fracture",
    "fracture liaison service",
    "rib fracture",
    "fracture of the left radius",
    "sacral insufficiency fracture",
    "spinous process fracture",
    "no",
    "not",
    "no evidence of",
    "without",
    "is not seen",
    "has been ruled out",
    "no change in",
    "no previous imaging",
    "possible",
    "?",
    "query",
    "cannot be excluded",
    "likely",
    "is suspected",
    "old",
    "chronic",
    "healed",
    "unchanged",
    "acute",
    "new",
    "marrow oedema",
    "STIR hyperintense",
    "bright on STIR",
    "T1-weighted",
    "T2 hyperintense",
    "sagittal T2",
    "T1/T2",
    "vitamin D3",
    "D12",
    "T11-L2",
    "T4 to T6",
    "L2/3",
    "T12, L1 and L2",
    "C7",
    "S1",
    "thoracic spine",
    "LUMBAR SPINE:",
    "Clinical details: back pain ?fracture",
    "History:",
    "FINDINGS:",
    "Impression:",
    "Discs:",
    "approx. 40%",
    "e.g.",
    "2.5",
    "but",
    "however",
    "although",
    "there is",
    ", the old",
    "of the known",
    "and",
    "or",
    "at",
    "the",
    "vertebral body",
    "spine",
    "iliac spine",
    "endplate",
    "kyphosis",
    "İstanbul",
    "ǅ",
    "ß",
    "\u2022",
    "\u2013",
]
SEPARATORS = [" ", " ", " ", ". ", ", ", "; ", ": ", "\n", "\n\n", " - ", "? ", "\t", "\r\n", "/"]


def _generated_text(rng: random.Random, pool: list[str]) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 14)):
        frag = rng.choice(FRAGMENTS) if rng.random() < 0.7 else rng.choice(pool)
        if len(frag) > 200:
            start = rng.randrange(len(frag))
            frag = frag[start : start + rng.randint(10, 200)]
        how = rng.random()
        if how < 0.15:
            frag = frag.upper()
        elif how < 0.25:
            frag = frag.capitalize()
        elif how < 0.3:
            frag = "".join(c.upper() if rng.random() < 0.5 else c for c in frag)
        parts.append(frag)
        parts.append(rng.choice(SEPARATORS))
    text = "".join(parts)
    if rng.random() < 0.05:
        text = text * rng.randint(5, 40)  # long texts (the bounds and windows)
    return text[: rng.choice([20_000, 20_000, 500, 60])] if rng.random() < 0.3 else text


def _report_texts(rng: random.Random) -> list[str]:
    tests = [s for s in _test_strings() if len(s) <= 20_000]
    corpus = _corpus_texts()
    pool = tests + corpus
    generated = [_generated_text(rng, pool) for _ in range(2500)]
    mixed = []
    for text in corpus[:80]:  # corpus reports with odd case and characters that change length when lower-cased
        mixed.append(text.upper())
        mixed.append(text.replace("e", "\u0130", 3))
        mixed.append(text.replace("\n", "\r\n"))
    return list(dict.fromkeys(tests + corpus + generated + mixed + ["", " ", "\n", ".", "?", "#", "T8", "fracture"]))


# --- inputs ------------------------------------------------------------------------------------------------------

EDGES = {
    "age": [18, 49, 50, 51, 59, 60, 61, 64, 65, 66, 69, 70, 71, 74, 75, 76, 120],
    "historical_height_loss_cm": [0, 3.9, 4, 4.1, 5, 40],
    "months": [0, 2, 2.9, 3, 3.5, 600],
    "prednisolone_mg_per_day": [0, 5, 7.4, 7.5, 7.6, 10, 200],
    "dxa_lowest_t_score": [-7.0, -3.6, -3.5, -3.4, -2.6, -2.5, -2.4, 0, 4.0],
    "months_since_fracture": [0, 1, 23, 24, 24.5, 25, 600],
    "egfr": [0, 29, 30, 31, 34, 35, 36, 60, 200],
    "creatinine_clearance": [0, 29, 29.5, 30, 34.9, 35, 36, 200],
    "years": [0, 1, 2.9, 3, 4.9, 5, 5.1, 6, 10, 30],
    "alcohol_units_per_week": [0, 13, 14, 14.5, 15, 300],
    "falls_last_year": [0, 1, 2, 100],
    "vertebral_fractures_known": [0, 1, 2, 3, 20],
    "fracture_count": [0, 1, 2, 3, 20],
    "duration_weeks": [0, 1, 5, 6, 7, 12, 520],
    "adjusted_calcium": [1.0, 2.1, 2.19, 2.2, 2.21, 2.4, 4.0],
    "vitamin_d_nmol_l": [0, 24, 25, 26, 50, 500],
    "weight_kg": [25, 40, 45, 60, 80, 300],
    "height_cm": [100, 150, 160, 175, 230],
}


def _value(rng: random.Random, name: str, spec: Any, texts: list[str]) -> Any:
    kind = spec.kind
    if kind in ("int", "number"):
        if name in EDGES and rng.random() < 0.6:
            return rng.choice(EDGES[name])
        if kind == "int":
            return rng.randint(int(spec.lo), int(spec.hi))
        value = rng.uniform(spec.lo, spec.hi)
        return round(value, rng.choice([0, 1, 2, 6])) if rng.random() < 0.7 else int(value)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "enum":
        return rng.choice(spec.choices)
    if kind == "enum_list":
        items = [rng.choice(spec.choices) for _ in range(rng.choice([0, 1, 1, 2, 3, 5]))]
        return items
    if kind == "text":
        return rng.choice(texts) if rng.random() < 0.9 else rng.choice(["", "   ", "\n"])
    if kind == "date":
        return (TODAY - dt.timedelta(days=rng.choice([0, 0, 1, 30, 400, 5000]))).isoformat()
    if kind == "version":
        return 1
    if kind == "extensions":
        return {"source": "golden", "n": rng.randint(0, 9)} if rng.random() < 0.5 else {}
    return _object(rng, spec.fields, texts, rng.choice([0.2, 0.5, 0.9]))


def _object(rng: random.Random, fields: Any, texts: list[str], density: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        if spec.required or rng.random() < density:
            out[name] = None if (not spec.required and rng.random() < 0.1) else _value(rng, name, spec, texts)
    if out.get("red_flags_none_present") and out.get("red_flags"):  # the one rule across fields (contract.py)
        out["red_flags_none_present"] = False
    if rng.random() < 0.3:  # the input's own key order (validation has a fast path that follows it)
        keys = list(out)
        rng.shuffle(keys)
        out = {k: out[k] for k in keys}
    return out


BAD_VALUES = ["not-a-value", [], {"x": 1}, -1000, 10**6, True, False, 1.5, "", None, float("nan"), float("inf"), 7]


def _mutate(rng: random.Random, data: dict[str, Any], schema: Any) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        how = rng.randrange(11)
        if how == 0:
            data[rng.choice(["wobbly", "Age", "", "back pain", "zzz"])] = rng.choice(BAD_VALUES[:8])
        elif how == 1:
            data[rng.choice(sorted(schema))] = rng.choice(BAD_VALUES)
        elif how == 2:
            data["assessed_on"] = rng.choice(
                [
                    (TODAY + dt.timedelta(days=rng.randint(1, 900))).isoformat(),
                    "2026-13-01",
                    "23/11/2026",
                    "2026-1-5",
                    "20261123",
                    "2026-11-23T10:00",
                    17,
                ]
            )
        elif how == 3:
            nested = rng.choice(["back_pain", "glucocorticoids", "spine_imaging", "bone_protection", "record"])
            value = data.get(nested)
            if isinstance(value, dict) and rng.random() < 0.5:
                value[rng.choice(["wobbly", "present", "result", "current", "years"])] = rng.choice(BAD_VALUES)
            else:
                data[nested] = rng.choice([[1], "x", 3, {"wobbly": 1}, {"present": "yes", "bad": 2}])
        elif how == 4:
            key = rng.choice(["red_flags", "secondary_causes", "oral_bisphosphonate_barriers"])
            data[key] = rng.choice([["fever", "nope"], ["x", 1, None], "fever", [["fever"]], ("fever",)])
        elif how == 5:
            data.pop(rng.choice(["age", "sex"]), None)
        elif how == 6:
            data["age"] = rng.choice([17, 121, 150, "70", 70.5, 70.0, True, -1])
        elif how == 7:
            data["spine_imaging"] = {"report_text": rng.choice(["x" * 20_001, 5, ["a"], "T8 wedge fracture"])}
        elif how == 8:
            data["input_version"] = rng.choice([0, 2, "1", True, 1.0])
        elif how == 9:
            data["extensions"] = rng.choice([[], "x", 3, {"a": [1]}])
        else:
            data["sex"] = rng.choice(["F", "other", 1, "male"])
    if rng.random() < 0.3:
        keys = list(data)
        rng.shuffle(keys)
        data = {k: data[k] for k in keys}
    return data


def build_cases(rules: Any) -> list[dict[str, Any]]:
    from core.rules.contract import ROLES, SCHEMA  # the code being recorded

    rng = random.Random(SEED)
    texts = _report_texts(rng)
    cases: list[dict[str, Any]] = []

    def add(data: Any, *, today: dt.date = TODAY, typed: bool = False) -> None:
        cases.append({"kind": "evaluate", "input": data, "today": today.isoformat(), "typed": typed})

    vignettes = [json.loads(p.read_text()) for p in sorted((REPO / "tests" / "data" / "vignettes").glob("*.json"))]
    for v in vignettes:
        for role in ROLES:
            add({**v["input"], "assessor_role": role}, typed=True)
        add(v["input"], today=dt.date(2020, 1, 1))
        without = {k: val for k, val in v["input"].items() if k not in ("assessed_on", "assessor_role")}
        add(without)
    valid: list[dict[str, Any]] = []
    for i in range(4000):
        data = _object(rng, SCHEMA, texts, rng.choice([0.1, 0.3, 0.5, 0.8, 1.0]))
        valid.append(data)
        add(data, typed=i % 8 == 0)
    for role in ROLES:  # the same inputs worded for each role
        for data in valid[:300]:
            add({**data, "assessor_role": role})
    shorts = [t for t in texts if len(t) <= 3000]
    for text in shorts:
        add({"age": 70, "sex": "female", "spine_imaging": {"report_text": text}})
    for text in shorts[::3]:
        fuller = {**rng.choice(valid), "spine_imaging": {"report_text": text, "result": rng.choice(["fracture", None])}}
        add({**fuller, "assessor_role": rng.choice(ROLES)})
    for _ in range(1500):
        add(_mutate(rng, rng.choice(valid), SCHEMA))
    for odd in ([], [1, 2], "text", 3, None, True, 2.5, {}, {"age": None, "sex": None}):
        add(odd)
    for text in texts:
        cases.append({"kind": "screen", "input": text})
    # Through JSON, as the entry points give it (and so that recording and checking see the same input).
    return [json.loads(json.dumps(c)) for c in cases]


def run_case(rules: Any, case: dict[str, Any]) -> str:
    if case["kind"] == "screen":
        from core.rules.report import screen_report

        return _dump(screen_report(case["input"]).as_dict())
    today = dt.date.fromisoformat(case["today"])
    try:
        result = rules.evaluate_data(case["input"], today=today)
    except rules.InputError as exc:
        return _dump(exc.as_dict())
    except Exception as exc:  # noqa: BLE001 - recorded: a change must not alter even an unexpected failure
        return _dump({"exception": f"{type(exc).__name__}: {exc}"})
    out = _dump(result)
    if case.get("typed") and hasattr(rules, "evaluate"):  # the typed records, while the core had them
        typed = _dump(rules.evaluate(rules.validate(case["input"], today=today)).as_dict())
        out += "\n" + typed
    return out


def record(path: Path, code: Path) -> None:
    rules = _import_rules(code)
    cases = build_cases(rules)
    start = time.perf_counter()
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for case in cases:
            # Not _dump: the input's own key order is part of the case (errors are listed in it).
            fh.write(json.dumps({**case, "output": run_case(rules, case)}, ensure_ascii=False) + "\n")
    invalid = sum(1 for c in cases if c["kind"] == "evaluate" and not isinstance(c["input"], dict))
    print(f"recorded {len(cases):,} cases from {code} in {time.perf_counter() - start:.1f} s to {path}")
    print(f"  evaluate: {sum(c['kind'] == 'evaluate' for c in cases):,} (non-objects {invalid}); ", end="")
    print(f"screen: {sum(c['kind'] == 'screen' for c in cases):,}")


def check(path: Path, code: Path) -> int:
    rules = _import_rules(code)
    total = failed = errors = 0
    start = time.perf_counter()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            case = json.loads(line)
            expected = case.pop("output")
            if case.get("typed") and not hasattr(rules, "evaluate"):
                expected = expected.split("\n", 1)[0]  # recorded with the typed records, which have gone
            got = run_case(rules, case)
            total += 1
            errors += '"errors"' in expected[:12]
            if got != expected:
                failed += 1
                if failed <= 5:
                    print(f"DIFFERENT ({case['kind']}): {_dump(case['input'])[:300]}")
                    print(f"  expected: {expected[:600]}")
                    print(f"  got:      {got[:600]}")
    elapsed = time.perf_counter() - start
    print(f"{total:,} cases ({errors:,} invalid inputs) checked in {elapsed:.1f} s: ", end="")
    print("all identical" if not failed else f"{failed:,} DIFFERENT")
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("path", type=Path, help="the recorded cases (gzipped JSON lines)")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose core.rules to run")
    args = parser.parse_args()
    if args.action == "record":
        record(args.path, args.code)
    else:
        raise SystemExit(check(args.path, args.code))


if __name__ == "__main__":
    main()

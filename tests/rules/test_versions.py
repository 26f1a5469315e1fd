"""A rule whose wording or logic changes gets a new version (core/rules/rulebook.py; CHANGELOG.md).

Stored assessments and audit events name the rule versions that were shown, so a changed prompt under an old
version number would misreport what a clinician saw. Each rule's fingerprint is a hash of everything it says (its
titles and fixed actions for every role, its conditions in words, and each prompt it gives on every vignette and
on 1,000 seeded random inputs from bench/golden.py's generator, with the labelled report corpus as report texts,
each for every role). A fingerprint that changes without a higher version fails here; then bump the rule's
version and the rulebook version, say why in CHANGELOG.md, and record the new fingerprints:

    .venv/bin/python -m tests.rules.test_versions
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

from bench.golden import _corpus_texts, _object
from core.rules import RULEBOOK_VERSION, RULES, evaluate_data
from core.rules.contract import ROLES, SCHEMA
from core.rules.recommendation import FixedActions, worded

from .conftest import TODAY, load_vignettes

REPO = Path(__file__).resolve().parents[2]
STORED = REPO / "tests" / "data" / "rule-fingerprints.json"


def _inputs() -> list[dict]:
    """Seeded, so the same every run; independent of the test files (a new test does not change them)."""
    rng = random.Random(20261123)
    texts = _corpus_texts()
    random_inputs = [_object(rng, SCHEMA, texts, rng.choice([0.1, 0.3, 0.5, 0.8, 1.0])) for _ in range(1000)]
    cases = [v["input"] for v in load_vignettes() if "expect" in v] + random_inputs
    return [{**data, "assessor_role": role} for data in cases for role in ROLES]


def fingerprints() -> dict:
    cases = _inputs()
    hashes = {rule.id: hashlib.sha256() for rule in RULES}
    for rule in RULES:
        static = [rule.fires_when, rule.effect, rule.category, rule.priority, *(rule.title_for(r) for r in ROLES)]
        if isinstance(rule.actions, FixedActions):
            static += [worded(kind, text, role) for kind, text in rule.actions.actions for role in ROLES]
        hashes[rule.id].update(json.dumps(static).encode())
    for data in cases:
        result = evaluate_data(data, today=TODAY)
        for p in result["prompts"]:
            said = [p["title"], p["detail"], p["because"], p["actions"], p["codes"], p["sources"], p["unknowns"]]
            if p["timeframe"] is not None:  # added in rulebook 2026.12.4; absent before, so old hashes still hold
                said.append(p["timeframe"])
            hashes[p["id"]].update(json.dumps(said, sort_keys=True).encode())
    inputs = hashlib.sha256(json.dumps(cases, sort_keys=True).encode()).hexdigest()
    return {
        "rulebook_version": RULEBOOK_VERSION,
        "inputs": inputs,
        "rules": {rule.id: {"version": rule.version, "sha256": hashes[rule.id].hexdigest()[:16]} for rule in RULES},
    }


def changed_without_a_new_version(stored: dict, now: dict) -> list[str]:
    """Rules whose fingerprint changed while their version did not go up (only comparable on the same inputs)."""
    if stored["inputs"] != now["inputs"]:
        return []
    return [
        rule_id
        for rule_id, fp in now["rules"].items()
        if rule_id in stored["rules"]
        and fp["sha256"] != stored["rules"][rule_id]["sha256"]
        and fp["version"] <= stored["rules"][rule_id]["version"]
    ]


def test_a_rule_that_says_something_new_has_a_new_version():
    stored = json.loads(STORED.read_text())
    now = fingerprints()
    stale = changed_without_a_new_version(stored, now)
    assert not stale, f"changed without a new version: {stale}. Bump them and the rulebook version (module docstring)."
    if now["rules"] != stored["rules"]:
        assert now["rulebook_version"] != stored["rulebook_version"], "rules changed: bump the rulebook version"
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert f"\n## {RULEBOOK_VERSION} " in changelog or f"\n## {RULEBOOK_VERSION}\n" in changelog
    assert now == stored, "fingerprints not recorded: python -m tests.rules.test_versions"


def test_the_check_catches_a_change_without_a_new_version():
    stored = {"inputs": "x", "rules": {"a": {"version": 1, "sha256": "1"}, "b": {"version": 1, "sha256": "1"}}}
    now = {"inputs": "x", "rules": {"a": {"version": 1, "sha256": "2"}, "b": {"version": 2, "sha256": "2"}}}
    assert changed_without_a_new_version(stored, now) == ["a"]
    assert changed_without_a_new_version(stored, {**now, "inputs": "y"}) == []  # other inputs: re-record only


if __name__ == "__main__":
    STORED.write_text(json.dumps(fingerprints(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {STORED.relative_to(REPO)}", file=sys.stderr)

"""Builders shared by the clinical specification tests (pure Python: no database, no Django).

``base()`` is the smallest valid input; ``QUIET`` is a fully answered patient for whom nothing fires, so a
scenario that adds one fact shows what that fact does. ``fired(**overrides)`` deep-merges nested overrides
onto ``base()`` and returns the prompt ids; ``None`` sets a field to unknown.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from core.rules import evaluate_data

TODAY = dt.date(2026, 11, 23)
MINIMAL: dict[str, Any] = {
    "input_version": 1,
    "assessed_on": "2026-11-23",
    "assessor_role": "gp",
    "age": 70,
    "sex": "female",
}

# A postmenopausal woman of 60, every input answered, nothing positive: no prompt fires.
QUIET: dict[str, Any] = {
    "age": 60,
    "sex": "female",
    "postmenopausal": True,
    "menopause_before_45": False,
    "weight_kg": 65,
    "height_cm": 165,  # BMI 23.9
    "back_pain": {"present": False},
    "historical_height_loss_cm": 0,
    "kyphosis": False,
    "prior_fragility_fracture": False,
    "vertebral_fractures_known": 0,
    "glucocorticoids": {"current_or_recent": False},
    "parental_hip_fracture": False,
    "current_smoker": False,
    "alcohol_units_per_week": 0,
    "rheumatoid_arthritis": False,
    "secondary_causes": [],
    "falls_last_year": 0,
    "red_flags": [],
    "dxa_lowest_t_score": -1.0,
    "nogg_category": "low",
    "egfr": 80,
    "spine_imaging": {"result": "not_done"},
    "bone_protection": {"current": "none", "declined": False},
    "oral_bisphosphonate_barriers": [],
    "dental_problems": False,
    "record": {"vertebral_fracture_coded": False, "patient_told_diagnosis": False},
}

# Back pain, every feature answered.
SUDDEN_PAIN = {
    "present": True,
    "onset": "sudden",
    "site": "thoracic",
    "after_minor_trauma": False,
    "duration_weeks": 2,
    "not_improving": False,
}
GRADUAL_PAIN = {**SUDDEN_PAIN, "onset": "gradual", "site": "lumbar"}

# A confirmed vertebral fracture on imaging: one fracture, 30 months old (not recent, so not very high risk).
FRACTURE = {"spine_imaging": {"result": "fracture", "fracture_count": 1, "months_since_fracture": 30}}
RECENT_FRACTURE = {"spine_imaging": {"result": "fracture", "fracture_count": 1, "months_since_fracture": 2}}

# A nogg_category of high: treatment is indicated without a fracture.
HIGH_BAND = {"nogg_category": "high"}


def merge(*parts: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """Deep-merge dicts left to right (nested objects merge key by key; lists and values replace)."""
    out: dict[str, Any] = {}
    for part in (*parts, overrides):
        for key, value in part.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
    return out


def base(**overrides: Any) -> dict[str, Any]:
    """The smallest valid input (a woman of 70, everything else unknown), with overrides deep-merged."""
    return merge(MINIMAL, overrides)


def run(**overrides: Any) -> dict[str, Any]:
    return evaluate_data(base(**overrides), today=TODAY)


def ids_of(result: dict[str, Any]) -> set[str]:
    return {p["id"] for p in result["prompts"]}


def fired(**overrides: Any) -> set[str]:
    return ids_of(run(**overrides))


def prompt(result: dict[str, Any], prompt_id: str) -> dict[str, Any]:
    found = [p for p in result["prompts"] if p["id"] == prompt_id]
    assert found, f"{prompt_id} did not fire; fired: {sorted(ids_of(result))}"
    return found[0]


def outcome(result: dict[str, Any], rule_id: str) -> str:
    return next(t["outcome"] for t in result["trace"] if t["rule"] == rule_id)


def unknown_fields(result: dict[str, Any], rule_id: str) -> set[str]:
    """Fields listed in the result's unknowns as able to change ``rule_id``."""
    return {u["field"] for u in result["unknowns"] if rule_id in u["rules"]}


def check_scenario(overrides: dict[str, Any], must_fire: set[str], must_not_fire: set[str]) -> None:
    ids = fired(**overrides)
    assert set(must_fire) <= ids, f"missing: {sorted(set(must_fire) - ids)}"
    assert not set(must_not_fire) & ids, f"unexpected: {sorted(set(must_not_fire) & ids)}"


def check_unknown(overrides: dict[str, Any], rule_id: str, field: str) -> None:
    """The prompt does not fire, the trace says it could not be assessed, and the field is listed."""
    result = run(**overrides)
    assert rule_id not in ids_of(result)
    assert outcome(result, rule_id) == "not_assessable"
    assert field in unknown_fields(result, rule_id), unknown_fields(result, rule_id)


def scenario_params(table: list[tuple]) -> Any:
    """Parametrize a SCENARIOS table by its descriptions."""
    return pytest.mark.parametrize(
        "description, overrides, must_fire, must_not_fire", table, ids=[row[0] for row in table]
    )


def unknown_params(table: list[tuple]) -> Any:
    """Parametrize an UNKNOWNS table: (description, overrides, prompt id, field)."""
    return pytest.mark.parametrize("description, overrides, rule_id, field", table, ids=[row[0] for row in table])


@pytest.fixture
def today() -> dt.date:
    return TODAY

"""assessment_evaluate is the one way in: invalid input raises InputError (nothing audited); any other failure of
the rules is logged once without the input, audited through the caller's channel once, and raised as
DecisionSupportUnavailable, never an empty result."""

from __future__ import annotations

import logging

import pytest

from apps.evaluation import services
from apps.evaluation.services import DecisionSupportUnavailable, assessment_evaluate
from core.rules import InputError

SECRET = {"age": 74, "sex": "female", "practice_note": "Mrs Example"}


def test_a_failure_is_logged_audited_once_and_raised_as_unavailable(monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(services, "evaluate_data", broken)
    audited = []
    with caplog.at_level(logging.ERROR), pytest.raises(DecisionSupportUnavailable):
        assessment_evaluate(data=SECRET, on_unavailable=lambda: audited.append("unavailable"))
    assert audited == ["unavailable"]
    assert [r.message for r in caplog.records] == ["evaluation failed"]
    assert "Mrs Example" not in caplog.text and "74" not in caplog.text


def test_invalid_input_is_not_a_failure_of_the_rules(caplog):
    audited = []
    with pytest.raises(InputError):
        assessment_evaluate(data={"age": 150, "sex": "female"}, on_unavailable=lambda: audited.append(1))
    assert audited == [] and not caplog.records


def test_a_valid_input_gives_the_result():
    result = assessment_evaluate(data={"age": 70, "sex": "male"})
    assert "prompts" in result and "unknowns" in result

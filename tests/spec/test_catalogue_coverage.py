"""The spec tables cover the whole catalogue: every prompt id of prompts.md has at least one firing and one
not-firing scenario, and one "unknown input" scenario unless its condition has no input that can be unknown."""

import importlib
from pathlib import Path

from core.rules import RULES
from core.rules.rulebook import CATALOGUE_ORDER

from .conftest import QUIET, run

MODULES = [
    importlib.import_module(f"tests.spec.{p.stem}") for p in sorted(Path(__file__).parent.glob("test_r[0-9][0-9]_*.py"))
]
SCENARIOS = [row for m in MODULES for row in getattr(m, "SCENARIOS", [])]
UNKNOWNS = [row for m in MODULES for row in getattr(m, "UNKNOWNS", [])]
# Red flags and report wording depend only on lists and text, where absent means "none recorded".
NO_UNKNOWN_INPUT = {
    "red_flag.emergency",
    "red_flag.urgent",
    "report.explicit_fracture",
    "report.probable_fracture",
    "report.urgent_features",
    # An unknown calcium is "not known to be high", not a named unknown: calcium is not asked of everyone (H-82).
    "investigations.high_calcium",
}
# The catalogue order is checked against ../shared/spec/prompts.md in tests/rules/test_rulebook.py.
CATALOGUE = set(CATALOGUE_ORDER)


def test_there_is_a_spec_file_per_recommendation():
    assert len(MODULES) == 14


def test_rules_are_the_catalogue():
    assert {r.id for r in RULES} == CATALOGUE


def test_every_prompt_has_a_firing_scenario():
    assert CATALOGUE - {i for row in SCENARIOS for i in row[2]} == set()


def test_every_prompt_has_a_not_firing_scenario():
    assert CATALOGUE - {i for row in SCENARIOS for i in row[3]} == set()


def test_every_prompt_with_an_unknowable_input_has_an_unknown_scenario():
    assert CATALOGUE - NO_UNKNOWN_INPUT - {row[2] for row in UNKNOWNS} == set()


def test_quiet_patient_fires_nothing_and_has_no_unknowns():
    """The scenarios' baseline really is neutral, so each scenario shows what its own overrides do."""
    result = run(**QUIET)
    assert result["prompts"] == []
    assert result["unknowns"] == []
    assert {t["outcome"] for t in result["trace"]} == {"not_fired"}

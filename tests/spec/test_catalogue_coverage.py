"""The spec tables cover the whole catalogue: every prompt id of prompts.md has at least one firing and one
not-firing scenario, and one "unknown input" scenario unless its condition has no input that can be unknown."""

import importlib
from pathlib import Path

from apps.rules import RULES

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
}
CATALOGUE = {
    "red_flag.emergency",
    "red_flag.urgent",
    "investigations.myeloma_screen",
    "assessment.examination",
    "education.risk_factors",
    "education.symptoms",
    "education.atypical_groups",
    "imaging.spine_xray",
    "safety_net.advice",
    "report.explicit_fracture",
    "report.probable_fracture",
    "report.urgent_features",
    "diagnosis.record_vertebral_fracture",
    "diagnosis.tell_patient",
    "referral.fls",
    "bone.start_treatment",
    "bone.oral_bisphosphonate",
    "bone.oral_bisphosphonate_unsuitable",
    "bone.pre_treatment_checks",
    "bone.calcium_vitamin_d",
    "bone.dxa",
    "bone.specialist_referral",
    "investigations.bloods",
    "risk.frax",
    "falls.assessment",
    "pain.management",
    "bone.review_treatment",
    "bone.fracture_on_treatment",
    "bone.denosumab_continuity",
    "patient_info.about_vertebral_fracture",
    "patient_info.treatment",
    "patient_info.understanding_reports",
}


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

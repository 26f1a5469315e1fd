"""The rulebook's shape: 14 recommendations, every catalogue prompt, cited and versioned."""

import re

import pytest

from core.rules import RECOMMENDATIONS, RULEBOOK_VERSION, RULES
from core.rules.rulebook import CATALOGUE_ORDER, EXTENSION_IDS, rules_serving
from core.rules.sources import SOURCES

from .conftest import SHARED


def catalogue_ids() -> list[str]:
    text = (SHARED / "spec" / "prompts.md").read_text()
    return re.findall(r"^\| ([a-z_]+\.[a-z_]+) \|", text, flags=re.MULTILINE)


def test_every_catalogue_prompt_has_exactly_one_rule():
    if not (SHARED / "spec" / "prompts.md").exists():
        pytest.skip("../shared is not beside this checkout")
    ids = catalogue_ids()
    assert len(ids) == 32
    # The catalogue's prompts in its order, and the compatible extensions (new ids, listed in rulebook.py).
    assert [i for i in CATALOGUE_ORDER if i not in EXTENSION_IDS] == ids
    assert set(EXTENSION_IDS) <= set(CATALOGUE_ORDER) and not set(EXTENSION_IDS) & set(ids)
    assert [r.id for r in RULES] == list(CATALOGUE_ORDER)


def test_recommendations_are_1_to_14_with_the_right_status():
    assert [r.number for r in RECOMMENDATIONS] == list(range(1, 15))
    assert [r.id for r in RECOMMENDATIONS][:2] == ["R01", "R02"]
    for rec in RECOMMENDATIONS:
        expected = "verified" if rec.number <= 8 else "reconstructed"
        assert rec.status == expected, rec.id
        if rec.status == "reconstructed":
            assert "bennett-reconstructed" in rec.citations
        else:
            assert "bennett-t6" in rec.citations


def test_recommendation_audiences_follow_the_study():
    # Table 6: 1-3 patients, 4-8 clinicians; reconstruction: 4 clinician and 2 patient rows among 9-14.
    audiences = {r.number: r.audience for r in RECOMMENDATIONS}
    assert all(audiences[n] == "patients" for n in (1, 2, 3))
    assert sum(audiences[n] == "patients" for n in range(9, 15)) == 2


def test_every_rule_cites_known_sources_and_its_recommendations():
    for rule in RULES:
        assert rule.version >= 1 and rule.status == "active"
        assert rule.sources and all(s in SOURCES for s in rule.sources), rule.id
        assert rule.fires_when and rule.effect and rule.title, rule.id


def test_every_recommendation_is_served_by_a_prompt():
    for rec in RECOMMENDATIONS:
        assert rules_serving(rec.number), rec.id


def test_rulebook_version_is_calendar_versioned():
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d+", RULEBOOK_VERSION)


def test_sources_have_https_urls_and_a_status():
    for source in SOURCES.values():
        assert source.url.startswith("https://"), source.id
        assert source.status in {"V", "P", "R"}

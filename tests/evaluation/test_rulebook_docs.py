"""docs/recommendations.md is generated from the rule objects and must not go stale."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.evaluation.management.commands.rulebook_docs import docs_path
from core.rules import RECOMMENDATIONS, RULES
from core.rules.catalogue import render_markdown


def test_committed_rulebook_doc_is_current():
    assert docs_path().read_text(encoding="utf-8") == render_markdown() + "\n", (
        "docs/recommendations.md is stale: run python manage.py rulebook_docs"
    )


def test_rulebook_doc_names_every_recommendation_and_rule():
    text = render_markdown()
    for rec in RECOMMENDATIONS:
        assert f"## {rec.id}. {rec.title}" in text
    for rule in RULES:
        assert f"`{rule.id}`" in text
    assert "9-14 are reconstructed" in text


def test_check_mode_fails_on_a_stale_file(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "recommendations.md").write_text("old")
    with pytest.raises(CommandError, match="stale"):
        call_command("rulebook_docs", "--check")
    call_command("rulebook_docs", stdout=StringIO())
    out = StringIO()
    call_command("rulebook_docs", "--check", stdout=out)
    assert "up to date" in out.getvalue()

"""The consultation summary pasted into the record never tells anyone to start a drug its check rules out (issue 22):
the same clause scan as the prompts (tests/rules/test_drug_safety.py), on the summary of each contraindication with
a confirmed fracture."""

import pytest

from apps.assessments.selectors import summary_text
from apps.assessments.services import assessment_create
from tests.rules.test_drug_safety import COMBINATIONS, drug_checks, unsafe_clauses

# One role each: the summary's wording follows the prompts, whose role wording the rules tests already cover.
CASES = [c for c in COMBINATIONS if c.id.endswith(", gp")]


@pytest.mark.django_db
@pytest.mark.parametrize("data", CASES)
def test_the_summary_never_starts_a_ruled_out_drug(make_user, data):
    user = make_user("summary-safety", role="gp")
    assessment = assessment_create(user=user, data=data)
    assessment.refresh_from_db()
    text = summary_text(assessment)
    assert "SpinePrompt decision support" in text
    assert unsafe_clauses(text, drug_checks(data)) == []

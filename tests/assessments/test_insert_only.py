"""Stored assessments, their shown prompts, decisions and report reviews are insert-only in the database itself
(migration 0004), not only in the models: raw SQL cannot change or remove them either.

The test database is built by running every migration, so these also fail if a later migration loses a trigger
(on SQLite, rebuilding a table drops its triggers)."""

from __future__ import annotations

import pytest

from apps.assessments.models import Assessment, Decision, ReportReview, ShownPrompt
from apps.assessments.services import assessment_create, decision_record
from tests.insert_only import assert_raw_delete_refused, assert_raw_replace_refused, assert_raw_update_refused

from .test_reports import probable_assessment
from .test_views import CONFIRMED

MODELS = (Assessment, ShownPrompt, Decision, ReportReview)


@pytest.fixture
def stored(client, make_user):
    """One row in each guarded table: an assessment with its shown prompts, a decision, and a report review (which
    stores a second assessment, the reassessment)."""
    gp = make_user("gp1", role="gp")
    client.force_login(gp)
    assessment = probable_assessment(gp)
    decision_record(user=gp, assessment=assessment, prompt_id=assessment.prompts[0]["id"], choice="done")
    response = client.post(f"/assessments/{assessment.pk}/report/review/", {"outcome": "confirmed"})
    assert response.status_code == 302
    for model in MODELS:
        assert model.objects.exists(), model
    return gp


FIELD = {Assessment: "practice_reference", ShownPrompt: "prompt_id", Decision: "choice", ReportReview: "outcome"}
MESSAGE = "never changed or deleted"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_database_refuses_a_raw_update(stored, model):
    assert_raw_update_refused(model, FIELD[model], MESSAGE)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_database_refuses_a_raw_delete(stored, model):
    assert_raw_delete_refused(model, MESSAGE)


# A valid new value for a column of each table (a CHECK constraint must not be what refuses the insert).
REPLACED = {
    Assessment: ("practice_reference", "changed"),
    ShownPrompt: ("position", 99),
    Decision: ("note", "changed"),
    ReportReview: ("outcome", "rejected"),
}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_database_refuses_to_replace_a_row_under_its_primary_key(stored, model):
    """SQLite's INSERT OR REPLACE / REPLACE INTO delete the stored row without firing DELETE triggers; PostgreSQL's
    ON CONFLICT DO UPDATE is an update. Both must be refused (migration 0005 on SQLite)."""
    assert_raw_replace_refused(model, *REPLACED[model], MESSAGE)


@pytest.mark.parametrize(
    ("model", "key"),
    [(ShownPrompt, ("assessment", "prompt_id")), (ReportReview, ("reassessment",))],
    ids=["ShownPrompt", "ReportReview"],
)
def test_the_database_refuses_to_replace_a_row_under_another_unique_key(stored, model, key):
    """REPLACE also deletes a row that collides on any UNIQUE key, whatever the new row's primary key."""
    assert_raw_replace_refused(model, *REPLACED[model], MESSAGE, key=key)


def test_the_database_still_accepts_new_assessments_and_decisions(stored):
    before = {model: model.objects.count() for model in MODELS}
    assessment = assessment_create(user=stored, data=CONFIRMED["input"])
    decision_record(user=stored, assessment=assessment, prompt_id=assessment.prompts[0]["id"], choice="done")
    assert Assessment.objects.count() == before[Assessment] + 1
    assert ShownPrompt.objects.count() == before[ShownPrompt] + len(assessment.prompts) > before[ShownPrompt]
    assert Decision.objects.count() == before[Decision] + 1

"""Issued cards and card feedback are insert-only in the models and in the database itself (migration 0002): the
ORM refuses to change or remove them, and so do triggers for raw SQL. The feedback dashboard reads them to show
how each rule's cards were received, so a changed row would misreport it.

The test database is built by running every migration, so these also fail if a later migration loses a trigger
(on SQLite, rebuilding a table drops its triggers)."""

from __future__ import annotations

import pytest

from apps.cdshooks.models import AppendOnlyError, CardFeedback, IssuedCard
from tests.insert_only import assert_raw_delete_refused, assert_raw_replace_refused, assert_raw_update_refused

from .conftest import hook_body

PATH = "/cds-services/spineprompt-patient-view"
MODELS = (IssuedCard, CardFeedback)
COLUMN = {IssuedCard: "rule_id", CardFeedback: "reason"}


def _call(post) -> list[dict]:
    response = post(PATH, hook_body())
    assert response.status_code == 200
    return response.json()["cards"]


@pytest.fixture
def stored(post):
    """Cards issued by one patient-view call, and feedback on one of them."""
    card = _call(post)[0]
    feedback = {"card": card["uuid"], "outcome": "overridden", "outcomeTimestamp": "2026-11-23T10:00:00Z"}
    assert post(f"{PATH}/feedback", {"feedback": [feedback]}).json() == {"stored": 1}
    for model in MODELS:
        assert model.objects.exists(), model


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_database_refuses_a_raw_update(stored, model):
    assert_raw_update_refused(model, COLUMN[model], "never changed or deleted")


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_database_refuses_a_raw_delete(stored, model):
    assert_raw_delete_refused(model, "never changed or deleted")


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_database_refuses_to_replace_a_row(stored, model):
    """SQLite's INSERT OR REPLACE / REPLACE INTO delete the stored row without firing DELETE triggers; PostgreSQL's
    ON CONFLICT DO UPDATE is an update. Both must be refused (migration 0003 on SQLite)."""
    assert_raw_replace_refused(model, COLUMN[model], "changed", "never changed or deleted")


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_models_refuse_changes_and_deletion(stored, model):
    row = model.objects.first()
    column = COLUMN[model]
    setattr(row, column, "changed")
    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        row.save()
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        row.delete()
    with pytest.raises(AppendOnlyError, match="never changed"):
        model.objects.all().update(**{column: "changed"})
    with pytest.raises(AppendOnlyError, match="never deleted"):
        model.objects.all().delete()
    assert not model.objects.filter(**{column: "changed"}).exists()


@pytest.mark.django_db
def test_new_cards_and_feedback_still_go_in(stored, post):
    before = {model: model.objects.count() for model in MODELS}
    cards = _call(post)
    feedback = {"card": cards[0]["uuid"], "outcome": "overridden", "outcomeTimestamp": "2026-11-23T11:00:00Z"}
    assert post(f"{PATH}/feedback", {"feedback": [feedback]}).json() == {"stored": 1}
    assert IssuedCard.objects.count() == before[IssuedCard] + len(cards) > before[IssuedCard]
    assert CardFeedback.objects.count() == before[CardFeedback] + 1


@pytest.mark.django_db
def test_bulk_create_still_inserts_cards_with_their_own_ids(stored):
    """The no-replace trigger checks the key of every inserted row: new ids still go in, several at a time."""
    before = IssuedCard.objects.count()
    IssuedCard.objects.bulk_create(
        IssuedCard(service="s", issuer="i", rule_id=f"r{n}", rule_version=1, rulebook_version="v") for n in range(3)
    )
    assert IssuedCard.objects.count() == before + 3

"""Conformance with the CDS Hooks documentation's own examples (issue 25, point 7, begun): each hook page's example
context (tests/data/cds-hooks-examples, Apache-2.0), sent as a GP system would send it, gets a 200 whose answer is
valid under the CDS Hooks 2.0 schema. The order examples select an amoxicillin suspension and a pureed diet:
SpinePrompt has nothing to say about either, and says nothing (the spec's empty list), having read both. The
problem-list-item-create example adds a fracture of the ankle (SNOMED CT 16114001), not a fracture SpinePrompt's
value sets hold, with its category as a bare string and an STU3 assertedDate: read, and nothing to say."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from apps.audit.models import AuditEvent
from apps.cdshooks.schemas import errors as schema_errors

from .conftest import patient_prefetch

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "cds-hooks-examples"
SERVICE = {
    "patient-view": "spineprompt-patient-view",
    "order-select": "spineprompt-order-select",
    "order-sign": "spineprompt-order-sign",
    "encounter-start": "spineprompt-encounter-start",
    "problem-list-item-create": "spineprompt-problem-list-item-create",
}
pytestmark = pytest.mark.django_db


def example(hook: str) -> dict:
    data = json.loads((EXAMPLES / f"{hook}.json").read_text())
    context = data["context"]
    return {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": context,
        "prefetch": patient_prefetch(context["patientId"]),
    }


@pytest.mark.parametrize("hook", sorted(SERVICE))
def test_the_specs_example_gets_a_valid_answer(post, hook):
    response = post(f"/cds-services/{SERVICE[hook]}", example(hook))
    assert response.status_code == 200, response.content[:300]
    assert schema_errors("response", response.json()) == []
    event = AuditEvent.objects.get(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail["outcome"] in ("evaluated", "not_applicable")


@pytest.mark.parametrize("hook", ["patient-view", "encounter-start"])
def test_the_record_examples_give_the_patients_prompts(post, hook):
    """The synthetic prefetch holds a coded vertebral fracture with no bone protection: there is something to say."""
    cards = post(f"/cds-services/{SERVICE[hook]}", example(hook)).json()["cards"]
    assert cards and all(c["summary"] != "SpinePrompt could not read all of this" for c in cards)


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_the_order_examples_are_read_and_need_no_card(post, hook):
    """An amoxicillin suspension (named in its display) and a pureed diet: read, and not about bone health."""
    assert post(f"/cds-services/{SERVICE[hook]}", example(hook)).json() == {"cards": []}
    assert AuditEvent.objects.get().detail["outcome"] == "not_applicable"


def test_the_problem_example_is_read_and_needs_no_card(post):
    assert post(f"/cds-services/{SERVICE['problem-list-item-create']}", example("problem-list-item-create")).json() == {
        "cards": []
    }
    assert AuditEvent.objects.get().detail["outcome"] == "not_applicable"


def test_the_problem_example_with_a_vertebral_fracture_gives_what_follows(post):
    """The same example with its problem a vertebral fracture, the R4 shape kept as the spec wrote it: the prompts
    that follow a fracture, each card saying how the example's odd fields were read."""
    body = example("problem-list-item-create")
    body["prefetch"] = patient_prefetch(body["context"]["patientId"], fracture=False)
    condition = body["context"]["conditions"]["entry"][0]["resource"]
    condition["code"] = {"coding": [{"system": "http://snomed.info/sct", "code": "240198002"}]}
    condition["onsetDateTime"] = "2026-11-20"
    cards = post(f"/cds-services/{SERVICE['problem-list-item-create']}", body).json()["cards"]
    summaries = [c["summary"] for c in cards]
    assert any(s.startswith("Refer to the fracture liaison service") for s in summaries)
    assert any(s.startswith("Tell the patient about the fracture") for s in summaries)
    assert not any(s.startswith("Record the vertebral fracture") for s in summaries)  # just recorded
    assert all("category: given as a string" in c["detail"] for c in cards)

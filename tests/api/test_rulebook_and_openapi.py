"""GET /api/v1/rulebook and the OpenAPI document."""

import json

import pytest

from core.rules import RULES, input_json_schema


@pytest.mark.django_db
def test_rulebook_lists_every_rule_with_conditions_and_citations(client, auth):
    response = client.get("/api/v1/rulebook", **auth)
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["rules"]] == [r.id for r in RULES]
    for rule in body["rules"]:
        assert rule["version"] >= 1 and rule["status"] == "active"
        assert rule["conditions"] and rule["citations"]
        assert all(c["url"].startswith("https://") for c in rule["citations"])
    statuses = {r["number"]: r["status"] for r in body["recommendations"]}
    assert statuses == {n: "verified" if n <= 8 else "reconstructed" for n in range(1, 15)}


@pytest.mark.django_db
def test_rulebook_needs_a_token(client):
    assert client.get("/api/v1/rulebook").status_code == 401


@pytest.mark.django_db
def test_openapi_document_describes_the_endpoints_and_input(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {"/evaluate", "/rulebook", "/openapi.json"}
    assert doc["components"]["schemas"]["AssessmentInput"] == input_json_schema()
    assert set(doc["paths"]["/evaluate"]["post"]["responses"]) == {"200", "400", "401", "403", "413", "500"}
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_every_schema_reference_resolves():
    from apps.api.openapi import openapi_document

    doc = openapi_document()
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    assert refs
    for ref in refs:
        assert ref.removeprefix("#/components/schemas/") in doc["components"]["schemas"], ref

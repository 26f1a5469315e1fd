"""What the API sends matches what its OpenAPI document promises: every response is checked against the
document's own schema (JSON Schema 2020-12, as OpenAPI 3.1 uses), with dates checked as dates and every URL as an
https address (jsonschema checks the "uri" format only with an extra package, so that is checked here). The
schemas list every key as required and allow no others, so a key added, dropped or renamed in a response fails
here until the document says so too."""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker

from apps.api.openapi import openapi_document
from core.rules import evaluate_data
from core.rules.contract import ROLES
from tests.rules.conftest import TODAY, load_vignettes
from tests.rules.test_properties import VALID

from .test_evaluate import CASE, post

DOC = openapi_document()
REPORT_TEXT = (
    "LATERAL THORACIC SPINE: There is a wedge compression fracture of T8 with approximately 30% loss of anterior "
    "height. No fracture elsewhere. Old healed fracture of L1."
)


def validator(name: str) -> Draft202012Validator:
    """A validator for one component schema, resolving its references within the document."""
    root = {"$ref": f"#/components/schemas/{name}", "components": DOC["components"]}
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root, format_checker=FormatChecker())


def _urls(node: object) -> list[str]:
    if isinstance(node, dict):
        return [*([node["url"]] if "url" in node else []), *(u for v in node.values() for u in _urls(v))]
    if isinstance(node, list):
        return [u for v in node for u in _urls(v)]
    return []


def assert_matches(name: str, body: object) -> None:
    errors = sorted(validator(name).iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])
    for url in _urls(body):
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc and " " not in url, url


def _responses(path: str, method: str) -> dict:
    return DOC["paths"][path][method]["responses"]


def _schema_name(path: str, method: str, status: int) -> str:
    ref = _responses(path, method)[str(status)]["content"]["application/json"]["schema"]["$ref"]
    return ref.removeprefix("#/components/schemas/")


VIGNETTE_INPUTS = [v["input"] for v in load_vignettes() if "expect" in v]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_vignette_result_matches_the_evaluation_schema(client, auth, role):
    assert VIGNETTE_INPUTS
    for data in [*VIGNETTE_INPUTS, {**CASE, "spine_imaging": {"report_text": REPORT_TEXT}}]:
        response = post(client, {**data, "assessor_role": role}, **auth)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert_matches(_schema_name("/evaluate", "post", 200), response.json())


def test_a_screened_report_matches_its_schema():
    result = evaluate_data({**CASE, "spine_imaging": {"report_text": REPORT_TEXT}}, today=TODAY)
    assert result["report"]["classification"] == "explicit" and result["report"]["matches"]
    assert_matches("ReportScreen", result["report"])
    assert_matches("Evaluation", result)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_any_valid_input_gives_a_result_that_matches_the_schema(data):
    # The same function the view returns (tests/api/test_evaluate.py checks they are the same result).
    assert_matches("Evaluation", json.loads(json.dumps(evaluate_data(data, today=TODAY))))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {**CASE, "age": 150, "sex": "x", "bogus": 1},
        {**CASE, "assessed_on": "2999-01-01"},
        "not json",
        "[]",
    ],
)
def test_invalid_input_gives_the_errors_schema(client, auth, body):
    response = post(client, body, **auth)
    assert response.status_code == 400
    assert_matches(_schema_name("/evaluate", "post", 400), response.json())


@pytest.mark.django_db
def test_a_too_large_request_gives_the_errors_schema(client, auth, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = post(client, {**CASE, "spine_imaging": {"report_text": "x" * 500}}, **auth)
    assert response.status_code == 413
    assert_matches(_schema_name("/evaluate", "post", 413), response.json())


@pytest.mark.django_db
def test_a_refused_token_gives_the_error_schema(client):
    for path, method, call in (
        ("/evaluate", "post", lambda: post(client, CASE, HTTP_AUTHORIZATION="Bearer nope")),
        ("/rulebook", "get", lambda: client.get("/api/v1/rulebook")),
    ):
        response = call()
        assert response.status_code == 401
        assert_matches(_schema_name(path, method, 401), response.json())


@pytest.mark.django_db
def test_decision_support_unavailable_gives_the_error_schema(client, auth, monkeypatch):
    from apps.evaluation import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "evaluate_data", broken)
    response = post(client, CASE, **auth)
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "decision support unavailable"
    assert_matches(_schema_name("/evaluate", "post", 500), body)


@pytest.mark.django_db
def test_the_rulebook_matches_its_schema(client, auth):
    response = client.get("/api/v1/rulebook", **auth)
    assert response.status_code == 200
    assert_matches(_schema_name("/rulebook", "get", 200), response.json())


def test_every_vignette_input_matches_the_input_schema():
    for data in VIGNETTE_INPUTS:
        assert_matches("AssessmentInput", data)


def test_the_schemas_refuse_what_the_api_never_sends():
    """The contract can fail: a result with a key dropped, a key added or a wrong type does not match."""
    result = evaluate_data(VIGNETTE_INPUTS[0], today=TODAY)
    assert result["prompts"], "needs a vignette with prompts"
    broken = [
        {k: v for k, v in result.items() if k != "trace"},
        {**result, "extra": 1},
        {**result, "prompts": [{**result["prompts"][0], "priority": "whenever"}]},
        {**result, "prompts": [{k: v for k, v in result["prompts"][0].items() if k != "because"}]},
        {**result, "trace": [{**result["trace"][0], "outcome": "maybe"}]},
        {**result, "unknowns": [{"field": "age"}]},
        {**result, "assessed_on": "23/11/2026"},
        {**result, "report": {"classification": "explicit"}},
    ]
    for body in broken:
        assert list(validator("Evaluation").iter_errors(body)), body.keys()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("get", "/api/v1/evaluate", "POST"),
        ("put", "/api/v1/evaluate", "POST"),
        ("post", "/api/v1/rulebook", "GET"),
        ("delete", "/api/v1/rulebook", "GET"),
        ("post", "/api/v1/openapi.json", "GET"),
    ],
)
def test_a_wrong_method_gets_the_error_schema_and_the_allowed_method(method, path, allow, auth):
    # CSRF checks on, as for a real client: the API's own 405 answers, not the site's CSRF page.
    response = getattr(Client(enforce_csrf_checks=True), method)(path, **auth)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == allow
    assert response.json() == {"error": "method not allowed"}
    assert_matches("Error", response.json())


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/evaluations", "/api/v1/rulebook/R01", "/api/v1/x/y.json"])
def test_an_unknown_api_address_gets_the_error_schema(method, path, auth):
    for headers in ({}, auth):  # with a token or without, the same answer
        response = getattr(Client(enforce_csrf_checks=True), method)(path, **headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"error": "not found"}
        assert_matches("Error", response.json())

"""POST /api/v1/evaluate: same input and result as the CLI, 400 with the same error list, 401 without a token."""

import json
import logging

import pytest

from apps.api.models import ApiToken
from apps.api.services import api_token_create
from apps.audit.models import AuditEvent
from apps.evaluation import services
from core.rules import RULEBOOK_VERSION

URL = "/api/v1/evaluate"
CASE = {
    "input_version": 1,
    "assessed_on": "2026-11-23",
    "age": 74,
    "sex": "female",
    "back_pain": {"present": True, "onset": "sudden", "site": "thoracic"},
    "historical_height_loss_cm": 5,
}


def post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


@pytest.mark.django_db
def test_evaluate_returns_prompts_with_the_rulebook_version(client, auth):
    response = post(client, CASE, **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["rulebook_version"] == RULEBOOK_VERSION
    assert "imaging.spine_xray" in [p["id"] for p in body["prompts"]]


@pytest.mark.django_db
def test_evaluate_rejects_invalid_input_with_every_field_error_and_stores_nothing(client, auth):
    before = ApiToken.objects.count()
    response = post(client, {**CASE, "age": 150, "sex": "x", "bogus": 1}, **auth)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"field": "bogus", "message": "is not a known field (put extra data under extensions)"},
            {"field": "age", "message": "must be between 18 and 120"},
            {"field": "sex", "message": "must be one of: female, male, unknown"},
        ]
    }
    assert ApiToken.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["{not json", b"\xff\xfe", "[1, 2]"])
def test_evaluate_rejects_malformed_bodies(client, auth, body):
    response = post(client, body, **auth)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "(input)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer sp_not-a-real-token", "Token abc", "Basic dXNlcjpwYXNz"],
)
def test_evaluate_without_a_valid_token_is_401(client, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = post(client, CASE, **headers)
    assert response.status_code == 401
    assert response.json() == {"error": "authentication required"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_revoked_token_and_inactive_user_are_refused(client, token, auth):
    from apps.api.services import api_token_revoke

    api_token = ApiToken.objects.get()
    api_token.user.is_active = False
    api_token.user.save()
    assert post(client, CASE, **auth).status_code == 401
    api_token.user.is_active = True
    api_token.user.save()
    assert post(client, CASE, **auth).status_code == 200
    api_token_revoke(token=api_token)
    assert post(client, CASE, **auth).status_code == 401


@pytest.mark.django_db
def test_an_admin_token_may_read_the_rulebook_but_not_evaluate_and_the_refusal_is_audited(client, make_user):
    _, raw = api_token_create(user=make_user("api-admin", role="admin"), name="tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/rulebook", **auth).status_code == 200
    response = post(client, CASE, **auth)
    assert response.status_code == 403
    assert response.json() == {"error": "evaluation needs a clinical role (GP, practice nurse or physiotherapist)"}
    event = AuditEvent.objects.get(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail["outcome"] == "refused" and event.actor_role == "admin"
    assert event.rules == [] and event.detail["prompts"] == 0


@pytest.mark.parametrize("role", ["gp", "nurse", "physio"])
@pytest.mark.django_db
def test_every_clinical_role_may_evaluate(client, make_user, role):
    _, raw = api_token_create(user=make_user(f"api-{role}", role=role), name="tests")
    assert post(client, CASE, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.django_db
def test_evaluate_needs_post(client, auth):
    assert client.get(URL, **auth).status_code == 405


@pytest.mark.django_db
def test_internal_error_is_decision_support_unavailable(client, auth, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("apps.evaluation.services.evaluate_data", broken)
    with caplog.at_level(logging.ERROR):
        response = post(client, CASE, **auth)
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "decision support unavailable"
    assert "prompts" not in body
    # H-13: the log names the failure, never the patient's data.
    assert "evaluation failed" in caplog.text
    assert "thoracic" not in caplog.text and "74" not in caplog.text


def test_service_uses_the_local_date_as_today(monkeypatch):
    import datetime as dt

    monkeypatch.setattr(services.timezone, "localdate", lambda: dt.date(2026, 1, 1))
    result = services.assessment_evaluate(data={"age": 70, "sex": "male"})
    assert result["assessed_on"] == "2026-01-01"


@pytest.mark.django_db
def test_each_evaluation_is_audited_without_patient_data(client, auth):
    from apps.audit.models import AuditEvent

    response = post(client, CASE, **auth)
    event = AuditEvent.objects.get(event="api_evaluation")
    fired = [{"id": p["id"], "version": p["rule_version"]} for p in response.json()["prompts"]]
    assert event.actor == "api-gp" and event.actor_role == "gp"
    assert event.rules == fired and event.rulebook_version == RULEBOOK_VERSION
    assert event.detail["outcome"] == "evaluated" and event.detail["prompts"] == len(fired)
    stored = json.dumps([event.detail, event.rules, event.target_id])
    assert "thoracic" not in stored and "74" not in stored


@pytest.mark.django_db
def test_invalid_input_writes_no_audit_event(client, auth):
    from apps.audit.models import AuditEvent

    assert post(client, {**CASE, "age": 150}, **auth).status_code == 400
    assert not AuditEvent.objects.filter(event="api_evaluation").exists()


@pytest.mark.django_db
def test_unavailable_evaluation_is_audited(client, auth, monkeypatch):
    from apps.audit.models import AuditEvent

    monkeypatch.setattr("apps.evaluation.services.evaluate_data", lambda *_a, **_k: 1 / 0)
    assert post(client, CASE, **auth).status_code == 500
    assert AuditEvent.objects.get(event="api_evaluation").detail["outcome"] == "unavailable"


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000, '{"a": ' * 5000 + "1" + "}" * 5000], ids=["list", "object"])
def test_deeply_nested_json_is_invalid_input_not_a_server_error(client, auth, body):
    """5,000 levels of nesting once raised RecursionError in the JSON decoder: an HTML 500. It is input the API
    cannot read, so it gets the documented 400 error list, and nothing is evaluated or audited."""
    from apps.audit.models import AuditEvent

    response = post(client, body, **auth)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": [{"field": "(input)", "message": "is nested too deeply (at most 64 levels)"}]}
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION).exists()

"""Answers when things go wrong (issue 24): machine clients always get JSON, a database that is away is a 503 with
Retry-After (nothing stored, worth repeating), refused API calls are audited, and the doors an attacker would
hammer are rate limited with 429 and Retry-After."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from apps.api.services import api_token_create
from apps.audit.models import AuditEvent, RefusalTally
from apps.audit.refusals import refusals_flush

pytestmark = pytest.mark.django_db
VALID = '{"input_version": 1, "age": 74, "sex": "female"}'


@pytest.fixture
def token(make_user):
    return api_token_create(user=make_user("api-gp"), name="tests")[1]


@pytest.fixture
def one_minute():
    """The rate limits count per clock minute: hold the clock in the middle of one, so a test's calls cannot
    straddle two windows (and reset the count half-way)."""
    with mock.patch("apps.web.ratelimit._clock", return_value=1_800_000_030.0):
        yield


def evaluate(client, token, body=VALID):
    return client.post("/api/v1/evaluate", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def raising_client(client):
    client.raise_request_exception = False  # as a real server: the handler answers, the test sees the response
    return client


def test_the_database_away_in_a_view_is_a_json_503_with_retry_after(raising_client, token):
    with mock.patch("apps.api.views.audit_record", side_effect=OperationalError("connection refused")):
        response = evaluate(raising_client, token)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "service unavailable"
    assert int(response["Retry-After"]) > 0


def test_the_database_away_before_the_view_is_a_json_503_too(raising_client, token):
    """Authentication reads the token from the database before the view runs."""
    with mock.patch("apps.api.decorators.api_token_authenticate", side_effect=OperationalError("gone")):
        response = evaluate(raising_client, token)
    assert response.status_code == 503 and response.json()["error"] == "service unavailable"


def test_the_database_away_on_a_page_is_the_sites_503_page(raising_client, make_user):
    raising_client.force_login(make_user("gp", role="gp"))
    with mock.patch("apps.assessments.views.Assessment.objects") as objects:
        objects.filter.side_effect = OperationalError("gone")
        response = raising_client.get("/assessments/")
    assert response.status_code == 503 and "briefly unavailable" in response.content.decode()
    assert response["Retry-After"]


def test_a_bug_in_the_api_is_a_json_500_saying_decision_support_is_unavailable(raising_client, token):
    with mock.patch("apps.api.decorators.api_token_authenticate", side_effect=KeyError("bug")):
        response = evaluate(raising_client, token)
    assert response.status_code == 500
    assert response.json()["error"] == "decision support unavailable"


def test_an_unknown_api_address_is_json(client):
    response = client.get("/api/v2/nothing")
    assert response.status_code == 404 and response.json() == {"error": "not found"}


def test_api_refusals_are_audited_per_address_and_minute(client):
    for auth in ("", "Bearer sp_not-a-token", "Bearer sp_not-a-token", "Basic abc"):
        headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
        assert client.post("/api/v1/evaluate", VALID, content_type="application/json", **headers).status_code == 401
    assert {(t.reason, t.count) for t in RefusalTally.objects.all()} == {("no token", 2), ("token not valid", 2)}
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=1)):
        refusals_flush()
    events = AuditEvent.objects.filter(event=AuditEvent.Event.REFUSED, target_type="api")
    assert sorted((e.actor, e.detail["reason"], e.detail["count"]) for e in events) == [
        ("127.0.0.1", "no token", 2),
        ("127.0.0.1", "token not valid", 2),
    ]


def test_the_api_is_rate_limited(client, token, settings, one_minute):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": 2}
    assert [evaluate(client, token).status_code for _ in range(3)] == [200, 200, 429]
    response = evaluate(client, token)
    assert response.json() == {"error": "too many requests", "detail": response.json()["detail"]}
    assert 1 <= int(response["Retry-After"]) <= 61


def test_logins_are_rate_limited_per_address(client, make_user, settings, one_minute):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": 3}
    make_user("gp", role="gp")
    codes = [client.post("/accounts/login/", {"username": f"guess{i}", "password": "x"}).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.post("/accounts/login/", {"username": "gp", "password": "pw-for-tests-only"})
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    assert response["Retry-After"]
    assert client.get("/accounts/login/").status_code == 200  # only attempts are counted, not the page


def test_a_limit_of_zero_turns_a_door_off(client, token, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": 0}
    assert {evaluate(client, token).status_code for _ in range(5)} == {200}


def test_the_client_address_comes_from_the_proxy_only_when_trusted(client, token, settings, one_minute):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": 1}
    spoofed = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert evaluate(client, token).status_code == 200
    # Untrusted: a client cannot dodge the limit by claiming another address.
    assert client.post("/api/v1/evaluate", VALID, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}", **spoofed).status_code == 429  # fmt: skip
    settings.TRUST_X_FORWARDED_FOR = True
    assert client.post("/api/v1/evaluate", VALID, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}", **spoofed).status_code == 200  # fmt: skip


def test_the_window_counts_per_minute_and_says_how_long_to_wait():
    from apps.web.ratelimit import over_limit

    assert over_limit("unit", "a", 1, now=60.5) is None
    assert over_limit("unit", "a", 1, now=61.0) == (60, True)  # the first refusal of the window
    assert over_limit("unit", "a", 1, now=119.5) == (1, False)
    assert over_limit("unit", "b", 1, now=119.6) is None  # per address
    assert over_limit("unit", "a", 1, now=120.1) is None  # a new minute

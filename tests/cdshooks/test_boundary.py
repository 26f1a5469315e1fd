"""CDS Hooks at the input boundary (issue 24): hostile bodies behind a valid token, and hostile tokens, are a 4xx
(JSON), never a 5xx; refused calls are audited, counted per minute, never one row each."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.audit.models import AuditEvent, RefusalTally
from apps.audit.refusals import refusals_flush
from apps.cdshooks.models import IssuedCard
from apps.cdshooks.security import MAX_TOKEN_BYTES

from .conftest import ISS, PATIENT_VIEW, hook_body

PATH = f"/cds-services/{PATIENT_VIEW}"
pytestmark = pytest.mark.django_db


@pytest.fixture
def one_minute():
    """The rate limits count per clock minute: hold the clock in the middle of one, so a test's calls cannot
    straddle two windows (and reset the count half-way)."""
    with mock.patch("apps.web.ratelimit._clock", return_value=1_800_000_030.0):
        yield


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def body_with(number: str) -> bytes:
    text = json.dumps(hook_body())
    return text.replace('"gender": "female"', f'"gender": "female", "extension": {number}').encode()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(digits=st.integers(min_value=31, max_value=6000))
def test_a_number_of_thousands_of_digits_anywhere_in_the_body_is_a_named_400(post, digits):
    response = post(PATH, None, raw=body_with("9" * digits))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "(body)"
    assert not IssuedCard.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        {"alg": ["ES384"], "kid": "ec-1", "typ": "JWT"},
        {"alg": {"ES384": 1}, "kid": "ec-1", "typ": "JWT"},
        {"alg": "ES384", "kid": ["ec-1"], "typ": "JWT"},
        {"alg": "ES384", "kid": "ec-1", "jku": ["https://ehr.example.test/.well-known/jwks.json"]},
        {"alg": "ES384", "kid": "ec-1", "jku": {"url": "https://ehr.example.test/.well-known/jwks.json"}},
    ],
)
def test_a_header_with_a_list_or_an_object_is_401_before_anything_uses_it(post, sign, header):
    """Such a header once raised TypeError in a set lookup: a 500 before authentication."""
    valid = sign(PATH)
    _, payload, signature = valid.split(".")
    response = post(PATH, hook_body(), token=f"{_b64(header)}.{payload}.{signature}")
    assert response.status_code == 401
    assert response.json() == {"error": "authentication required"}


@pytest.mark.parametrize("claims", [{"exp": "9999999999"}, {"iat": "1"}, {"exp": True}, {"iat": [1]}])
def test_a_signed_token_whose_times_are_not_numbers_is_401(post, sign, claims):
    response = post(PATH, hook_body(), token=sign(PATH, **claims))
    assert response.status_code == 401


def test_an_oversized_token_is_the_apps_own_401(post, sign):
    response = post(PATH, hook_body(), token="a" * (MAX_TOKEN_BYTES + 1))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_forgery_and_a_replay_are_audited_once_a_minute_with_their_counts(post, sign, ec_key):
    from cryptography.hazmat.primitives.asymmetric import ec

    forger = ec.generate_private_key(ec.SECP384R1())
    for _ in range(5):
        assert post(PATH, hook_body(), token=sign(PATH, key=forger)).status_code == 401
    token = sign(PATH, jti="replayed-jti")
    assert post(PATH, hook_body(), token=token).status_code == 200
    for _ in range(3):
        assert post(PATH, hook_body(), token=token).status_code == 401
    # Counted, not yet written: one tally per (issuer, reason) this minute, however many calls.
    tallies = {(t.source, t.reason): t.count for t in RefusalTally.objects.all()}
    assert tallies == {(ISS, "bad signature"): 5, (ISS, "replayed jti"): 3}
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.REFUSED).exists()
    # Once the minute is over, each tally is one event with its count, the issuer and the first jti.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=1)):
        assert refusals_flush() == 2
    events = {e.detail["reason"]: e for e in AuditEvent.objects.filter(event=AuditEvent.Event.REFUSED)}
    assert events["bad signature"].detail["count"] == 5 and events["bad signature"].actor == ISS
    assert events["replayed jti"].detail == {**events["replayed jti"].detail, "count": 3, "first_jti": "replayed-jti"}
    assert events["replayed jti"].target_type == "cds_hooks"
    assert not RefusalTally.objects.exists()


def test_an_unknown_issuer_is_counted_by_the_callers_address_not_its_claim(post, sign):
    for _ in range(2):
        post(PATH, hook_body(), token=sign(PATH, iss="https://attacker.example/" + "x" * 500))
    assert [(t.source, t.reason, t.count) for t in RefusalTally.objects.all()] == [("127.0.0.1", "unknown issuer", 2)]


def test_cds_hooks_is_rate_limited_with_retry_after(post, settings, one_minute):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cds_hooks": 3}
    codes = [post(PATH, hook_body()).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = post(PATH, hook_body())
    assert response.status_code == 429 and response.json()["error"] == "too many requests"
    assert 1 <= int(response["Retry-After"]) <= 61
    assert RefusalTally.objects.get(reason="rate limited").count == 1  # the first 429 of the window only


@pytest.mark.parametrize(("method", "path"), [("get", PATH), ("put", PATH), ("post", "/cds-services")])
def test_a_wrong_method_is_a_json_405(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response.json() == {"error": "method not allowed"} and response["Allow"]

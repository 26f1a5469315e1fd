"""Trusting CDS Clients (CDS Hooks 2.0): every service and feedback call needs a fresh JWT signed by a configured
issuer's key, for this endpoint; anything else is 401 with no detail, and nothing is evaluated or stored."""

from __future__ import annotations

import base64
import json
import logging
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from apps.audit.models import AuditEvent
from apps.cdshooks.models import IssuedCard

from .conftest import ISS, PATIENT_VIEW, hook_body

PATH = f"/cds-services/{PATIENT_VIEW}"
FEEDBACK = f"{PATH}/feedback"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unsigned(path: str) -> str:
    now = int(time.time())
    claims = {"iss": ISS, "aud": "http://testserver" + path, "iat": now, "exp": now + 300, "jti": "x-none"}
    return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'ec-1'})}.{_b64(claims)}."


def _assert_refused(response) -> None:
    assert response.status_code == 401
    assert response.json() == {"error": "authentication required"}  # no detail
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_a_valid_es384_token_is_accepted(post):
    response = post(PATH, hook_body())
    assert response.status_code == 200
    assert response.json()["cards"]


@pytest.mark.django_db
def test_a_valid_rs384_token_is_accepted(post, sign, rsa_key):
    assert post(PATH, hook_body(), token=sign(PATH, key=rsa_key, alg="RS384", kid="rsa-1")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "not_bearer",
        "garbage",
        "alg_none",
        "hs256",
        "hs256_with_public_key_as_secret",
        "expired",
        "wrong_aud",
        "aud_of_other_service",
        "aud_list_without_this_endpoint",
        "aud_list_of_non_strings",
        "unknown_issuer",
        "bad_signature",
        "unknown_kid",
        "no_jti",
        "no_exp",
        "no_iat",
        "issued_in_future",
        "lifetime_too_long",
        "jku_not_allowed",
        "rs384_with_ec_key_id",
        "es256_on_p384_key",
    ],
)
def test_bad_tokens_get_401_and_nothing_happens(client, post, sign, case, ec_key):
    now = int(time.time())
    other_key = ec.generate_private_key(ec.SECP384R1())
    tokens = {
        "missing": "",
        "garbage": "not-a-jwt",
        "alg_none": _unsigned(PATH),
        "hs256": jwt.encode(
            {"iss": ISS, "aud": "http://testserver" + PATH, "iat": now, "exp": now + 60, "jti": "h"},
            "a-shared-secret-that-is-long-enough-for-hmac",
            algorithm="HS256",
            headers={"kid": "ec-1"},
        ),
        "expired": sign(PATH, iat=now - 600, exp=now - 120),
        "wrong_aud": sign(PATH, aud="https://elsewhere.example/cds-services/" + PATIENT_VIEW),
        "aud_of_other_service": sign(PATH, aud="http://testserver/cds-services"),
        # aud may be an array (CDS Hooks 2.0.1, RFC 7519), but it must name this endpoint, as strings.
        "aud_list_without_this_endpoint": sign(PATH, aud=["https://other-service.example/cds-services/x"]),
        "aud_list_of_non_strings": sign(PATH, aud=[["http://testserver" + PATH], 1]),
        "unknown_issuer": sign(PATH, iss="https://stranger.example"),
        "bad_signature": sign(PATH, key=other_key),
        "unknown_kid": sign(PATH, kid="nope"),
        "no_jti": sign(PATH, jti=None),
        "no_exp": sign(PATH, exp=None),
        "no_iat": sign(PATH, iat=None),
        "issued_in_future": sign(PATH, iat=now + 600, exp=now + 900),
        "lifetime_too_long": sign(PATH, iat=now, exp=now + 7200),
        "jku_not_allowed": sign(PATH, headers={"jku": "https://attacker.example/jwks.json"}),
        "es256_on_p384_key": None,  # built below
    }
    if case == "not_bearer":
        response = client.post(
            PATH,
            data=json.dumps(hook_body()),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Basic {sign(PATH)}",
        )
    else:
        if case == "hs256_with_public_key_as_secret":
            # The classic algorithm-confusion attack: HMAC keyed with the issuer's public key.
            from cryptography.hazmat.primitives import serialization

            pem = ec_key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            token = _hmac_token(pem, now)
        elif case == "rs384_with_ec_key_id":
            from cryptography.hazmat.primitives.asymmetric import rsa

            token = sign(PATH, key=rsa.generate_private_key(public_exponent=65537, key_size=2048), alg="RS384")
        elif case == "es256_on_p384_key":
            token = sign(PATH, key=ec.generate_private_key(ec.SECP256R1()), alg="ES256")
        else:
            token = tokens[case]
        response = post(PATH, hook_body(), token=token)
    _assert_refused(response)
    assert not IssuedCard.objects.exists()
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION).exists()


def _hmac_token(secret: bytes, now: int) -> str:
    import hashlib
    import hmac

    head = _b64({"alg": "HS256", "typ": "JWT", "kid": "ec-1"})
    body = _b64({"iss": ISS, "aud": "http://testserver" + PATH, "iat": now, "exp": now + 60, "jti": "c"})
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "aud",
    [["http://testserver" + PATH], ["https://other-service.example/cds-services/x", "http://testserver" + PATH]],
    ids=["this_endpoint_only", "this_endpoint_and_another"],
)
def test_an_aud_array_naming_this_endpoint_is_accepted(post, sign, aud):
    """CDS Hooks 2.0.1: aud is "string or array of string". A token naming another service as well cannot be used
    twice here: its jti is accepted once per issuer across every SpinePrompt endpoint."""
    token = sign(PATH, aud=aud)
    assert post(PATH, hook_body(), token=token).status_code == 200
    assert post(PATH, hook_body(), token=token).status_code == 401


@pytest.mark.django_db
def test_a_replayed_token_gets_401(post, sign):
    token = sign(PATH)
    assert post(PATH, hook_body(), token=token).status_code == 200
    _assert_refused(post(PATH, hook_body(), token=token))
    assert AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION).count() == 1


@pytest.mark.django_db
def test_a_token_for_the_service_is_not_accepted_by_its_feedback_endpoint(post, sign):
    _assert_refused(post(FEEDBACK, {"feedback": []}, token=sign(PATH)))


@pytest.mark.django_db
def test_the_configured_base_url_sets_the_audience(post, sign, settings):
    settings.CDS_HOOKS_BASE_URL = "https://spineprompt.example.org"
    _assert_refused(post(PATH, hook_body()))  # aud http://testserver/... no longer matches
    good = sign(PATH, aud="https://spineprompt.example.org" + PATH)
    assert post(PATH, hook_body(), token=good).status_code == 200


@pytest.mark.django_db
def test_no_issuers_configured_means_every_call_is_refused(post, settings):
    settings.CDS_HOOKS_ISSUERS = ""
    _assert_refused(post(PATH, hook_body()))


@pytest.mark.django_db
def test_issuers_can_come_from_a_file(post, settings, tmp_path):
    path = tmp_path / "issuers.json"
    path.write_text(settings.CDS_HOOKS_ISSUERS)
    settings.CDS_HOOKS_ISSUERS = ""
    settings.CDS_HOOKS_ISSUERS_FILE = str(path)
    assert post(PATH, hook_body()).status_code == 200


@pytest.mark.parametrize("servers", [{"url": "https://x"}, [""], [1]])
def test_fhir_servers_that_are_not_a_list_of_urls_stop_the_service(settings, ec_key, servers):
    from django.core.exceptions import ImproperlyConfigured

    from apps.cdshooks.security import configured_issuers

    config = json.loads(settings.CDS_HOOKS_ISSUERS)
    config["issuers"][0]["fhir_servers"] = servers
    settings.CDS_HOOKS_ISSUERS = json.dumps(config)
    with pytest.raises(ImproperlyConfigured, match="fhir_servers must be a list of FHIR base URLs"):
        configured_issuers()


def test_a_private_key_in_the_configuration_is_refused(settings, ec_key):
    from django.core.exceptions import ImproperlyConfigured

    from apps.cdshooks.security import configured_issuers

    private = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key))
    settings.CDS_HOOKS_ISSUERS = json.dumps({"issuers": [{"iss": ISS, "jwks": {"keys": [{**private, "kid": "k"}]}}]})
    with pytest.raises(ImproperlyConfigured, match="private key"):
        configured_issuers()


@pytest.mark.django_db
def test_tokens_and_authorization_headers_are_never_logged(post, sign, caplog):
    token = sign(PATH)
    with caplog.at_level(logging.DEBUG):
        post(PATH, hook_body(), token=token)
        post(PATH, hook_body(), token=token)  # the replay is refused: still nothing logged
        post(PATH, hook_body(), token=token[:-4] + "AAAA")
    signature = token.rsplit(".", 1)[1]
    assert all(signature not in r.getMessage() and "Bearer" not in r.getMessage() for r in caplog.records)

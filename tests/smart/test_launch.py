"""SMART App Launch end to end against a simulated EHR (issue 25, point 6): launch, authorise with PKCE, the user from
the id_token's fhirUser, the patient read through the EHR's FHIR API, the prefilled assessment with no second login,
framing only by the configured EHR, and every way the launch must stop."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command

from apps.accounts.models import Role
from apps.assessments.models import AssessmentDraft
from apps.audit.models import AuditEvent
from apps.smart.models import SmartIdentity

from .conftest import FRAME_ORIGIN, configure, launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def gp(make_user, ehr):
    user = make_user("dr.smart", role=Role.GP)
    SmartIdentity.objects.create(issuer=ehr.fhir, fhir_user=ehr.fhir_user, user=user)
    return user


def _draft_id(response) -> str:
    assert response.status_code == 302, response.content[:500]
    url = urllib.parse.urlsplit(response["Location"])
    assert url.path == "/assessments/new/"
    return urllib.parse.parse_qs(url.query)["draft"][0]


def test_a_launch_opens_the_prefilled_assessment_with_no_second_login(client, ehr, gp):
    draft_id = _draft_id(launch(client, ehr))
    draft = AssessmentDraft.objects.get(pk=draft_id)
    assert draft.source == "smart" and draft.data["age"] == 76 and draft.data["vertebral_fractures_known"] == 1
    page = client.get(f"/assessments/new/?draft={draft_id}")
    assert page.status_code == 200
    assert page.wsgi_request.user == gp  # logged in by the launch, as the EHR user's linked account
    assert 'value="76"' in page.content.decode()
    # The EHR was asked as SMART says: configuration, authorise, token, then the record with the token.
    assert ehr.seen[:3] == ["/fhir/.well-known/smart-configuration", "/auth/authorize", "/auth/token"]
    assert "/fhir/Patient/p1" in ehr.seen and "/fhir/Condition" in ehr.seen
    login = AuditEvent.objects.filter(event=AuditEvent.Event.LOGIN).get()
    assert login.actor == "dr.smart"
    # The launch's state and token are gone from the session once used.
    assert "smart_launch" not in client.session


def test_inside_the_launch_the_configured_ehr_may_frame_it_and_nowhere_else(client, ehr, gp):
    outside = client.get("/accounts/login/")
    assert outside["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in outside["Content-Security-Policy"]
    draft_id = _draft_id(launch(client, ehr))
    page = client.get(f"/assessments/new/?draft={draft_id}")
    assert "X-Frame-Options" not in page
    assert f"frame-ancestors {FRAME_ORIGIN}" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in page["Content-Security-Policy"]


def test_framing_ends_when_the_ehr_is_no_longer_configured(client, ehr, gp, settings):
    draft_id = _draft_id(launch(client, ehr))
    settings.SMART_ISSUERS = json.dumps({"issuers": []})
    page = client.get(f"/assessments/new/?draft={draft_id}")
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_a_launch_page_may_be_framed_by_configured_ehrs_only(client, ehr, settings):
    response = client.get("/smart/launch", {"iss": "https://elsewhere.example/fhir", "launch": "x"})
    assert f"frame-ancestors {FRAME_ORIGIN}" in response["Content-Security-Policy"]
    settings.SMART_ISSUERS = ""
    response = client.get("/smart/launch", {"iss": ehr.fhir, "launch": "x"})
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_an_unconfigured_iss_is_refused_without_contacting_it(client, ehr, settings):
    settings.SMART_ISSUERS = json.dumps({"issuers": []})
    response = launch(client, ehr)
    assert response.status_code == 400
    assert "this EHR is not configured to launch SpinePrompt" in response.content.decode()
    assert ehr.seen == []
    refused = AuditEvent.objects.get(event=AuditEvent.Event.REFUSED)
    assert refused.detail == {"step": "launch", "reason": "this EHR is not configured to launch SpinePrompt"}


def test_an_ehr_user_not_linked_to_an_account_is_refused(client, ehr, make_user):
    make_user("dr.other")
    response = launch(client, ehr)
    assert response.status_code == 400
    assert "not linked to a SpinePrompt account" in response.content.decode()
    assert not AssessmentDraft.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_forged_id_token_is_refused(client, ehr, gp):
    ehr.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = launch(client, ehr)
    assert response.status_code == 400 and "id_token could not be verified" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_id_token_without_fhir_user_is_refused(client, ehr, gp):
    ehr.fhir_user = ""
    response = launch(client, ehr)
    assert response.status_code == 400 and "no fhirUser" in response.content.decode()


def test_an_ehr_without_s256_pkce_is_refused(client, ehr, gp):
    ehr.pkce = False
    response = launch(client, ehr)
    assert response.status_code == 400 and "S256 PKCE" in response.content.decode()
    assert "/auth/authorize" not in ehr.seen


def test_a_callback_with_the_wrong_state_or_none_in_progress_is_refused(client, ehr, gp):
    response = client.get("/smart/launch", {"iss": ehr.fhir, "launch": ehr.new_launch()})
    assert response.status_code == 302
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(response["Location"]).query))
    assert query["code_challenge_method"] == "S256" and query["aud"] == ehr.fhir
    forged = client.get("/smart/callback", {"code": "stolen", "state": "not-" + query["state"]})
    assert forged.status_code == 400 and "did not authorise" in forged.content.decode()
    again = client.get("/smart/callback", {"code": "stolen", "state": query["state"]})
    assert again.status_code == 400 and "no launch is in progress" in again.content.decode()


def test_a_confidential_client_sends_its_secret(client, ehr, gp, settings):
    ehr.client_secret = "s3cret"
    configure(settings, ehr)
    started = client.get("/smart/launch", {"iss": ehr.fhir, "launch": ehr.new_launch()})
    assert started.status_code == 302 and "s3cret" not in str(client.session.get("smart_launch"))  # never stored
    assert launch(client, ehr).status_code == 302
    configure(settings, ehr, client_secret="wrong")
    assert launch(client, ehr).status_code == 400


def test_a_card_launch_opens_the_cards_own_draft_for_the_same_patient_only(client, ehr, gp):
    from apps.assessments.services import assessment_draft_create, draft_subject

    card_draft = assessment_draft_create(
        data={"age": 70, "sex": "female"}, source="cds-hooks", subject=draft_subject("p1")
    )
    ehr.app_context = json.dumps({"draft": str(card_draft.pk)})
    assert _draft_id(launch(client, ehr)) == str(card_draft.pk)
    assert "/fhir/Patient/p1" not in ehr.seen  # the card's draft already holds what the card was worked out from

    other = assessment_draft_create(data={"age": 70, "sex": "female"}, source="cds-hooks", subject=draft_subject("p2"))
    ehr.app_context = json.dumps({"draft": str(other.pk)})
    opened = _draft_id(launch(client, ehr))
    assert opened not in (str(other.pk), str(card_draft.pk))  # another patient's draft: read this one afresh
    assert AssessmentDraft.objects.get(pk=opened).data["age"] == 76


def test_smart_link_links_lists_and_removes(ehr, make_user, capsys):
    make_user("dr.nurse", role=Role.NURSE)
    call_command("smart_link", issuer=ehr.fhir, fhir_user="Practitioner/n-1", username="dr.nurse")
    assert SmartIdentity.objects.get(fhir_user="Practitioner/n-1").user.username == "dr.nurse"
    call_command("smart_link", list=True)
    assert "Practitioner/n-1\tdr.nurse" in capsys.readouterr().out
    call_command("smart_link", issuer=ehr.fhir, fhir_user="Practitioner/n-1", remove=True)
    assert not SmartIdentity.objects.exists()


def test_the_launch_logs_no_patient_data_or_tokens_even_at_debug(client, ehr, gp, caplog):
    caplog.set_level("DEBUG")
    _draft_id(launch(client, ehr))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(token in logged for token in ehr.tokens)
    assert "id_token" not in logged and "Patient/p1" not in logged and "'patient': 'p1'" not in logged


def test_a_cds_card_for_an_ehr_registered_for_smart_links_by_smart_launch(client, ehr, settings, sign):
    from tests.cdshooks.conftest import ISS, hook_body

    configure(settings, ehr, cds_issuer=ISS)
    path = "/cds-services/spineprompt-patient-view"
    response = client.post(
        path, data=json.dumps(hook_body()), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {sign(path)}"
    )
    [link] = response.json()["cards"][0]["links"]
    assert link["type"] == "smart" and link["url"] == "http://testserver/smart/launch"
    draft = AssessmentDraft.objects.get(pk=json.loads(link["appContext"])["draft"])
    from apps.assessments.services import draft_subject

    assert draft.subject == draft_subject("p1")
    configure(settings, ehr)  # the same EHR without its CDS issuer named: a plain link to the draft's page
    response = client.post(
        path, data=json.dumps(hook_body()), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {sign(path)}"
    )
    [link] = response.json()["cards"][0]["links"]
    assert link["type"] == "absolute" and link["url"].startswith("http://testserver/assessments/new/?draft=")


def test_embedded_cookies_are_partitioned_and_only_then(client, settings):
    settings.SMART_EMBEDDED = True
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    page = client.get("/accounts/login/")
    cookie = page.cookies["csrftoken"].OutputString()
    assert "SameSite=None" in cookie and "Secure" in cookie and cookie.endswith("; Partitioned")
    settings.SMART_EMBEDDED = False
    client.cookies.clear()
    assert "Partitioned" not in client.get("/accounts/login/").cookies["csrftoken"].OutputString()

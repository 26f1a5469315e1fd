"""SMART App Launch 2.x, EHR launch, as a confidential or public client with PKCE (docs/smart-launch.md).

1. ``launch``: the EHR opens ``/smart/launch?iss=...&launch=...``. ``iss`` must be a configured EHR (config.py).
   Its ``.well-known/smart-configuration`` gives the endpoints; it must support S256 PKCE. fhirclient builds the
   authorize URL with a fresh ``state`` and ``code_verifier``, kept in the session.
2. ``callback``: fhirclient checks ``state`` and exchanges the code (with the verifier). The token response names the
   patient and carries an OpenID Connect id_token, checked here against the keys at the configuration's
   ``jwks_uri`` (signature, ``aud`` our client id, expiry). Its ``fhirUser`` is the user, who must be linked to a
   SpinePrompt account (SmartIdentity). The patient is read through the EHR's FHIR API with the access token, by
   the same queries and mapping as CDS Hooks prefetch, into a prefilled draft; or, when the launch came from a card
   (``appContext`` naming that card's draft, made for the same patient), that draft. The token is then dropped.

Every failure is a ``LaunchFailed`` with a short reason for the page and the audit record, never a token or patient
data.
"""

from __future__ import annotations

import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.utils import timezone
from fhirclient.client import FHIRClient

from apps.assessments.models import AssessmentDraft
from apps.assessments.services import assessment_draft_create, draft_subject
from apps.cdshooks.mapping import record_input
from apps.cdshooks.prefetch import PrefetchUnavailable, prefetch_complete, scheme_allowed
from core.boundary import BoundaryError, json_parse

from .config import SmartIssuer, issuer
from .models import SmartIdentity

logger = logging.getLogger(__name__)

CHANNEL = "smart"
SESSION_KEY = "smart_launch"  # fhirclient's state between launch and callback (holds the verifier, then dropped)
ISSUER_KEY = "smart_issuer"  # the EHR that launched this session: its configured origins may frame it (framing.py)
# What SpinePrompt reads: the patient's record, and who the user is (SMART App Launch 2.x scopes).
SCOPE = " ".join(
    [
        "openid",
        "fhirUser",
        "patient/Patient.r",
        "patient/Condition.rs",
        "patient/Observation.rs",
        "patient/MedicationRequest.rs",
        "patient/MedicationStatement.rs",
        "patient/Medication.rs",
        "patient/DiagnosticReport.rs",
    ]
)
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "ES256", "ES384"]
MAX_JSON_BYTES = 1024 * 1024


class LaunchFailed(Exception):
    """The launch cannot go on. The message is fixed text for the page and the audit record."""


@dataclass(frozen=True)
class Launched:
    user: Any
    draft: AssessmentDraft
    ehr: SmartIssuer


def _get_json(url: str, what: str) -> dict[str, Any]:
    if not scheme_allowed(url):
        raise LaunchFailed(f"the EHR's {what} is not at an https URL")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=settings.CDS_HOOKS_FHIR_TIMEOUT_SECONDS) as response:  # noqa: S310 (scheme checked)
            body = response.read(MAX_JSON_BYTES + 1)
    except (OSError, ValueError):
        raise LaunchFailed(f"the EHR's {what} could not be read") from None
    try:
        data = json_parse(body[:MAX_JSON_BYTES])
    except BoundaryError:
        raise LaunchFailed(f"the EHR's {what} is not JSON") from None
    if not isinstance(data, dict):
        raise LaunchFailed(f"the EHR's {what} is not a JSON object")
    return data


def smart_configuration(ehr: SmartIssuer) -> dict[str, Any]:
    conf = _get_json(f"{ehr.iss}/.well-known/smart-configuration", "SMART configuration")
    for key in ("authorization_endpoint", "token_endpoint"):
        if not isinstance(conf.get(key), str) or not scheme_allowed(conf[key]):
            raise LaunchFailed(f"the EHR's SMART configuration has no usable {key}")
    methods = conf.get("code_challenge_methods_supported")
    if not isinstance(methods, list) or "S256" not in methods:
        # SMART App Launch 2.x: servers SHALL support S256 and apps SHALL use it; one that does not is refused.
        raise LaunchFailed("the EHR's SMART configuration does not offer S256 PKCE")
    return conf


def launch(*, iss: str, launch_token: str, redirect_uri: str, session: Any) -> str:
    """The EHR's authorize URL to send the browser to; the flow's state goes into ``session``."""
    ehr = issuer(iss)
    if ehr is None:
        raise LaunchFailed("this EHR is not configured to launch SpinePrompt")
    if not launch_token:
        raise LaunchFailed("the EHR sent no launch parameter")
    conf = smart_configuration(ehr)
    state = {
        "app_id": ehr.client_id,
        "app_secret": ehr.client_secret or None,
        "scope": SCOPE,
        "redirect": redirect_uri,
        "launch_token": launch_token,
        "server": {
            "base_uri": ehr.iss + "/",
            "auth_type": "oauth2",
            "auth": {
                "app_id": ehr.client_id,
                "app_secret": ehr.client_secret or None,
                "aud": ehr.iss,
                "authorize_uri": conf["authorization_endpoint"],
                "token_uri": conf["token_endpoint"],
                "redirect_uri": redirect_uri,
            },
        },
    }
    saved: dict[str, Any] = {}
    client = FHIRClient(state=state, save_func=saved.update)
    url = client.authorize_url
    # The session (a database row) keeps the state and the PKCE verifier until the callback, never the client
    # secret: that is put back from the configuration at the callback.
    session[SESSION_KEY] = {
        "client": _with_secret(client.state, None),
        "iss": ehr.iss,
        "jwks_uri": conf.get("jwks_uri", ""),
    }
    return url


def _with_secret(state: dict[str, Any], secret: str | None) -> dict[str, Any]:
    """fhirclient's state with the client secret set (or, with None, taken out) in both places it keeps it."""
    out = {**state, "app_secret": secret or None}
    server = dict(out.get("server") or {})
    server["auth"] = {**(server.get("auth") or {}), "app_secret": secret or None}
    out["server"] = server
    return out


def _identity(ehr: SmartIssuer, id_token: Any, jwks_uri: Any) -> str:
    """The id_token's fhirUser, once its signature (the EHR's published keys), audience and expiry are checked."""
    if not isinstance(id_token, str) or not id_token:
        raise LaunchFailed("the EHR sent no id_token, so the user is not known")
    if not isinstance(jwks_uri, str) or not jwks_uri:
        raise LaunchFailed("the EHR's SMART configuration has no jwks_uri to check the id_token with")
    keys = _get_json(jwks_uri, "signing keys")
    try:
        kid = jwt.get_unverified_header(id_token).get("kid")
        jwk = next(k for k in keys.get("keys") or [] if isinstance(k, dict) and (kid is None or k.get("kid") == kid))
        claims = jwt.decode(
            id_token,
            key=jwt.PyJWK(jwk).key,
            algorithms=ID_TOKEN_ALGORITHMS,
            audience=ehr.client_id,
            options={"require": ["exp", "iat", "iss", "sub"]},
            leeway=settings.CDS_HOOKS_JWT_LEEWAY_SECONDS,
        )
    except (StopIteration, jwt.PyJWTError, TypeError, ValueError):
        raise LaunchFailed("the EHR's id_token could not be verified") from None
    fhir_user = claims.get("fhirUser") or claims.get("profile")  # SMART 2.x fhirUser; 1.0 called it profile
    if not isinstance(fhir_user, str) or not fhir_user:
        raise LaunchFailed("the EHR's id_token does not say who the user is (no fhirUser)")
    # An absolute fhirUser URL names the same resource as its relative form on this FHIR server.
    return fhir_user.removeprefix(ehr.iss + "/")


def _card_draft(app_context: Any, patient_id: str) -> AssessmentDraft | None:
    """The draft a card's SMART link names in appContext ({"draft": <id>}), if it was made for this patient."""
    try:
        draft_id = json.loads(app_context).get("draft") if isinstance(app_context, str) else None
        draft = AssessmentDraft.objects.filter(pk=draft_id, expires_at__gt=timezone.now()).first() if draft_id else None
    except (ValueError, AttributeError, TypeError):
        return None
    if draft is None or not draft.subject or not hmac.compare_digest(draft.subject, draft_subject(patient_id)):
        return None
    return draft


def callback(*, url: str, session: Any) -> Launched:
    """Finish the launch from the EHR's redirect to ``url``: the user, and the prefilled draft to open."""
    pending = session.pop(SESSION_KEY, None)
    if not isinstance(pending, dict):
        raise LaunchFailed("no launch is in progress in this browser (start again from the EHR)")
    ehr = issuer(pending.get("iss", ""))
    if ehr is None:
        raise LaunchFailed("this EHR is not configured to launch SpinePrompt")
    client = FHIRClient(state=_with_secret(pending["client"], ehr.client_secret), save_func=lambda _state: None)
    try:
        client.handle_callback(url)
    except Exception:  # fhirclient raises plain Exception for a bad state, an OAuth error or a refused exchange
        raise LaunchFailed("the EHR did not authorise the launch") from None
    context = client.launch_context or {}
    patient_id = context.get("patient")
    if not isinstance(patient_id, str) or not patient_id:
        raise LaunchFailed("the EHR's launch names no patient")
    fhir_user = _identity(ehr, context.get("id_token"), pending.get("jwks_uri"))
    link = SmartIdentity.objects.select_related("user").filter(issuer=ehr.iss, fhir_user=fhir_user).first()
    if link is None or not link.user.is_active:
        raise LaunchFailed("your EHR user is not linked to a SpinePrompt account: ask your practice administrator")
    draft = _card_draft(context.get("appContext"), patient_id)
    if draft is None:
        draft = _read_patient(ehr, patient_id, client.server.auth.access_token)
    return Launched(user=link.user, draft=draft, ehr=ehr)


def _read_patient(ehr: SmartIssuer, patient_id: str, access_token: str) -> AssessmentDraft:
    """The patient's record through the EHR's FHIR API (the CDS Hooks prefetch queries), as a prefilled draft."""
    try:
        record = prefetch_complete(
            prefetch=None,
            context={"patientId": patient_id},
            fhir_server=ehr.iss,
            authorization={"access_token": access_token},
            allowed_servers=frozenset({ehr.iss}),
        )
    except PrefetchUnavailable:
        raise LaunchFailed("the patient's record could not be read from the EHR") from None
    data, _, _ = record_input(
        record,
        patient_id=patient_id,
        assessed_on=timezone.localdate(),
        assessor_role=settings.CDS_HOOKS_ASSESSOR_ROLE,
    )
    return assessment_draft_create(data=data, source=CHANNEL, subject=draft_subject(patient_id))

"""The CDS Hooks services end to end: discovery, cards, 400/404/412, order-select, the prefilled draft, feedback and
the shared dashboard, audit, and "decision support unavailable" instead of an empty list."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import uuid

import pytest

from apps.assessments.models import AssessmentDraft
from apps.assessments.selectors import feedback_by_rule
from apps.audit.models import AuditEvent
from apps.cdshooks import cards as card_builder
from apps.cdshooks.models import CardFeedback, IssuedCard
from apps.cdshooks.prefetch import PREFETCH
from apps.cdshooks.schemas import errors as schema_errors
from core.fhir import SPINEPROMPT_SYSTEM
from core.fhir.valuesets import load
from core.rules.rulebook import RULES_BY_ID

from .conftest import AUTH, ORDER_SELECT, PATIENT_VIEW, _register_fhir_server, hook_body, patient_prefetch, searchset

PATH = f"/cds-services/{PATIENT_VIEW}"
ORDER_PATH = f"/cds-services/{ORDER_SELECT}"


def _ids(response) -> list[str]:
    return [IssuedCard.objects.get(pk=c["uuid"]).rule_id for c in response.json()["cards"]]


# --- discovery --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_discovery_lists_every_service_and_validates_against_the_schema(client):
    response = client.get("/cds-services")
    assert response.status_code == 200
    body = response.json()
    assert schema_errors("discoveryResponse", body) == []
    assert {s["hook"]: s["id"] for s in body["services"]} == {
        "patient-view": PATIENT_VIEW,
        "order-select": ORDER_SELECT,
        "order-sign": "spineprompt-order-sign",
        "encounter-start": "spineprompt-encounter-start",
        "problem-list-item-create": "spineprompt-problem-list-item-create",
    }
    for s in body["services"]:
        assert s["prefetch"] == PREFETCH
        assert all("{{context.patientId}}" in t for t in s["prefetch"].values())


def test_the_schema_rejects_what_the_spec_forbids():
    """The schema can fail: a long summary, an unknown indicator, suggestions without selectionBehavior."""
    card = {"summary": "x" * 140, "indicator": "hard-stop", "source": {}, "suggestions": [{"label": "a"}]}
    fields = {e["field"] for e in schema_errors("response", {"cards": [card]})}
    assert {"cards[0].summary", "cards[0].indicator", "cards[0].source.label", "cards[0].selectionBehavior"} <= fields
    assert schema_errors("discoveryResponse", {"services": [{"hook": "patient-view"}]})


# --- patient-view -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_patient_view_gives_schema_valid_cards_from_the_same_evaluation(post):
    from django.utils import timezone

    from apps.cdshooks.mapping import record_input
    from apps.evaluation.services import assessment_evaluate

    response = post(PATH, hook_body())
    assert response.status_code == 200
    body = response.json()
    assert schema_errors("response", body) == []
    data, _, _ = record_input(patient_prefetch(), patient_id="p1", assessed_on=timezone.localdate(), assessor_role="gp")
    expected = [p["id"] for p in assessment_evaluate(data=data)["prompts"]]
    assert _ids(response) == expected  # one card per prompt, same order as the web form's result
    assert "diagnosis.record_vertebral_fracture" not in expected  # already coded in the record
    assert "bone.oral_bisphosphonate" in expected


@pytest.mark.django_db
def test_card_fields_follow_the_prompt(post):
    response = post(PATH, hook_body())
    cards = {IssuedCard.objects.get(pk=c["uuid"]).rule_id: c for c in response.json()["cards"]}
    bis = cards["bone.oral_bisphosphonate"]
    assert bis["indicator"] == "warning"
    assert all(c["indicator"] == "info" for i, c in cards.items() if i.startswith(("patient_info.", "education.")))
    assert bis["source"]["label"] and bis["source"]["url"].startswith("https://")
    assert bis["source"]["topic"]["code"] == "bone"
    assert "**Because:**" in bis["detail"] and "vertebral fracture" in bis["detail"]
    assert "Osteoporotic vertebral collapse (240198002)" in bis["detail"]  # the FHIR derivation behind the fact
    assert [r["code"] for r in bis["overrideReasons"]] == [
        "already_done",
        "not_clinically_appropriate",
        "patient_declined",
        "other",
    ]
    meds = [a["resource"] for s in bis["suggestions"] for a in s["actions"]]
    assert {m["resourceType"] for m in meds} == {"MedicationRequest"}
    assert all(m["status"] == "draft" and "coding" not in m["medicationCodeableConcept"] for m in meds)
    assert all(m["subject"] == {"reference": "Patient/p1"} for m in meds)
    stored = IssuedCard.objects.get(pk=bis["uuid"])
    assert stored.suggestion_ids == [s["uuid"] for s in bis["suggestions"]]
    assert stored.rule_version == RULES_BY_ID["bone.oral_bisphosphonate"].version


def test_indicators_by_priority_and_kind():
    base = {"category": "assessment", "id": "x.y"}
    assert card_builder.indicator({**base, "priority": "emergency"}) == "critical"
    assert card_builder.indicator({**base, "priority": "urgent"}) == "warning"
    assert card_builder.indicator({**base, "priority": "routine", "category": "imaging"}) == "warning"
    assert card_builder.indicator({**base, "priority": "routine", "id": "bone.dxa"}) == "warning"
    assert card_builder.indicator({**base, "priority": "routine"}) == "info"


def test_summaries_stay_under_140_characters():
    assert len(card_builder.summary("word " * 60)) < 140
    assert card_builder.summary("Short title") == "Short title"


def test_text_only_suggestions_still_say_what_their_prompts_say():
    """The X-ray and bisphosphonate suggestions restate the prompt; if the rule's wording changes, this fails."""
    from core.rules.catalogue import rulebook_data

    titles = {r["id"]: r for r in rulebook_data()["rules"]}
    xray = json.dumps(titles["imaging.spine_xray"]).lower()
    assert "lateral thoracic and lumbar spine x-rays" in xray
    bis = json.dumps(titles["bone.oral_bisphosphonate"]).lower()
    for name, dose in card_builder.BISPHOSPHONATES:
        assert name.lower().replace("risedronate 35 mg", "risedronate 35 mg") in bis, name
        assert dose.split(" once")[0] in bis


def test_fracture_code_suggestions_offer_only_the_prompts_snomed_codes():
    prompt = {
        "id": "diagnosis.record_vertebral_fracture",
        "codes": [
            {"system": "http://snomed.info/sct", "code": "240198002", "display": "Osteoporotic vertebral collapse"}
        ],
    }
    [suggestion] = card_builder.suggestions(prompt, "p9")
    [action] = suggestion["actions"]
    assert action["resource"]["resourceType"] == "Condition"
    assert action["resource"]["code"]["coding"] == prompt["codes"]
    assert action["resource"]["subject"] == {"reference": "Patient/p9"}


def test_bisphosphonate_suggestions_say_the_dose_once():
    title = "Start an oral bisphosphonate: alendronic acid 70 mg weekly or risedronate 35 mg weekly"
    suggestions = card_builder.suggestions({"id": "bone.oral_bisphosphonate", "codes": [], "title": title}, "p1")
    descriptions = [a["description"] for s in suggestions for a in s["actions"]]
    assert descriptions and all(d.count(" mg") == 1 for d in descriptions), descriptions


def test_spine_xray_suggestion_has_text_and_no_code():
    [suggestion] = card_builder.suggestions({"id": "imaging.spine_xray", "codes": []}, "p1")
    for action in suggestion["actions"]:
        assert action["resource"]["resourceType"] == "ServiceRequest"
        assert set(action["resource"]["code"]) == {"text"}


@pytest.mark.django_db
def test_the_card_link_opens_a_prefilled_assessment_without_clinical_data_in_the_url(post, client, make_user):
    response = post(PATH, hook_body())
    links = {c["links"][0]["url"] for c in response.json()["cards"]}
    assert len(links) == 1
    url = links.pop()
    assert url.startswith("http://testserver/assessments/new/?draft=")
    draft_id = url.split("draft=")[1]
    assert uuid.UUID(draft_id) and "p1" not in url
    draft = AssessmentDraft.objects.get(pk=draft_id)
    assert "p1" not in json.dumps(draft.data)  # no FHIR ids in the stored draft
    path = url.removeprefix("http://testserver")
    assert client.get(path).status_code == 302  # login required
    client.force_login(make_user("gp-draft"))
    page = client.get(path)
    assert page.status_code == 200
    assert page.context["form"].initial["age"] == str(draft.data["age"])
    # Opening a draft shows data from the record: it is audited (found by a security review: it was not).
    opened = AuditEvent.objects.filter(event=AuditEvent.Event.VIEW, detail__page="draft").get()
    assert opened.target_id == str(draft.pk) and opened.actor == "gp-draft"


@pytest.mark.django_db
def test_a_draft_never_keeps_an_nhs_number_or_date_of_birth_from_the_report():
    """Found by a security review: a report conclusion from the record was stored in the draft verbatim."""
    from apps.assessments.services import assessment_draft_create

    text = "Jane Doe NHS 943 476 5919 DOB 01/02/1950. Anterior wedge fracture of T12."
    draft = assessment_draft_create(data={"age": 76, "spine_imaging": {"report_text": text}}, source="cds-hooks")
    stored = AssessmentDraft.objects.get(pk=draft.pk).data["spine_imaging"]["report_text"]
    assert "5919" not in stored and "1950" not in stored
    assert stored == "Jane Doe NHS [removed] [removed]. Anterior wedge fracture of T12."


@pytest.mark.django_db
def test_an_expired_or_unknown_draft_is_not_found(client, make_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(make_user("gp-expired"))
    old = AssessmentDraft.objects.create(
        data={"age": 70}, source="cds-hooks", expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(f"/assessments/new/?draft={old.pk}").status_code == 404
    assert client.get(f"/assessments/new/?draft={uuid.uuid4()}").status_code == 404
    assert client.get("/assessments/new/?draft=not-a-uuid").status_code == 404


@pytest.mark.django_db
def test_a_call_is_audited_without_patient_data(post):
    response = post(PATH, hook_body())
    [event] = AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail == {
        "channel": "cds-hooks",
        "service": PATIENT_VIEW,
        "outcome": "evaluated",
        "cards": len(response.json()["cards"]),
    }
    assert event.actor == "https://ehr.example.test"
    assert "p1" not in json.dumps(event.detail) + json.dumps(event.rules) + event.target_id


# --- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_service_is_404(post):
    assert post("/cds-services/nope", hook_body()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.pop("hookInstance"), "hookInstance"),
        # CDS Hooks 2.0: hookInstance is "a universally unique identifier (UUID)".
        (lambda b: b.update(hookInstance="not-a-uuid"), "hookInstance"),
        (lambda b: b.update(hookInstance="d1577c69dfbe44adba6d3e05e953b2ea"), "hookInstance"),
        (lambda b: b.update(hookInstance="d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\n"), "hookInstance"),
        (lambda b: b["context"].pop("patientId"), "context.patientId"),
        (lambda b: b.update(hook="order-select"), "hook"),
        (lambda b: b["prefetch"].update(patient=5), "prefetch.patient"),
        (lambda b: b.update(fhirAuthorization={"access_token": "t"}), "fhirServer"),
        (lambda b: b["prefetch"]["patient"].update(id="someone-else"), "prefetch.patient"),
    ],
)
def test_malformed_bodies_get_400_naming_the_field_and_store_nothing(post, change, field):
    body = hook_body()
    change(body)
    response = post(PATH, body)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not IssuedCard.objects.exists() and not AssessmentDraft.objects.exists()
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION).exists()


@pytest.mark.django_db
def test_a_hook_instance_that_is_not_a_uuid_is_named_as_such(post):
    response = post(PATH, hook_body(hookInstance="visit-42"))
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "hookInstance", "message": "must be a UUID"}]
    # Any case is a UUID.
    assert post(PATH, hook_body(hookInstance="D1577C69-DFBE-44AD-BA6D-3E05E953B2EA")).status_code == 200


@pytest.mark.django_db
def test_invalid_json_is_400(post):
    response = post(PATH, None, raw=b"{not json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "(body)"


@pytest.mark.django_db
def test_missing_prefetch_without_a_fhir_server_is_412(post):
    body = hook_body()
    del body["prefetch"]["conditions"]
    response = post(PATH, body)
    assert response.status_code == 412
    assert "conditions" in response.json()["detail"]
    assert not IssuedCard.objects.exists()


@pytest.mark.django_db
def test_null_prefetch_means_no_data_not_missing(post):
    body = hook_body(prefetch=patient_prefetch(conditions=None))
    assert post(PATH, body).status_code == 200


@pytest.mark.django_db
def test_missing_prefetch_is_fetched_from_the_fhir_server(post, fhir_server):
    base, handler = fhir_server
    full = patient_prefetch()
    handler.routes = {"/fhir/Condition": (200, full["conditions"]), "/fhir/Patient/p1": (200, full["patient"])}
    body = hook_body(prefetch={k: v for k, v in full.items() if k not in ("conditions", "patient")})
    response = post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH})
    assert response.status_code == 200
    assert "bone.oral_bisphosphonate" in _ids(response)  # the fetched fracture condition was used
    assert {p.split("?")[0] for p, _ in handler.seen} == {"/fhir/Condition", "/fhir/Patient/p1"}
    assert all(auth == "Bearer fhir-token" for _, auth in handler.seen)


@pytest.mark.django_db
def test_the_observations_query_asks_only_for_the_mapped_codes_percent_encoded(post, fhir_server):
    base, handler = fhir_server
    full = patient_prefetch()
    handler.routes = {"/fhir/Observation": (200, {"resourceType": "Bundle", "type": "searchset", "entry": []})}
    body = hook_body(prefetch={k: v for k, v in full.items() if k != "observations"})
    assert post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH}).status_code == 200
    [(path, _)] = handler.seen
    query = urllib.parse.parse_qs(path.split("?", 1)[1])
    assert "|" not in path and query["patient"] == ["p1"]
    tokens = query["code"][0].split(",")
    assert "http://loinc.org|8302-2" in tokens  # body height
    assert f"{SPINEPROMPT_SYSTEM}|" in tokens  # any answer in the SpinePrompt code system
    heights = [r for r in load("observations") if r.maps_to == "height"]
    assert all(f"{r.system}|{r.code}" in tokens for r in heights)


@pytest.mark.django_db
def test_a_failing_fhir_server_is_412(post, fhir_server):
    base, handler = fhir_server
    handler.routes = {"/fhir/Condition": (500, {"resourceType": "OperationOutcome"})}
    body = hook_body()
    del body["prefetch"]["conditions"]
    response = post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH})
    assert response.status_code == 412
    assert not IssuedCard.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("registered", [[], ["https://ehr.example.test/fhir"], ["http://127.0.0.1:1/fhir"]])
def test_a_fhir_server_not_configured_for_the_client_is_never_called(post, fhir_server, settings, registered):
    """The fhirServer URL comes from the call: fetching from any URL a caller names would let a client (or a stolen
    token) make SpinePrompt send requests, with a bearer token, anywhere, the internal network included."""
    base, handler = fhir_server
    _register_fhir_server(settings, *registered)
    body = hook_body()
    del body["prefetch"]["conditions"]
    response = post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH})
    assert response.status_code == 412
    assert "not a FHIR server configured for this client" in response.json()["detail"]
    assert handler.seen == []  # nothing was requested, and the token never left


@pytest.mark.django_db
def test_a_configured_fhir_server_matches_with_or_without_a_trailing_slash(post, fhir_server, settings):
    base, handler = fhir_server
    full = patient_prefetch()
    handler.routes = {"/fhir/Condition": (200, full["conditions"])}
    _register_fhir_server(settings, base + "/")
    body = hook_body(prefetch={k: v for k, v in full.items() if k != "conditions"})
    assert post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH}).status_code == 200
    assert [p.split("?")[0] for p, _ in handler.seen] == ["/fhir/Condition"]


@pytest.mark.django_db
def test_an_unreachable_fhir_server_is_412(post, settings):
    settings.CDS_HOOKS_ALLOW_HTTP_FHIR = True
    _register_fhir_server(settings, "http://127.0.0.1:9/fhir")
    body = hook_body()
    del body["prefetch"]["conditions"]
    response = post(PATH, {**body, "fhirServer": "http://127.0.0.1:9/fhir", "fhirAuthorization": AUTH})
    assert response.status_code == 412


# CDS Hooks 2.0 lets a client send an OperationOutcome as a prefetch value when its prefetch query failed. It is not
# the data: evaluating it as such once gave a patient with a vertebral fracture only "Calculate FRAX".
FAILED_PREFETCH = {
    "resourceType": "OperationOutcome",
    "issue": [{"severity": "error", "code": "timeout", "diagnostics": "Condition search timed out"}],
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["conditions", "patient"])
def test_an_operation_outcome_prefetch_without_a_fhir_server_is_412_like_a_missing_key(post, key):
    body = hook_body(prefetch=patient_prefetch(**{key: FAILED_PREFETCH}))
    response = post(PATH, body)
    assert response.status_code == 412
    assert response.json()["error"] == "precondition failed"
    assert key in response.json()["detail"] and "OperationOutcome" in response.json()["detail"]
    assert not IssuedCard.objects.exists() and not AssessmentDraft.objects.exists()
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION).exists()


@pytest.mark.django_db
def test_an_operation_outcome_prefetch_is_fetched_from_the_fhir_server(post, fhir_server):
    base, handler = fhir_server
    full = patient_prefetch()
    handler.routes = {"/fhir/Condition": (200, full["conditions"])}
    body = hook_body(prefetch={**full, "conditions": FAILED_PREFETCH})
    response = post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH})
    assert response.status_code == 200
    assert "bone.oral_bisphosphonate" in _ids(response)  # the fetched fracture condition was used
    assert [p.split("?")[0] for p, _ in handler.seen] == ["/fhir/Condition"]


@pytest.mark.django_db
def test_an_operation_outcome_answered_by_the_fhir_server_is_412(post, fhir_server):
    """A server answering 200 with an OperationOutcome instead of the search result has not given the data either."""
    base, handler = fhir_server
    handler.routes = {"/fhir/Condition": (200, FAILED_PREFETCH)}
    body = hook_body()
    del body["prefetch"]["conditions"]
    response = post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH})
    assert response.status_code == 412
    assert "conditions" in response.json()["detail"]
    assert not IssuedCard.objects.exists()


@pytest.mark.django_db
def test_a_plain_http_fhir_server_is_refused_by_default(post, fhir_server, settings):
    base, handler = fhir_server
    settings.CDS_HOOKS_ALLOW_HTTP_FHIR = False
    body = hook_body()
    del body["prefetch"]["conditions"]
    assert post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH}).status_code == 412
    assert handler.seen == []  # the token never left


@pytest.mark.django_db
def test_an_internal_error_gives_the_unavailable_card_not_an_empty_list(post, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("apps.evaluation.services.evaluate_data", broken)
    response = post(PATH, hook_body())
    assert response.status_code == 200
    [card] = response.json()["cards"]
    assert card["summary"] == card_builder.UNAVAILABLE_SUMMARY and card["indicator"] == "warning"
    assert "not because none apply" in card["detail"]
    assert schema_errors("response", response.json()) == []
    [event] = AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail["outcome"] == "unavailable"


@pytest.mark.django_db
def test_a_record_the_rules_cannot_use_gives_the_unavailable_card_naming_fields(post):
    body = hook_body(
        prefetch=patient_prefetch(patient={"resourceType": "Patient", "id": "p1", "birthDate": "1890-01-01"})
    )
    [card] = post(PATH, body).json()["cards"]
    assert card["summary"] == card_builder.UNAVAILABLE_SUMMARY
    assert "age" in card["detail"]


# --- order-select -----------------------------------------------------------------------------------------------


def _order_body(*orders, select=None, prefetch=None):
    body = hook_body("order-select", prefetch=prefetch)
    body["context"]["draftOrders"] = searchset(*orders)
    body["context"]["selections"] = select or [f"{o['resourceType']}/{o['id']}" for o in orders]
    return body


PRED = {
    "resourceType": "MedicationRequest",
    "id": "draft-1",
    "status": "draft",
    "intent": "order",
    "subject": {"reference": "Patient/p1"},
    "medicationCodeableConcept": {"text": "Prednisolone 5mg tablets"},
    "authoredOn": "2026-11-23",
    "dosageInstruction": [{"text": "8 tablets once daily", "route": {"text": "oral"}}],
}
XRAY = {
    "resourceType": "ServiceRequest",
    "id": "draft-2",
    "status": "draft",
    "intent": "order",
    "subject": {"reference": "Patient/p1"},
    "code": {"text": "X-ray lumbar spine"},
}
OTHER = {**XRAY, "id": "draft-3", "code": {"text": "Chest X-ray"}}


@pytest.mark.django_db
def test_order_select_on_a_glucocorticoid_gives_bone_and_imaging_cards(post):
    response = post(ORDER_PATH, _order_body(PRED))
    assert response.status_code == 200
    assert schema_errors("response", response.json()) == []
    ids = _ids(response)
    assert ids and all(i.startswith(("bone.", "imaging.", "red_flag.")) for i in ids)
    assert "bone.oral_bisphosphonate" in ids


@pytest.mark.django_db
def test_order_select_on_spine_imaging_gives_imaging_safety_and_investigation_cards(post):
    no_fracture = patient_prefetch(conditions=searchset())
    response = post(ORDER_PATH, _order_body(XRAY, prefetch=no_fracture))
    assert response.status_code == 200
    from core.rules.rulebook import RULES_BY_ID as rules

    assert all(rules[i].category in ("imaging", "safety", "investigations") for i in _ids(response))


@pytest.mark.django_db
def test_order_select_on_any_other_order_gives_no_cards(post):
    response = post(ORDER_PATH, _order_body(OTHER))
    assert response.json() == {"cards": []}
    [event] = AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail["outcome"] == "not_applicable"


@pytest.mark.django_db
def test_order_select_on_a_planned_high_dose_course_gives_the_bone_protection_card(post):
    """The conformance check's repro: a woman of 76, no fracture, prednisolone 30 mg a day planned for six months.
    The planned months count ("planned or taken", treatment-and-coding.md 1.7): before, the course was cut at today
    (0 months) and no card came."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    order = {
        **PRED,
        "authoredOn": today.isoformat(),
        "dosageInstruction": [
            {
                "text": "30 mg once daily",
                "route": {"text": "oral"},
                "timing": {
                    "repeat": {
                        "boundsPeriod": {"start": today.isoformat(), "end": (today + timedelta(days=190)).isoformat()},
                        "frequency": 1,
                        "period": 1,
                        "periodUnit": "d",
                    }
                },
                "doseAndRate": [{"doseQuantity": {"value": 30, "unit": "mg", "code": "mg"}}],
            }
        ],
        "dispenseRequest": {
            "validityPeriod": {"start": today.isoformat(), "end": (today + timedelta(days=181)).isoformat()},
            "expectedSupplyDuration": {"value": 180, "unit": "d", "code": "d"},
        },
    }
    response = post(ORDER_PATH, _order_body(order, prefetch=patient_prefetch(fracture=False)))
    assert response.status_code == 200
    ids = _ids(response)
    assert "bone.start_treatment" in ids
    [card] = [
        c for c in response.json()["cards"] if IssuedCard.objects.get(pk=c["uuid"]).rule_id == "bone.start_treatment"
    ]
    assert "planned" in card["detail"]


@pytest.mark.django_db
def test_order_select_only_looks_at_the_selected_orders(post):
    response = post(ORDER_PATH, _order_body(PRED, OTHER, select=["ServiceRequest/draft-3"]))
    assert response.json() == {"cards": []}


# --- feedback ---------------------------------------------------------------------------------------------------


def _feedback(card, outcome, **extra):
    return {"feedback": [{"card": card, "outcome": outcome, "outcomeTimestamp": "2026-11-23T10:00:00Z", **extra}]}


@pytest.mark.django_db
def test_feedback_is_stored_audited_and_counted_on_the_shared_dashboard(post):
    cards = {IssuedCard.objects.get(pk=c["uuid"]).rule_id: c for c in post(PATH, hook_body()).json()["cards"]}
    bis = cards["bone.oral_bisphosphonate"]
    accepted = _feedback(bis["uuid"], "accepted", acceptedSuggestions=[{"id": bis["suggestions"][0]["uuid"]}])
    fb = f"{PATH}/feedback"
    assert post(fb, accepted).json() == {"stored": 1}
    reason = {"reason": card_builder.OVERRIDE_REASONS[2], "userComment": "Mrs X said no"}
    overridden = _feedback(cards["bone.dxa"]["uuid"], "overridden", overrideReason=reason)
    assert post(fb, overridden).status_code == 200
    rows = {r["id"]: r for r in feedback_by_rule()}
    assert rows["bone.oral_bisphosphonate"]["cds"] == {"shown": 1, "accepted": 1, "overridden": 0, "reasons": []}
    assert rows["bone.dxa"]["cds"]["overridden"] == 1
    assert rows["bone.dxa"]["cds"]["reasons"] == [("Patient declined", 1)]
    stored = CardFeedback.objects.get(outcome="overridden")
    assert stored.reason == "patient_declined" and stored.comment_given is True
    assert "Mrs X" not in json.dumps(list(CardFeedback.objects.values()), default=str) + json.dumps(
        list(AuditEvent.objects.values_list("detail", flat=True))
    )
    decisions = AuditEvent.objects.filter(event=AuditEvent.Event.DECISION)
    assert {e.detail["channel"] for e in decisions} == {"cds-hooks"} and decisions.count() == 2


@pytest.mark.django_db
def test_the_same_feedback_sent_again_is_stored_and_audited_once(post):
    """A client retrying (or a bug sending twice) once doubled the feedback dashboard's counts. The same card,
    outcome and outcomeTimestamp is one piece of feedback: a repeat is answered 200 but not stored, counted or
    audited again, in a later request or within the same one, however the same instant is written."""
    card = post(PATH, hook_body()).json()["cards"][0]
    fb = f"{PATH}/feedback"
    item = _feedback(card["uuid"], "overridden")["feedback"][0]
    assert post(fb, {"feedback": [item]}).json() == {"stored": 1}
    assert post(fb, {"feedback": [item]}).json() == {"stored": 0}
    same_instant = {**item, "card": card["uuid"].upper(), "outcomeTimestamp": "2026-11-23T11:00:00+01:00"}
    assert post(fb, {"feedback": [same_instant, item]}).json() == {"stored": 0}
    later = {**item, "outcomeTimestamp": "2026-11-23T10:05:00Z"}
    assert post(fb, {"feedback": [later, later]}).json() == {"stored": 1}
    assert CardFeedback.objects.count() == 2
    assert AuditEvent.objects.filter(event=AuditEvent.Event.DECISION).count() == 2


@pytest.mark.django_db
def test_a_retried_older_outcome_does_not_replace_the_latest_on_the_dashboard(post):
    """The dashboard shows each card's most recently stored outcome: a retry of an earlier outcome, stored again,
    once turned an overridden card back into an accepted one."""
    card = next(c for c in post(PATH, hook_body()).json()["cards"] if c.get("suggestions"))
    fb = f"{PATH}/feedback"
    accepted = _feedback(card["uuid"], "accepted", acceptedSuggestions=[{"id": card["suggestions"][0]["uuid"]}])
    overridden = _feedback(card["uuid"], "overridden")
    overridden["feedback"][0]["outcomeTimestamp"] = "2026-11-23T10:05:00Z"
    assert [post(fb, body).json()["stored"] for body in (accepted, overridden, accepted)] == [1, 1, 0]
    rule_id = IssuedCard.objects.get(pk=card["uuid"]).rule_id
    cds = {r["id"]: r for r in feedback_by_rule()}[rule_id]["cds"]
    assert (cds["accepted"], cds["overridden"]) == (0, 1)


@pytest.mark.django_db
def test_feedback_is_append_only():
    from apps.cdshooks.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        CardFeedback.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        CardFeedback.objects.all().update(reason="other")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda c: _feedback(str(uuid.uuid4()), "overridden"), "feedback[0].card"),
        (lambda c: _feedback("not-a-uuid", "overridden"), "feedback[0].card"),
        (lambda c: _feedback(c["uuid"], "accepted"), "feedback[0].acceptedSuggestions"),
        (
            lambda c: _feedback(c["uuid"], "accepted", acceptedSuggestions=[{"id": "x"}]),
            "feedback[0].acceptedSuggestions",
        ),
        (lambda c: _feedback(c["uuid"], "maybe"), "feedback[0].outcome"),
        (
            lambda c: {
                **_feedback(c["uuid"], "overridden"),
                "feedback": [{"card": c["uuid"], "outcome": "overridden", "outcomeTimestamp": "yesterday"}],
            },
            "feedback[0].outcomeTimestamp",
        ),
        (lambda c: {}, "feedback"),
    ],
)
def test_bad_feedback_is_400_naming_the_field_and_stores_nothing(post, make, field):
    card = next(c for c in post(PATH, hook_body()).json()["cards"] if c.get("suggestions"))
    response = post(f"{PATH}/feedback", make(card))
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not CardFeedback.objects.exists()


@pytest.mark.django_db
def test_feedback_on_another_services_card_is_refused(post):
    card = post(PATH, hook_body()).json()["cards"][0]
    response = post(f"{ORDER_PATH}/feedback", _feedback(card["uuid"], "overridden"))
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_dashboard_shows_cds_outcomes_labelled(client, make_user, post):
    card = next(c for c in post(PATH, hook_body()).json()["cards"])
    post(f"{PATH}/feedback", _feedback(card["uuid"], "overridden"))
    admin = make_user("fb-admin", role="admin")
    client.force_login(admin)
    page = client.get("/feedback/").content.decode()
    assert "In the GP record (CDS Hooks)" in page and "overridden in the record: 1" in page


def test_a_draft_prescription_is_only_for_a_drug_the_prompt_names():
    """The draft MedicationRequests follow the drug checks through the prompt's title (issue 22): with a creatinine
    clearance of 32, alendronic acid is not recommended (SmPC), so only risedronate is drafted."""
    from core.rules import evaluate_data

    data = {
        "age": 80,
        "sex": "female",
        "spine_imaging": {"result": "fracture"},
        "bone_protection": {"current": "none"},
        "adjusted_calcium": 2.4,
        "vitamin_d_nmol_l": 60,
    }
    for crcl, drafted in ((60, {"Alendronic acid 70 mg", "Risedronate 35 mg"}), (32, {"Risedronate 35 mg"})):
        result = evaluate_data({**data, "creatinine_clearance": crcl}, today=dt.date(2026, 11, 23))
        prompt = next(p for p in result["prompts"] if p["id"] == "bone.oral_bisphosphonate")
        names = {
            s["actions"][0]["resource"]["medicationCodeableConcept"]["text"]
            for s in card_builder.suggestions(prompt, patient_id="p1")
        }
        assert names == drafted, crcl

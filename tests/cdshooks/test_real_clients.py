"""CDS Hooks as real GP systems send it (issue 25, first points): browser clients (CORS), patients the service
has nothing to say about (children, people who have died) and the case-finding worklist without the dead."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEvent
from apps.casefinding.models import Patient, Run
from apps.cdshooks.cards import UNAVAILABLE_SUMMARY
from apps.cdshooks.models import IssuedCard
from core.fhir.bundles import ndjson_text

from .conftest import AUTH, PATIENT_VIEW, hook_body, patient_prefetch
from .test_services import PRED

PATH = f"/cds-services/{PATIENT_VIEW}"
SANDBOX = "https://sandbox.cds-hooks.org"
pytestmark = pytest.mark.django_db


def with_patient(**fields):
    prefetch = patient_prefetch()
    prefetch["patient"] = {**prefetch["patient"], **fields}
    return hook_body(prefetch=prefetch)


def test_a_deceased_patient_gets_no_cards(post):
    for died in ({"deceasedBoolean": True}, {"deceasedDateTime": "1998-03-01"}):
        response = post(PATH, with_patient(**died))
        assert response.status_code == 200 and response.json() == {"cards": []}
    assert not IssuedCard.objects.exists()
    events = AuditEvent.objects.filter(event=AuditEvent.Event.API_EVALUATION)
    assert [(e.detail["outcome"], e.detail["reason"]) for e in events] == [("not_applicable", "deceased")] * 2


def test_a_living_patient_with_deceased_false_still_gets_cards(post):
    assert post(PATH, with_patient(deceasedBoolean=False)).json()["cards"]


def test_a_child_gets_the_empty_list_not_a_warning(post):
    response = post(PATH, with_patient(birthDate="2015-06-01"))
    assert response.json() == {"cards": []}
    assert AuditEvent.objects.get().detail["reason"] == "child"


@pytest.mark.parametrize("gender", ["unknown", "other", None])
def test_gender_other_or_unknown_gets_the_prompts_that_do_not_depend_on_sex(post, gender):
    """The issue's case: a woman of 76 with a coded vertebral fracture, gender unknown, got only "decision support
    unavailable". Now the fracture prompts come, and each card says how the gender was read (H-92)."""
    body = with_patient(gender=gender)
    if gender is None:
        del body["prefetch"]["patient"]["gender"]
    cards = post(PATH, body).json()["cards"]
    summaries = [c["summary"] for c in cards]
    assert UNAVAILABLE_SUMMARY not in summaries
    for wanted in ("Tell the patient about the fracture", "Offer bone protection now", "Refer to the fracture liaison"):
        assert any(s.startswith(wanted) for s in summaries), wanted
    said = "no gender" if gender is None else f"gender '{gender}'"
    assert all(f"{said}: sex for fracture risk read as not known" in c["detail"] for c in cards)
    assert IssuedCard.objects.count() == len(cards)


def test_cors_preflight_and_answers_for_a_configured_origin(client, post, settings):
    settings.CDS_HOOKS_CORS_ORIGINS = [SANDBOX]
    preflight = client.options(PATH, HTTP_ORIGIN=SANDBOX, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == SANDBOX
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    discovery = client.get("/cds-services", HTTP_ORIGIN=SANDBOX)
    assert discovery["Access-Control-Allow-Origin"] == SANDBOX
    answer = client.post(PATH, data=b"{}", content_type="application/json", HTTP_ORIGIN=SANDBOX)
    assert answer.status_code == 401 and answer["Access-Control-Allow-Origin"] == SANDBOX  # the JWT is still needed


def test_no_cors_for_an_origin_not_configured(client, settings):
    settings.CDS_HOOKS_CORS_ORIGINS = [SANDBOX]
    preflight = client.options(PATH, HTTP_ORIGIN="https://evil.example")
    assert preflight.status_code == 204 and "Access-Control-Allow-Origin" not in preflight
    settings.CDS_HOOKS_CORS_ORIGINS = []
    assert "Access-Control-Allow-Origin" not in client.get("/cds-services", HTTP_ORIGIN=SANDBOX)


def test_the_worklist_leaves_out_patients_who_have_died_with_a_count(tmp_path, make_user):
    living = {"resourceType": "Patient", "id": "alive1", "gender": "female", "birthDate": "1940-01-01"}
    dead = {**living, "id": "dead1", "deceasedDateTime": "2001-05-02"}
    fracture = {
        "resourceType": "Condition",
        "subject": {"reference": "Patient/PID"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "240198002"}]},
        "onsetDateTime": "2026-06-01",
    }
    resources = [living, dead] + [
        {**fracture, "id": f"c-{p}", "subject": {"reference": f"Patient/{p}"}} for p in ("alive1", "dead1")
    ]
    path = tmp_path / "bulk.ndjson"
    path.write_text(ndjson_text(resources))
    out = io.StringIO()
    call_command("casefind", str(path), "--format", "ndjson", "--workers", "1", stdout=out)
    run = Run.objects.get()
    assert run.summary["deceased_excluded"] == 1
    assert "Patients who have died (not assessed, not listed): 1" in out.getvalue()
    assert set(Patient.objects.values_list("pseudonymous_id", flat=True)) <= {"alive1"}
    assert Patient.objects.filter(pseudonymous_id="alive1").exists()


# --- never a silent empty answer ---------------------------------------------------------------------------------

ORDER_SELECT = "/cds-services/spineprompt-order-select"
MEDICINE_CODE_ONLY = {
    "resourceType": "MedicationRequest",
    "id": "draft-1",
    "status": "draft",
    "intent": "order",
    "subject": {"reference": "Patient/p1"},
    # A code with no display or text that SpinePrompt's value sets do not hold: it cannot tell what this is, and
    # must say so.
    "medicationCodeableConcept": {"coding": [{"system": "https://dmd.nhs.uk", "code": "0000000"}]},
}
IMAGING_CODE_ONLY = {
    "resourceType": "ServiceRequest",
    "id": "draft-2",
    "status": "draft",
    "intent": "order",
    "subject": {"reference": "Patient/p1"},
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "0000000"}]},  # no words, an unknown code
}


def order_body(*orders, select=None):
    from .conftest import searchset

    body = hook_body("order-select")
    body["context"]["draftOrders"] = searchset(*orders)
    body["context"]["selections"] = select or [f"{o['resourceType']}/{o['id']}" for o in orders]
    return body


@pytest.mark.parametrize("order", [MEDICINE_CODE_ONLY, IMAGING_CODE_ONLY], ids=["medicine", "imaging"])
def test_an_order_known_only_by_a_code_gets_a_card_saying_it_was_not_read(post, order):
    cards = post(ORDER_SELECT, order_body(order)).json()["cards"]
    assert len(cards) == 1 and cards[0]["indicator"] == "warning"
    assert cards[0]["summary"] == "SpinePrompt could not read all of this"
    assert order["resourceType"] in cards[0]["detail"] and "could not tell" in cards[0]["detail"]


def test_a_selection_naming_no_draft_order_is_a_400_naming_it(post):
    from .conftest import searchset

    body = order_body(IMAGING_CODE_ONLY, select=["ServiceRequest/not-sent"])
    body["context"]["draftOrders"] = searchset(IMAGING_CODE_ONLY)
    response = post(ORDER_SELECT, body)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "context.selections[0]", "message": "names no order in context.draftOrders"}
    ]


def test_a_prefetch_with_more_pages_says_the_record_was_read_only_in_part(post):
    body = hook_body()
    body["prefetch"]["conditions"]["link"] = [
        {"relation": "self", "url": "https://ehr.example.test/fhir/Condition?patient=p1"},
        {"relation": "next", "url": "https://ehr.example.test/fhir/Condition?patient=p1&page=2"},
    ]
    cards = post(PATH, body).json()["cards"]
    assert cards[0]["summary"] == "SpinePrompt could not read all of this"
    assert "conditions was sent one page at a time" in cards[0]["detail"]
    assert len(cards) > 1  # and what it could say from the first page


# --- FHIR meaning kept --------------------------------------------------------------------------------------------


def _record(*resources, patient_id="p1"):
    from core.fhir import resources_to_record

    patient = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-03-10"}
    return resources_to_record([patient, *resources], patient_id=patient_id)


def _condition(**fields):
    return {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "240198002"}]},
        **fields,
    }


@pytest.mark.parametrize(
    ("subject", "why"),
    [
        ("urn:uuid:someone-else", "is about another patient; not used"),
        ("Patient/someone-else", "is about another patient; not used"),
        ("Group/practice-list", "is not about a patient (its subject is not a Patient); not used"),
    ],
)
def test_a_resource_about_someone_or_something_else_is_not_used_and_said(subject, why):
    record = _record(_condition(subject={"reference": subject}, onsetDateTime="2026-06-01"))
    assert record.conditions == []
    assert ("Condition/c1", why) in record.problems


def test_a_bundle_reference_to_this_patient_is_used():
    record = _record(_condition(subject={"reference": "urn:uuid:p1"}, onsetDateTime="2026-06-01"))
    assert [c.code for c in record.conditions] == ["240198002"]


def test_an_onset_age_gives_the_year_of_life_it_names():
    record = _record(_condition(onsetAge={"value": 74, "unit": "years", "system": "http://unitsofmeasure.org",
                                          "code": "a"}))  # fmt: skip
    (fracture,) = record.conditions
    assert (fracture.date.isoformat(), fracture.latest.isoformat()) == ("2024-03-10", "2025-03-09")


def test_an_onset_only_in_words_is_reported_with_its_date_unknown():
    record = _record(_condition(onsetString="a few years ago"))
    (fracture,) = record.conditions
    assert fracture.date is None
    assert ("Condition/c1.onsetString", "an onset given only as text: its date is unknown") in record.problems


def test_a_coding_without_a_system_is_not_taken_for_snomed_but_said():
    record = _record(_condition(code={"coding": [{"code": "240198002"}]}, onsetDateTime="2026-06-01"))
    assert record.conditions == []
    assert ("Condition/c1.code", "a coding without a system (240198002) was not used") in record.problems


@pytest.mark.parametrize("suffix", [".ndjson.gz", ".ndjson"])
def test_a_gzip_bulk_export_is_read_like_a_plain_one(tmp_path, suffix):
    import gzip

    patient = {"resourceType": "Patient", "id": "alive1", "gender": "female", "birthDate": "1940-01-01"}
    fracture = _condition(id="c-alive1", subject={"reference": "Patient/alive1"}, onsetDateTime="2026-06-01")
    text = ndjson_text([patient, fracture]).encode()
    path = tmp_path / f"bulk{suffix}"
    path.write_bytes(gzip.compress(text) if suffix.endswith(".gz") else text)
    call_command("casefind", str(path), "--format", "ndjson", "--workers", "1", stdout=io.StringIO())
    assert list(Patient.objects.values_list("pseudonymous_id", flat=True)) == ["alive1"]


def test_a_truncated_gzip_file_is_unusable_with_the_reason(tmp_path, capsys):
    import gzip
    import json

    path = tmp_path / "bulk.ndjson.gz"
    path.write_bytes(gzip.compress(b'{"resourceType": "Patient", "id": "a"}\n' * 200)[:60])
    with pytest.raises(SystemExit) as exit_info:
        call_command("casefind", str(path), "--format", "ndjson", "--workers", "1", stdout=io.StringIO())
    assert exit_info.value.code == 2
    assert "gzip-compressed but cannot be read" in json.loads(capsys.readouterr().err)["errors"][0]["message"]
    assert not Run.objects.exists()


def test_the_medication_a_request_references_is_asked_for_and_read(client):
    template = client.get("/cds-services").json()["services"][0]["prefetch"]["medicationRequests"]
    assert template.endswith("&_include=MedicationRequest:medication")
    request = {
        "resourceType": "MedicationRequest",
        "id": "mr1",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationReference": {"reference": "Medication/m1"},
        "authoredOn": "2026-06-01",
    }
    medication = {"resourceType": "Medication", "id": "m1", "code": {"text": "Prednisolone 5mg tablets"}}
    record = _record(request, medication)
    assert [m.kind for m in record.medications] == ["glucocorticoid"]


def test_a_412_names_what_is_missing(post):
    body = hook_body(fhirServer="https://ehr.example.test/fhir")
    del body["prefetch"]["conditions"]
    response = post(PATH, body)
    assert response.status_code == 412
    assert response.json()["detail"] == "prefetch conditions was not sent and no fhirAuthorization was sent"


def _report(status):
    import base64

    text = base64.b64encode(b"Lateral thoracic spine: wedge fracture of T8.").decode()
    return {
        "resourceType": "DiagnosticReport",
        "id": "r1",
        "status": status,
        "subject": {"reference": "Patient/p1"},
        "code": {"text": "XR thoracic spine"},
        "effectiveDateTime": "2026-11-01",
        "presentedForm": [{"contentType": "text/plain", "data": text}],
    }


def test_a_preliminary_report_is_not_read_but_said():
    record = _record(_report("preliminary"))
    assert record.reports == []
    assert (
        "DiagnosticReport/r1",
        "is a preliminary report, not read: check the final report when it comes",
    ) in record.problems


def test_a_partial_report_is_read_with_a_note():
    record = _record(_report("partial"))
    assert len(record.reports) == 1
    assert any("partial report" in why for _, why in record.problems)


# --- order-sign and encounter-start ---------------------------------------------------------------------------------

# The order-select tests' prednisolone order, with a supply duration, being signed.
STEROID = {**PRED, "id": "draft-9", "dispenseRequest": {"expectedSupplyDuration": {"value": 120, "unit": "days"}}}


def test_order_sign_cards_bone_health_for_a_glucocorticoid_being_signed(post):
    from .conftest import searchset

    body = hook_body("order-sign")
    body["context"]["draftOrders"] = searchset(STEROID)
    response = post("/cds-services/spineprompt-order-sign", body)
    assert response.status_code == 200
    cards = response.json()["cards"]
    assert cards and {c["source"]["topic"]["code"] for c in cards} <= {"bone", "imaging", "safety", "investigations"}
    event = AuditEvent.objects.get(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail["service"] == "spineprompt-order-sign" and event.detail["outcome"] == "evaluated"


def test_order_sign_says_nothing_for_orders_it_does_not_care_about(post):
    from .conftest import searchset

    other = {**STEROID, "id": "draft-10", "medicationCodeableConcept": {"text": "Amoxicillin 500mg capsules"}}
    body = hook_body("order-sign")
    body["context"]["draftOrders"] = searchset(other)
    assert post("/cds-services/spineprompt-order-sign", body).json() == {"cards": []}


def test_order_sign_needs_draft_orders(post):
    response = post("/cds-services/spineprompt-order-sign", hook_body("order-sign"))
    assert response.status_code == 400
    assert {"field": "context.draftOrders", "message": "is missing a required field"} in response.json()["errors"]


def test_encounter_start_gives_the_patient_view_prompts(post):
    body = hook_body("encounter-start")
    body["context"]["encounterId"] = "enc-1"
    cards = post("/cds-services/spineprompt-encounter-start", body).json()["cards"]
    patient_view = post(PATH, hook_body()).json()["cards"]
    assert [c["summary"] for c in cards] == [c["summary"] for c in patient_view] and cards


def test_encounter_start_needs_the_encounter(post):
    response = post("/cds-services/spineprompt-encounter-start", hook_body("encounter-start"))
    assert response.status_code == 400
    assert {"field": "context.encounterId", "message": "is missing a required field"} in response.json()["errors"]


# --- problem-list-item-create ------------------------------------------------------------------------------------

PROBLEM = "/cds-services/spineprompt-problem-list-item-create"


def problem_body(*conditions, fracture_in_record=False):
    from .conftest import searchset

    body = hook_body("problem-list-item-create", prefetch=patient_prefetch(fracture=fracture_in_record))
    body["context"]["conditions"] = searchset(*conditions)
    return body


def _problem(code=None, *, text=None, system="http://snomed.info/sct", subject="Patient/p1", **fields):
    concept = {"coding": [{"system": system, "code": code}]} if code else {}
    if text:
        concept["text"] = text
    return {
        "resourceType": "Condition",
        "id": "new-1",
        "subject": {"reference": subject},
        "category": [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item"}
                ]
            }
        ],
        "code": concept,
        "onsetDateTime": "2026-11-30",
        **fields,
    }


def test_a_vertebral_fracture_just_added_gets_what_follows_and_no_record_it_card(post):
    cards = post(PROBLEM, problem_body(_problem("240198002"))).json()["cards"]
    topics = {c["source"]["topic"]["code"] for c in cards}
    assert "bone" in topics and "referral" in topics
    assert "imaging" not in topics and "education" not in topics  # not what follows a coded fracture
    assert not any(c["summary"].startswith("Record the vertebral fracture") for c in cards)
    event = AuditEvent.objects.get(event=AuditEvent.Event.API_EVALUATION)
    assert event.detail["service"] == "spineprompt-problem-list-item-create" and event.detail["outcome"] == "evaluated"


def test_a_problem_spineprompt_has_nothing_to_say_about_gets_the_empty_list(post):
    """Hypertension (38341003): a SNOMED CT code outside the value sets is not about bone health."""
    assert post(PROBLEM, problem_body(_problem("38341003"))).json() == {"cards": []}
    assert AuditEvent.objects.get().detail["outcome"] == "not_applicable"


@pytest.mark.parametrize(
    "problem",
    [
        _problem(text="crush fracture T12"),  # words only
        _problem("M48.5", system="http://hl7.org/fhir/sid/icd-10"),  # another code system only
        _problem("240198002", system=None),  # a code without its system
    ],
    ids=["text only", "ICD-10 only", "no system"],
)
def test_a_new_problem_without_a_snomed_code_gets_a_card_saying_it_was_not_read(post, problem):
    if problem["code"].get("coding") and problem["code"]["coding"][0]["system"] is None:
        del problem["code"]["coding"][0]["system"]
    [card] = post(PROBLEM, problem_body(problem)).json()["cards"]
    assert card["summary"] == "SpinePrompt could not read all of this" and card["indicator"] == "warning"
    assert "Condition/new-1 has no SNOMED CT code" in card["detail"]


def test_a_new_problem_about_another_patient_is_a_400_naming_it(post):
    response = post(PROBLEM, problem_body(_problem("240198002", subject="Patient/someone-else")))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "context.conditions.entry[0].resource.subject", "message": "is not the patient in context.patientId"}
    ]
    assert not IssuedCard.objects.exists()


def test_a_refuted_problem_says_nothing(post):
    refuted = _problem(
        "240198002",
        verificationStatus={
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "refuted"}]
        },
    )
    assert post(PROBLEM, problem_body(refuted)).json() == {"cards": []}


def test_problem_list_item_create_needs_the_conditions(post):
    response = post(PROBLEM, hook_body("problem-list-item-create"))
    assert response.status_code == 400
    assert {"field": "context.conditions", "message": "is missing a required field"} in response.json()["errors"]


def test_a_paged_prefetch_is_followed_through_the_fhir_server(post, fhir_server):
    """Page 1 (sent) has no fracture; page 2, fetched from fhirServer with fhirAuthorization, has it."""
    base, handler = fhir_server
    full = patient_prefetch()
    page_two = full["conditions"]
    body = hook_body(prefetch={**full, "conditions": {
        "resourceType": "Bundle", "type": "searchset", "entry": [],
        "link": [{"relation": "next", "url": f"{base}/Condition?patient=p1&page=2"}],
    }})  # fmt: skip
    handler.routes = {"/fhir/Condition": (200, page_two)}
    response = post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH})
    cards = response.json()["cards"]
    assert [p for p, _ in handler.seen] == ["/fhir/Condition?patient=p1&page=2"]
    assert cards and all(c["summary"] != "SpinePrompt could not read all of this" for c in cards)
    assert any("bisphosphonate" in c["summary"].lower() or "alendron" in c["summary"].lower() for c in cards)


def test_a_next_page_on_another_server_is_not_fetched_and_the_card_says_so(post, fhir_server):
    base, handler = fhir_server
    body = hook_body()
    body["prefetch"]["conditions"]["link"] = [{"relation": "next", "url": "https://elsewhere.example/Condition?p=2"}]
    cards = post(PATH, {**body, "fhirServer": base, "fhirAuthorization": AUTH}).json()["cards"]
    assert handler.seen == []  # the token never goes to another server
    assert cards[0]["summary"] == "SpinePrompt could not read all of this"


def test_a_report_whose_text_is_in_its_linked_observation_is_read(client):
    template = client.get("/cds-services").json()["services"][0]["prefetch"]["diagnosticReports"]
    assert template.endswith("&_include=DiagnosticReport:result")
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r2",
        "status": "final",
        "subject": {"reference": "Patient/p1"},
        "code": {"text": "XR thoracic spine"},
        "effectiveDateTime": "2026-11-01",
        "result": [{"reference": "Observation/o-text"}, {"reference": "Observation/not-sent"}],
    }
    finding = {
        "resourceType": "Observation",
        "id": "o-text",
        "status": "final",
        "subject": {"reference": "Patient/p1"},
        "code": {"text": "Findings"},
        "valueString": "Moderate wedge deformity of T8.",
    }
    record = _record(report, finding)
    assert [r.text for r in record.reports] == ["Moderate wedge deformity of T8."]
    assert ("DiagnosticReport/r2.result[1]", "a linked result was not sent; its text is not read") in record.problems


# Prednisolone 5mg tablets, by its dm+d VMP code alone (OpenCodelists opensafely/asthma-oral-prednisolone-medication),
# 4 tablets (20 mg) a day: UK Core's dm+d system, and the same id under SNOMED CT's system as some GP systems send it.
@pytest.mark.parametrize("system", ["https://dmd.nhs.uk", "http://snomed.info/sct"])
def test_prednisolone_known_only_by_its_dm_d_code_is_read_with_its_dose(post, system):
    order = {
        **MEDICINE_CODE_ONLY,
        "medicationCodeableConcept": {"coding": [{"system": system, "code": "325427002"}]},
        "dosageInstruction": [
            {
                "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                "doseAndRate": [{"doseQuantity": {"value": 20, "unit": "mg", "code": "mg"}}],
            }
        ],
        "dispenseRequest": {"expectedSupplyDuration": {"value": 120, "unit": "days"}},
        "authoredOn": "2026-12-01",
    }
    cards = post(ORDER_SELECT, order_body(order)).json()["cards"]
    assert cards and all(c["summary"] != "SpinePrompt could not read all of this" for c in cards)
    assert {c["source"]["topic"]["code"] for c in cards} & {"bone"}
    details = " ".join(c["detail"] for c in cards)
    assert "Prednisolone 5mg tablets" in details and "20" in details


def test_the_prednisolone_codes_come_from_their_cited_source():
    from core.fhir import valuesets

    rows = [r for r in valuesets.load("medicines") if r.system == "https://dmd.nhs.uk"]
    assert len(rows) >= 40 and {r.maps_to for r in rows} == {"glucocorticoid"}
    assert all("opensafely/asthma-oral-prednisolone-medication" in r.source and r.mark == "V" for r in rows)
    assert all("rednisolone" in r.display or "prednisolone" in r.display for r in rows)


def test_the_fls_card_suggests_the_referral_as_a_service_request(post):
    """Issue 27: the card for the same patient suggests the FLS referral as a FHIR R4 ServiceRequest (by its words:
    no SNOMED CT concept for it is verified)."""
    cards = post(PATH, hook_body()).json()["cards"]
    card = next(c for c in cards if c["summary"].startswith("Refer to the fracture liaison service"))
    [suggestion] = card["suggestions"]
    resource = suggestion["actions"][0]["resource"]
    assert resource["resourceType"] == "ServiceRequest" and resource["intent"] == "proposal"
    assert resource["code"] == {"text": "Referral to fracture liaison service"} and "coding" not in resource["code"]
    assert resource["subject"] == {"reference": "Patient/p1"}

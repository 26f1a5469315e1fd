"""Fuzzing the CDS Hooks endpoints with hypothesis: random and malformed JSON bodies, and random headers, never give
a 5xx (an error there would read as "no decision support" to a GP system)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ORDER_SELECT, PATIENT_VIEW, hook_body

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
KEYS = ["hook", "hookInstance", "context", "prefetch", "fhirServer", "fhirAuthorization", "feedback"]
# Bodies shaped almost like a hook call: the interesting paths go past the schema's first checks.
near_valid = st.builds(
    lambda base, key, value: {**base, key: value},
    st.just(hook_body()),
    st.sampled_from(KEYS + ["patientId"]),
    json_values,
)
context_mutation = st.builds(
    lambda key, value: (lambda b: b["context"].update({key: value}) or b)(hook_body("order-select")),
    st.sampled_from(["patientId", "selections", "draftOrders", "userId"]),
    json_values,
)
prefetch_mutation = st.builds(
    lambda key, value: (lambda b: b["prefetch"].update({key: value}) or b)(hook_body()),
    st.sampled_from(["patient", "conditions", "observations", "medicationRequests", "diagnosticReports"]),
    json_values
    | st.fixed_dictionaries(
        {"resourceType": st.sampled_from(["Bundle", "Patient", "Observation"])},
        optional={"entry": json_values, "id": json_values},
    ),
)
bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    near_valid.map(lambda v: json.dumps(v).encode()),
    context_mutation.map(lambda v: json.dumps(v).encode()),
    prefetch_mutation.map(lambda v: json.dumps(v).encode()),
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.slow
@pytest.mark.django_db
@FUZZ
@given(body=bodies, service=st.sampled_from([PATIENT_VIEW, ORDER_SELECT, "nope"]), feedback=st.booleans())
def test_random_bodies_with_a_valid_token_never_give_5xx(client, sign, body, service, feedback):
    path = f"/cds-services/{service}" + ("/feedback" if feedback else "")
    response = client.post(path, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {sign(path)}")
    assert response.status_code < 500, response.content[:300]


header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=300)


@pytest.mark.slow
@pytest.mark.django_db
@FUZZ
@given(
    authorization=st.one_of(header_text, header_text.map(lambda t: "Bearer " + t), st.just("Bearer a.b.c")),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", ""]),
    extra=st.dictionaries(st.sampled_from(["HTTP_X_FORWARDED_PROTO", "HTTP_ACCEPT", "HTTP_HOST_X"]), header_text),
)
def test_random_headers_never_give_5xx(client, authorization, content_type, extra):
    path = f"/cds-services/{PATIENT_VIEW}"
    response = client.post(
        path, data=json.dumps(hook_body()), content_type=content_type, HTTP_AUTHORIZATION=authorization, **extra
    )
    assert response.status_code == 401
    assert client.get("/cds-services", HTTP_AUTHORIZATION=authorization).status_code == 200

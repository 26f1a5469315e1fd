"""The assessment form maps answers onto the contract, and rejects exactly what the contract rejects."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.utils import timezone

from apps.assessments.forms import QUESTIONS, AssessmentForm, initial_from_contract, path_to_name
from core.rules import InputError, evaluate_data, validate
from core.rules.contract import SCHEMA
from tests.rules.conftest import load_vignettes

VIGNETTES = [v for v in load_vignettes() if "expect" in v]


def post_data(answers: dict) -> dict:
    """Form answers as a browser would post them: unanswered fields are simply absent."""
    return {k: v for k, v in answers.items() if v not in (None, "", [])}


def form_for(answers: dict, role: str = "gp") -> AssessmentForm:
    form = AssessmentForm(post_data(answers), role=role)
    form.is_valid()
    return form


def test_every_contract_field_is_asked():
    """Apart from the version, date, role and extensions (which the page sets), the form asks every field."""
    contract = set()
    for key, spec in SCHEMA.items():
        if spec.fields:
            contract |= {f"{key}.{sub}" for sub in spec.fields}
        elif key not in ("input_version", "assessed_on", "assessor_role", "extensions"):
            contract.add(key)
    assert set(QUESTIONS) == contract


@pytest.mark.parametrize("case", VIGNETTES, ids=lambda v: v["name"])
def test_vignettes_round_trip_through_the_form(case):
    """Answering the form as the vignette says gives the same prompts as the contract input itself."""
    expected_input = copy.deepcopy(case["input"])
    form = form_for(initial_from_contract(expected_input), role=expected_input.get("assessor_role", "gp"))
    assert form.is_valid(), form.errors
    data = form.contract_data
    data["assessed_on"] = expected_input["assessed_on"]
    today = dt.date.fromisoformat(expected_input["assessed_on"])
    assert evaluate_data(data, today=today)["prompts"] == evaluate_data(expected_input, today=today)["prompts"]


def test_not_known_is_null_never_no():
    form = form_for({"age": "70", "sex": "female", "kyphosis": "unknown", "current_smoker": "no"})
    assert form.is_valid(), form.errors
    assert form.contract_data["kyphosis"] is None
    assert form.contract_data["current_smoker"] is False
    # Unanswered questions are unknown too.
    assert form.contract_data["rheumatoid_arthritis"] is None
    assert form.contract_data["nogg_category"] is None
    assert form.contract_data["bone_protection"]["current"] is None


def test_sex_not_known_is_an_answer_and_the_womens_questions_stay_hidden():
    """Sex's "Not known" is the contract's "unknown" (issue 25, H-92), not a blank: the form is valid and the
    prompts say what does not depend on sex."""
    form = AssessmentForm(role="gp")
    assert ("unknown", "Not known") in list(form.fields["sex"].widget.choices)
    form = form_for({"age": "76", "sex": "unknown", "postmenopausal": "yes", "vertebral_fractures_known": "1"})
    assert form.is_valid(), form.errors
    assert form.contract_data["sex"] == "unknown"
    assert form.contract_data["postmenopausal"] is None  # asked of women only, as for a man


def test_every_tri_state_question_starts_as_not_known():
    form = AssessmentForm(role="gp")
    tri = [q for q in QUESTIONS.values() if q.kind == "tri"]
    assert tri
    assert all(form.fields[q.name].initial == "unknown" for q in tri)


def test_numbers_are_parsed_including_a_typographic_minus():
    form = form_for({"age": " 74 ", "sex": "female", "dxa_lowest_t_score": "\u22122.7", "weight_kg": "58.5"})
    assert form.is_valid(), form.errors
    assert form.contract_data["age"] == 74
    assert form.contract_data["dxa_lowest_t_score"] == -2.7
    assert form.contract_data["weight_kg"] == 58.5


@pytest.mark.parametrize(
    "name, typed",
    [("glucocorticoids__prednisolone_mg_per_day", "7,5"), ("historical_height_loss_cm", "2,5"), ("age", "7,2")],
)
def test_a_comma_is_refused_never_dropped(name, typed):
    """ "7,5" mg once became 75 mg, and "2,5" cm of height loss 25 cm (which fires spine imaging)."""
    data = {"age": "72", "sex": "female", "glucocorticoids__current_or_recent": "yes", name: typed}
    form = form_for(data)
    assert not form.is_valid()
    assert form.contract_data is None
    (message,) = form.errors[name]
    assert message.endswith(
        "must be a number: use a full stop for decimals (7.5, not 7,5) and no thousands separators"
        if name != "age"
        else "Age must be a whole number, typed without a comma"
    ), message


def test_follow_up_answers_are_ignored_when_their_question_hides_them():
    form = form_for(
        {
            "age": "70",
            "sex": "male",
            "postmenopausal": "yes",
            "glucocorticoids__current_or_recent": "no",
            "glucocorticoids__prednisolone_mg_per_day": "not a number",
            "glucocorticoids__months": "12",
        }
    )
    assert form.is_valid(), form.errors
    assert form.contract_data["postmenopausal"] is None
    assert form.contract_data["glucocorticoids"] == {
        "current_or_recent": False,
        "prednisolone_mg_per_day": None,
        "months": None,
        "planned_months": None,
    }


def test_follow_up_answers_are_kept_when_the_question_is_not_known():
    """The rules infer steroid use from a dose given with the question unanswered, so the dose is kept."""
    form = form_for({"age": "70", "sex": "female", "glucocorticoids__prednisolone_mg_per_day": "10"})
    assert form.is_valid(), form.errors
    assert form.contract_data["glucocorticoids"]["prednisolone_mg_per_day"] == 10


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"sex": "female"}, "age", "Age is required"),
        ({"age": "abc", "sex": "female"}, "age", "Age must be a whole number"),
        ({"age": "17", "sex": "female"}, "age", "Age must be between 18 and 120"),
        ({"age": "70"}, "sex", "Sex is required"),
        ({"age": "70", "sex": "other"}, "sex", "Sex must be one of: female, male, unknown"),
        ({"age": "70", "sex": "male", "kyphosis": "maybe"}, "kyphosis", "Kyphosis on examination must be true"),
        ({"age": "70", "sex": "male", "red_flags": ["bad"]}, "red_flags", "Red flags must be one of"),
        ({"age": "70", "sex": "male", "egfr": "999"}, "egfr", "eGFR (mL/min) must be between 0 and 200"),
        ({"age": "70", "sex": "male", "falls_last_year": "1.5"}, "falls_last_year", "must be a whole number"),
        (
            {"age": "70", "sex": "male", "spine_imaging__report_text": "x" * 20_001},
            "spine_imaging__report_text",
            "must be at most 20,000 characters",
        ),
    ],
)
def test_errors_come_from_the_contract_and_name_the_field(answers, field, message):
    form = form_for(answers)
    assert not form.is_valid()
    assert form.contract_data is None
    assert any(message in e for e in form.errors[field]), form.errors


def test_the_form_rejects_exactly_what_the_contract_rejects():
    """Every contract error for the posted answers appears on the form, against the same field."""
    answers = {
        "age": "200",
        "sex": "female",
        "weight_kg": "-1",
        "back_pain__present": "yes",
        "back_pain__duration_weeks": "9999",
        "dxa_lowest_t_score": "-9",
        "bone_protection__years": "31",
        "vertebral_fractures_known": "21",
    }
    form = form_for(answers)
    assert not form.is_valid()
    # Build the same contract input by hand and ask the contract.
    data = {
        "age": 200,
        "sex": "female",
        "weight_kg": -1,
        "back_pain": {"present": True, "duration_weeks": 9999},
        "dxa_lowest_t_score": -9,
        "bone_protection": {"years": 31},
        "vertebral_fractures_known": 21,
    }
    with pytest.raises(InputError) as exc:
        validate(data, today=timezone.localdate())
    assert {path_to_name(e.field) for e in exc.value.errors} == set(form.errors)


@pytest.mark.parametrize(
    "reference",
    [
        "943 476 5919",
        "9434765919",
        "943-476-5919",
        "seen 01/02/1950",
        # found by a security review: these were stored
        "NHS 9434765919",
        "943.476.5919",
        "Jane Doe 1 Feb 1950",
        "born 1950-02-01",
    ],
)
def test_practice_reference_refuses_nhs_numbers_and_dates(reference):
    form = form_for({"age": "70", "sex": "female", "practice_reference": reference})
    assert not form.is_valid()
    assert "practice_reference" in form.errors


def test_practice_reference_is_optional_and_kept_out_of_the_contract():
    form = form_for({"age": "70", "sex": "female", "practice_reference": "Room 3, 10:20"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["practice_reference"] == "Room 3, 10:20"
    assert "practice_reference" not in form.contract_data


def test_role_and_date_come_from_the_user_and_today():
    form = form_for({"age": "70", "sex": "female"}, role="physio")
    assert form.is_valid()
    assert form.contract_data["assessor_role"] == "physio"
    assert form.contract_data["assessed_on"] == timezone.localdate().isoformat()


@pytest.mark.django_db
def test_the_practice_reference_says_optional_once(client, make_user):
    client.force_login(make_user("optional-once", role="gp"))
    html = client.get("/assessments/new/").content.decode()
    assert "Practice reference (optional)" in html and "(optional) (optional)" not in html


@pytest.mark.parametrize(
    "report, what",
    [
        ("Mrs Jane Smith NHS No 943 476 5919. Wedge fracture of T12.", "an NHS number"),
        ("DOB 01/02/1950. XR thoracic spine: wedge fracture of T12.", "a date of birth"),
        ("Patient born 1 Feb 1950. Wedge fracture of T12.", "a date of birth"),
        # found by a security review: these were stored
        ("NHS 943.476.5919. Wedge fracture of T12.", "an NHS number"),
        ("NHS no 943  476  5919. Wedge fracture of T12.", "an NHS number"),
        ("DOB 1950-02-01. Wedge fracture of T12.", "a date of birth"),
        ("Date of birth is 01/02/1950. Wedge fracture of T12.", "a date of birth"),
        ("Born February 1, 1950. Wedge fracture of T12.", "a date of birth"),
        ("D.O.B.: 1st of February 1950. Wedge fracture of T12.", "a date of birth"),
    ],
)
def test_a_report_with_an_identifier_is_refused_and_nothing_is_stored(report, what):
    """Stored assessments are insert-only and keep the report text: it must not carry an NHS number or a date of
    birth (the practice reference already refused them)."""
    form = form_for({"age": "72", "sex": "female", "spine_imaging__report_text": report})
    assert not form.is_valid()
    assert form.contract_data is None
    assert form.errors["spine_imaging__report_text"] == [
        f"Radiology report text must not contain {what}: remove it and send again"
    ]


@pytest.mark.parametrize(
    "report",
    [
        "Compared with the study of 01/02/2020: wedge fracture of T12.",
        "Accession 1234567890. Normal spine.",
        "Compared with 2024-05-01: 25% loss of height at L1, 12.5 mm.",
    ],
)
def test_dates_and_other_numbers_in_a_report_are_not_identifiers(report):
    form = form_for({"age": "72", "sex": "female", "spine_imaging__report_text": report})
    assert form.is_valid(), form.errors

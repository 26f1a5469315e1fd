"""Clinical-safety faults found by the FHIR conformance check (docs/fhir-mapping.md): planned glucocorticoid orders,
suspected fractures, conflicting and unit-bearing answers, non-oral glucocorticoids, future-dated conditions and
same-day heights. Each test failed before its fix."""

import datetime as dt

import pytest

from core.fhir import SPINEPROMPT_SYSTEM, resources_to_record
from core.records import record_to_input
from core.rules import evaluate_data, validate

TODAY = dt.date(2026, 11, 23)
SCT = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
PATIENT = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-01-01"}  # 76 today


def to_input(resources: list[dict], **kw) -> tuple[dict, object]:
    record = resources_to_record([PATIENT, *resources], **kw)
    data, _ = record_to_input(record, assessed_on=TODAY, assessor_role="gp")
    validate(data, today=TODAY)
    return data, record


def messages(record) -> str:
    return "\n".join(f"{where}: {message}" for where, message in record.problems)


def prompt_ids(data: dict) -> set[str]:
    return {p["id"] for p in evaluate_data(data, today=TODAY)["prompts"]}


# --- 1. a planned glucocorticoid course counts its planned months -------------------------------------------------


def planned_prednisolone(
    rid: str = "draft-1", *, status: str = "draft", bounds: dict | None = None, dispense: dict | None = None
) -> dict:
    """The conformance check's repro: prednisolone 30 mg once daily from 2026-11-23 to 2027-06-01."""
    repeat = {"frequency": 1, "period": 1, "periodUnit": "d"}
    if bounds is not None:
        repeat["boundsPeriod"] = bounds
    order = {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": status,
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"text": "Prednisolone 5mg tablets"},
        "authoredOn": "2026-11-23",
        "dosageInstruction": [
            {
                "text": "30 mg once daily",
                "route": {"text": "oral"},
                "timing": {"repeat": repeat},
                "doseAndRate": [{"doseQuantity": {"value": 30, "unit": "mg", "system": UCUM, "code": "mg"}}],
            }
        ],
    }
    if dispense is not None:
        order["dispenseRequest"] = dispense
    return order


REPRO_DISPENSE = {
    "validityPeriod": {"start": "2026-11-23", "end": "2027-05-23"},
    "expectedSupplyDuration": {"value": 180, "unit": "days", "system": UCUM, "code": "d"},
}


def test_a_planned_high_dose_course_counts_its_planned_months_and_prompts_bone_protection():
    order = planned_prednisolone(bounds={"start": "2026-11-23", "end": "2027-06-01"}, dispense=REPRO_DISPENSE)
    data, record = to_input([order], planned={"MedicationRequest/draft-1"})
    gc = data["glucocorticoids"]
    assert gc["current_or_recent"] is True
    assert gc["prednisolone_mg_per_day"] == 30
    assert gc["months"] == pytest.approx(190 / (365.25 / 12), abs=0.01)  # 2026-11-23 to 2027-06-01, planned
    assert [m.status for m in record.medications] == ["planned"]
    assert "bone.start_treatment" in prompt_ids(data)


@pytest.mark.parametrize(
    ("dispense", "days"),
    [
        ({"validityPeriod": {"start": "2026-11-23", "end": "2027-05-23"}}, 181),
        ({"expectedSupplyDuration": {"value": 180, "unit": "days", "system": UCUM, "code": "d"}}, 180),
    ],
)
def test_a_planned_course_without_bounds_reads_validity_or_the_expected_supply(dispense, days):
    data, _ = to_input([planned_prednisolone(dispense=dispense)], planned={"MedicationRequest/draft-1"})
    assert data["glucocorticoids"]["months"] == pytest.approx(days / (365.25 / 12), abs=0.01)


def test_a_planned_course_of_unreadable_length_leaves_months_unknown_never_0():
    data, record = to_input([planned_prednisolone()], planned={"MedicationRequest/draft-1"})
    gc = data["glucocorticoids"]
    assert gc["current_or_recent"] is True and gc["prednisolone_mg_per_day"] == 30
    assert "months" not in gc
    assert "planned" in messages(record) and "months of use unknown" in messages(record)


def test_a_planned_course_joins_the_course_already_taken():
    taken = {
        **planned_prednisolone("rx-1", status="active", bounds={"start": "2026-10-23"}),
        "authoredOn": "2026-10-23",
    }
    order = planned_prednisolone(bounds={"start": "2026-11-23", "end": "2027-01-23"})
    data, _ = to_input([taken, order], planned={"MedicationRequest/draft-1"})
    assert data["glucocorticoids"]["months"] == pytest.approx(92 / (365.25 / 12), abs=0.01)  # Oct 23 to Jan 23


def test_a_draft_order_that_is_not_the_selected_order_is_still_not_read():
    order = planned_prednisolone(bounds={"start": "2026-11-23", "end": "2027-06-01"})
    data, record = to_input([order])
    assert "glucocorticoids" not in data and record.medications == []


def test_a_past_active_course_still_ends_today():
    taken = {
        **planned_prednisolone("rx-1", status="active", bounds={"start": "2026-10-23", "end": "2027-06-01"}),
        "authoredOn": "2026-10-23",
    }
    data, _ = to_input([taken])
    assert data["glucocorticoids"]["months"] == pytest.approx(31 / (365.25 / 12), abs=0.01)


# --- 2. a suspected fracture is not a diagnosed fracture ----------------------------------------------------------


def fracture(cid: str, verification: str | None, *, onset: str = "2026-06-01", code: str = "240198002") -> dict:
    condition = {
        "resourceType": "Condition",
        "id": cid,
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": SCT, "code": code, "display": "Osteoporotic vertebral collapse"}]},
        "onsetDateTime": onset,
    }
    if verification is not None:
        condition["verificationStatus"] = {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": verification}]
        }
    return condition


@pytest.mark.parametrize("status", ["provisional", "differential", "unconfirmed"])
def test_a_suspected_vertebral_fracture_leaves_the_count_and_coded_unknown_with_a_problem(status):
    data, record = to_input([fracture("c1", status)])
    assert "vertebral_fractures_known" not in data
    assert "record" not in data  # record.vertebral_fracture_coded unknown, never False
    assert "spine_imaging" not in data
    assert "suspected" in messages(record) and "confirm" in messages(record)
    assert "bone.start_treatment" not in prompt_ids(data)


@pytest.mark.parametrize("status", ["refuted", "entered-in-error"])
def test_refuted_and_entered_in_error_fractures_are_still_ignored(status):
    data, record = to_input([fracture("c1", status)])
    assert "vertebral_fractures_known" not in data and record.conditions == []


def test_a_confirmed_fracture_counts_beside_a_suspected_one():
    data, record = to_input([fracture("c1", "confirmed", onset="2025-01-10"), fracture("c2", "provisional")])
    assert data["vertebral_fractures_known"] == 1
    assert data["record"]["vertebral_fracture_coded"] is True
    assert data["spine_imaging"]["months_since_fracture"] == pytest.approx(22.41, abs=0.01)  # from 2025-01-10
    assert "suspected" in messages(record)


@pytest.mark.parametrize(
    ("onset", "read_as"),
    [
        ("2024", dt.date(2024, 12, 31)),  # a year only: 23 months at most, so possibly recent; never 1 January
        ("2024-11", dt.date(2024, 11, 30)),  # a month only: its last day
        ("2024-02", dt.date(2024, 2, 29)),  # a leap February
        ("2026", TODAY),  # this year: no later than today
        ("2024-11-02", dt.date(2024, 11, 2)),  # a full date is what it says
    ],
)
def test_a_fracture_dated_without_its_day_is_read_as_late_as_the_date_allows(onset, read_as):
    """Recency decides very high risk (a fracture within 24 months): reading "2024" as 1 January would make a
    fracture of December 2024 look 34 months old on 23 November 2026, not 23 (H-78)."""
    data, _ = to_input([fracture("c1", "confirmed", onset=onset)])
    months = data["spine_imaging"]["months_since_fracture"]
    assert months == pytest.approx((TODAY - read_as).days / (365.25 / 12), abs=0.01)


def test_a_year_only_fracture_within_24_months_is_very_high_risk():
    data, record = to_input([fracture("c1", "confirmed", onset="2024")])
    assert data["spine_imaging"]["months_since_fracture"] <= 24
    assert "bone.specialist_referral" in prompt_ids(data)
    derivations = record_to_input(record, assessed_on=TODAY, assessor_role="gp")[1]
    assert any("without its day" in d.because for d in derivations if d.field == "spine_imaging.months_since_fracture")


# --- 3. conflicting answers take the documented safer reading ------------------------------------------------------


def answer(path: str, **value) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": SPINEPROMPT_SYSTEM, "code": path}]},
        **value,
    }


@pytest.mark.parametrize(
    ("path", "first", "second", "safer"),
    [
        ("falls_last_year", {"valueInteger": 0}, {"valueInteger": 2}, 2),
        ("falls_last_year", {"valueInteger": 2}, {"valueInteger": 0}, 2),
        ("historical_height_loss_cm", {"valueQuantity": {"value": 2}}, {"valueQuantity": {"value": 5}}, 5),
        ("glucocorticoids.months", {"valueQuantity": {"value": 1}}, {"valueQuantity": {"value": 4}}, 4),
        ("dxa_lowest_t_score", {"valueQuantity": {"value": -1.0}}, {"valueQuantity": {"value": -2.6}}, -2.6),
        ("egfr", {"valueQuantity": {"value": 60}}, {"valueQuantity": {"value": 28}}, 28),
        ("vitamin_d_nmol_l", {"valueQuantity": {"value": 60}}, {"valueQuantity": {"value": 20}}, 20),
        ("spine_imaging.months_since_fracture", {"valueQuantity": {"value": 30}}, {"valueQuantity": {"value": 6}}, 6),
        (
            "nogg_category",
            {"valueCodeableConcept": {"coding": [{"code": "intermediate"}]}},
            {"valueCodeableConcept": {"coding": [{"code": "high"}]}},
            "high",
        ),
    ],
)
def test_two_different_answers_take_the_safer_reading_and_say_so(path, first, second, safer):
    data, record = to_input([answer(path, **first), answer(path, **second)])
    head, _, tail = path.partition(".")
    assert (data[head][tail] if tail else data[head]) == safer
    assert f"two different answers for {path}" in messages(record)


@pytest.mark.parametrize(
    ("path", "first", "second"),
    [
        (
            "back_pain.onset",
            {"valueCodeableConcept": {"coding": [{"code": "sudden"}]}},
            {"valueCodeableConcept": {"coding": [{"code": "gradual"}]}},
        ),
        (
            "bone_protection.current",
            {"valueCodeableConcept": {"coding": [{"code": "alendronate"}]}},
            {"valueCodeableConcept": {"coding": [{"code": "none"}]}},
        ),
        ("adjusted_calcium", {"valueQuantity": {"value": 2.1}}, {"valueQuantity": {"value": 2.6}}),
        ("record.patient_told_diagnosis", {"valueBoolean": True}, {"valueBoolean": False}),
    ],
)
def test_two_different_answers_with_no_safer_reading_are_unknown_with_a_problem(path, first, second):
    data, record = to_input([answer(path, **first), answer(path, **second), answer(path, **first)])
    head, _, tail = path.partition(".")
    assert tail not in data.get(head, {}) if tail else head not in data
    assert f"two different answers for {path}" in messages(record)
    assert "unknown" in messages(record)


# --- 4. units on answers are converted or refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "quantity", "value"),
    [
        ("historical_height_loss_cm", {"value": 2, "unit": "in", "system": UCUM, "code": "[in_i]"}, 5.08),
        ("historical_height_loss_cm", {"value": 25, "unit": "mm", "system": UCUM, "code": "mm"}, 2.5),
        ("glucocorticoids.prednisolone_mg_per_day", {"value": 0.01, "unit": "g/d", "system": UCUM, "code": "g/d"}, 10),
        ("glucocorticoids.months", {"value": 26, "unit": "wk", "system": UCUM, "code": "wk"}, 5.98),
        ("weight_kg", {"value": 110, "unit": "lb", "system": UCUM, "code": "[lb_av]"}, 49.9),
        ("historical_height_loss_cm", {"value": 3, "unit": "cm", "system": UCUM, "code": "cm"}, 3),
        ("historical_height_loss_cm", {"value": 3}, 3),  # no unit: the contract's
    ],
)
def test_answer_quantities_are_converted_to_the_contract_unit(path, quantity, value):
    data, record = to_input([answer(path, valueQuantity=quantity)])
    head, _, tail = path.partition(".")
    assert (data[head][tail] if tail else data[head]) == pytest.approx(value, abs=0.01)
    assert record.problems == []


@pytest.mark.parametrize(
    ("path", "quantity"),
    [
        ("historical_height_loss_cm", {"value": 2, "unit": "hands"}),
        ("glucocorticoids.prednisolone_mg_per_day", {"value": 10, "unit": "mg/wk", "system": UCUM, "code": "mg/wk"}),
        ("falls_last_year", {"value": 2, "unit": "kg", "system": UCUM, "code": "kg"}),
    ],
)
def test_an_answer_in_a_unit_we_cannot_convert_is_unknown_with_a_problem(path, quantity):
    data, record = to_input([answer(path, valueQuantity=quantity)])
    head, _, tail = path.partition(".")
    assert tail not in data.get(head, {}) if tail else head not in data
    assert "unit" in messages(record) and path in messages(record)


# --- 5. injected glucocorticoids are not oral ----------------------------------------------------------------------


def glucocorticoid(text: str, route: dict | None = None) -> dict:
    dosage: dict = {"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}}
    dosage["doseAndRate"] = [{"doseQuantity": {"value": 40, "unit": "mg", "system": UCUM, "code": "mg"}}]
    if route is not None:
        dosage["route"] = route
    return {
        "resourceType": "MedicationRequest",
        "id": "rx",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"text": text},
        "authoredOn": "2026-11-01",
        "dosageInstruction": [dosage],
    }


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Methylprednisolone acetate 40mg/1ml suspension for injection vials", None),
        ("Hydrocortisone sodium succinate 100mg powder for solution for injection", None),
        ("Dexamethasone 3.3mg/1ml solution for injection ampoules", None),
        ("Methylprednisolone 40mg", {"text": "Intramuscular"}),
        ("Methylprednisolone 40mg", {"coding": [{"system": SCT, "display": "Intravenous route"}]}),
        ("Methylprednisolone 40mg", {"text": "IM"}),
        ("Methylprednisolone 40mg", {"text": "IV infusion"}),
        ("Hydrocortisone 100mg", {"text": "subcutaneous"}),
        ("Methylprednisolone 40mg", {"text": "intralesional"}),
    ],
)
def test_injected_glucocorticoids_are_not_oral(text, route):
    data, record = to_input([glucocorticoid(text, route)])
    assert "glucocorticoids" not in data and record.medications == []


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Prednisolone 5mg tablets", {"text": "oral"}),
        ("Prednisolone 5mg soluble tablets", None),
        ("Hydrocortisone 10mg tablets", {"coding": [{"system": SCT, "display": "Oral route"}]}),
    ],
)
def test_oral_glucocorticoids_still_count(text, route):
    data, _ = to_input([glucocorticoid(text, route)])
    assert data["glucocorticoids"]["current_or_recent"] is True


def test_a_referenced_medication_whose_form_is_an_injection_is_not_oral():
    med = {
        "resourceType": "Medication",
        "id": "m1",
        "code": {"text": "Methylprednisolone acetate 40mg/1ml"},
        "form": {"text": "Suspension for injection"},
    }
    order = glucocorticoid("x")
    del order["medicationCodeableConcept"]
    order["medicationReference"] = {"reference": "Medication/m1"}
    data, record = to_input([med, order])
    assert "glucocorticoids" not in data and record.medications == []


# --- 6. future-dated conditions are excluded with a problem --------------------------------------------------------


def test_a_condition_dated_after_the_assessment_is_not_used_and_is_a_problem():
    data, record = to_input([fracture("c1", None, onset="2026-12-20")])
    assert "vertebral_fractures_known" not in data and "record" not in data
    assert "after the assessment date" in messages(record)


def test_a_condition_on_the_assessment_date_is_used():
    data, _ = to_input([fracture("c1", None, onset="2026-11-23")])
    assert data["vertebral_fractures_known"] == 1


# --- 7. two different heights on one day do not make up height loss ------------------------------------------------


def height(value: float, date: str) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8302-2"}]},
        "effectiveDateTime": date,
        "valueQuantity": {"value": value, "unit": "cm", "system": UCUM, "code": "cm"},
    }


def test_two_heights_on_the_latest_day_do_not_make_up_loss_between_them():
    data, record = to_input([height(164, "2025-06-01"), height(165, "2026-10-01"), height(166, "2026-10-01")])
    assert data["height_cm"] == 165  # the lower of the latest day, as before
    assert data["historical_height_loss_cm"] == 0  # not 1 cm made up from the two readings of one day
    assert "2 different height values on 2026-10-01" in messages(record)


def test_two_heights_on_an_earlier_day_take_the_safer_reading_and_say_so():
    data, record = to_input([height(165, "2024-06-01"), height(166, "2024-06-01"), height(162, "2026-10-01")])
    assert data["historical_height_loss_cm"] == 4  # the taller: more loss, the safer reading
    assert "2 different height values on 2024-06-01" in messages(record)

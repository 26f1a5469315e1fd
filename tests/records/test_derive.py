"""record_to_input: every derivation edge (docs/fhir-mapping.md, "Derivations"). Pure Python: no database."""

import datetime as dt

import pytest

from core.records import CodedEvent, Measurement, MedicationEvent, PatientRecord, record_to_input
from core.rules import evaluate_data, validate

TODAY = dt.date(2026, 11, 23)
SCT = "http://snomed.info/sct"


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def rec(**kw) -> PatientRecord:
    return PatientRecord(patient_id="p", age=kw.pop("age", 74), sex=kw.pop("sex", "female"), **kw)


def derive(record: PatientRecord) -> tuple[dict, dict]:
    data, derivations = record_to_input(record, assessed_on=TODAY, assessor_role="gp")
    validate(data, today=TODAY)  # every derived input is a valid contract input
    return data, {d.field: d for d in derivations}


def cm(date: dt.date | None, value: float) -> Measurement:
    return Measurement(date, value, "cm")


def gc(start, end=None, *, mg=10.0, status="active") -> MedicationEvent:
    return MedicationEvent("glucocorticoid", "name", "prednisolone", "Prednisolone 5mg tablets", start, end, mg, status)


def drug(kind, start, end=None, *, status="active", term=None) -> MedicationEvent:
    return MedicationEvent(kind, "name", kind, term or kind, start, end, None, status)


# --- unknown stays unknown ---------------------------------------------------------------------------------------


def test_an_empty_record_gives_only_age_and_sex():
    data, derivations = derive(rec())
    assert data == {"input_version": 1, "assessed_on": "2026-11-23", "assessor_role": "gp", "age": 74, "sex": "female"}
    assert derivations == {}


def test_age_from_birth_date_on_the_assessment_date():
    data, d = derive(PatientRecord("p", None, "male", birth_date=dt.date(1950, 11, 24)))
    assert data["age"] == 75  # birthday tomorrow
    assert "from the date of birth" in d["age"].because


# --- height loss -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tallest", "latest", "loss", "imaging"),
    [(164.0, 160.0, 4.0, True), (164.0, 160.1, 3.9, False), (164.0, 160.04, 3.96, False)],
)
def test_height_loss_4_cm_boundary(tallest, latest, loss, imaging):
    r = rec(heights=[cm(dt.date(2012, 3, 1), tallest), cm(days_ago(20), latest)], answers={"back_pain.present": False})
    data, d = derive(r)
    assert data["historical_height_loss_cm"] == loss
    assert data["height_cm"] == latest
    assert f"tallest recorded {tallest:g} cm on 2012-03-01" in d["historical_height_loss_cm"].because
    result = evaluate_data(data, today=TODAY)
    fired = {p["id"] for p in result["prompts"]}
    assert ("imaging.spine_xray" in fired) is imaging


def test_height_loss_uses_the_tallest_not_the_first_height():
    r = rec(heights=[cm(dt.date(2000, 1, 1), 160.0), cm(dt.date(2010, 1, 1), 166.0), cm(days_ago(5), 161.0)])
    assert derive(r)[0]["historical_height_loss_cm"] == 5.0


def test_one_height_date_leaves_height_loss_unknown():
    data, _ = derive(rec(heights=[cm(days_ago(5), 160.0), cm(days_ago(5), 160.0)]))
    assert "historical_height_loss_cm" not in data
    assert data["height_cm"] == 160.0


def test_a_stale_latest_height_is_used_only_when_it_already_shows_4_cm():
    short = rec(heights=[cm(dt.date(2010, 1, 1), 165.0), cm(days_ago(400), 163.0)])
    data, _ = derive(short)
    assert "historical_height_loss_cm" not in data
    assert any("over 365 days old" in m for _, m in short.problems)
    long = rec(heights=[cm(dt.date(2010, 1, 1), 165.0), cm(days_ago(400), 160.0)])
    data, d = derive(long)
    assert data["historical_height_loss_cm"] == 5.0
    assert "at least this" in d["historical_height_loss_cm"].because


def test_two_heights_on_the_latest_day_take_the_lower_and_say_so():
    r = rec(heights=[cm(dt.date(2010, 1, 1), 165.0), cm(days_ago(3), 161.0), cm(days_ago(3), 160.0)])
    data, _ = derive(r)
    assert data["historical_height_loss_cm"] == 5.0
    assert any("2 different height values" in m for _, m in r.problems)


def test_heights_before_adulthood_undated_or_future_are_not_used():
    r = rec(
        age=40,
        heights=[cm(dt.date(2000, 1, 1), 140.0), cm(None, 180.0), cm(TODAY + dt.timedelta(days=1), 150.0)]
        + [cm(dt.date(2010, 1, 1), 170.0), cm(days_ago(2), 169.0)],
    )
    data, _ = derive(r)
    assert data["historical_height_loss_cm"] == 1.0
    messages = " ".join(m for _, m in r.problems)
    assert "before age 20" in messages and "no date" in messages and "after the assessment date" in messages


def test_implausible_height_loss_is_a_problem_not_a_value():
    r = rec(heights=[cm(dt.date(2010, 1, 1), 165.0), cm(days_ago(2), 65.0)])
    data, _ = derive(r)
    assert "historical_height_loss_cm" not in data
    assert any("implausible" in m for _, m in r.problems)


# --- glucocorticoids ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "months"), [(92, 3.02), (91, 2.99)])
def test_glucocorticoid_months_around_3(days, months):
    data, d = derive(rec(medications=[gc(days_ago(days), mg=7.5)]))
    assert data["glucocorticoids"] == {"current_or_recent": True, "prednisolone_mg_per_day": 7.5, "months": months}
    assert "latest course from" in d["glucocorticoids.months"].because


def test_glucocorticoid_7_5_mg_for_3_months_reaches_the_high_dose_prompts():
    data, _ = derive(rec(age=60, sex="male", medications=[gc(days_ago(100), mg=7.5)]))
    fired = {p["id"] for p in evaluate_data(data, today=TODAY)["prompts"]}
    assert "bone.start_treatment" in fired
    data, _ = derive(rec(age=60, sex="male", medications=[gc(days_ago(100), mg=7.4)]))
    assert data["glucocorticoids"]["prednisolone_mg_per_day"] == 7.4


def test_glucocorticoid_recent_means_the_last_12_months():
    data, _ = derive(rec(medications=[gc(days_ago(500), days_ago(330), status="completed")]))
    assert data["glucocorticoids"]["current_or_recent"] is True
    assert data["glucocorticoids"]["months"] == round(170 / (365.25 / 12), 2)
    data, _ = derive(rec(medications=[gc(days_ago(700), days_ago(400), status="completed")]))
    assert "glucocorticoids" not in data  # older use only: unknown, never false


def test_glucocorticoid_without_an_end_and_not_active_is_a_problem_and_unknown():
    r = rec(medications=[gc(days_ago(800), None, status="stopped")])
    data, _ = derive(r)
    assert "glucocorticoids" not in data
    assert any("cannot tell whether" in m for _, m in r.problems)


def test_repeat_glucocorticoid_issues_join_into_one_course_and_the_highest_dose_wins():
    meds = [gc(days_ago(200), days_ago(172), mg=5), gc(days_ago(170), days_ago(142), mg=20), gc(days_ago(60), None)]
    data, _ = derive(rec(medications=meds))
    assert data["glucocorticoids"]["prednisolone_mg_per_day"] == 20
    assert data["glucocorticoids"]["months"] == round(200 / (365.25 / 12), 2)  # gaps under 92 days joined


def test_glucocorticoid_dose_unknown_stays_unknown():
    data, _ = derive(rec(medications=[gc(days_ago(30), mg=None)]))
    assert "prednisolone_mg_per_day" not in data["glucocorticoids"]


# --- bone protection ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "review"), [(int(5 * 365.25) + 1, True), (int(5 * 365.25) - 30, False)])
def test_bisphosphonate_years_and_the_5_year_review(days, review):
    data, d = derive(rec(age=78, medications=[drug("alendronate", days_ago(days))]))
    assert data["bone_protection"]["current"] == "alendronate"
    assert data["bone_protection"]["years"] == round(days / 365.25, 2)
    fired = {p["id"] for p in evaluate_data(data, today=TODAY)["prompts"]}
    assert ("bone.review_treatment" in fired) is review
    assert "since" in d["bone_protection.years"].because


def test_a_gap_over_92_days_starts_a_new_course():
    meds = [drug("alendronate", days_ago(3000), days_ago(1000), status="completed"), drug("alendronate", days_ago(800))]
    assert derive(rec(medications=meds))[0]["bone_protection"]["years"] == round(800 / 365.25, 2)


@pytest.mark.parametrize(
    ("kind", "current_days", "years_known"),
    [
        ("alendronate", 1400, False),  # under 5 years on the current issue: may be longer, so unknown
        ("alendronate", 2000, True),  # 5 years or more already: used, as a lower bound
        ("risedronate", 1000, False),
    ],
)
def test_earlier_repeat_issues_with_no_end_date_make_the_years_a_lower_bound(kind, current_days, years_known):
    # Bulk exports (Synthea among them) record a yearly repeat issue as "stopped" with a start and no end: the
    # drug may have been taken throughout, so the current issue alone would under-count and miss the 5-year review.
    repeats = [drug(kind, days_ago(current_days + 365 * n), status="stopped") for n in range(1, 8)]
    r = rec(age=80, medications=[*repeats, drug(kind, days_ago(current_days))])
    data, d = derive(r)
    assert data["bone_protection"]["current"] == kind
    fired = {p["id"]: p for p in evaluate_data(data, today=TODAY)["prompts"]}
    if years_known:
        assert data["bone_protection"]["years"] == round(current_days / 365.25, 2)
        assert d["bone_protection.years"].because.startswith("at least")
        assert "bone.review_treatment" in fired
    else:
        assert "years" not in data["bone_protection"]
        assert any(f == "bone_protection.years" and "7 earlier" in m for f, m in r.problems)
        # Unknown, never "not due": the review is shown as needing the years (the worklist's not-assessed row).
        unknowns = evaluate_data(data, today=TODAY)["unknowns"]
        years = [u for u in unknowns if u["field"] == "bone_protection.years"]
        assert years and "bone.review_treatment" in years[0]["rules"], unknowns


def test_earlier_prescriptions_with_end_dates_are_joined_or_not_as_before():
    # With end dates the course is readable: a stopped issue ending within 92 days joins, and years are exact.
    meds = [drug("alendronate", days_ago(2500), days_ago(1010), status="stopped"), drug("alendronate", days_ago(1000))]
    data, d = derive(rec(medications=meds))
    assert data["bone_protection"]["years"] == round(2500 / 365.25, 2)
    assert not d["bone_protection.years"].because.startswith("at least")


def test_zoledronate_covers_a_year_and_denosumab_six_months():
    assert derive(rec(medications=[drug("zoledronate", days_ago(300), status="completed")]))[0]["bone_protection"][
        "current"
    ] == ("zoledronate")
    assert "bone_protection" not in derive(rec(medications=[drug("zoledronate", days_ago(400), status="completed")]))[0]
    assert derive(rec(medications=[drug("denosumab", days_ago(170), status="completed")]))[0]["bone_protection"][
        "current"
    ] == ("denosumab")
    assert "bone_protection" not in derive(rec(medications=[drug("denosumab", days_ago(200), status="completed")]))[0]


def test_stopped_treatment_only_leaves_current_unknown_not_none():
    data, _ = derive(rec(medications=[drug("risedronate", days_ago(900), days_ago(100), status="stopped")]))
    assert "bone_protection" not in data


def test_a_drug_both_active_and_stopped_is_a_problem_and_taken_as_active():
    meds = [drug("alendronate", days_ago(700)), drug("alendronate", days_ago(700), days_ago(300), status="stopped")]
    r = rec(medications=meds)
    data, _ = derive(r)
    assert data["bone_protection"]["current"] == "alendronate"
    assert any("both active and stopped" in m for _, m in r.problems)


def test_two_current_drugs_are_a_problem():
    r = rec(medications=[drug("alendronate", days_ago(700)), drug("denosumab", days_ago(20), status="completed")])
    data, _ = derive(r)
    assert data["bone_protection"]["current"] == "denosumab"
    assert any("more than one current" in m for _, m in r.problems)


def test_fracture_after_starting_treatment_is_fracture_while_on_treatment():
    frac = CodedEvent(
        SCT, "203451004", "Osteoporotic fracture of thoracic vertebra", days_ago(100), "vertebral_fracture"
    )
    data, d = derive(rec(conditions=[frac], medications=[drug("alendronate", days_ago(900))]))
    assert data["bone_protection"]["fracture_while_on_treatment"] is True
    assert "after alendronate started" in d["bone_protection.fracture_while_on_treatment"].because


# --- conditions, labs, reports -----------------------------------------------------------------------------------


def test_vertebral_fracture_codes_count_distinct_dates():
    a = CodedEvent(
        SCT, "203451004", "Osteoporotic fracture of thoracic vertebra", dt.date(2024, 1, 5), "vertebral_fracture"
    )
    b = CodedEvent(SCT, "240198002", "Osteoporotic vertebral collapse", dt.date(2024, 1, 5), "vertebral_fracture")
    c = CodedEvent(
        SCT, "203450003", "Osteoporotic fracture of lumbar vertebra", dt.date(2026, 2, 1), "vertebral_fracture"
    )
    data, _ = derive(rec(conditions=[a, b, c]))
    assert data["record"] == {"vertebral_fracture_coded": True}
    assert data["vertebral_fractures_known"] == 2
    assert data["spine_imaging"]["months_since_fracture"] == round((TODAY - c.date).days / (365.25 / 12), 2)


def test_fragility_fracture_rheumatoid_arthritis_and_coded_lists():
    conds = [
        CodedEvent(SCT, "306171000000106", "Fragility fracture", dt.date(2022, 1, 1), "fragility_fracture"),
        CodedEvent(SCT, "x", "RA", None, "rheumatoid_arthritis"),
        CodedEvent(SCT, "y", "Coeliac", None, "secondary_cause:coeliac_disease"),
    ]
    data, _ = derive(rec(conditions=conds, answers={"secondary_causes": ["hypogonadism"]}))
    assert data["prior_fragility_fracture"] is True
    assert data["rheumatoid_arthritis"] is True
    assert data["secondary_causes"] == ["coeliac_disease", "hypogonadism"]


def test_latest_lab_values_and_the_lowest_t_score():
    r = rec(
        egfr=[Measurement(dt.date(2025, 1, 1), 30.0, "mL/min"), Measurement(days_ago(10), 52.0, "mL/min")],
        t_scores=[Measurement(dt.date(2020, 1, 1), -3.6, ""), Measurement(days_ago(10), -2.1, "")],
        adjusted_calcium=[Measurement(days_ago(3), 2.1, "mmol/L"), Measurement(days_ago(3), 2.5, "mmol/L")],
    )
    data, d = derive(r)
    assert data["egfr"] == 52.0
    assert data["dxa_lowest_t_score"] == -3.6
    assert "adjusted_calcium" not in data  # same-day conflict with no safer direction: unknown
    assert any("adjusted calcium" in m for _, m in r.problems)
    assert d["egfr"].because.startswith("eGFR 52 mL/min on")


def test_the_latest_spine_report_is_the_report_text():
    from core.records import Report

    r = rec(
        reports=[
            Report(dt.date(2020, 1, 1), "Old spine report", True),
            Report(days_ago(30), "Chest clear.", False),
            Report(days_ago(60), "Wedging of T8.", True),
        ]
    )
    assert derive(r)[0]["spine_imaging"]["report_text"] == "Wedging of T8."


# --- answers and the record --------------------------------------------------------------------------------------


def test_answers_fill_gaps_and_the_record_wins_unless_the_answer_is_safer():
    r = rec(
        heights=[cm(dt.date(2010, 1, 1), 165.0), cm(days_ago(3), 163.0)],
        conditions=[CodedEvent(SCT, "203657009", "Osteoporotic kyphosis", None, "kyphosis")],
        egfr=[Measurement(days_ago(3), 60.0, "mL/min")],
        answers={"kyphosis": False, "historical_height_loss_cm": 5, "egfr": 70, "back_pain.onset": "sudden"},
    )
    data, d = derive(r)
    assert data["kyphosis"] is True  # the record's True is the safer reading
    assert data["historical_height_loss_cm"] == 5  # the stated loss is larger: safer
    assert data["egfr"] == 60.0  # the record's lower value is safer
    assert data["back_pain"] == {"onset": "sudden"}
    assert d["back_pain.onset"].because == "stated directly in the source (answer)"
    paths = {p for p, _ in r.problems}
    assert {"kyphosis", "historical_height_loss_cm", "egfr"} <= paths


def test_unknown_kinds_and_statuses_are_refused():
    with pytest.raises(ValueError, match="kind"):
        CodedEvent(SCT, "1", "x", None, "broken_leg")
    with pytest.raises(ValueError, match="status"):
        MedicationEvent("alendronate", "", "", "", None, None, None, "paused")

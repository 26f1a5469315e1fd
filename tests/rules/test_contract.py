"""The input contract: every error is listed against its field path, and valid input becomes typed objects."""

import datetime as dt

import pytest

from core.rules import InputError, input_json_schema, validate
from core.rules.contract import SCHEMA, AssessmentInput, field_label

from .conftest import TODAY


def errors_of(data: object) -> dict[str, str]:
    with pytest.raises(InputError) as exc:
        validate(data, today=TODAY)
    return {e.field: e.message for e in exc.value.errors}


def test_validate_minimal_input_fills_defaults():
    inp = validate({"age": 70, "sex": "female"}, today=TODAY)
    assert isinstance(inp, AssessmentInput)
    assert inp.assessed_on == TODAY
    assert inp.input_version == 1
    assert inp.assessor_role == "gp"
    assert inp.back_pain.present is None
    assert inp.red_flags == ()


def test_validate_keeps_nested_values_and_nulls_as_unknown():
    inp = validate(
        {
            "age": 70,
            "sex": "male",
            "back_pain": {"present": True, "onset": None, "duration_weeks": 6.5},
            "kyphosis": None,
            "red_flags": ["fever", "fever", "night_pain"],
            "extensions": {"local": {"anything": [1, 2]}},
        },
        today=TODAY,
    )
    assert inp.back_pain.present is True
    assert inp.back_pain.onset is None
    assert inp.back_pain.duration_weeks == 6.5
    assert inp.kyphosis is None
    assert inp.red_flags == ("fever", "night_pain")
    assert inp.extensions == {"local": {"anything": [1, 2]}}


def test_validate_lists_every_error_at_once():
    errs = errors_of(
        {
            "age": 150,
            "sex": "other",
            "kyphosis": "yes",
            "weight_kg": 10,
            "bogus": 1,
            "back_pain": {"onset": "slow", "extra": True},
            "red_flags": ["fever", "headache"],
            "assessed_on": "2026-11-24",
        }
    )
    assert errs == {
        "age": "must be between 18 and 120",
        "sex": "must be one of: female, male, unknown",
        "kyphosis": "must be true, false or null (unknown)",
        "weight_kg": "must be between 25 and 300",
        "bogus": "is not a known field (put extra data under extensions)",
        "back_pain.onset": "must be one of: sudden, gradual",
        "back_pain.extra": "is not a known field (put extra data under extensions)",
        "red_flags[1]": errs["red_flags[1]"],
        "assessed_on": "must not be in the future",
    }
    assert errs["red_flags[1]"].startswith("must be one of: saddle_anaesthesia")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sex": "female"}, "age", "is required"),
        ({"age": 70}, "sex", "is required"),
        ({"age": 70.5, "sex": "female"}, "age", "must be a whole number"),
        ({"age": True, "sex": "female"}, "age", "must be a whole number"),
        ({"age": "70", "sex": "female"}, "age", "must be a whole number"),
        ({"age": 17, "sex": "female"}, "age", "must be between 18 and 120"),
        ({"age": 70, "sex": "female", "egfr": float("nan")}, "egfr", "must be a finite number"),
        ({"age": 70, "sex": "female", "egfr": 201}, "egfr", "must be between 0 and 200"),
        (
            {"age": 70, "sex": "female", "dxa_lowest_t_score": -7.1},
            "dxa_lowest_t_score",
            "must be between -7 and 4",
        ),
        ({"age": 70, "sex": "female", "input_version": 2}, "input_version", "must be 1"),
        (
            {"age": 70, "sex": "female", "assessed_on": "23/11/2026"},
            "assessed_on",
            "must be a date as YYYY-MM-DD",
        ),
        (
            {"age": 70, "sex": "female", "assessed_on": "2026-02-30"},
            "assessed_on",
            "must be a date as YYYY-MM-DD",
        ),
        ({"age": 70, "sex": "female", "back_pain": []}, "back_pain", "must be an object"),
        ({"age": 70, "sex": "female", "red_flags": "fever"}, "red_flags", "must be a list"),
        ({"age": 70, "sex": "female", "extensions": []}, "extensions", "must be an object"),
        (
            {"age": 70, "sex": "female", "assessor_role": "admin"},
            "assessor_role",
            "must be one of: gp, nurse, physio",
        ),
        (
            {"age": 70, "sex": "female", "spine_imaging": {"report_text": "x" * 20_001}},
            "spine_imaging.report_text",
            "must be at most 20,000 characters",
        ),
        (
            {"age": 70, "sex": "female", "glucocorticoids": {"months": -1}},
            "glucocorticoids.months",
            "must be between 0 and 600",
        ),
        (
            {"age": 70, "sex": "female", "vertebral_fractures_known": 1.5},
            "vertebral_fractures_known",
            "must be a whole number",
        ),
    ],
)
def test_validate_rejects_bad_field(data, field, message):
    assert errors_of(data) == {field: message}


def test_validate_rejects_non_object():
    assert errors_of([1, 2]) == {"(input)": "must be a JSON object"}


def test_validate_accepts_boundaries_and_whole_floats():
    inp = validate(
        {
            "age": 120.0,
            "sex": "male",
            "dxa_lowest_t_score": -7.0,
            "egfr": 0,
            "assessed_on": TODAY.isoformat(),
        },
        today=TODAY,
    )
    assert inp.age == 120 and isinstance(inp.age, int)
    assert inp.dxa_lowest_t_score == -7.0


def test_validate_blank_report_text_is_unknown():
    inp = validate({"age": 70, "sex": "male", "spine_imaging": {"report_text": "   "}}, today=TODAY)
    assert inp.spine_imaging.report_text is None


def test_validate_past_date_is_kept():
    inp = validate({"age": 70, "sex": "male", "assessed_on": "2020-01-31"}, today=TODAY)
    assert inp.assessed_on == dt.date(2020, 1, 31)


def test_field_label_names_nested_fields():
    assert field_label("back_pain.onset") == "Onset of back pain"
    assert field_label("kyphosis") == "Kyphosis on examination"
    assert field_label("nope.nothing") == "nope.nothing"


def test_json_schema_covers_every_field_and_requires_age_and_sex():
    schema = input_json_schema()
    assert set(schema["properties"]) == set(SCHEMA)
    assert schema["required"] == ["age", "sex"]
    assert schema["additionalProperties"] is False
    onset = schema["properties"]["back_pain"]["properties"]["onset"]
    assert onset["enum"] == ["sudden", "gradual", None]
    assert schema["properties"]["age"]["type"] == "integer"


def test_red_flags_none_present_cannot_stand_beside_red_flags_listed():
    import datetime as dt

    from core.rules.contract import InputError, validate

    today = dt.date(2026, 11, 23)
    assert validate({"age": 70, "sex": "male", "red_flags_none_present": True}, today=today).red_flags_none_present
    try:
        validate({"age": 70, "sex": "male", "red_flags": ["fever"], "red_flags_none_present": True}, today=today)
    except InputError as e:
        assert [x.field for x in e.errors] == ["red_flags_none_present"]
    else:
        raise AssertionError("a contradiction was accepted")


def test_dotted_paths_are_read_and_written_one_way():
    """get_path and set_path: the one reading of "head.tail" contract paths (forms, the plan, the worklist, the
    record mapping), None wherever a step is missing or not an object, never an exception."""
    from core.rules.contract import get_path, set_path

    data: dict = {}
    set_path(data, "back_pain.onset", "sudden")
    set_path(data, "age", 74)
    assert data == {"back_pain": {"onset": "sudden"}, "age": 74}
    assert get_path(data, "back_pain.onset") == "sudden" and get_path(data, "age") == 74
    assert get_path(data, "back_pain.site") is None and get_path(data, "spine_imaging.result") is None
    assert get_path({"back_pain": True}, "back_pain.onset") is None
    assert get_path({"back_pain": None}, "back_pain.onset") is None

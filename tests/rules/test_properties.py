"""Property-based tests (hypothesis) generated from the contract's own schema."""

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules import RULES_BY_ID, InputError, evaluate_data, validate
from core.rules.contract import SCHEMA, Spec
from core.rules.rulebook import RECOMMENDATION_OF

from .conftest import TODAY

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid_value(spec: Spec) -> st.SearchStrategy:
    kind = spec.kind
    if kind == "int":
        return st.integers(int(spec.lo), int(spec.hi))
    if kind == "number":
        return st.floats(spec.lo, spec.hi, allow_nan=False) | st.integers(int(spec.lo), int(spec.hi))
    if kind == "bool":
        return st.booleans()
    if kind == "enum":
        return st.sampled_from(spec.choices)
    if kind == "enum_list":
        return st.lists(st.sampled_from(spec.choices), max_size=4)
    if kind == "text":
        words = st.sampled_from(
            [
                "wedging of T8",
                "no fracture",
                "L1 compression fracture",
                "lytic lesion",
                "Schmorl's node",
                "collapse",
                "normal",
                "loss of height",
                ".",
                "\n",
            ]
        )
        return st.lists(words, max_size=8).map(" ".join) | st.text(max_size=200)
    if kind == "date":
        return st.dates(dt.date(2000, 1, 1), TODAY).map(dt.date.isoformat)
    if kind == "version":
        return st.just(1)
    if kind == "extensions":
        return st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
    return valid_object(spec.fields or {})


def valid_object(fields) -> st.SearchStrategy:
    optional = {k: st.none() | valid_value(v) for k, v in fields.items() if not v.required}
    required = {k: valid_value(v) for k, v in fields.items() if v.required}
    return st.fixed_dictionaries(required, optional=optional)


def _consistent(data: dict) -> dict:
    """The one rule across fields: "asked, none present" cannot stand beside red flags listed as present."""
    if data.get("red_flags_none_present") and data.get("red_flags"):
        return {**data, "red_flags_none_present": False}
    return data


VALID = valid_object(SCHEMA).map(_consistent)


@SETTINGS
@given(VALID)
def test_evaluate_never_raises_and_every_prompt_names_an_active_cited_rule(data):
    result = evaluate_data(data, today=TODAY)
    assert result["rulebook_version"]
    for p in result["prompts"]:
        rule = RULES_BY_ID[p["id"]]
        assert rule.status == "active" and rule.sources and p["sources"]
        assert p["rule_version"] == rule.version
        assert RECOMMENDATION_OF[p["id"]].number in p["recommendations"]
    json.dumps(result)  # serialisable as JSON


@SETTINGS
@given(VALID)
def test_evaluate_is_deterministic(data):
    assert evaluate_data(data, today=TODAY) == evaluate_data(json.loads(json.dumps(data)), today=TODAY)


@SETTINGS
@given(VALID)
def test_role_never_changes_which_prompts_fire(data):
    fired = [
        [p["id"] for p in evaluate_data({**data, "assessor_role": role}, today=TODAY)["prompts"]]
        for role in ("gp", "nurse", "physio")
    ]
    assert fired[0] == fired[1] == fired[2]


BAD_VALUES = st.one_of(
    st.just("not-a-value"),
    st.just([]),
    st.just({"x": 1}),
    st.just(-1000),
    st.just(10**6),
    st.just(True),
    st.just(1.5),
)


@st.composite
def invalid_inputs(draw):
    data = draw(VALID)
    how = draw(st.sampled_from(["unknown_key", "bad_value", "future_date", "nested_unknown_key"]))
    if how == "unknown_key":
        key = draw(st.text(min_size=1, max_size=10).filter(lambda k: k not in SCHEMA))
        data[key] = 1
        return data, key
    if how == "future_date":
        data["assessed_on"] = (TODAY + dt.timedelta(days=draw(st.integers(1, 5000)))).isoformat()
        return data, "assessed_on"
    if how == "nested_unknown_key":
        data["back_pain"] = {"present": True, "wobbly": 1}
        return data, "back_pain.wobbly"
    key = draw(st.sampled_from(sorted(k for k, v in SCHEMA.items() if v.kind not in ("extensions", "text"))))
    value = draw(BAD_VALUES)
    data[key] = value
    try:  # a few bad values are valid for some fields (e.g. 1.5 for a number): then it is not a test case
        validate({"age": 70, "sex": "female", key: value}, today=TODAY)
    except InputError:
        return data, key
    data[key] = "not-a-value"
    return data, key


@SETTINGS
@given(invalid_inputs())
def test_invalid_input_is_always_rejected_with_the_field_named(case):
    data, field = case
    try:
        evaluate_data(data, today=TODAY)
    except InputError as exc:
        fields = [e.field for e in exc.errors]
        # An error inside an object or list is named by its full path (back_pain.x, red_flags[0]).
        assert any(f == field or f.startswith((f"{field}.", f"{field}[")) for f in fields), fields
        assert all(e.message for e in exc.errors)
    else:
        raise AssertionError(f"accepted invalid input at {field}")

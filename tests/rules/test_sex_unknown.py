"""Sex not recorded (``"sex": "unknown"``, a GP system's gender "other" or "unknown"): issue 25 point 4, H-92.

The rules say what does not depend on sex and list sex as unknown where it decides a prompt. Unknown is never "no":
a prompt that fires for a woman or for a man with the same answers is never ruled out with sex unknown without
saying so (it fires, is not assessable, or lists sex as what could change it). No drug is offered outright with
sex unknown unless it would be to both sexes, and one ruled out for both stays ruled out.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings

from core.rules import evaluate_data, validate
from core.rules.drugs import CHECK_FIRST, DRUGS, NOT_OFFERED, OFFER, STARTABLE
from core.rules.facts import Facts

from .conftest import TODAY
from .test_drug_safety import CONTRAINDICATIONS, FRACTURE, _merge
from .test_properties import VALID


def _outcomes(data: dict) -> dict[str, str]:
    return {t["rule"]: t["outcome"] for t in evaluate_data(data, today=TODAY)["trace"]}


def _missing(data: dict) -> dict[str, set[str]]:
    return {t["rule"]: set(t["missing"]) for t in evaluate_data(data, today=TODAY)["trace"]}


def _plausible(data: dict) -> tuple[str, ...]:
    """The sexes these answers could belong to: a menopause or a pregnancy recorded says a woman."""
    if data.get("postmenopausal") or data.get("menopause_before_45") or data.get("pregnant_or_breastfeeding"):
        return ("female",)
    return ("female", "male")


def _checks(data: dict) -> dict:
    return Facts(validate(data, today=TODAY)).drugs


def _never_ruled_out(data: dict) -> list[str]:
    unknown = _outcomes({**data, "sex": "unknown"})
    missing = _missing({**data, "sex": "unknown"})
    wrong = []
    for sex in _plausible(data):
        for rule, outcome in _outcomes({**data, "sex": sex}).items():
            # Not firing is right only where the rule says that recording sex could change it (listed as unknown,
            # as the female/unknown-menopause reading does: the oral prompt's "check sex first", not "unsuitable").
            if outcome == "fired" and unknown[rule] == "not_fired" and "sex" not in missing[rule]:
                wrong.append(f"{rule} fires for {sex} but is ruled out with sex unknown, sex not listed")
    return wrong


def _drugs_no_looser(data: dict) -> list[str]:
    unknown = _checks({**data, "sex": "unknown"})
    known = [_checks({**data, "sex": sex}) for sex in _plausible(data)]
    wrong = []
    for key in DRUGS:
        statuses = [k[key].status for k in known]
        if unknown[key].status == OFFER and any(s != OFFER for s in statuses):
            wrong.append(f"{key} offered outright with sex unknown but {statuses} for the known sexes")
        if all(s == NOT_OFFERED for s in statuses) and unknown[key].status in STARTABLE:
            wrong.append(f"{key} startable with sex unknown but not offered to either sex")
    return wrong


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_sex_unknown_never_rules_out_what_either_sex_would_be_told(data):
    assert _never_ruled_out(data) == []
    assert _drugs_no_looser(data) == []


COMBINATIONS = [
    pytest.param(_merge(FRACTURE, {**extra, "sex": "female"}), id=name)
    for name, extra in CONTRAINDICATIONS.items()
    if "sex" not in extra
]


@pytest.mark.parametrize("data", COMBINATIONS)
@pytest.mark.parametrize("age", [45, 60, 70, 80])
def test_a_fracture_with_each_contraindication_and_sex_unknown(data, age):
    data = {**data, "age": age} if "age" not in data or data["age"] == FRACTURE["age"] else data
    data = {k: v for k, v in data.items() if k != "postmenopausal"}  # the menopause, as a GP system sends none
    assert _never_ruled_out(data) == []
    assert _drugs_no_looser(data) == []


def test_the_properties_can_fail():
    """Reading sex unknown as "male" or as "female" is what the properties are there to catch."""
    woman = _merge(FRACTURE, {"age": 70})
    woman.pop("postmenopausal")
    man, female = _checks({**woman, "sex": "male"}), _checks({**woman, "sex": "female"})
    # ibandronate: offered (after checks) to a woman, not to a man; with sex unknown a check, never either outright.
    assert female["ibandronate"].status in STARTABLE and man["ibandronate"].status == NOT_OFFERED
    unknown = _checks({**woman, "sex": "unknown"})["ibandronate"]
    assert unknown.status == CHECK_FIRST and any(c.startswith("sex") for c in unknown.checks)
    assert "sex" in unknown.missing
    # age 65 to 74 is a risk factor for a woman, not a man: with sex unknown, not assessable.
    term = dict(Facts(validate({"age": 70, "sex": "unknown"}, today=TODAY)).risk_factors)[
        "woman aged 65+ or man aged 75+"
    ]
    assert term.value is None and "sex" in term.missing


def test_a_76_year_old_with_a_coded_vertebral_fracture_and_gender_unknown_gets_the_plan():
    """The issue's case: a coded vertebral fracture, sex unknown. Everything that does not depend on sex is said;
    sex is listed as an unknown for the prompts that turn on it."""
    result = evaluate_data({"age": 76, "sex": "unknown", "vertebral_fractures_known": 1}, today=TODAY)
    fired = {p["id"]: p for p in result["prompts"]}
    for rule in (
        "diagnosis.record_vertebral_fracture",
        "diagnosis.tell_patient",
        "bone.start_treatment",
        "bone.oral_bisphosphonate",
        "investigations.bloods",
        "referral.fls",
        "falls.assessment",
    ):
        assert rule in fired, rule
    assert "testosterone" in fired["investigations.bloods"]["detail"]  # the men's tests, marked "(men)"
    sex = next(u for u in result["unknowns"] if u["field"] == "sex")
    assert "education.atypical_groups" in sex["rules"]
    assert any("Sex not recorded" in n for n in result["notes"])


@pytest.mark.parametrize(
    ("age", "postmenopausal", "expected"),
    [
        (76, None, True),  # a man, or a woman assumed postmenopausal: in NOGG's population
        (60, False, None),  # a man in it, or a premenopausal woman outside it: ask
        (45, None, None),  # could be a postmenopausal woman
        (45, True, True),
        (45, False, False),  # a man under 50 or a premenopausal woman: outside it either way
    ],
)
def test_nogg_population_with_sex_unknown(age, postmenopausal, expected):
    data = {"age": age, "sex": "unknown", "postmenopausal": postmenopausal}
    term = Facts(validate(data, today=TODAY)).in_scope
    assert term.value is expected
    if expected is None:
        assert "sex" in term.missing


@pytest.mark.parametrize(("age", "fires"), [(40, True), (64, True), (65, None), (80, None)])
def test_atypical_groups_with_sex_unknown(age, fires):
    """Men of any age and women under 65: under 65 it fires whatever the sex; from 65, only a man's would."""
    data = {"age": age, "sex": "unknown", "vertebral_fractures_known": 1}
    outcome = _outcomes(data)["education.atypical_groups"]
    assert outcome == {True: "fired", None: "not_assessable"}[fires]
    assert list(itertools.chain(_never_ruled_out(data), _drugs_no_looser(data))) == []

"""The result is honest about what it does not know: every unanswered input whose answer would change which
prompts fire is named (prompts.md: "`unknowns`: inputs left unknown that would change the result if answered").

For random valid inputs, each yes/no, choice or number left unanswered is answered in turn, with every choice or
with numbers around every threshold the rules use; whenever the prompts that fire change, the field must have been
named by the first result: in its `unknowns`, a prompt's `unknowns` or a rule's `missing` in the trace.

Three kinds of answer are not asked of the property, each for a stated reason:
- an answer the input already implies (back pain "present" once its details are entered, "postmenopausal" once
  menopause before 45 is, current glucocorticoids once a dose or duration is): answering "no" would contradict
  the input, so the implying field is checked instead (answering a detail must name the field it implies, and
  this imaging's fracture count is covered by the fractures already known, the other half of the same count);
- the one input a firing prompt asks for (`bone.dxa` asks for the T-score, `risk.frax` for the NOGG band);
- the NOGG band where `risk.frax` does not ask for it: its only effect there is `bone.dxa` for the band
  "intermediate", and the band comes from FRAX, which the catalogue asks for only in `risk.frax`'s population.
"""

from hypothesis import HealthCheck, given, settings

from core.rules import InputError, evaluate_data, facts
from core.rules.contract import SCHEMA
from core.rules.drugs import DRUGS

from .conftest import TODAY
from .test_properties import VALID

# Every threshold the rules' terms use (the named numeric constants of facts.py, and each drug's renal limit), and 0,
# 1 and 2 for counts.
THRESHOLDS = (
    *(v for k, v in vars(facts).items() if k.isupper() and isinstance(v, int | float) and not isinstance(v, bool)),
    *(d.renal_below for d in DRUGS.values() if d.renal_below is not None),
    0,
    1,
    2,
)

BACK_PAIN_DETAILS = tuple(
    f"back_pain.{k}"
    for k in ("onset", "duration_weeks", "site", "after_minor_trauma", "severe", "not_improving", "eased_by_lying")
)
# A detail that, once answered, implies another field's answer (facts.py): answering it must name that field.
IMPLIES = {
    **dict.fromkeys(BACK_PAIN_DETAILS, "back_pain.present"),
    "menopause_before_45": "postmenopausal",
    "glucocorticoids.prednisolone_mg_per_day": "glucocorticoids.current_or_recent",
    "glucocorticoids.months": "glucocorticoids.current_or_recent",
    "glucocorticoids.planned_months": "glucocorticoids.current_or_recent",
    # Pregnancy applies to a woman not recorded as postmenopausal; for one of 50 or over treated as postmenopausal
    # (the contract's assumption), answering "pregnant" contradicts the assumption, which is named.
    "pregnant_or_breastfeeding": "postmenopausal",
}
# Two inputs to one term (prompts.md "vertebral fracture count: the larger of vertebral_fractures_known and
# spine_imaging.fracture_count"): while the first is unanswered and named, it asks the question for both.
IMPLIES["spine_imaging.fracture_count"] = "vertebral_fractures_known"
ASKED_BY = {"bone.dxa": "dxa_lowest_t_score", "risk.frax": "nogg_category"}
# Adjusted calcium is a blood test, not asked of everyone: a high value is acted on when entered (the urgent calcium
# prompt, and the myeloma screen it brings at 60 or over), and calcium is named where a prompt needs it (the drug
# checks before bone protection). Only these two may appear unnamed when a calcium is answered.
HIGH_CALCIUM_ONLY = {"investigations.high_calcium", "investigations.myeloma_screen"}


def candidates(spec) -> list:
    """The answers tried for one field: every choice, or numbers at, just below and just above each threshold
    (and the ends of the range)."""
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "enum":
        return list(spec.choices)
    near = {t + d for t in THRESHOLDS for d in (-0.5, 0, 0.5)} | {spec.lo, spec.hi}
    values = sorted(v for v in near if spec.lo <= v <= spec.hi)
    return sorted({int(v) for v in values}) if spec.kind == "int" else values


def leaves(schema, prefix=""):
    for name, spec in schema.items():
        if spec.kind == "object":
            yield from leaves(spec.fields, f"{prefix}{name}.")
        elif spec.kind in ("bool", "enum", "int", "number") and name not in ("assessor_role", "age", "sex"):
            yield f"{prefix}{name}", spec


ANSWERABLE = [(path, candidates(spec)) for path, spec in leaves(SCHEMA)]


def get(data: dict, path: str):
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def answered(data: dict, path: str, value) -> dict:
    head, _, leaf = path.rpartition(".")
    if not head:
        return {**data, leaf: value}
    return {**data, head: {**(data.get(head) or {}), leaf: value}}


def named(result: dict) -> set[str]:
    fields = {u["field"] for u in result["unknowns"]}
    for p in result["prompts"]:
        fields.update(p["unknowns"])
        if p["id"] in ASKED_BY:
            fields.add(ASKED_BY[p["id"]])
    for t in result["trace"]:
        fields.update(t["missing"])
    return fields


def implied(data: dict, path: str) -> bool:
    if path == "back_pain.present":
        return any(get(data, p) is not None and get(data, p) is not False for p in BACK_PAIN_DETAILS)
    if path == "postmenopausal":
        return get(data, "menopause_before_45") is True
    if path == "glucocorticoids.current_or_recent":
        return bool(
            get(data, "glucocorticoids.prednisolone_mg_per_day")
            or get(data, "glucocorticoids.months")
            or get(data, "glucocorticoids.planned_months")
        )
    return False


def unnamed_changes(data: dict, evaluate=evaluate_data) -> list[tuple[str, object, list[str]]]:
    """Each (field, answer, prompts changed) where answering an unnamed field changes which prompts fire."""
    result = evaluate(data, today=TODAY)
    fired = {p["id"] for p in result["prompts"]}
    told = named(result)
    found = []
    for path, values in ANSWERABLE:
        if get(data, path) is not None or implied(data, path):
            continue
        if path == "nogg_category" and "risk.frax" not in fired:
            continue
        must_name = IMPLIES.get(path, path)
        if must_name in told or path in told:
            continue
        for value in values:
            try:
                now = {p["id"] for p in evaluate(answered(data, path, value), today=TODAY)["prompts"]}
            except InputError:
                continue
            if path == "adjusted_calcium" and (now ^ fired) <= HIGH_CALCIUM_ONLY:
                continue
            if now != fired:
                found.append((path, value, sorted(now ^ fired)))
                break
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_every_unknown_that_would_change_the_prompts_is_named(data):
    assert unnamed_changes(data) == []


def test_the_check_finds_an_unnamed_unknown():
    """The property can fail: with the renal function given as eGFR, creatinine clearance (which the licences use
    and which takes precedence) changes the bisphosphonate prompts, so it must be named; drop it from the result
    and the check reports it."""
    data = {
        "age": 74,
        "sex": "female",
        "vertebral_fractures_known": 1,
        "egfr": 40,
        "bone_protection": {"current": "none"},
        "oral_bisphosphonate_barriers": [],
    }
    result = evaluate_data(data, today=TODAY)
    assert "creatinine_clearance" in named(result)
    assert unnamed_changes(data) == []

    def forgetful(d, today):
        out = evaluate_data(d, today=today)
        out["unknowns"] = [u for u in out["unknowns"] if u["field"] != "creatinine_clearance"]
        for p in out["prompts"]:
            p["unknowns"] = [f for f in p["unknowns"] if f != "creatinine_clearance"]
        for t in out["trace"]:
            t["missing"] = [f for f in t["missing"] if f != "creatinine_clearance"]
        return out

    changes = unnamed_changes(data, evaluate=forgetful)
    assert [c[0] for c in changes] == ["creatinine_clearance"]
    assert set(changes[0][2]) == {"bone.oral_bisphosphonate", "bone.oral_bisphosphonate_unsuitable"}


def test_imaging_reported_without_a_result_names_the_result():
    """A report that does not state a fracture counts as imaging done (prompts.md), but recording the result as
    "fracture" would confirm one, so the result is named, with what it could change."""
    data = {
        "age": 72,
        "sex": "female",
        "back_pain": {"present": True},
        "vertebral_fractures_known": 0,
        "spine_imaging": {"report_text": "Lumbar spine: no fracture. Vertebral body heights maintained."},
    }
    result = evaluate_data(data, today=TODAY)
    entry = next(u for u in result["unknowns"] if u["field"] == "spine_imaging.result")
    assert "referral.fls" in entry["rules"]
    assert unnamed_changes(data) == []


def test_a_known_fracture_with_this_imagings_count_unanswered_names_the_count():
    """One fracture already known, recency known and not recent: this imaging's count could still make it two
    (very high risk), so the count is named while the imaging result is unanswered."""
    data = {
        "age": 72,
        "sex": "female",
        "vertebral_fractures_known": 1,
        "spine_imaging": {"months_since_fracture": 60},
    }
    result = evaluate_data(data, today=TODAY)
    assert "spine_imaging.fracture_count" in {u["field"] for u in result["unknowns"]}
    answered_two = answered(data, "spine_imaging.fracture_count", 2)
    assert "bone.specialist_referral" in {p["id"] for p in evaluate_data(answered_two, today=TODAY)["prompts"]}


def test_a_report_after_major_trauma_with_the_result_unanswered_names_the_result():
    """Found by the property above: a report text counts as imaging done (prompts.md), so nothing is suspected;
    but the result is unanswered, and answering "not done" would make the fracture suspected (with major trauma
    the report's fracture is not counted, so the fracture term does not name the result as it otherwise does).
    The result must be named, never read as an answer."""
    data = {
        "age": 50,
        "sex": "female",
        "spine_imaging": {"report_text": "0"},
        "red_flags": ["major_trauma"],
        "glucocorticoids": {"months": 3.0},
    }
    result = evaluate_data(data, today=TODAY)
    assert "spine_imaging.result" in named(result)
    assert unnamed_changes(data) == []

"""``evaluate_data``: one assessment in, cited prompts, a per-rule trace and the unknowns out.

The result is the result object of ../shared/spec/prompts.md as a plain dict (JSON as it is stored, sent and
shown); its shape is the API's ``Evaluation`` schema, against which tests/api/test_openapi_contract.py checks
every result of valid inputs. Deterministic: the result depends only on the input (the assessment date is an input;
nothing reads the clock).
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import Any, NamedTuple

from .contract import ROLES, SCHEMA, AssessmentInput, field_label, validate
from .facts import RED_FLAG_WORDS, Facts
from .recommendation import CATEGORIES, PRIORITIES, FixedActions, Rule, worded
from .rulebook import CATALOGUE_ORDER, RULEBOOK_VERSION, RULES
from .sources import SOURCES

FIRED, NOT_FIRED, NOT_ASSESSABLE = "fired", "not_fired", "not_assessable"

_ORDER = {
    rule.id: (
        PRIORITIES.index(rule.priority),
        CATEGORIES.index(rule.category),
        CATALOGUE_ORDER.index(rule.id),
    )
    for rule in RULES
}
# Field order of the contract, so unknowns are listed as the form asks for them.
_FIELD_ORDER: dict[str, int] = {}
for _key, _spec in SCHEMA.items():
    _FIELD_ORDER[_key] = len(_FIELD_ORDER)
    for _sub in _spec.fields or {}:
        _FIELD_ORDER[f"{_key}.{_sub}"] = len(_FIELD_ORDER)

_CAVEAT = (
    "First exclude malignancy, infection or trauma: a red flag or urgent report feature is present, so this "
    "fracture must not be assumed to be osteoporotic until they are excluded. "
)


_SOURCE_DICTS = {k: {"label": s.label, "url": s.url, "status": s.status} for k, s in SOURCES.items()}
_RED_FLAG_ACTION = "Exclude malignancy, infection and trauma before treating this as osteoporosis"
_worded = lru_cache(maxsize=1024)(worded)  # a pure function of three strings


class _RulePlan(NamedTuple):
    """What does not depend on the patient, worked out once per rule."""

    rule: Rule
    condition: Any  # Callable[[Facts], Tri]
    recommendations: tuple[int, ...]
    rank: int  # position in the result order (priority, category, catalogue order)
    # The rule's prompt with its fixed parts filled in (the title as worded for each role), and its trace entry for
    # each outcome: a result copies these (copying a small dict is much faster than building one) and fills in
    # the rest. Every key is present, so the copies keep the result's key order.
    prompts: dict[str, dict[str, Any]]
    traces: dict[bool | None, dict[str, Any]]  # keyed by the condition's value: True (fired), False, None
    sources: tuple[dict[str, str], ...]  # shared: copied into each result
    codes: tuple[dict[str, str], ...]  # shared: copied into each result
    actions: dict[str, list[str]] | None  # fixed actions as worded for each role (None: they depend on the patient)
    fracture_based: bool


def _plan(rule: Rule) -> _RulePlan:
    prompts = {
        role: {
            "id": rule.id,
            "rule_version": rule.version,
            "category": rule.category,
            "priority": rule.priority,
            "title": rule.title_for(role),
            "detail": None,
            "because": None,
            "recommendations": None,
            "sources": None,
            "codes": None,
            "actions": None,
            "unknowns": None,
            "timeframe": None,
        }
        for role in ROLES
    }
    traces = {
        outcome: {
            "rule": rule.id,
            "version": rule.version,
            "recommendations": None,
            "outcome": outcome,
            "missing": None,
        }
        for outcome in (FIRED, NOT_FIRED, NOT_ASSESSABLE)
    }
    by_value = {True: traces[FIRED], False: traces[NOT_FIRED], None: traces[NOT_ASSESSABLE]}
    actions = None
    if isinstance(rule.actions, FixedActions):
        actions = {role: [worded(kind, text, role) for kind, text in rule.actions.actions] for role in ROLES}
    return _RulePlan(
        rule,
        rule.condition,
        rule.recommendations,
        _RANKS[rule.id],
        prompts,
        by_value,
        tuple(_SOURCE_DICTS[s] for s in rule.sources),
        tuple(c.as_dict() for c in rule.codes),
        actions,
        rule.fracture_based,
    )


_RANKS = {rule.id: rank for rank, rule in enumerate(sorted(RULES, key=lambda r: _ORDER[r.id]))}
_PLAN = tuple(_plan(rule) for rule in RULES)
_LOOP = tuple((plan, plan.condition, plan.recommendations, plan.traces) for plan in _PLAN)  # unpacked: faster
_copy = dict.copy


def _prompt(plan: _RulePlan, facts: Facts, because: tuple[str, ...], missing: tuple[str, ...]) -> dict[str, Any]:
    """One fired rule's prompt, as in the result (prompts.md)."""
    role = facts.inp.assessor_role
    # One unpacking instead of an attribute lookup per part (a NamedTuple's attributes are descriptors).
    rule, _, recommendations, _, prompts, _, sources, codes, fixed, fracture_based = plan
    detail = rule.detail(facts)
    # fixed: the actions worded once per role, unless they depend on the patient (None)
    actions = [*fixed[role]] if fixed is not None else [_worded(kind, text, role) for kind, text in rule.actions(facts)]
    if fracture_based and facts.any_red_flag:
        detail = _CAVEAT + detail
        actions.insert(0, _RED_FLAG_ACTION)
        flags = [RED_FLAG_WORDS[f] for f in facts.emergency_flags + facts.urgent_flags]
        if facts.report_urgent:
            flags.append("urgent features in the report")
        because = (*because, "red flag: " + ", ".join(flags))
    prompt = prompts[role].copy()
    if rule.patient_title is not None:
        prompt["title"] = rule.title_for_patient(facts)
    prompt["detail"] = detail
    prompt["because"] = [*because]
    prompt["recommendations"] = [*recommendations]
    # Copies: the source and code dicts are shared by every result and must not be changed through one.
    prompt["sources"] = list(map(_copy, sources))
    if rule.patient_codes is not None:
        prompt["codes"] = [c.as_dict() for c in rule.patient_codes(facts)]
    else:
        prompt["codes"] = list(map(_copy, codes)) if codes else []
    prompt["actions"] = actions
    prompt["unknowns"] = [*missing]
    timing = rule.timeframe
    if timing is not None:
        when = timing(facts)
        if when is not None:
            prompt["timeframe"] = {"text": when.text, "source": _SOURCE_DICTS[when.source].copy()}
    return prompt


@cache
def _sorted_fields(fields: frozenset[str]) -> tuple[str, ...]:
    """Fields in contract order. Cached: the same few sets recur, and a frozenset keeps its hash."""
    return tuple(sorted(fields, key=_field_key))


@lru_cache(maxsize=4096)
def _unknowns(missing_by_rule: tuple[frozenset[str], ...]) -> tuple[tuple[dict[str, Any], tuple[str, ...]], ...]:
    """Each unknown field with the rules it could change, in contract order, as its result entry with the rules
    left to fill in (a result copies the entry and adds a fresh list of the rules).

    A pure function of the rules' missing-field sets (the rules are immutable), so it is memoised: patients with
    the same pattern of unanswered questions share it. Bounded, so memory stays flat.
    """
    affects: dict[str, list[Rule]] = {}
    for rule, missing in zip(RULES, missing_by_rule, strict=True):
        for name in missing:
            affects.setdefault(name, []).append(rule)
    return tuple(
        (
            {"field": name, "label": field_label(name), "why": _why(affects[name]), "rules": None},
            tuple(r.id for r in affects[name]),
        )
        for name in sorted(affects, key=_field_key)
    )


def _why(rules: list[Rule]) -> str:
    """Say what answering an unknown could change, most urgent first, briefly."""
    effects = list(dict.fromkeys(r.effect for r in sorted(rules, key=lambda r: _ORDER[r.id])))
    shown = ", ".join(effects[:_WHY_SHOWN])
    more = f" and {len(effects) - _WHY_SHOWN} more" if len(effects) > _WHY_SHOWN else ""
    return f"Answering this could change: {shown}{more}."


_WHY_SHOWN = 4


def _field_key(name: str) -> int:
    return _FIELD_ORDER.get(name, len(_FIELD_ORDER))


def _result(inp: AssessmentInput) -> dict[str, Any]:
    """Evaluate every rule against one validated assessment and build the result object of prompts.md (plus the
    trace, notes and the report screening) directly: this is the one evaluation path."""
    facts = Facts(inp)
    fired: list[tuple[int, dict[str, Any]]] = []
    trace: list[dict[str, Any]] = []
    missing_by_rule: list[frozenset[str]] = []
    append_missing, append_entry = missing_by_rule.append, trace.append
    for plan, condition, recommendations, traces in _LOOP:
        value, missing_fields, because = condition(facts)
        append_missing(missing_fields)
        entry = traces[value].copy()  # the entry for this outcome (True, False or None)
        entry["recommendations"] = [*recommendations]
        if missing_fields:
            missing = _sorted_fields(missing_fields)
            entry["missing"] = [*missing]
        else:
            missing = ()
            entry["missing"] = []
        append_entry(entry)
        if value is True:
            if len(because) > 1:
                because = tuple(dict.fromkeys(because))  # each reason once, in order
            fired.append((plan.rank, _prompt(plan, facts, because, missing)))
    fired.sort()  # ranks are unique, so only they are compared
    unknowns = []
    for template, rules in _unknowns(tuple(missing_by_rule)):
        entry = template.copy()  # a fresh copy of the memoised entry (copying beats {**template, ...})
        entry["rules"] = [*rules]
        unknowns.append(entry)
    report = facts.report.as_dict() if facts.report_given else None
    return {
        "rulebook_version": RULEBOOK_VERSION,
        "input_version": inp.input_version,
        "assessed_on": inp.assessed_on.isoformat(),
        "assessor_role": inp.assessor_role,
        "prompts": [prompt for _, prompt in fired],
        "unknowns": unknowns,
        "notes": facts.notes,
        "report": report,
        "trace": trace,
    }


def evaluate_data(data: Any, *, today: dt.date) -> dict[str, Any]:
    """Validate JSON-decoded input and return the result dict; raises ``InputError`` on invalid input.

    This is the one path every entry point uses (the form, the API, CDS Hooks, case-finding and the CLI, through
    ``apps.evaluation.services.assessment_evaluate`` where Django calls it).
    """
    return _result(validate(data, today=today))

"""What every gap group is made of: its description (``Group``), its verdict for one patient (``Finding``), the
patient's context (``Context``: the record, the contract input, the consultation result and the rules' own facts)
and the helpers the groups share. Pure Python (no Django)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from core.rules.codes import codelist
from core.rules.contract import field_label, get_path, validate
from core.rules.facts import Facts
from core.rules.figures import exactly
from core.rules.logic import Tri
from core.rules.sources import SOURCES

IN, NOT_ASSESSED = "in", "not_assessed"

# QOF OST004 register (business rules v51, [V] treatment-and-coding.md section 5): a fragility fracture (FF_COD) on
# or after 1 April 2012 for ages 50-74, 1 April 2014 for 75 and over, and an osteoporosis code (OSTEO_COD).
REGISTER_MIN_AGE = 50
REGISTER_FRACTURE_FROM = {50: dt.date(2012, 4, 1), 75: dt.date(2014, 4, 1)}


def fragility_fracture_codes() -> frozenset[str]:
    return frozenset(codelist("ff_cod"))


def osteoporosis_codes() -> frozenset[str]:
    return frozenset(codelist("osteo_cod"))


@dataclass(frozen=True)
class Source:
    label: str
    url: str
    status: str  # V checked, P passage not seen, R reconstructed (as core/rules/sources.py)


@dataclass(frozen=True)
class Group:
    id: str
    title: str  # the worklist's name for the group
    rule: str  # who is in it, in words
    recommendation: str  # what to do, in words
    prompts: tuple[str, ...]  # the consultation prompt ids it comes from ("" for the code comparison)
    recommendations: tuple[int, ...]  # Bennett et al. 2024 recommendation numbers
    sources: tuple[Source, ...]
    version: int = 1  # bumped with every change to who is in the group (CHANGELOG.md, "Case-finding groups")
    weight: int = 0  # the worklist's order: the weightiest group of a patient first (services.worklist)


_NOGG_SUMMARY = Source(
    "NOGG 2022 (updated 2024), summary of main recommendations",
    "https://nogg.org.uk/full-guideline/summary-main-recommendations",
    "V",
)
_NOGG_S4 = Source(
    "NOGG 2022, section 4, intervention thresholds and strategy",
    "https://www.nogg.org.uk/full-guideline/section-4-intervention-thresholds-and-strategy",
    "V",
)
_BENNETT_R = Source(
    "Bennett et al. 2024, BMC Musculoskelet Disord 25:165 (recommendations 9-14 reconstructed)",
    SOURCES["bennett-reconstructed"].url,
    "R",
)
_BENNETT_T6 = Source(
    "Bennett et al. 2024, BMC Musculoskelet Disord 25:165, Table 6",
    SOURCES["bennett-t6"].url,
    "V",
)
_QS149_S4 = Source(
    "NICE QS149 statement 4, review of long-term bisphosphonate treatment",
    "https://nice.org.uk/guidance/qs149/chapter/Quality-statement-4-Long-term-follow-up",
    "V",
)
_QOF = Source(
    "QOF osteoporosis register OST004 (FF_COD and OSTEO_COD; business rules v51)",
    "https://www.gpcontract.co.uk/timeline/ENG/OST004",
    "V",
)


class Finding(NamedTuple):
    """One group's verdict for one patient: in the group, or could not be assessed (never stored for "not in")."""

    group: str
    status: str  # IN or NOT_ASSESSED
    prompts: tuple[str, ...]  # the prompt ids that put the patient here (or could not be decided)
    because: tuple[str, ...]  # the prompts' own reasons, or the codes compared
    evidence: tuple[str, ...]  # the record facts behind them (dated codes, prescriptions, measurements)
    missing: tuple[str, ...]  # labels of the unknown inputs, when not assessed
    facts: dict[str, Any]  # contract path -> value the reason rests on (what a prefilled assessment may use)
    next_step: str = ""  # what to do for this patient (the group's recommendation made specific), or ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "status": self.status,
            "prompts": list(self.prompts),
            "because": list(self.because),
            "evidence": list(self.evidence),
            "missing": list(self.missing),
            "facts": dict(self.facts),
            "next": self.next_step,
        }


# --- reading the record ---------------------------------------------------------------------------------------------


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else "date not recorded"


def _code_words(events: Iterable[Any]) -> list[str]:
    return [f"{c.term or 'code'} ({c.code}) coded {_date(c.date)}" for c in events]


def _suspected_words(events: Iterable[Any]) -> list[str]:
    return [f"{c.term or 'code'} ({c.code}) recorded {_date(c.date)} as suspected, not confirmed" for c in events]


def _facts(data: Mapping[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    """The named contract values, known ones only (a prefilled form leaves the rest as 'Not known')."""
    out = {}
    for path in paths:
        value = get_path(data, path)
        if value is not None and value != []:
            out[path] = value
    return out


def _derived(derivations: Iterable[Any], paths: Sequence[str]) -> list[str]:
    """The record facts record_to_input used for these fields, as its derivations word them (answers stated
    directly in the extract are shown as "<label>: <value> (stated in the extract)")."""
    words: list[str] = []
    for d in derivations:
        if d.field not in paths:
            continue
        if d.because.startswith("stated directly"):
            text = f"{field_label(d.field)}: {_value(d.value)} (stated in the extract)"
        else:
            text = d.because
        if text not in words:
            words.append(text)
    return words


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return exactly(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _missing(trace: Mapping[str, Mapping[str, Any]], prompt_ids: Iterable[str]) -> tuple[str, ...]:
    fields: list[str] = []
    for pid in prompt_ids:
        entry = trace.get(pid)
        if entry and entry["outcome"] == "not_assessable":
            fields.extend(f for f in entry["missing"] if f not in fields)
    return tuple(field_label(f) for f in fields)


# --- the groups -----------------------------------------------------------------------------------------------------


# --- one patient's context ------------------------------------------------------------------------------------------


@dataclass
class Context:
    """Everything a group's ``applies`` reads, worked out once per patient."""

    record: Any
    data: Mapping[str, Any]
    derivations: Any
    result: Mapping[str, Any]
    reviews_recorded: bool = True

    def __post_init__(self) -> None:
        self.prompts = {p["id"]: p for p in self.result["prompts"]}
        self.trace = {t["rule"]: t for t in self.result["trace"]}
        # A coded fracture is one the shared value set (core/fhir/valuesets/conditions.csv) maps to a vertebral or
        # fragility fracture: the same reading record_to_input makes of the record. A suspected (provisional,
        # differential, unconfirmed) fracture is not a coded fracture: the rules leave the fracture unknown, so its
        # groups are decided by the rules' trace ("could not be assessed" where the fracture matters, never "not
        # in", and never "in" on a fracture that is not diagnosed). Codes dated after the assessment date are not
        # used, as record_to_input does not use them (a record problem).
        self.assessed = dt.date.fromisoformat(self.result["assessed_on"])
        self.conditions = [
            c for c in self.record.conditions if not (isinstance(c.date, dt.date) and c.date > self.assessed)
        ]
        self.vertebral = [c for c in self.conditions if c.kind == "vertebral_fracture" and not c.suspected]
        self.fragility = [c for c in self.conditions if c.kind == "fragility_fracture" and not c.suspected]
        self.fractures = self.vertebral + self.fragility
        self.suspected = [
            c for c in self.conditions if c.kind in ("vertebral_fracture", "fragility_fracture") and c.suspected
        ]
        self.ff_cod = [c for c in self.conditions if c.code in fragility_fracture_codes() and not c.suspected]
        self._facts: Facts | None = None

    @property
    def facts(self) -> Facts:
        """The rules core's own terms for this patient (built only when a group needs one)."""
        if self._facts is None:
            self._facts = Facts(validate(dict(self.data), today=self.assessed))
        return self._facts

    def prompt_group(
        self,
        group: str,
        ids: Sequence[str],
        paths: Sequence[str],
        evidence: list[str],
        *,
        because_term: Tri | None = None,
        next_step: str = "",
    ) -> list[Finding]:
        """In the group when one of ``ids`` fired (and, with ``because_term``, that rules-core term is true); not
        assessed when none fired and one of them could not be decided, or the term is unknown."""
        fired = [pid for pid in ids if pid in self.prompts]
        term_missing: tuple[str, ...] = ()
        if because_term is not None:
            if because_term.value is None:
                term_missing = tuple(field_label(f) for f in sorted(because_term.missing))
            if because_term.value is not True:
                fired = []
        if fired:
            because = tuple(dict.fromkeys(b for pid in fired for b in self.prompts[pid]["because"]))
            return [Finding(group, IN, tuple(fired), because, tuple(evidence), (), _facts(self.data, paths), next_step)]
        missing = _missing(self.trace, ids) or term_missing
        if missing:
            undecided = tuple(pid for pid in ids if self.trace.get(pid, {}).get("outcome") == "not_assessable")
            return [Finding(group, NOT_ASSESSED, undecided, (), tuple(evidence), missing, _facts(self.data, paths))]
        return []


def titles(prompts: Mapping[str, Mapping[str, Any]], *ids: str) -> list[str]:
    """The titles of those of ``ids`` that fired, in order: the consultation's own patient-specific wording (a drug
    named only when its checks allow it, the checks still due)."""
    return [prompts[pid]["title"] for pid in ids if pid in prompts]


def sentence(parts: Sequence[str]) -> str:
    """Parts joined as one instruction ("A. B."), each ending with a full stop."""
    return " ".join(p if p.endswith(".") else p + "." for p in parts if p)


@dataclass(frozen=True)
class Gap:
    """A gap group as a rule: its description and who is in it (``applies``: the findings for one patient)."""

    group: Group
    applies: Callable[[Context], list[Finding]]

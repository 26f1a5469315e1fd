"""Gap groups: which patients a practice search puts on the worklist, and why, in words a clinician can check.

Pure Python (no Django), so the benchmark and the run's worker processes can use it. Every group but one comes from
the consultation's own prompts: a patient is in a group only when the prompts the rules give for that patient's
record (``record_to_input`` then ``apps.rules.evaluate_data``) say so, and the reason shown is the prompt's
``because`` with the record facts behind it (the derivations). The register gap is a comparison of codes, as the
QOF business rules are. See docs/case-finding.md for each group's rule, recommendation, guideline and prompt ids.

Unknown is never "no": when a record holds the facts that make a group relevant but the rules cannot decide (the
trace says "not assessable", or the extract has no column for a fact the group needs), the patient is counted as
"could not be assessed" for that group, with the unknown inputs named, rather than silently left off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from apps.rules.codes import codelist
from apps.rules.contract import field_label
from apps.rules.sources import SOURCES

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
    status: str  # V checked, P passage not seen, R reconstructed (as apps/rules/sources.py)


@dataclass(frozen=True)
class Group:
    id: str
    title: str  # the worklist's name for the group
    rule: str  # who is in it, in words
    recommendation: str  # what to do, in words
    prompts: tuple[str, ...]  # the consultation prompt ids it comes from ("" for the code comparison)
    recommendations: tuple[int, ...]  # Bennett et al. 2024 recommendation numbers
    sources: tuple[Source, ...]


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

GROUPS: tuple[Group, ...] = (
    Group(
        "fracture_no_bone_protection",
        "Fracture coded, no bone protection",
        "A vertebral or fragility fracture is coded, and the consultation rules prompt to start bone protection "
        "(bone.start_treatment): treatment is indicated and no bone protection is current.",
        "Offer bone protection now; do not wait for DXA.",
        ("bone.start_treatment",),
        (12,),
        (_NOGG_S4, _NOGG_SUMMARY, _BENNETT_R),
    ),
    Group(
        "report_fracture_not_coded",
        "Report describes a fracture that is not coded",
        "The spine report's wording describes a vertebral fracture (report.explicit_fracture with "
        "diagnosis.record_vertebral_fracture, or report.probable_fracture) and no vertebral fracture code is in "
        "the record.",
        "Confirm with the radiologist where the wording is only probable, then code the fracture with its date.",
        ("report.explicit_fracture", "report.probable_fracture", "diagnosis.record_vertebral_fracture"),
        (9, 10),
        (_BENNETT_R,),
    ),
    Group(
        "glucocorticoids_no_bone_protection",
        "Long-term or high-dose glucocorticoids, no bone protection",
        "Oral glucocorticoids for 3 months or more (or 7.5 mg prednisolone a day or more) with no current bone "
        "protection, and a consultation prompt cites the glucocorticoids (bone.start_treatment, "
        "imaging.spine_xray, risk.frax or bone.dxa).",
        "High dose: start bone protection alongside the steroid. Otherwise: assess fracture risk (FRAX with the "
        "dose adjustment) and consider spine imaging.",
        ("bone.start_treatment", "imaging.spine_xray", "risk.frax", "bone.dxa"),
        (8, 12),
        (_NOGG_SUMMARY, _NOGG_S4),
    ),
    Group(
        "imaging_trigger_no_imaging",
        "Height loss or kyphosis, no spine imaging",
        "Historical height loss of 4 cm or more or kyphosis, no spine imaging, and the consultation rules prompt "
        "spine X-rays (imaging.spine_xray) citing it.",
        "Request lateral thoracic and lumbar spine X-rays (or DXA vertebral fracture assessment), stating the "
        "suspected fracture on the request.",
        ("imaging.spine_xray",),
        (8,),
        (_NOGG_SUMMARY, _BENNETT_T6),
    ),
    Group(
        "treatment_review_due",
        "Bisphosphonate review due",
        "An oral bisphosphonate for 5 years or more, or zoledronic acid for 3 years or more "
        "(bone.review_treatment), and no treatment review recorded since it became due.",
        "Review treatment: continue, or plan a pause by NOGG criteria.",
        ("bone.review_treatment",),
        (12,),
        (_QS149_S4, _NOGG_SUMMARY),
    ),
    Group(
        "register_gap",
        "Fracture coded, no osteoporosis code (QOF register)",
        "Aged 50 or over with a fragility fracture code (FF_COD) dated on or after 1 April 2012 (2014 from age "
        "75) and no osteoporosis diagnosis code (OSTEO_COD): a comparison of codes, as the QOF register rules are.",
        "Review the diagnosis; if osteoporosis is confirmed (by DXA from 50 to 74), code it so the patient is on "
        "the osteoporosis register.",
        (),
        (10,),
        (_QOF,),
    ),
    Group(
        "under_65_or_male",
        "Men and people under 65 with a coded fracture",
        "A vertebral or fragility fracture is coded in a man or in someone under 65, and the consultation rules "
        "give the atypical-groups prompt (education.atypical_groups).",
        "Men and younger women get vertebral fractures too and are often missed: assess as for anyone else.",
        ("education.atypical_groups",),
        (5,),
        (_BENNETT_T6,),
    ),
)
GROUPS_BY_ID = {g.id: g for g in GROUPS}

# The worklist's order (issue 26): each group's clinical weight, highest first, then age (oldest first). A fracture
# with no bone protection comes first (the highest risk of the next fracture, NOGG section 4: treat without waiting
# for DXA); then glucocorticoids (risk rises within months, NOGG glucocorticoid guidance); then a fracture the
# record does not hold (no treatment follows an uncoded fracture: Bennett et al. 2024 recommendations 9-10); then
# imaging not done, treatment review, the register, and the education group. A patient is ordered by their
# weightiest group; one only "could not be assessed" has weight 0 and is listed in its own tab.
WEIGHT = {
    "fracture_no_bone_protection": 7,
    "glucocorticoids_no_bone_protection": 6,
    "report_fracture_not_coded": 5,
    "imaging_trigger_no_imaging": 4,
    "treatment_review_due": 3,
    "register_gap": 2,
    "under_65_or_male": 1,
}


def priority(groups: Iterable[str]) -> int:
    return max((WEIGHT[g] for g in groups), default=0)


class Finding(NamedTuple):
    """One group's verdict for one patient: in the group, or could not be assessed (never stored for "not in")."""

    group: str
    status: str  # IN or NOT_ASSESSED
    prompts: tuple[str, ...]  # the prompt ids that put the patient here (or could not be decided)
    because: tuple[str, ...]  # the prompts' own reasons, or the codes compared
    evidence: tuple[str, ...]  # the record facts behind them (dated codes, prescriptions, measurements)
    missing: tuple[str, ...]  # labels of the unknown inputs, when not assessed
    facts: dict[str, Any]  # contract path -> value the reason rests on (what a prefilled assessment may use)

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "status": self.status,
            "prompts": list(self.prompts),
            "because": list(self.because),
            "evidence": list(self.evidence),
            "missing": list(self.missing),
            "facts": dict(self.facts),
        }


# --- reading the record ---------------------------------------------------------------------------------------------


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else "date not recorded"


def _code_words(events: Iterable[Any]) -> list[str]:
    return [f"{c.term or 'code'} ({c.code}) coded {_date(c.date)}" for c in events]


def _suspected_words(events: Iterable[Any]) -> list[str]:
    return [f"{c.term or 'code'} ({c.code}) recorded {_date(c.date)} as suspected, not confirmed" for c in events]


def _get(data: Mapping[str, Any], path: str) -> Any:
    head, _, tail = path.partition(".")
    if not tail:
        return data.get(head)
    inner = data.get(head)
    return inner.get(tail) if isinstance(inner, Mapping) else None


def _facts(data: Mapping[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    """The named contract values, known ones only (a prefilled form leaves the rest as 'Not known')."""
    out = {}
    for path in paths:
        value = _get(data, path)
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
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
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

_FRACTURE_PATHS = (
    "vertebral_fractures_known",
    "prior_fragility_fracture",
    "spine_imaging.months_since_fracture",
    "bone_protection.current",
    "record.vertebral_fracture_coded",
)
_GC_PATHS = (
    "glucocorticoids.current_or_recent",
    "glucocorticoids.prednisolone_mg_per_day",
    "glucocorticoids.months",
    "bone_protection.current",
)
_IMAGING_PATHS = ("historical_height_loss_cm", "kyphosis", "spine_imaging.result")
_REVIEW_PATHS = ("bone_protection.current", "bone_protection.years")
_ATYPICAL_PATHS = ("age", "sex", "vertebral_fractures_known", "prior_fragility_fracture")
_GC_WORDS = ("glucocorticoid", "prednisolone")


def find_gaps(
    record: Any,
    data: Mapping[str, Any],
    derivations: Any,
    result: Mapping[str, Any],
    *,
    reviews_recorded: bool = True,
) -> list[Finding]:
    """The groups this patient is in or could not be assessed for, from their record, the contract input built from
    it (``data``, with ``derivations``) and the consultation result for that input.

    ``reviews_recorded`` says whether the extract can hold treatment reviews at all; when it cannot, the review
    group is "could not be assessed" for a patient whose treatment makes a review due, never "not in".
    """
    prompts = {p["id"]: p for p in result["prompts"]}
    trace = {t["rule"]: t for t in result["trace"]}
    # A coded fracture is one the shared value set (apps/fhir/valuesets/conditions.csv) maps to a vertebral or
    # fragility fracture: the same reading record_to_input makes of the record.
    # A suspected (provisional, differential, unconfirmed) fracture is not a coded fracture: the rules leave the
    # fracture unknown, so its groups are decided by the rules' trace, which says "could not be assessed" where the
    # fracture matters, never "not in" (and never "in" on a fracture that is not diagnosed).
    # Codes dated after the assessment date are not used, as record_to_input does not use them (a record problem).
    assessed = dt.date.fromisoformat(result["assessed_on"])
    conditions = [c for c in record.conditions if not (isinstance(c.date, dt.date) and c.date > assessed)]
    vertebral = [c for c in conditions if c.kind == "vertebral_fracture" and not c.suspected]
    fractures = vertebral + [c for c in conditions if c.kind == "fragility_fracture" and not c.suspected]
    suspected = [c for c in conditions if c.kind in ("vertebral_fracture", "fragility_fracture") and c.suspected]
    ff_cod = [c for c in conditions if c.code in fragility_fracture_codes() and not c.suspected]
    findings: list[Finding] = []

    def prompt_group(
        group: str,
        ids: Sequence[str],
        paths: Sequence[str],
        evidence: list[str],
        *,
        cited: tuple[str, ...] = (),
    ) -> None:
        """In the group when one of ``ids`` fired (and, with ``cited``, its reasons cite one of those words);
        not assessed when none fired and one of them could not be decided."""
        fired = [pid for pid in ids if pid in prompts]
        if cited:
            fired = [pid for pid in fired if any(w in b.lower() for b in prompts[pid]["because"] for w in cited)]
        if fired:
            because = tuple(dict.fromkeys(b for pid in fired for b in prompts[pid]["because"]))
            findings.append(Finding(group, IN, tuple(fired), because, tuple(evidence), (), _facts(data, paths)))
            return
        missing = _missing(trace, ids)
        if missing:
            undecided = tuple(pid for pid in ids if trace.get(pid, {}).get("outcome") == "not_assessable")
            findings.append(Finding(group, NOT_ASSESSED, undecided, (), tuple(evidence), missing, _facts(data, paths)))

    # 1. A coded fracture, and the rules prompt to start bone protection.
    if fractures or suspected:
        evidence = _code_words(fractures) + _suspected_words(suspected)
        evidence += _derived(derivations, ("bone_protection.current",))
        prompt_group("fracture_no_bone_protection", ("bone.start_treatment",), _FRACTURE_PATHS, evidence)

    # 2. The report describes a fracture that is not coded (recommendation 9).
    if _get(data, "spine_imaging.report_text") and not vertebral:
        if "report.probable_fracture" in prompts:
            ids: tuple[str, ...] = ("report.probable_fracture",)
        elif "report.explicit_fracture" in prompts and "diagnosis.record_vertebral_fracture" in prompts:
            ids = ("report.explicit_fracture", "diagnosis.record_vertebral_fracture")
        else:
            ids = ()
        if ids:
            because = tuple(dict.fromkeys(b for pid in ids for b in prompts[pid]["because"]))
            evidence = [*_derived(derivations, ("spine_imaging.report_text",)), "no vertebral fracture code"]
            findings.append(
                Finding(
                    "report_fracture_not_coded",
                    IN,
                    ids,
                    because,
                    tuple(evidence),
                    (),
                    _facts(data, ("record.vertebral_fracture_coded",)),
                )
            )

    # 3. Long-term or high-dose glucocorticoids without bone protection.
    gc = data.get("glucocorticoids") or {}
    if gc.get("current_or_recent") or gc.get("months") or gc.get("prednisolone_mg_per_day"):
        current = _get(data, "bone_protection.current")
        if current in (None, "none"):
            evidence = _derived(derivations, _GC_PATHS)
            prompt_group(
                "glucocorticoids_no_bone_protection",
                ("bone.start_treatment", "imaging.spine_xray", "risk.frax", "bone.dxa"),
                _GC_PATHS,
                evidence,
                cited=_GC_WORDS,
            )

    # 4. Imaging triggers (height loss 4 cm or more, kyphosis) with no spine imaging.
    loss = data.get("historical_height_loss_cm")
    if (loss is not None and loss >= 4) or data.get("kyphosis"):
        evidence = _derived(derivations, _IMAGING_PATHS)
        prompt_group(
            "imaging_trigger_no_imaging",
            ("imaging.spine_xray",),
            _IMAGING_PATHS,
            evidence,
            cited=("height loss", "kyphosis"),
        )

    # 5. Long-term bisphosphonate without a review.
    if "bone.review_treatment" in prompts:
        evidence = _derived(derivations, _REVIEW_PATHS)
        prompt = prompts["bone.review_treatment"]
        if not reviews_recorded:
            findings.append(
                Finding(
                    "treatment_review_due",
                    NOT_ASSESSED,
                    ("bone.review_treatment",),
                    tuple(prompt["because"]),
                    tuple(evidence),
                    ("treatment reviews (not in this extract)",),
                    _facts(data, _REVIEW_PATHS),
                )
            )
        else:
            due = _review_due(data, result)
            reviews = sorted(d for d in record.treatment_reviews if d is not None)
            after = [d for d in reviews if due is None or d >= due]
            if not after:
                last = f"last treatment review {reviews[-1].isoformat()}" if reviews else "no treatment review coded"
                if due is not None:
                    last += f" (review due from about {due.isoformat()})"
                findings.append(
                    Finding(
                        "treatment_review_due",
                        IN,
                        ("bone.review_treatment",),
                        tuple(prompt["because"]),
                        (*evidence, last),
                        (),
                        _facts(data, _REVIEW_PATHS),
                    )
                )
    else:
        missing = _missing(trace, ("bone.review_treatment",))
        if missing and any(m.kind != "glucocorticoid" for m in record.medications):
            findings.append(
                Finding(
                    "treatment_review_due",
                    NOT_ASSESSED,
                    ("bone.review_treatment",),
                    (),
                    tuple(_derived(derivations, _REVIEW_PATHS)),
                    missing,
                    _facts(data, _REVIEW_PATHS),
                )
            )

    # 6. The register gap (QOF OST004): a comparison of codes.
    if (
        ff_cod
        and data.get("age", 0) >= REGISTER_MIN_AGE
        and not any(c.code in osteoporosis_codes() for c in conditions)
    ):
        start = REGISTER_FRACTURE_FROM[75 if data["age"] >= 75 else 50]
        counted = [c for c in ff_cod if isinstance(c.date, dt.date) and c.date >= start]
        undated = [c for c in ff_cod if not isinstance(c.date, dt.date)]
        if counted:
            findings.append(
                Finding(
                    "register_gap",
                    IN,
                    (),
                    (
                        f"fragility fracture coded on or after {start.isoformat()}",
                        "no osteoporosis diagnosis code (OSTEO_COD)",
                    ),
                    tuple(_code_words(counted)),
                    (),
                    {},
                )
            )
        elif undated:
            findings.append(
                Finding("register_gap", NOT_ASSESSED, (), (), tuple(_code_words(undated)), ("fracture date",), {})
            )

    # 7. Men and people under 65 with a coded fracture (recommendation 5).
    if fractures or suspected:
        prompt_group(
            "under_65_or_male",
            ("education.atypical_groups",),
            _ATYPICAL_PATHS,
            _code_words(fractures) + _suspected_words(suspected),
        )
    return findings


def _review_due(data: Mapping[str, Any], result: Mapping[str, Any]) -> dt.date | None:
    """When the review became due: the assessment date less the years beyond the 5 (oral) or 3 (zoledronate)."""
    prot = data.get("bone_protection") or {}
    years = prot.get("years")
    if years is None:
        return None
    limit = 3 if prot.get("current") == "zoledronate" else 5
    assessed = dt.date.fromisoformat(result["assessed_on"])
    return assessed - dt.timedelta(days=round((years - limit) * 365.25))

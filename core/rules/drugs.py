"""One eligibility check per bone-protection drug, from cited SmPC and guideline facts.

Every prompt that names a drug takes its wording from :func:`check_all`'s answer for that drug, so no prompt can
tell a clinician to start a drug that what they entered rules out. A check gives one of five statuses:

- ``offer``: nothing entered rules it out and nothing it needs is unknown;
- ``correct_first``: a correctable finding must be put right first (low calcium, vitamin D deficiency), then start;
- ``check_first``: nothing entered rules it out, but something it needs is unknown: a named check still to do,
  never "eligible" (an unknown is never read as "no");
- ``specialist``: for a specialist to start or supervise, not primary care (anabolic drugs, a patient outside
  NOGG's population, denosumab with creatinine clearance below 30);
- ``not_offered``: contraindicated, not recommended, or held until a finding is explained, with the reason.

The facts and their sources are in docs/clinical-sources.md (section "Drug checks"); marks follow ../shared/clinical
([V] checked against the source, [P] the right source, passage not seen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .contract import ORAL_BISPHOSPHONATES
from .figures import in_words

if TYPE_CHECKING:
    from .facts import Facts

OFFER = "offer"
CORRECT_FIRST = "correct_first"
CHECK_FIRST = "check_first"
SPECIALIST = "specialist"
NOT_OFFERED = "not_offered"
STATUSES = (OFFER, CORRECT_FIRST, CHECK_FIRST, SPECIALIST, NOT_OFFERED)
# The statuses under which a prompt may tell a clinician to start the drug (after the named correction or check).
STARTABLE = frozenset((OFFER, CORRECT_FIRST, CHECK_FIRST))

CALCIUM_LOW = 2.2  # adjusted calcium reference range 2.2-2.6 mmol/L (nhs-adjusted-calcium) [V]
CALCIUM_HIGH = 2.6  # the same range's upper limit [V]; NICE NG132 repeats calcium from 2.6 [P]
VITAMIN_D_DEFICIENT = 25  # deficient below 25 nmol/L (ros-vitamin-d) [P]


@dataclass(frozen=True, slots=True)
class Drug:
    """What a drug's own check needs to know about it (docs/clinical-sources.md, "Drug checks")."""

    key: str  # the contract's name (bone_protection.current), or a supplement's own
    name: str  # as a clinician writes it
    regimen: str  # the usual dose, "" when not for primary care to choose
    oral: bool = False  # the oral bisphosphonate rules apply (barriers)
    renal_below: float | None = None  # creatinine clearance (mL/min) below which it is not for primary care
    renal_words: str = ""  # what the licence says below that limit
    renal_specialist: bool = False  # below the limit: specialist supervision, not "not offered" (denosumab)
    hypocalcaemia: bool = True  # low calcium must be corrected first (a contraindication in the SmPCs)
    vitamin_d: bool = True  # vitamin D deficiency corrected first (and its level checked)
    women_only: str = ""  # the reason, for a drug licensed for women only
    specialist_only: str = ""  # the reason, for a drug a specialist starts
    supplement: bool = False  # calcium or vitamin D: only hypercalcaemia holds it
    pregnancy: bool = True  # contraindicated or not for use in pregnancy and breastfeeding


DRUGS: dict[str, Drug] = {
    d.key: d
    for d in (
        Drug(
            "alendronate",
            "alendronic acid",
            "70 mg once a week",
            oral=True,
            renal_below=35,
            renal_words="not recommended below 35 (SmPC)",
        ),
        Drug(
            "risedronate",
            "risedronate",
            "35 mg once a week",
            oral=True,
            renal_below=30,
            renal_words="contraindicated below 30 (SmPC)",
        ),
        Drug(
            "ibandronate",
            "ibandronic acid",
            "150 mg once a month",
            oral=True,
            renal_below=30,
            renal_words="not recommended below 30 (SmPC)",
            women_only="licensed for postmenopausal women only",
        ),
        Drug(
            "zoledronate",
            "zoledronic acid",
            "5 mg by intravenous infusion once a year",
            renal_below=35,
            renal_words="contraindicated below 35 (SmPC)",
        ),
        Drug(
            "denosumab",
            "denosumab",
            "60 mg by injection every 6 months",
            renal_below=30,
            renal_words="below 30 the risk of severe hypocalcaemia is high: specialist supervision (MHRA)",
            renal_specialist=True,
        ),
        Drug(
            "teriparatide",
            "teriparatide",
            "",
            renal_below=30,
            renal_words="contraindicated in severe renal impairment (SmPC)",
            hypocalcaemia=False,
            specialist_only="an anabolic drug started by a specialist (NICE TA161)",
        ),
        Drug(
            "romosozumab",
            "romosozumab",
            "",
            women_only="licensed for postmenopausal women only",
            specialist_only="an anabolic drug started by a specialist (NICE TA791); not after a heart attack or "
            "stroke (SmPC)",
        ),
        Drug(
            "raloxifene",
            "raloxifene",
            "",
            hypocalcaemia=False,
            vitamin_d=False,
            women_only="for postmenopausal women only",
            specialist_only="not for primary prevention (NICE TA160); not with a history of venous thromboembolism "
            "(SmPC)",
        ),
        Drug(
            "hrt",
            "HRT",
            "",
            hypocalcaemia=False,
            vitamin_d=False,
            women_only="for women only",
            specialist_only="a decision by menopause guidance (venous thromboembolism, breast cancer and "
            "cardiovascular risk)",
        ),
        Drug(
            "colecalciferol",
            "colecalciferol",
            "800 IU a day",
            hypocalcaemia=False,
            vitamin_d=False,
            supplement=True,
            pregnancy=False,
        ),
        Drug(
            "calcium",
            "calcium supplement",
            "to reach 700-1200 mg a day with the diet",
            hypocalcaemia=False,
            vitamin_d=False,
            supplement=True,
            pregnancy=False,
        ),
    )
}

# Every drug named in any prompt, by the words that name it (tests/rules/test_drug_safety.py scans for these).
NAMES: dict[str, tuple[str, ...]] = {
    "alendronate": ("alendronic acid", "alendronate"),
    "risedronate": ("risedronate",),
    "ibandronate": ("ibandronic acid", "ibandronate"),
    "zoledronate": ("zoledronic acid", "zoledronate"),
    "denosumab": ("denosumab",),
    "teriparatide": ("teriparatide",),
    "romosozumab": ("romosozumab",),
    "raloxifene": ("raloxifene",),
    "hrt": ("hrt", "hormone replacement therapy"),
    "colecalciferol": ("colecalciferol", "vitamin d supplement"),
    "calcium": ("calcium supplement", "supplement calcium"),
}
# Words that name a class of drugs: a prompt may tell someone to start the class only if one of its members may be.
CLASSES: dict[str, tuple[str, ...]] = {
    "oral bisphosphonate": ORAL_BISPHOSPHONATES,
    "bisphosphonate": ("alendronate", "risedronate", "ibandronate", "zoledronate"),
    "anabolic": ("teriparatide", "romosozumab"),
    "parenteral": ("zoledronate", "denosumab", "teriparatide", "romosozumab"),
}


class Eligibility(NamedTuple):
    """One drug's check for one patient."""

    drug: str
    status: str
    reasons: tuple[str, ...]  # not_offered or specialist: why, in words a clinician can check
    corrections: tuple[str, ...]  # correct_first: what to put right first
    checks: tuple[str, ...]  # check_first (and correct_first): what is not known yet
    missing: frozenset[str]  # the contract fields whose answers could change the check

    @property
    def startable(self) -> bool:
        return self.status in STARTABLE

    @property
    def name(self) -> str:
        return DRUGS[self.drug].name

    @property
    def regimen(self) -> str:
        return DRUGS[self.drug].regimen


def _join(items: tuple[str, ...] | list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _renal_reason(f: Facts, drug: Drug) -> str:
    return f"{f.renal_label} {in_words(f.renal)} mL/min: {drug.renal_words}"  # type: ignore[arg-type]


class _Findings:
    """What one drug's check has found so far, in the order found: reasons it is not offered, reasons it is for a
    specialist, findings to correct first, checks still to do, and the inputs whose absence made those checks."""

    __slots__ = ("reasons", "specialist", "corrections", "checks", "missing")

    def __init__(self, held: tuple[str, ...]) -> None:
        self.reasons: list[str] = list(held)
        self.specialist: list[str] = []
        self.corrections: list[str] = []
        self.checks: list[str] = []
        self.missing: set[str] = set()

    def check(self, words: str, field: str) -> None:
        """A check still to do, because ``field`` is not known."""
        self.checks.append(words)
        self.missing.add(field)


def _check(f: Facts, drug: Drug, held: tuple[str, ...], outside: tuple[str, ...]) -> Eligibility:
    # Held for every drug until a finding is explained (a high calcium), or not for this patient at all.
    found = _Findings(held)
    if drug.supplement:
        if f.inp.adjusted_calcium is None:
            found.check("calcium", "adjusted_calcium")
        status = NOT_OFFERED if found.reasons else (CHECK_FIRST if found.checks else OFFER)
        return Eligibility(drug.key, status, tuple(found.reasons), (), tuple(found.checks), frozenset(found.missing))
    pregnancy = _ruled_out(f, drug, found)
    _renal(f, drug, found)
    _bone_chemistry(f, drug, found)
    _who_it_is_for(f, pregnancy, found)
    found.specialist.extend(outside)
    if drug.specialist_only:
        found.specialist.append(drug.specialist_only)

    reasons = found.reasons
    if reasons:
        status = NOT_OFFERED
    elif found.specialist:
        status, reasons = SPECIALIST, found.specialist
    elif found.corrections:
        status = CORRECT_FIRST
    elif found.checks:
        status = CHECK_FIRST
    else:
        status = OFFER
    return Eligibility(
        drug.key, status, tuple(reasons), tuple(found.corrections), tuple(found.checks), frozenset(found.missing)
    )


def _ruled_out(f: Facts, drug: Drug, found: _Findings) -> bool:
    """What rules the drug out for this patient: a serious side effect before, pregnancy or breastfeeding, a
    women-only licence, a barrier to oral bisphosphonates. Returns whether pregnancy applies to this drug and
    patient (the form asks it only of a woman not recorded as postmenopausal)."""
    inp = f.inp
    if drug.key in inp.bone_protection.serious_side_effects:
        found.reasons.append(f"a serious side effect of {drug.name} before: seek specialist advice")
    # Pregnancy applies to a woman not recorded as postmenopausal (the form asks it only then): recorded as not
    # postmenopausal, or with the status blank and no early menopause recorded.
    # With sex not recorded she may be a woman, so the same applies (never read as "a man": H-92).
    post = inp.postmenopausal
    pregnancy = drug.pregnancy and not f.male and (post is False or (post is None and not inp.menopause_before_45))
    if pregnancy and inp.pregnant_or_breastfeeding:
        found.reasons.append("pregnant, planning a pregnancy or breastfeeding (not for use: SmPC)")
    if drug.women_only:
        if f.male:
            found.reasons.append(drug.women_only)
        elif f.sex_unknown:
            found.check(f"sex ({drug.women_only})", "sex")
    if drug.oral:
        barriers = inp.oral_bisphosphonate_barriers
        if barriers:
            found.reasons.append("barrier to oral bisphosphonates: " + _join([b.replace("_", " ") for b in barriers]))
    return pregnancy


def _renal(f: Facts, drug: Drug, found: _Findings) -> None:
    """Renal function: creatinine clearance is what the licences use; eGFR is read with a caution (Facts.renal)."""
    if drug.renal_below is None:
        return
    if f.renal is None:
        found.check("renal function", "creatinine_clearance")
        found.missing.add("egfr")
        return
    if f.renal_label == "eGFR":
        found.missing.add("creatinine_clearance")
    if f.renal < drug.renal_below:
        (found.specialist if drug.renal_specialist else found.reasons).append(_renal_reason(f, drug))


def _bone_chemistry(f: Facts, drug: Drug, found: _Findings) -> None:
    """Calcium and vitamin D: unknown is a check to do first, low is a correction to make first."""
    calcium = f.inp.adjusted_calcium
    if drug.hypocalcaemia:
        if calcium is None:
            found.check("calcium", "adjusted_calcium")
        elif calcium < CALCIUM_LOW:
            found.corrections.append(f"low calcium (adjusted {in_words(calcium)} mmol/L, below 2.2)")
    if drug.vitamin_d:
        vitamin_d = f.inp.vitamin_d_nmol_l
        if vitamin_d is None:
            found.check("vitamin D", "vitamin_d_nmol_l")
        elif vitamin_d < VITAMIN_D_DEFICIENT:
            found.corrections.append(f"vitamin D deficiency ({in_words(vitamin_d)} nmol/L, below 25)")


def _who_it_is_for(f: Facts, pregnancy: bool, found: _Findings) -> None:
    """Who it is for: a woman whose menopausal status is not recorded may be premenopausal (NOGG's population), and
    then pregnancy and breastfeeding matter; a patient outside NOGG's population is for a specialist to treat."""
    if f.female and f.in_scope.value is None:
        found.check("menopausal status", "postmenopausal")
    elif f.sex_unknown and f.in_scope.value is None:
        found.check("sex and menopausal status", "sex")
        found.missing.add("postmenopausal")
    if pregnancy and f.in_scope.value is not True and f.inp.pregnant_or_breastfeeding is None:
        found.check("pregnancy and breastfeeding", "pregnant_or_breastfeeding")
    # Whether she is in NOGG's population (a woman of 50 or over is assumed postmenopausal) decides the check too.
    found.missing.update(f.in_scope.missing)


def check_all(f: Facts) -> dict[str, Eligibility]:
    """Every drug's check for this patient, keyed by drug."""
    held: tuple[str, ...] = ()
    calcium = f.inp.adjusted_calcium
    if calcium is not None and calcium > CALCIUM_HIGH:
        held = (
            f"adjusted calcium {in_words(calcium)} mmol/L is high (above 2.6): hold until the cause is found "
            "(myeloma and hyperparathyroidism first)",
        )
    outside: tuple[str, ...] = ()
    if f.in_scope.value is False:
        # Out of the population with sex unknown: under 50 and recorded as not postmenopausal (Facts._population).
        who = (
            "a man under 50"
            if f.male
            else "a premenopausal woman"
            if f.female
            else "someone under 50 and not postmenopausal"
        )
        outside = (
            f"{who} is outside NOGG's population: specialist assessment with a secondary-cause work-up first "
            "(NOGG section 1)",
        )
    return {key: _check(f, drug, held, outside) for key, drug in DRUGS.items()}


# --- wording every prompt takes from the checks ---------------------------------------------------------------


def first_steps(eligible: list[Eligibility]) -> str:
    """What must be done before any of these drugs starts, or "" ("correct low calcium and check renal function")."""
    corrections = [c for e in eligible for c in e.corrections]
    checks = [c for e in eligible for c in e.checks]
    parts = []
    if corrections:
        parts.append("correct " + _join(corrections))
    if checks:
        parts.append("check " + _join(checks))
    return " and ".join(parts)


def with_regimen(e: Eligibility) -> str:
    return f"{e.name} {e.regimen}" if e.regimen else e.name


def why_not(e: Eligibility) -> str:
    """One sentence: why this drug is not to be started here."""
    lead = e.name[:1].upper() + e.name[1:]
    verdict = "for a specialist" if e.status == SPECIALIST else "not offered"
    return f"{lead} is {verdict}: {'; '.join(e.reasons)}."


def held_for_all(checks: dict[str, Eligibility]) -> tuple[str, ...]:
    """Reasons that stop every bone-protection drug here (held, or not for primary care at all), or ()."""
    # A drug licensed for women only is not one of a man's options at all, so it cannot hide what holds the rest
    # (a man under 50 is held for a specialist as a premenopausal woman is, not told only "unsuitable").
    drugs = [
        e
        for key, e in checks.items()
        if not DRUGS[key].supplement and not DRUGS[key].specialist_only and DRUGS[key].women_only not in e.reasons
    ]
    if any(e.startable for e in drugs):
        return ()
    common = set(drugs[0].reasons)
    for e in drugs[1:]:
        common &= set(e.reasons)
    return tuple(r for r in drugs[0].reasons if r in common)

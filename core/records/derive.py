"""Derive the assessment input contract from a :class:`PatientRecord` (rules in docs/fhir-mapping.md, "Derivations").

Principles:

- Anything the record cannot tell stays absent (unknown), never false: no code for rheumatoid arthritis does not
  mean "no rheumatoid arthritis", and no bone-protection prescription does not mean ``"none"``.
- Every derived value comes with a :class:`Derivation` whose sentence names the dates and values it used.
- Conflicts (two heights on one day, a drug both active and stopped, an answer that disagrees with the record) go
  to the record's problems and take the safer reading: the one that prompts rather than the one that stays silent.
- Which wins, an explicit answer or the record? The record's dated, coded value wins where it has one; an answer
  fills the fields the record cannot tell. Where both exist and differ, the conflict is a problem and, for fields
  with a clearly safer direction (a risk present, more height loss, a higher dose, a longer course, a lower T-score
  or renal function, more fractures), the safer value is taken whichever side it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from core.rules.contract import (
    INPUT_VERSION,
    ORAL_BISPHOSPHONATES,
    REPORT_TEXT_MAX,
    Spec,
    set_path,
    spec_at,
)
from core.rules.facts import GC_LONG_TERM_MONTHS, ORAL_REVIEW_YEARS, ZOLEDRONATE_REVIEW_YEARS
from core.rules.figures import rounded

from .model import CodedEvent, Derivation, Measurement, MedicationEvent, PatientRecord
from .safer import SAFER_MAX, SAFER_MIN

DAYS_PER_MONTH = 365.25 / 12
# A glucocorticoid is "recent" if taken in the last year: contract field glucocorticoids.current_or_recent.
RECENT_DAYS = 365
# Height: measurements before this age are not adult heights (growth); the latest height older than this many days
# is stale: a loss under 4 cm from it is not used, because more may have been lost since (hazard H-42).
ADULT_FROM_AGE = 20
STALE_HEIGHT_DAYS = 365
HEIGHT_LOSS_THRESHOLD_CM = 4  # core.rules.facts.HEIGHT_LOSS_CM (NOGG 2022 [V]); only used to decide staleness
# Prescriptions of one drug whose periods overlap or lie at most this many days apart are one course, so that
# repeat issues count as continuous use (a data-handling choice, documented in docs/fhir-mapping.md).
COURSE_GAP_DAYS = 92
# A dose with a start date but no end covers this long (zoledronate once yearly [P], denosumab every 6 months [V]:
# ../shared/clinical/treatment-and-coding.md section 3.1). Other drugs need an active status or an end date.
DOSE_COVERS_DAYS = {"zoledronate": 366, "denosumab": 183}
# Years of treatment at which a review is due (NICE QS149 statement 4 [V], the rule bone.review_treatment).
REVIEW_YEARS = {**dict.fromkeys(ORAL_BISPHOSPHONATES, ORAL_REVIEW_YEARS), "zoledronate": ZOLEDRONATE_REVIEW_YEARS}

_LIST_FIELDS = {"red_flags", "secondary_causes", "oral_bisphosphonate_barriers"}


def _d(date: dt.date | None) -> str:
    return date.isoformat() if date else "an unknown date"


def _round(value: float, places: int = 2) -> float:
    # Two decimals: one would lift 3.96 cm or 2.96 months over a threshold of 4 or 3; two removes float noise
    # (164.0 - 160.1 = 3.8999999) and moves a value across a threshold only from within 0.005 of it.
    return round(value + 0.0, places)


class _Builder:
    def __init__(self, record: PatientRecord, assessed_on: dt.date) -> None:
        self.record = record
        self.today = assessed_on
        self.values: dict[str, Any] = {}
        self.derivations: dict[str, Derivation] = {}

    def problem(self, path: str, message: str) -> None:
        if (path, message) not in self.record.problems:
            self.record.problems.append((path, message))

    def derive(self, path: str, value: Any, because: str, *, answer: bool = False) -> None:
        spec = _spec(path)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not answer and spec is not None and number and not (spec.lo <= value <= spec.hi):
            # A record value outside the contract's range is a data error (a unit slip?), not an input error.
            self.problem(path, f"{because}: outside {rounded(spec.lo)}-{rounded(spec.hi)}; not used")
            return
        self.values[path] = value
        self.derivations[path] = Derivation(path, value, because)

    # --- measurements -----------------------------------------------------------------------------------------

    def dated(self, name: str, series: Iterable[Measurement]) -> list[Measurement]:
        """Measurements on or before the assessment date, oldest first; undated or future ones are problems."""
        kept = []
        for m in series:
            if m.date is None:
                self.problem(name, f"a {name} value of {rounded(m.value)} {m.unit} has no date and was not used")
            elif m.date > self.today:
                self.problem(name, f"a {name} value dated {_d(m.date)} is after the assessment date; not used")
            else:
                kept.append(m)
        kept.sort(key=lambda m: m.date)
        return kept

    def same_day(self, name: str, series: list[Measurement], date: dt.date, *, safer: str) -> float | None:
        """The value on ``date``; differing values that day are a problem and the safer one is taken."""
        values = sorted({m.value for m in series if m.date == date})
        if len(values) > 1:
            pick = {"min": values[0], "max": values[-1]}.get(safer)
            taken = f"took {rounded(pick)}, the safer reading" if pick is not None else "none used"
            self.problem(
                name,
                f"{len(values)} different {name} values on {_d(date)} ({', '.join(map(rounded, values))}); {taken}",
            )
            return pick
        return values[0]

    def latest(self, path: str, name: str, series: list[Measurement], *, safer: str, label: str) -> None:
        kept = self.dated(name, series)
        if not kept:
            return
        date = kept[-1].date
        value = self.same_day(name, kept, date, safer=safer)
        if value is not None:
            self.derive(path, value, f"{label} {rounded(value)} {kept[-1].unit} on {_d(date)} (the latest recorded)")

    def heights(self) -> None:
        rec = self.record
        kept = self.dated("height", rec.heights)
        if rec.age is not None or rec.birth_date is not None:
            adult = [m for m in kept if self._age_on(m.date) is None or self._age_on(m.date) >= ADULT_FROM_AGE]
            if len(adult) < len(kept):
                self.problem("height", f"{len(kept) - len(adult)} height(s) from before age {ADULT_FROM_AGE} not used")
            kept = adult
        if not kept:
            return
        latest_date = kept[-1].date
        # Safer reading of two heights on the latest day: the lower one (more loss).
        now = self.same_day("height", kept, latest_date, safer="min")
        stale = (self.today - latest_date).days > STALE_HEIGHT_DAYS
        self.derive("height_cm", now, f"height {rounded(now)} cm on {_d(latest_date)} (the latest recorded)")
        earlier_dates = sorted({m.date for m in kept if m.date != latest_date})
        if not earlier_dates:
            return  # one measurement date: no series, height loss unknown
        # Each day is one reading, so two readings of one day never make up a loss between them: the latest day is
        # its lower height (above), an earlier day its taller one (more loss); either way a problem, as for eGFR.
        by_day = [(self.same_day("height", kept, d, safer="max"), d) for d in earlier_dates]
        tallest_value, tallest_date = max([*by_day, (now, latest_date)], key=lambda v: (v[0], v[1]))
        loss = _round(max(tallest_value - now, 0.0))
        because = (
            f"height loss {rounded(loss)} cm: tallest recorded {rounded(tallest_value)} cm on {_d(tallest_date)} "
            f"to latest {rounded(now)} cm on {_d(latest_date)}"
        )
        if loss > 40:
            self.problem("height", f"{because}: more than 40 cm is implausible (a unit or entry error?); not used")
            return
        if stale and loss < HEIGHT_LOSS_THRESHOLD_CM:
            self.problem(
                "height",
                f"{because}; the latest height is over {STALE_HEIGHT_DAYS} days old, so more may have been lost "
                "since: height loss left unknown (measure the height now)",
            )
            return
        if stale:
            because += " (the latest height is over a year old: the loss now is at least this)"
        self.derive("historical_height_loss_cm", loss, because)

    def _age_on(self, date: dt.date | None) -> int | None:
        rec = self.record
        if date is None:
            return None
        if rec.birth_date is not None:
            return _years_between(rec.birth_date, date)
        if rec.age is not None:
            return rec.age - _years_between(date, self.today)
        return None

    # --- conditions -------------------------------------------------------------------------------------------

    def conditions(self) -> None:
        by_kind: dict[str, list] = {}
        confirmed = []
        for c in self.record.conditions:
            if c.date is not None and c.date > self.today:
                # As for measurements: a code dated after the assessment is a data error, not a diagnosis yet.
                self.problem(
                    f"conditions.{c.kind}",
                    f"{c.term} ({c.code}) dated {_d(c.date)} is after the assessment date; not used",
                )
            elif c.suspected:
                # A suspected diagnosis is not a diagnosis: the field it would set stays unknown (never false).
                self.problem(
                    f"conditions.{c.kind}",
                    f"{c.term} ({c.code}) on {_d(c.date)} is recorded as suspected, not confirmed (provisional, "
                    "differential or unconfirmed): not counted as diagnosed; it needs confirming",
                )
            else:
                confirmed.append(c)
                by_kind.setdefault(c.kind, []).append(c)
        vertebral = by_kind.get("vertebral_fracture", [])
        if vertebral:
            dates = sorted({c.date for c in vertebral if c.date is not None})
            count = max(len(dates), 1)
            terms = "; ".join(f"{c.term} ({c.code}) on {_d(c.date)}" for c in vertebral)
            self.derive("record.vertebral_fracture_coded", True, f"vertebral fracture coded: {terms}")
            self.derive(
                "vertebral_fractures_known",
                count,
                f"{count} vertebral fracture(s) counted as distinct coded dates: {terms}",
            )

            # How recent: a date recorded without its day ("2025") is read as late as it allows, up to today, so
            # a fracture that may be within 24 months is not pushed out of it by reading it as 1 January (H-78).
            def last_possible(c: CodedEvent) -> tuple[dt.date, bool]:
                return min(c.latest or c.date, self.today), c.latest is None  # a full date wins a tie

            newest = max((c for c in vertebral if c.date is not None), key=last_possible, default=None)
            if newest is not None:
                latest = last_possible(newest)[0]
                months = _round((self.today - latest).days / DAYS_PER_MONTH)
                if newest.latest is None:
                    when = f"coded on {_d(latest)}"
                else:
                    when = f"coded with a date without its day, read as late as it allows ({_d(latest)})"
                self.derive(
                    "spine_imaging.months_since_fracture",
                    months,
                    f"most recent vertebral fracture {when}, {rounded(months)} months before the assessment",
                )
        fragility = by_kind.get("fragility_fracture", [])
        if fragility:
            terms = "; ".join(f"{c.term} ({c.code}) on {_d(c.date)}" for c in fragility)
            self.derive("prior_fragility_fracture", True, f"fragility fracture coded: {terms}")
        for kind, path in (("rheumatoid_arthritis", "rheumatoid_arthritis"), ("kyphosis", "kyphosis")):
            if by_kind.get(kind):
                terms = "; ".join(f"{c.term} ({c.code}) on {_d(c.date)}" for c in by_kind[kind])
                self.derive(path, True, f"coded: {terms}")
        for prefix, path in (("secondary_cause:", "secondary_causes"), ("red_flag:", "red_flags")):
            found = sorted({c.kind.removeprefix(prefix) for c in confirmed if c.kind.startswith(prefix)})
            if found:
                terms = "; ".join(f"{c.term} ({c.code})" for c in confirmed if c.kind.startswith(prefix))
                self.derive(path, found, f"coded: {terms}")

    # --- medications ------------------------------------------------------------------------------------------

    def _period(self, m: MedicationEvent) -> tuple[dt.date | None, dt.date | None]:
        """(start, end) of use as far as the record tells; end None means "still going" only when active."""
        end = m.end
        # A planned glucocorticoid keeps its intended end (or none). A planned bone-protection order (selected on
        # order-select beside a glucocorticoid) is read as current, as it was when it was mapped as active.
        active = m.status == "active" or (m.status == "planned" and m.kind != "glucocorticoid")
        if end is None and m.start is not None and m.kind in DOSE_COVERS_DAYS:
            end = m.start + dt.timedelta(days=DOSE_COVERS_DAYS[m.kind])
            if active:
                end = max(end, self.today)
        if active and (end is None or end < self.today):
            if m.end is not None and m.end < self.today:
                self.problem(
                    f"medications.{m.kind}",
                    f"{m.term} is marked active but ended on {_d(m.end)}; taken as current (the safer reading)",
                )
            end = self.today
        return m.start, end

    def _courses(
        self, meds: list[MedicationEvent], *, open_planned: bool = False
    ) -> list[tuple[dt.date, dt.date, list[MedicationEvent]]]:
        """Merge prescriptions with known start and end into courses (gaps up to COURSE_GAP_DAYS are joined).

        Use taken is cut at the assessment date; a planned order (not yet signed) keeps its intended end: planned
        use counts ("planned or taken", treatment-and-coding.md 1.7). With ``open_planned``, a planned order whose
        end cannot be read joins as a point at its start, so that the caller can tell its course is open-ended."""
        spans = []
        for m in meds:
            start, end = self._period(m)
            if m.status == "planned":
                if start is not None and (end is not None or open_planned):
                    spans.append((start, max(start, end or start), m))
            elif start is not None and end is not None:
                spans.append((start, max(start, min(end, self.today)), m))
        spans.sort(key=lambda s: s[0])
        courses: list[tuple[dt.date, dt.date, list[MedicationEvent]]] = []
        for start, end, m in spans:
            if courses and (start - courses[-1][1]).days <= COURSE_GAP_DAYS:
                s, e, ms = courses[-1]
                courses[-1] = (s, max(e, end), [*ms, m])
            else:
                courses.append((start, end, [m]))
        return courses

    def _conflicting_status(self, meds: list[MedicationEvent]) -> None:
        by_code: dict[tuple[str, str, dt.date | None], set[str]] = {}
        for m in meds:
            by_code.setdefault((m.code or m.term, m.kind, m.start), set()).add(m.status)
        for (name, kind, start), statuses in by_code.items():
            if "active" in statuses and statuses & {"stopped", "completed"}:
                others = "/".join(sorted(statuses - {"active"}))
                self.problem(
                    f"medications.{kind}",
                    f"{name} started {_d(start)} is recorded both active and {others}; taken as active "
                    "(the safer reading)",
                )

    def glucocorticoids(self) -> None:
        meds = [m for m in self.record.medications if m.kind == "glucocorticoid"]
        if not meds:
            return
        self._conflicting_status(meds)
        horizon = self.today - dt.timedelta(days=RECENT_DAYS)
        recent = []
        for m in meds:
            start, end = self._period(m)
            if m.status == "planned":
                recent.append(m)  # an order about to be signed: planned use now, whenever it starts
                continue
            if start is not None and start > self.today:
                continue
            if (end is not None and end >= horizon) or (start is not None and start >= horizon):
                recent.append(m)
            elif end is None:
                self.problem(
                    "medications.glucocorticoid",
                    f"{m.term} ({m.status}) started {_d(start)} has no end date: cannot tell whether it was taken "
                    "in the last year",
                )
        if not recent:
            return  # older use only, or undatable: current_or_recent stays unknown (never false from absence)
        names = "; ".join(f"{m.term} from {_d(m.start)} to {_d(m.end) if m.end else m.status}" for m in recent)
        self.derive("glucocorticoids.current_or_recent", True, f"oral glucocorticoid in the last year: {names}")
        doses = [m.prednisolone_mg_per_day for m in recent if m.prednisolone_mg_per_day is not None]
        if doses:
            dose = _round(max(doses), 2)
            self.derive(
                "glucocorticoids.prednisolone_mg_per_day",
                dose,
                f"{rounded(dose)} mg prednisolone equivalent a day, the highest daily dose in the last year ({names})",
            )
        open_ended = [m for m in recent if m.status == "planned" and self._period(m)[1] is None]
        courses = [c for c in self._courses(recent, open_planned=True) if c[1] >= horizon]
        if not courses and not open_ended:
            return
        latest = courses[-1] if courses else None
        unreadable = [m for m in open_ended if latest is None or m not in latest[2]]
        if latest is not None and not unreadable:
            start, end, ms = latest
            months = _round((end - start).days / DAYS_PER_MONTH, 2)
            planned = [m for m in ms if m.status == "planned"]
            because = f"{rounded(months)} months of glucocorticoid use: the latest course from {_d(start)} to {_d(end)}"
            if planned and not any(m in open_ended for m in ms):
                because += " (including the planned order's intended period)"
            elif planned:
                # The planned order's length cannot be read: what is known is a lower bound, used only if it
                # already reaches the long-term threshold (as a stale height is, H-42).
                if months < GC_LONG_TERM_MONTHS:
                    self._planned_length_unknown(open_ended)
                    return
                because += f"; at least this: the planned order's length could not be read ({planned[0].term})"
            self.derive("glucocorticoids.months", months, because)
            return
        self._planned_length_unknown(unreadable or open_ended)

    def _planned_length_unknown(self, meds: list[MedicationEvent]) -> None:
        names = "; ".join(f"{m.term} planned from {_d(m.start)}" for m in meds)
        self.problem(
            "glucocorticoids.months",
            f"{names}: the planned course length could not be read (no bounds, validity period or expected supply "
            "duration); months of use unknown",
        )

    def bone_protection(self) -> None:
        meds = [m for m in self.record.medications if m.kind != "glucocorticoid"]
        if not meds:
            return
        self._conflicting_status(meds)
        current = []
        for m in meds:
            start, end = self._period(m)
            if (start is None or start <= self.today) and end is not None and end >= self.today:
                current.append(m)
            elif m.status == "unknown" and end is None:
                self.problem(f"medications.{m.kind}", f"{m.term}: status and end date unknown; not counted as current")
        kinds = sorted({m.kind for m in current})
        if not kinds:
            return  # stopped treatment only: current stays unknown, not "none"
        if len(kinds) > 1:
            self.problem(
                "medications.bone_protection",
                f"more than one current bone-protection drug ({', '.join(kinds)}); the most recently started is used",
            )
        latest = max(current, key=lambda m: (m.start or dt.date.min, m.kind == "denosumab"))
        kind = latest.kind
        self.derive(
            "bone_protection.current", kind, f"{latest.term} current (started {_d(latest.start)}, {latest.status})"
        )
        same = [m for m in meds if m.kind == kind]
        courses = [c for c in self._courses(same) if c[1] >= self.today]
        if courses:
            start, _end, _ms = courses[-1]
            years = _round((self.today - start).days / 365.25, 2)
            self._treatment_years(kind, start, years, same)
            fractures = [
                c
                for c in self.record.conditions
                if c.kind in ("vertebral_fracture", "fragility_fracture")
                and not c.suspected
                and c.date
                and start < c.date <= self.today
            ]
            if fractures:
                f = fractures[-1]
                self.derive(
                    "bone_protection.fracture_while_on_treatment",
                    True,
                    f"{f.term} coded on {_d(f.date)}, after {kind} started on {_d(start)}",
                )
        reviews = [d for d in self.record.treatment_reviews if d <= self.today]
        if reviews and kind in (*ORAL_BISPHOSPHONATES, "zoledronate"):
            # No contract field: case-finding reads record.treatment_reviews itself; kept here for the trail.
            pass

    def _treatment_years(self, kind: str, start: dt.date, years: float, same: list[MedicationEvent]) -> None:
        """``bone_protection.years`` from the current course, unless earlier prescriptions of the same drug have no
        end date: repeat issues recorded as stopped with only a start (as bulk exports often give them) may have
        been one continuous course, so the current course is a lower bound. It is used only where it already
        reaches the review point (as a planned glucocorticoid's unreadable length is, H-96); otherwise years stay
        unknown, so the treatment review is asked about rather than silently not due."""
        earlier = [m for m in same if m.start is not None and m.start < start and self._period(m)[1] is None]
        if not earlier:
            self.derive("bone_protection.years", years, f"{rounded(years)} years of {kind} since {_d(start)}")
            return
        first = min(earlier, key=lambda m: m.start or dt.date.max)
        unreadable = (
            f"{len(earlier)} earlier {kind} prescription{'s' if len(earlier) > 1 else ''} from {_d(first.start)} "
            f"({first.status}) {'have' if len(earlier) > 1 else 'has'} no end date"
        )
        limit = REVIEW_YEARS.get(kind)
        if limit is not None and years < limit:
            self.problem(
                "bone_protection.years",
                f"{unreadable}: how long {kind} has been taken cannot be read (at least {rounded(years)} years, since "
                f"{_d(start)}); years of treatment unknown",
            )
            return
        self.derive(
            "bone_protection.years",
            years,
            f"at least {rounded(years)} years of {kind} since {_d(start)}; {unreadable}, so it may be longer",
        )

    # --- reports ----------------------------------------------------------------------------------------------

    def report(self) -> None:
        reports = [r for r in self.record.reports if r.spine is not False and r.text.strip()]
        if not reports:
            return
        dated = [r for r in reports if r.date is not None and r.date <= self.today]
        spine_first = sorted(dated, key=lambda r: (r.spine is True, r.date))
        pick = spine_first[-1] if spine_first else reports[-1]
        if not dated:
            self.problem("reports", "no report has a date; the last one listed was used")
        text = pick.text
        if len(text) > REPORT_TEXT_MAX:
            self.problem(
                "reports",
                f"report of {_d(pick.date)} is {len(text)} characters; only the first {REPORT_TEXT_MAX} are screened",
            )
            text = text[:REPORT_TEXT_MAX]
        kind = "spine report" if pick.spine else "report (not known to be of the spine)"
        self.derive("spine_imaging.report_text", text, f"the latest {kind}, dated {_d(pick.date)}")

    # --- answers ----------------------------------------------------------------------------------------------

    def answers(self) -> None:
        for path, answer in self.record.answers.items():
            if answer is None:
                continue
            if path not in self.values:
                self.derive(path, answer, "stated directly in the source (answer)", answer=True)
                continue
            derived = self.values[path]
            if path in _LIST_FIELDS and isinstance(answer, list):
                merged = sorted(set(derived) | {a for a in answer if isinstance(a, str)})
                if merged != derived:
                    stated = ", ".join(map(str, answer))
                    self.derive(path, merged, f"{self.derivations[path].because}; plus stated: {stated}", answer=True)
                continue
            if answer == derived:
                continue
            pick = derived
            if isinstance(answer, bool) or isinstance(derived, bool):
                pick = True if True in (answer, derived) else derived
            elif isinstance(answer, int | float) and isinstance(derived, int | float):
                if path in SAFER_MAX:
                    pick = max(answer, derived)
                elif path in SAFER_MIN:
                    pick = min(answer, derived)
            self.problem(
                path,
                f"stated {answer!r} but the record gives {derived!r}; {pick!r} used (record value unless the stated "
                "one is the safer reading)",
            )
            if pick is not derived:
                because = f"stated directly ({answer!r}), the safer reading; the record gave {derived!r}"
                self.derive(path, pick, because, answer=True)


def _spec(path: str) -> Spec | None:
    """The Spec of a numeric contract field (its range), or None."""
    spec = spec_at(path)
    return spec if spec is not None and spec.kind in ("int", "number") else None


def _years_between(earlier: dt.date, later: dt.date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def record_to_input(
    record: PatientRecord, *, assessed_on: dt.date, assessor_role: str
) -> tuple[dict[str, Any], list[Derivation]]:
    """The contract input dict for ``record`` (validate it with ``core.rules.validate``) and how each value came.

    Conflicts found on the way are appended to ``record.problems``.
    """
    b = _Builder(record, assessed_on)
    data: dict[str, Any] = {
        "input_version": INPUT_VERSION,
        "assessed_on": assessed_on.isoformat(),
        "assessor_role": assessor_role,
    }
    age = record.age
    if age is None and record.birth_date is not None:
        age = _years_between(record.birth_date, assessed_on)
        b.derivations["age"] = Derivation("age", age, f"age {age} on {_d(assessed_on)} from the date of birth")
    if age is not None:
        data["age"] = age
    if record.sex is not None:
        data["sex"] = record.sex
    b.heights()
    b.latest("weight_kg", "weight", record.weights, safer="min", label="weight")
    b.latest("egfr", "eGFR", record.egfr, safer="min", label="eGFR")
    b.latest(
        "creatinine_clearance", "creatinine clearance", record.creatinine_clearance, safer="min", label="clearance"
    )
    b.latest("adjusted_calcium", "adjusted calcium", record.adjusted_calcium, safer="none", label="adjusted calcium")
    b.latest("vitamin_d_nmol_l", "vitamin D", record.vitamin_d, safer="min", label="25-hydroxyvitamin D")
    t_scores = b.dated("T-score", record.t_scores)
    if t_scores:
        low = min(t_scores, key=lambda m: (m.value, m.date))
        b.derive("dxa_lowest_t_score", low.value, f"lowest recorded T-score {rounded(low.value)} on {_d(low.date)}")
    b.conditions()
    b.glucocorticoids()
    b.bone_protection()
    b.report()
    b.answers()
    for path, value in b.values.items():
        if path in ("age", "sex") and path in data:
            continue
        set_path(data, path, value)
    order = {path: i for i, path in enumerate(b.values)}
    derivations = sorted(b.derivations.values(), key=lambda d: order.get(d.field, -1))
    return data, derivations

"""The terms of the prompt catalogue (../shared/spec/prompts.md, "Terms used below"), derived once per assessment.

Each term is a :class:`~core.rules.logic.Tri`, so the rules built from them know what they could not decide and
why they fired. Thresholds are named constants with their source.
"""

from __future__ import annotations

from operator import itemgetter

from .contract import EMERGENCY_RED_FLAGS, URGENT_RED_FLAGS, AssessmentInput
from .drugs import CALCIUM_HIGH, Eligibility, check_all, held_for_all
from .drugs import CALCIUM_LOW as CALCIUM_LOW  # re-exported: every threshold the terms use is named here
from .drugs import VITAMIN_D_DEFICIENT as VITAMIN_D_DEFICIENT
from .figures import in_words
from .logic import (
    NO,
    YES,
    Tri,
    all_of,
    any_of,
    at_least,
    at_most,
    fact,
    not_known_true,
    relabel,
    unknown,
    yes,
)
from .report import ReportScreen, screen_report

# Thresholds (sources in docs/clinical-safety/hazard-log.md and on the rules that use them).
MENOPAUSE_ASSUMED_FROM_AGE = 50  # prompts.md "in scope"; NOGG 2022 population
MEN_IN_SCOPE_FROM_AGE = 50  # NOGG 2022 section 1 [V]
WOMAN_AGE_RISK = 65  # prompts.md risk factor; NICE CG146 [V]
MAN_AGE_RISK = 75  # prompts.md risk factor; NICE CG146 [V]
ALCOHOL_UNITS_RISK = 14  # more than 14 units a week; prompts.md, CMO guidance
BMI_LOW = 18.5  # NICE CG146 [V]
HEIGHT_LOSS_CM = 4  # NOGG 2022 section 3 recommendation 4 [V]
GC_LONG_TERM_MONTHS = 3  # usual convention [P]: identification.md section 4
GC_HIGH_DOSE_MG = 7.5  # NOGG 2022 section 4 very-high-risk list [P]
GC_START_WITH_STEROID_AGE = 70  # NOGG glucocorticoid-induced osteoporosis, start with the steroid [P]
T_SCORE_OSTEOPOROSIS = -2.5  # NOGG 2022 section 3 recommendation 4 [V]
T_SCORE_VERY_HIGH = -3.5  # NOGG 2022 section 4 [P]
RECENT_FRACTURE_MONTHS = 24  # NOGG 2022 section 4 [P]; NICE TA791 [V]
MYELOMA_AGE = 60  # NICE NG12 [P]
MYELOMA_PAIN_WEEKS = 6  # prompts.md investigations.myeloma_screen
# Calcium, vitamin D and renal thresholds: core/rules/drugs.py, beside the drug checks that use them (the calcium and
# vitamin D ones are named here too, so every threshold the terms use can be read from this module).
ORAL_REVIEW_YEARS = 5  # NICE QS149 statement 4 [V]
ZOLEDRONATE_REVIEW_YEARS = 3  # NICE QS149 statement 4 [V]

DRUG_NAMES = {
    "alendronate": "alendronic acid",
    "risedronate": "risedronate",
    "ibandronate": "ibandronic acid",
    "zoledronate": "zoledronic acid",
    "denosumab": "denosumab",
    "teriparatide": "teriparatide",
    "romosozumab": "romosozumab",
    "raloxifene": "raloxifene",
    "hrt": "HRT",
}

RED_FLAG_WORDS = {
    "saddle_anaesthesia": "saddle anaesthesia",
    "bladder_or_bowel_dysfunction": "bladder or bowel dysfunction",
    "progressive_neurological_deficit": "progressive neurological deficit",
    "major_trauma": "major trauma",
    "history_of_cancer": "history of cancer",
    "unexplained_weight_loss": "unexplained weight loss",
    "night_pain": "night pain",
    "fever": "fever",
    "immunosuppressed": "immunosuppression",
    "iv_drug_use": "intravenous drug use",
}

SECONDARY_CAUSE_WORDS = {
    "type1_diabetes": "type 1 diabetes",
    "hyperthyroidism": "hyperthyroidism",
    "hyperparathyroidism": "hyperparathyroidism",
    "coeliac_disease": "coeliac disease",
    "inflammatory_bowel_disease": "inflammatory bowel disease",
    "chronic_liver_disease": "chronic liver disease",
    "chronic_kidney_disease": "chronic kidney disease",
    "hypogonadism": "hypogonadism",
    "aromatase_inhibitor": "aromatase inhibitor",
    "androgen_deprivation_therapy": "androgen deprivation therapy",
    "anticonvulsants": "anticonvulsants",
    "other": "other secondary cause",
}


# A woman aged 50 or over whose menopausal status is not recorded (the answer could still change it).
_ASSUMED_POSTMENOPAUSAL = Tri(True, frozenset(("postmenopausal",)), ("woman aged 50 or over",))
# Sex not recorded, aged 50 or over: in NOGG's population as a man or as a woman assumed postmenopausal.
_ASSUMED_IN_POPULATION = Tri(True, frozenset(("sex", "postmenopausal")), ("aged 50 or over (sex not recorded)",))
_POSTMENOPAUSAL = yes("postmenopausal woman")


# Spine imaging reported (the report text is given) with its result not recorded: false for now, but recording the
# result could change it (a fracture, for the confirmed-fracture term; "not done", for imaging not done).
_RESULT_NOT_RECORDED = Tri(False, frozenset(("spine_imaging.result",)))


# BMI not assessable, by which of (weight, height) is unknown (at least one is).
_BMI_UNKNOWN = {
    (True, True): unknown("weight_kg", "height_cm"),
    (True, False): unknown("weight_kg"),
    (False, True): unknown("height_cm"),
}

# True for a fixed reason: built once, shared by every assessment (a Tri is immutable).
_EARLY_MENOPAUSE = yes("postmenopausal woman (menopause before 45)")
_BACK_PAIN = yes("back pain")
_ORAL_GC = yes("oral glucocorticoids")
_IMAGING_FRACTURE = yes("spine imaging shows a vertebral fracture")
_BAND_VERY_HIGH = yes("NOGG band very high")
_AGE_70 = yes("aged 70 or over")

_term = itemgetter(1)  # the term of a (name, term) pair


def num(value: float | None) -> str:
    """A number as a clinician would write it (5, not 5.0)."""
    return "unknown" if value is None else in_words(value)


def plural(n: float, word: str) -> str:
    return f"{num(n)} {word}" + ("" if n == 1 else "s")


class Facts:
    """The catalogue's terms for one assessment. Build once; rules only read it.

    Built concept by concept, each step reading only the terms built before it: who is in NOGG's population, the
    back pain, glucocorticoids, red flags and the report, the confirmed fracture, the suspected fracture, treatment,
    renal function and calcium, and last each drug's eligibility check (core/rules/drugs.py).
    """

    def __init__(self, inp: AssessmentInput) -> None:
        self.inp = inp
        self.notes: list[str] = []
        # Sex for fracture risk: each of these is true only when it is recorded. With sex "unknown" both are false,
        # and a term that depends on sex is worked out for both, or is unknown with "sex" missing (H-92).
        self.female = inp.sex == "female"
        self.male = inp.sex == "male"
        self.sex_unknown = not (self.female or self.male)
        self._population()
        self._back_pain()
        self._glucocorticoids()
        self._red_flags_and_report()
        self._confirmed_fracture()
        self._suspected_fracture()
        self._treatment()
        self._renal_and_calcium()
        self._drugs: dict[str, Eligibility] | None = None
        self._drugs_held: tuple[str, ...] = ()

    # --- each drug's eligibility check (core/rules/drugs.py), worked out once, when a rule first needs it -------
    @property
    def drugs(self) -> dict[str, Eligibility]:
        drugs = self._drugs
        if drugs is None:
            drugs = self._drugs = check_all(self)
            self._drugs_held = held_for_all(drugs)
        return drugs

    @property
    def drugs_held(self) -> tuple[str, ...]:
        """What stops every bone-protection drug here (a high calcium, pregnancy, outside NOGG's population), or ()."""
        self.drugs  # noqa: B018 (works the checks out if not yet done)
        return self._drugs_held

    # --- population -----------------------------------------------------------------------------------------
    def _population(self) -> None:
        inp = self.inp
        if self.female:
            if inp.postmenopausal is not None:
                post = fact(inp.postmenopausal, "postmenopausal", "postmenopausal woman")
            elif inp.menopause_before_45:
                post = _EARLY_MENOPAUSE
            elif inp.age >= MENOPAUSE_ASSUMED_FROM_AGE:
                post = _ASSUMED_POSTMENOPAUSAL
                self.notes.append(
                    "Menopausal status not recorded: a woman aged 50 or over is treated as postmenopausal."
                )
            else:
                post = unknown("postmenopausal")
            self.in_scope = post
        elif self.male:
            self.in_scope = yes(f"man aged {inp.age} (50 or over)") if inp.age >= MEN_IN_SCOPE_FROM_AGE else NO
        else:
            self.in_scope = self._population_sex_unknown()

    def _population_sex_unknown(self) -> Tri:
        """NOGG's population (postmenopausal women and men aged 50 or over) with sex not recorded: at 50 or over
        both sexes are in it (a woman assumed postmenopausal, as above); under 50 only a postmenopausal woman is.
        A recorded menopausal status is read as it would be for a woman, except "not postmenopausal" at 50 or over,
        which could be a man in the population or a woman outside it: unknown, with sex to ask."""
        inp = self.inp
        old_enough = inp.age >= MEN_IN_SCOPE_FROM_AGE
        if inp.postmenopausal is True:
            return _POSTMENOPAUSAL
        if inp.postmenopausal is False:
            return unknown("sex") if old_enough else NO
        if inp.menopause_before_45:
            return _EARLY_MENOPAUSE
        if old_enough:
            self.notes.append(
                "Sex not recorded: at 50 or over a man, or a woman assumed postmenopausal, is in NOGG's population."
            )
            return _ASSUMED_IN_POPULATION
        return unknown("sex", "postmenopausal")

    # --- back pain --------------------------------------------------------------------------------------------
    def _back_pain(self) -> None:
        bp = self.inp.back_pain
        if bp.present is not None:
            self.back_pain = fact(bp.present, "back_pain.present", "back pain")
        elif (
            bp.onset
            or bp.site is not None
            or bp.duration_weeks is not None
            or bp.after_minor_trauma
            or bp.severe
            or bp.not_improving
            or bp.eased_by_lying
        ):
            # Details of the pain were entered, so the pain is there even though "present" was left blank.
            self.back_pain = _BACK_PAIN
        else:
            self.back_pain = unknown("back_pain.present")
        site = f"{bp.site} " if bp.site in ("thoracic", "lumbar") else ""
        onset = (
            fact(bp.onset == "sudden", "back_pain.onset", f"sudden-onset {site}back pain")
            if bp.onset is not None
            else unknown("back_pain.onset")
        )
        trauma = fact(bp.after_minor_trauma, "back_pain.after_minor_trauma", "back pain after minor trauma")
        acute = all_of(self.back_pain, any_of(onset, trauma))
        if acute.value:
            if bp.onset == "sudden" and bp.after_minor_trauma:
                words = f"sudden-onset {site}back pain after minor trauma"
            else:
                words = f"sudden-onset {site}back pain" if bp.onset == "sudden" else "back pain after minor trauma"
            acute = Tri(True, acute.missing, (words,))
        self.acute_onset = acute

    # --- glucocorticoids --------------------------------------------------------------------------------------
    def _glucocorticoids(self) -> None:
        gc = self.inp.glucocorticoids
        if gc.current_or_recent is not None:
            self.gc_current = fact(gc.current_or_recent, "glucocorticoids.current_or_recent", "oral glucocorticoids")
        elif gc.prednisolone_mg_per_day or gc.months or gc.planned_months:
            # A dose or duration was entered for use "now or in the last year" (the field's definition).
            self.gc_current = _ORAL_GC
        else:
            self.gc_current = unknown("glucocorticoids.current_or_recent")
        months = at_least(
            gc.months,
            GC_LONG_TERM_MONTHS,
            "glucocorticoids.months",
            "oral glucocorticoids for {n} month{s} (3 months or more)",
        )
        self.long_term_gc = relabel_last(all_of(self.gc_current, months))
        self.gc_dose_high = at_least(
            gc.prednisolone_mg_per_day,
            GC_HIGH_DOSE_MG,
            "glucocorticoids.prednisolone_mg_per_day",
            "prednisolone {n} mg a day (7.5 mg or more)",
        )
        self.high_dose_gc = all_of(self.long_term_gc, self.gc_dose_high)
        # A course of 3 months or more, taken or planned (NOGG: "planned or taken"; the planned length is asked
        # only when the months taken so far are fewer than 3).
        if self.long_term_gc.value is True:
            self.gc_course_3_months = self.long_term_gc
        else:
            planned = at_least(
                gc.planned_months,
                GC_LONG_TERM_MONTHS,
                "glucocorticoids.planned_months",
                "a glucocorticoid course of {n} month{s} planned (3 months or more)",
            )
            self.gc_course_3_months = any_of(self.long_term_gc, relabel_last(all_of(self.gc_current, planned)))

    # --- red flags and the report -----------------------------------------------------------------------------
    def _red_flags_and_report(self) -> None:
        inp = self.inp
        flags = inp.red_flags
        if flags:
            self.emergency_flags = tuple(f for f in EMERGENCY_RED_FLAGS if f in flags)
            self.urgent_flags = tuple(f for f in URGENT_RED_FLAGS if f in flags)
        else:
            self.emergency_flags = self.urgent_flags = ()
        report_text = inp.spine_imaging.report_text
        self.report: ReportScreen = screen_report(report_text)
        self.report_given = report_text is not None
        self.report_urgent = self.report.classification == "urgent"
        self.report_explicit = self.report.classification == "explicit"
        self.report_probable = self.report.classification == "probable"
        self.any_red_flag = bool(self.emergency_flags or self.urgent_flags or self.report_urgent)
        self.major_trauma = "major_trauma" in flags

    # --- confirmed fracture, count, recency -------------------------------------------------------------------
    def _confirmed_fracture(self) -> None:
        inp = self.inp
        img = inp.spine_imaging
        traumatic = self.major_trauma
        if img.result == "fracture" and not traumatic:
            imaging = _IMAGING_FRACTURE
        elif img.result is None and not self.report_given:
            imaging = unknown("spine_imaging.result")
        elif img.result is None and not traumatic:
            # The report text counts as imaging done (prompts.md), but what the imaging showed is still unanswered:
            # not a fracture on the report's words alone, with the result listed as an unknown that could change it.
            imaging = _RESULT_NOT_RECORDED
        else:
            imaging = NO
        known_vf = at_least(
            inp.vertebral_fractures_known,
            1,
            "vertebral_fractures_known",
            "{n} vertebral fracture{s} already diagnosed",
        )
        if self.report_explicit and not traumatic:
            phrases = ", ".join(f"'{p}'" for p in self.report.phrases("explicit"))
            report_vf = yes(f"report states a vertebral fracture ({phrases})")
        else:
            report_vf = NO
        if traumatic and (img.result == "fracture" or self.report_explicit):
            self.notes.append(
                "Major trauma recorded: the fracture on this imaging is not counted as an osteoporotic fracture."
            )
        self.confirmed = any_of(imaging, known_vf, report_vf)
        imaging_fracture = imaging.value is True or report_vf.value is True
        # With major trauma, fractures on this imaging are not counted as osteoporotic (prompts.md).
        counts = [
            inp.vertebral_fractures_known or 0,
            0 if traumatic else img.fracture_count or 0,
            1 if imaging_fracture else 0,
        ]
        self.fracture_count = max(counts)
        if self.fracture_count >= 2:
            self.two_or_more = yes(f"{self.fracture_count} vertebral fractures")
        else:
            missing = []
            if inp.vertebral_fractures_known is None:
                missing.append("vertebral_fractures_known")
            # This imaging's count could still raise the total while it is unanswered: when the imaging shows a
            # fracture, or its result is unanswered while the fractures already known are answered (when those are
            # unanswered too, they are named and ask the same question). Not when major trauma caused what it shows.
            unanswered_imaging = img.result is None and inp.vertebral_fractures_known is not None
            if img.fracture_count is None and not traumatic and (imaging_fracture or unanswered_imaging):
                missing.append("spine_imaging.fracture_count")
            self.two_or_more = unknown(*missing) if missing else NO
        self.recent = at_most(
            img.months_since_fracture,
            RECENT_FRACTURE_MONTHS,
            "spine_imaging.months_since_fracture",
            "fracture {n} month{s} ago (24 months or less)",
        )

    # --- imaging status and the suspected-fracture term -------------------------------------------------------
    def _suspected_fracture(self) -> None:
        inp = self.inp
        img = inp.spine_imaging
        if img.result == "not_done" or (img.result is None and not self.report_given):
            self.imaging_not_done = YES
        elif img.result is None:
            # A report text counts as imaging done (prompts.md), but the result is unanswered and "not done" would
            # change that: false for now, with the result named (H-75).
            self.imaging_not_done = _RESULT_NOT_RECORDED
        else:
            self.imaging_not_done = NO

        self.risk_factors = self._risk_factors()
        self.any_risk_factor = any_of(*map(_term, self.risk_factors))

        height = at_least(
            inp.historical_height_loss_cm,
            HEIGHT_LOSS_CM,
            "historical_height_loss_cm",
            "historical height loss {n} cm (4 cm or more)",
        )
        kyphosis = fact(inp.kyphosis, "kyphosis", "kyphosis on examination")
        self.height_loss = height  # (also read by the case-finding imaging group, core/casefinding/gaps)
        self.kyphosis = kyphosis
        self.t_osteoporosis = at_most(
            inp.dxa_lowest_t_score,
            T_SCORE_OSTEOPOROSIS,
            "dxa_lowest_t_score",
            "T-score {n} (-2.5 or below)",
        )
        self.t_very_low = at_most(
            inp.dxa_lowest_t_score,
            T_SCORE_VERY_HIGH,
            "dxa_lowest_t_score",
            "T-score {n} (-3.5 or below)",
        )
        acute_with_rf = all_of(self.acute_onset, self.any_risk_factor)
        if acute_with_rf.value:
            rf_words = "; ".join(self.risk_factor_words(present=True))
            acute_with_rf = relabel(acute_with_rf, f"{self.acute_onset.because[0]}, with risk factors: {rf_words}")
        self.suspicion_triggers = any_of(height, kyphosis, self.long_term_gc, self.t_osteoporosis, acute_with_rf)
        self.suspected = all_of(
            self.in_scope,
            not_known_true(self.confirmed),
            self.imaging_not_done,
            self.suspicion_triggers,
        )
        value, s_missing, because = self.suspected
        if value:  # only a true value has reasons to filter
            triggers = self.suspicion_triggers.because
            self.suspected = Tri(True, s_missing, tuple([b for b in because if b in triggers]))

    # --- treatment --------------------------------------------------------------------------------------------
    def _treatment(self) -> None:
        inp = self.inp
        prot = inp.bone_protection
        current = prot.current
        if current is None:
            self.on_treatment = unknown("bone_protection.current")
        elif current == "none":
            self.on_treatment = NO
        else:
            years = f" for {plural(prot.years, 'year')}" if prot.years is not None else ""
            self.on_treatment = yes(f"on {DRUG_NAMES[current]}{years}")
        if self.on_treatment.value is False:
            self.fracture_on_treatment = NO
        else:
            self.fracture_on_treatment = fact(
                prot.fracture_while_on_treatment,
                "bone_protection.fracture_while_on_treatment",
                "fracture while on treatment",
            )
        nogg = inp.nogg_category
        if nogg is None:
            self.nogg_high = self.nogg_very_high = unknown("nogg_category")
        else:
            band = nogg.replace("_", " ")
            self.nogg_high = yes(f"NOGG band {band}") if nogg in ("high", "very_high") else NO
            self.nogg_very_high = _BAND_VERY_HIGH if nogg == "very_high" else NO
        self.very_high_risk = any_of(
            all_of(self.confirmed, any_of(self.recent, self.two_or_more)),
            self.t_very_low,
            self.high_dose_gc,
            self.nogg_very_high,
            self.fracture_on_treatment,
        )
        # NOGG glucocorticoid-induced osteoporosis (nogg-giop [P]): with a course of 3 months or more taken or
        # planned, start bone protection with the steroid, without waiting for DXA, for people aged 70 or over, with
        # a previous fragility fracture, or on 7.5 mg a day or more. In NOGG's population only; "aged 70 or over" is
        # read for men as well as women (the safer reading, treatment-and-coding.md 1.7; H-83).
        age_70 = _AGE_70 if inp.age >= GC_START_WITH_STEROID_AGE else NO
        prior = fact(inp.prior_fragility_fracture, "prior_fragility_fracture", "prior fragility fracture")
        self.gc_start_with_steroid = all_of(
            self.in_scope,
            self.gc_course_3_months,
            any_of(age_70, prior, relabel(self.confirmed, "vertebral fracture"), self.gc_dose_high),
        )
        self.treatment_indicated = any_of(
            self.confirmed, self.nogg_high, self.high_dose_gc, self.gc_start_with_steroid, self.very_high_risk
        )
        # bone.start_treatment reads an unknown current treatment as none (prompts.md, deliberate exception).
        self.start_treatment = all_of(self.treatment_indicated, not_known_true(self.on_treatment))

    # --- renal function and calcium ---------------------------------------------------------------------------
    def _renal_and_calcium(self) -> None:
        inp = self.inp
        # Renal function: creatinine clearance if given, else eGFR (prompts.md "renal function").
        self.renal: float | None
        if inp.creatinine_clearance is not None:
            self.renal, self.renal_label = inp.creatinine_clearance, "creatinine clearance"
        elif inp.egfr is not None:
            self.renal, self.renal_label = inp.egfr, "eGFR"
        else:
            self.renal, self.renal_label = None, "renal function"
        # A high calcium is acted on when it is entered; an unknown calcium is not asked of everyone (it is a blood
        # test, asked for by the prompts that need it: the pre-treatment checks, the myeloma screen and the
        # post-fracture bloods), so unknown is "not known to be high" here, not a named unknown (H-82).
        calcium = inp.adjusted_calcium
        if calcium is None:
            self.high_calcium = NO
        elif calcium > CALCIUM_HIGH:
            self.high_calcium = yes(f"adjusted calcium {num(calcium)} mmol/L (above 2.6)")
        else:
            self.high_calcium = NO

    # ------------------------------------------------------------------------------------------------------
    def _risk_factors(self) -> list[tuple[str, Tri]]:
        """The catalogue's risk factors, each as (name, Tri), in a stable order."""
        inp = self.inp
        bmi: Tri
        if inp.weight_kg is not None and inp.height_cm is not None:
            value = inp.weight_kg / (inp.height_cm / 100) ** 2
            # Two decimals where one would round up to the threshold: "BMI 18.5 (under 18.5)" cannot be checked.
            shown = f"{value:.1f}" if round(value, 1) < BMI_LOW else f"{value:.2f}"
            bmi = yes(f"BMI {shown} (under 18.5)") if value < BMI_LOW else NO
        else:
            bmi = _BMI_UNKNOWN[inp.weight_kg is None, inp.height_cm is None]
        alcohol = inp.alcohol_units_per_week
        causes = inp.secondary_causes
        falls = inp.falls_last_year
        if self.female:
            age = yes(f"woman aged {inp.age} (65 or over)") if inp.age >= WOMAN_AGE_RISK else NO
            early = fact(inp.menopause_before_45, "menopause_before_45", "menopause before 45")
        elif self.male:
            age = yes(f"man aged {inp.age} (75 or over)") if inp.age >= MAN_AGE_RISK else NO
            early = NO
        else:
            # Sex not recorded: age is a risk factor from 65 in women and from 75 in men, so 65 to 74 turns on sex.
            if inp.age >= MAN_AGE_RISK:
                age = yes(f"aged {inp.age} (75 or over)")
            elif inp.age >= WOMAN_AGE_RISK:
                age = unknown("sex")
            else:
                age = NO
            early = (
                unknown("sex", "menopause_before_45")
                if inp.menopause_before_45 is None
                else fact(inp.menopause_before_45, "menopause_before_45", "menopause before 45")
            )
        return [
            (
                "prior fragility fracture",
                fact(
                    inp.prior_fragility_fracture,
                    "prior_fragility_fracture",
                    "prior fragility fracture",
                ),
            ),
            ("known vertebral fracture", relabel(self.confirmed, "known vertebral fracture")),
            ("oral glucocorticoids", self.gc_current),
            (
                "parental hip fracture",
                fact(inp.parental_hip_fracture, "parental_hip_fracture", "parental hip fracture"),
            ),
            ("current smoker", fact(inp.current_smoker, "current_smoker", "current smoker")),
            (
                "alcohol over 14 units a week",
                unknown("alcohol_units_per_week")
                if alcohol is None
                else (yes(f"alcohol {num(alcohol)} units a week (over 14)") if alcohol > ALCOHOL_UNITS_RISK else NO),
            ),
            (
                "rheumatoid arthritis",
                fact(inp.rheumatoid_arthritis, "rheumatoid_arthritis", "rheumatoid arthritis"),
            ),
            (
                "secondary cause of osteoporosis",
                Tri(True, because=tuple(SECONDARY_CAUSE_WORDS[c] for c in causes)) if causes else NO,
            ),
            ("BMI under 18.5", bmi),
            ("menopause before 45", early),
            (
                "a fall in the last year",
                at_least(falls, 1, "falls_last_year", "{n} fall{s} in the last year"),
            ),
            ("woman aged 65+ or man aged 75+", age),
        ]

    def risk_factor_words(self, *, present: bool) -> list[str]:
        """Risk factors present (their facts) or not known (their names)."""
        if present:
            # Exactly the reasons any_of gave any_risk_factor: those of the true risk factors, in order (one true
            # factor is returned as it is; with more, their reasons are joined in order), and none when no factor
            # is true. Read from there rather than gathered again from the twelve factors.
            value, _, because = self.any_risk_factor
            return list(because) if value is True else []
        return [name for name, (value, _, _) in self.risk_factors if value is None]


def relabel_last(part: Tri) -> Tri:
    """Keep only the most specific reason (the last one) of a compound true value."""
    if part.value is True and len(part.because) > 1:
        return Tri(True, part.missing, (part.because[-1],))
    return part

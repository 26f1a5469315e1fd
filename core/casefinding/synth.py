"""A synthetic practice population for demos, tests and benchmarks: the same patients as a CSV extract and as FHIR
R4 bulk NDJSON, with gap cases planted and a manifest of who was planted in which group.

Pure Python (no Django); deterministic for a seed and an "as of" date (the same arguments write the same bytes).
Every code comes from the shared value set (core/fhir/valuesets/conditions.csv, drawn from the FF_COD and OSTEO_COD
reference sets); medicines are named as the value sets name them; heights use the value set's LOINC code. No
real patient is described: ages, dates and values are drawn at random within plausible ranges.

Profiles: most patients are "background" (no fracture code, no glucocorticoid, no long bisphosphonate course without
a review, a single height): they must land in no group. Each planted profile is built to be in exactly one group.

One population, one answer: the CSV and the NDJSON carry the same facts, so they give the same worklist group by
group. A fact only one format can carry is left out of both: treatment reviews (FHIR bulk data has no element for a
bisphosphonate treatment review), so in both formats the treatment-review group is "could not be assessed" for a
patient whose course makes a review due, never "in" from one file and absent from the other.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from core.fhir import SPINEPROMPT_SYSTEM
from core.rules.codes import SNOMED_SYSTEM
from core.rules.figures import in_words

from .extract import FACT_COLUMNS, REQUIRED_COLUMNS

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
HEIGHT_LOINC = "8302-2"  # core/fhir/valuesets/observations.csv, "Body height"

# Codes, each a row of core/fhir/valuesets/conditions.csv (FF_COD / OSTEO_COD, [V]).
VERTEBRAL = (
    ("240198002", "Osteoporotic vertebral collapse"),
    ("203451004", "Osteoporotic fracture of thoracic vertebra"),
    ("203450003", "Osteoporotic fracture of lumbar vertebra"),
)
FRAGILITY = (("306171000000106", "Fragility fracture"),)
OSTEOPOROSIS = (
    ("64859006", "Osteoporosis"),
    ("102447009", "Postmenopausal osteoporosis"),
    ("203438009", "Vertebral osteoporosis"),
)
# Report wording: a probable fracture (hidden wording) and an explicit one, as the screener classes them
# (core/rules/report.py; the labelled corpus in tests/data).
PROBABLE_REPORTS = (
    "Mild anterior wedging of T8, loss of height. No other abnormality.",
    "There is loss of height of the L1 vertebral body. Degenerative change in the lower lumbar spine.",
    "Wedge deformity of T11. Disc spaces preserved.",
)
EXPLICIT_REPORTS = ("Osteoporotic compression fracture of L2. Alignment maintained.",)
BACKGROUND_REPORTS = ("Lumbar spine: mild degenerative change at L4/5. No fracture. Alignment normal.",)

GROUP_PROFILES = (
    "fracture_no_bone_protection",
    "report_fracture_not_coded",
    "glucocorticoids_no_bone_protection",
    "imaging_trigger_no_imaging",
    "treatment_review_due",
    "register_gap",
    "under_65_or_male",
    "fragility_fracture_no_bone_protection",
    "register_code_missing",
)
# Facts neither format can leave out for the other: written to neither (module docstring).
NOT_WRITTEN = ("treatment_reviews",)
COLUMNS = (
    *REQUIRED_COLUMNS,
    "postmenopausal",
    "current_smoker",
    "kyphosis",
    *(c for c in FACT_COLUMNS if c not in NOT_WRITTEN),
)


class Patient(NamedTuple):
    patient_id: str
    age: int
    sex: str
    planted: str  # a group id, or "" for background
    fracture_codes: list[tuple[str, str, dt.date]]
    osteoporosis_codes: list[tuple[str, str, dt.date]]
    bone_protection: list[tuple[str, dt.date, dt.date | None]]
    glucocorticoids: list[tuple[float, dt.date, dt.date | None]]
    heights: list[tuple[float, dt.date]]
    weights: list[tuple[float, dt.date]]
    report: tuple[dt.date, str] | None
    reviews: list[dt.date]
    answers: dict[str, Any]


def _days_ago(rng: random.Random, today: dt.date, lo: int, hi: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(lo, hi))


def _female_age(rng: random.Random, lo: int = 66, hi: int = 92) -> tuple[int, str]:
    return rng.randint(lo, hi), "female"


def make_patient(rng: random.Random, index: int, today: dt.date, planted: str) -> Patient:
    pid = f"pt{index:07d}"
    frac: list = []
    osteo: list = []
    bone: list = []
    gc: list = []
    reviews: list = []
    report = None
    answers: dict[str, Any] = {}
    if planted == "under_65_or_male":
        if rng.random() < 0.6:
            age, sex = rng.randint(50, 74), "male"
        else:
            age, sex = rng.randint(50, 64), "female"
    elif planted:
        age, sex = _female_age(rng)
    else:
        age, sex = rng.randint(18, 95), rng.choice(("female", "male"))
    height = round(rng.uniform(150, 185) if sex == "male" else rng.uniform(145, 175), 1)
    heights = [(height, _days_ago(rng, today, 30, 900))]
    weights = [(round(rng.uniform(45, 110), 1), _days_ago(rng, today, 30, 900))]

    if planted == "fracture_no_bone_protection":
        code, term = rng.choice(VERTEBRAL)
        when = _days_ago(rng, today, 60, 3000)
        # Coded as a well-run practice codes it (the fracture, the register code and the diagnosis), so that only
        # the missing bone protection is the gap.
        frac += [(code, term, when), (*FRAGILITY[0], when)]
        osteo.append((*rng.choice(OSTEOPOROSIS), when))
    elif planted == "report_fracture_not_coded":
        texts = PROBABLE_REPORTS if rng.random() < 0.8 else EXPLICIT_REPORTS
        report = (_days_ago(rng, today, 30, 700), rng.choice(texts))
    elif planted == "glucocorticoids_no_bone_protection":
        dose = rng.choice((5.0, 7.5, 10.0, 20.0))
        gc.append((dose, _days_ago(rng, today, 120, 900), None))
    elif planted == "imaging_trigger_no_imaging":
        if rng.random() < 0.7:
            tallest = round(height + rng.uniform(4.5, 9), 1)
            heights = [(tallest, _days_ago(rng, today, 3000, 9000)), (height, _days_ago(rng, today, 10, 300))]
        else:
            answers["kyphosis"] = "true"
    elif planted == "treatment_review_due":
        osteo.append((*rng.choice(OSTEOPOROSIS), _days_ago(rng, today, 2200, 4000)))
        bone.append(("alendronate", _days_ago(rng, today, 1900, 3400), None))
    elif planted == "register_gap":
        code, term = FRAGILITY[0]
        frac.append((code, term, _days_ago(rng, today, 60, 3500)))
        bone.append(("alendronate", _days_ago(rng, today, 200, 1000), None))  # treated: only the code is missing
    elif planted == "under_65_or_male":
        code, term = rng.choice(VERTEBRAL)
        when = _days_ago(rng, today, 400, 3000)
        frac += [(code, term, when), (*FRAGILITY[0], when)]
        osteo.append((*rng.choice(OSTEOPOROSIS), when))
        bone.append(("alendronate", _days_ago(rng, today, 200, 1000), None))
    elif planted == "fragility_fracture_no_bone_protection":
        # A fragility fracture coded with the register and diagnosis codes, no bone protection, no NOGG band.
        when = _days_ago(rng, today, 60, 3000)
        frac.append((*FRAGILITY[0], when))
        osteo.append((*rng.choice(OSTEOPOROSIS), when))
    elif planted == "register_code_missing":
        # A vertebral fracture coded by its own concept only, treated: no FF_COD, so off the QOF register.
        code, term = rng.choice(VERTEBRAL)
        frac.append((code, term, _days_ago(rng, today, 400, 3000)))
        bone.append(("alendronate", _days_ago(rng, today, 200, 1000), None))
    else:
        roll = rng.random()
        if roll < 0.06:  # osteoporosis on a short alendronate course: no group
            osteo.append((*rng.choice(OSTEOPOROSIS), _days_ago(rng, today, 400, 3000)))
            bone.append(("alendronate", _days_ago(rng, today, 100, 1400), None))
        elif roll < 0.09:
            # A long course, reviewed since the review fell due: in no group. The review is drawn but written to
            # neither format (NOT_WRITTEN), so the review group is "could not be assessed" for them.
            osteo.append((*rng.choice(OSTEOPOROSIS), _days_ago(rng, today, 2500, 4000)))
            start = _days_ago(rng, today, 2200, 3000)
            bone.append(("alendronate", start, None))
            reviews.append(_days_ago(rng, today, 10, 200))
        elif roll < 0.11:  # a normal spine report: no group
            report = (_days_ago(rng, today, 30, 2000), rng.choice(BACKGROUND_REPORTS))
        elif roll < 0.13:  # a short prednisolone course over a year ago: not recent, no group
            start = _days_ago(rng, today, 500, 1500)
            gc.append((rng.choice((5.0, 10.0, 30.0)), start, start + dt.timedelta(days=rng.randint(5, 14))))
    if sex == "female" and age >= 55:
        answers.setdefault("postmenopausal", "true")
    if rng.random() < 0.15:
        answers["current_smoker"] = rng.choice(("true", "false"))
    return Patient(pid, age, sex, planted, frac, osteo, bone, gc, heights, weights, report, reviews, answers)


def population(n: int, *, seed: int, today: dt.date, planted_share: float = 0.1) -> Iterator[Patient]:
    """``n`` patients; about ``planted_share`` of them planted, spread evenly over the groups."""
    rng = random.Random(seed)
    for i in range(n):
        planted = ""
        if rng.random() < planted_share:
            planted = GROUP_PROFILES[rng.randrange(len(GROUP_PROFILES))]
        yield make_patient(rng, i + 1, today, planted)


# --- CSV ------------------------------------------------------------------------------------------------------------


def _join(items: list[str]) -> str:
    return ";".join(items)


def csv_row(p: Patient) -> list[str]:
    cells = {
        "patient_id": p.patient_id,
        "age": str(p.age),
        "sex": p.sex,
        "fracture_codes": _join([f"{c}@{d.isoformat()}" for c, _t, d in p.fracture_codes]),
        "osteoporosis_codes": _join([f"{c}@{d.isoformat()}" for c, _t, d in p.osteoporosis_codes]),
        "bone_protection_drugs": _join(
            [f"{drug}@{s.isoformat()}" + (f"@{e.isoformat()}" if e else "") for drug, s, e in p.bone_protection]
        ),
        "glucocorticoid_prescriptions": _join(
            [f"{in_words(mg)}@{s.isoformat()}" + (f"@{e.isoformat()}" if e else "") for mg, s, e in p.glucocorticoids]
        ),
        "heights_cm": _join([f"{in_words(v)}@{d.isoformat()}" for v, d in p.heights]),
        "weights_kg": _join([f"{in_words(v)}@{d.isoformat()}" for v, d in p.weights]),
        "report_date": p.report[0].isoformat() if p.report else "",
        "report_text": p.report[1] if p.report else "",
        **p.answers,
    }
    return [cells.get(c, "") for c in COLUMNS]


# --- FHIR R4 NDJSON -------------------------------------------------------------------------------------------------

DRUG_TEXT = {"alendronate": "alendronic acid 70 mg tablets", "glucocorticoid": "prednisolone 5 mg tablets"}


def resources(p: Patient, today: dt.date, rng: random.Random) -> list[dict[str, Any]]:
    subject = {"reference": f"Patient/{p.patient_id}"}
    birth = today.replace(year=today.year - p.age) - dt.timedelta(days=rng.randint(1, 364))
    out: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": p.patient_id, "gender": p.sex, "birthDate": birth.isoformat()}
    ]
    n = 0

    def rid(kind: str) -> str:
        nonlocal n
        n += 1
        return f"{p.patient_id}-{kind}{n}"

    for code, term, date in p.fracture_codes + p.osteoporosis_codes:
        out.append(
            {
                "resourceType": "Condition",
                "id": rid("c"),
                "subject": subject,
                "code": {"coding": [{"system": SNOMED_SYSTEM, "code": code, "display": term}]},
                "onsetDateTime": date.isoformat(),
            }
        )
    for drug, start, end in p.bone_protection:
        out.append(_medication(rid("m"), subject, DRUG_TEXT[drug], start, end, dose_mg=None))
    for mg, start, end in p.glucocorticoids:
        out.append(_medication(rid("m"), subject, DRUG_TEXT["glucocorticoid"], start, end, dose_mg=mg))
    for code, display, series in ((HEIGHT_LOINC, "Body height", p.heights), ("29463-7", "Body weight", p.weights)):
        unit = "cm" if code == HEIGHT_LOINC else "kg"
        for value, date in series:
            out.append(
                {
                    "resourceType": "Observation",
                    "id": rid("o"),
                    "status": "final",
                    "subject": subject,
                    "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                    "effectiveDateTime": date.isoformat(),
                    "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
                }
            )
    for path, value in p.answers.items():
        out.append(
            {
                "resourceType": "Observation",
                "id": rid("a"),
                "status": "final",
                "subject": subject,
                "code": {"coding": [{"system": SPINEPROMPT_SYSTEM, "code": path}]},
                "valueBoolean": value == "true",
            }
        )
    if p.report:
        date, text = p.report
        out.append(
            {
                "resourceType": "DiagnosticReport",
                "id": rid("r"),
                "status": "final",
                "subject": subject,
                "code": {"text": "X-ray of the thoracic and lumbar spine"},
                "effectiveDateTime": date.isoformat(),
                "presentedForm": [
                    {"contentType": "text/plain; charset=utf-8", "data": base64.b64encode(text.encode()).decode()}
                ],
            }
        )
    return out


def _medication(
    rid: str, subject: dict, text: str, start: dt.date, end: dt.date | None, *, dose_mg: float | None
) -> dict[str, Any]:
    bounds = {"start": start.isoformat(), **({"end": end.isoformat()} if end else {})}
    dosage: dict[str, Any] = {"timing": {"repeat": {"boundsPeriod": bounds, "frequency": 1, "period": 1}}}
    if dose_mg is not None:
        dosage["timing"]["repeat"]["periodUnit"] = "d"
        dosage["doseAndRate"] = [{"doseQuantity": {"value": dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}}]
    else:
        dosage["timing"]["repeat"]["periodUnit"] = "wk"
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "active" if end is None else "completed",
        "intent": "order",
        "subject": subject,
        "medicationCodeableConcept": {"text": text},
        "authoredOn": start.isoformat(),
        "dosageInstruction": [dosage],
    }


# --- writing --------------------------------------------------------------------------------------------------------


def write_population(
    n: int,
    out: Path,
    *,
    seed: int,
    today: dt.date,
    formats: tuple[str, ...] = ("csv", "ndjson"),
    planted_share: float = 0.1,
) -> dict[str, Any]:
    """Write ``population.csv`` and/or ``ndjson/<Type>.ndjson`` (one file per resource type, as a bulk export
    writes them) and ``manifest.json`` into ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    planted: dict[str, list[str]] = {g: [] for g in GROUP_PROFILES}
    fhir_rng = random.Random(seed + 1)  # birth dates: a stream of its own, so CSV-only runs draw the same patients
    csv_file = (out / "population.csv").open("w", newline="", encoding="utf-8") if "csv" in formats else None
    nd_files: dict[str, Any] = {}
    try:
        writer = csv.writer(csv_file, lineterminator="\n") if csv_file else None
        if writer:
            writer.writerow(COLUMNS)
        for p in population(n, seed=seed, today=today, planted_share=planted_share):
            if p.planted:
                planted[p.planted].append(p.patient_id)
            if writer:
                writer.writerow(csv_row(p))
            if "ndjson" in formats:
                for r in resources(p, today, fhir_rng):
                    fh = nd_files.get(r["resourceType"])
                    if fh is None:
                        (out / "ndjson").mkdir(exist_ok=True)
                        fh = nd_files[r["resourceType"]] = (out / "ndjson" / f"{r['resourceType']}.ndjson").open(
                            "w", encoding="utf-8", newline="\n"
                        )
                    fh.write(json.dumps(r, separators=(",", ":")) + "\n")
    finally:
        if csv_file:
            csv_file.close()
        for fh in nd_files.values():
            fh.close()
    manifest = {
        "seed": seed,
        "as_of": today.isoformat(),
        "patients": n,
        "formats": list(formats),
        "planted": planted,
        "note": (
            "Each planted patient is built to be in exactly that group and no other; background patients are in "
            "none, except treatment_review_due: FHIR bulk NDJSON has no treatment-review element, so reviews are "
            "written to neither format and those patients are 'could not be assessed' for that group in both, "
            "with the same worklist from either file."
        ),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest

"""Write the synthetic FHIR R4 test patients in this folder (run once after a change; the files are committed).

    .venv/bin/python -m tests.data.fhir.make_bundles

One Bundle per shared vignette with expectations (tests/data/vignettes/*.json), built from the vignette's input:
record facts as coded resources (LOINC heights and labs, dm+d-named medicines, SNOMED CT conditions, a radiology
report), and consultation answers with no standard code as Observations in the SpinePrompt code system. Plus the
edge cases (units, missing data, conflicts, invalid R4, report forms) and an NDJSON export split by type. The tests
compare what these give with the vignettes' expectations, never with stored outputs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
REPO = HERE.parents[2]
VIGNETTES = REPO / "tests" / "data" / "vignettes"
ASSESSED_ON = dt.date(2026, 11, 23)
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
SPINEPROMPT = "https://spineprompt.example/fhir/CodeSystem/assessment-input"


class Patient:
    """Builds one synthetic patient's resources with stable ids."""

    def __init__(self, pid: str) -> None:
        self.pid = pid
        self.resources: list[dict[str, Any]] = []

    def _add(self, rtype: str, body: dict[str, Any]) -> dict[str, Any]:
        res = {"resourceType": rtype, "id": f"{self.pid}-{rtype.lower()}-{len(self.resources)}", **body}
        if rtype not in ("Patient", "Medication"):
            res["subject"] = {"reference": f"Patient/{self.pid}"}
        self.resources.append(res)
        return res

    def patient(self, age: int, sex: str) -> None:
        # Born on 1 January, so the age on 2026-11-23 is exactly ``age``.
        self._add("Patient", {"gender": sex, "birthDate": f"{ASSESSED_ON.year - age}-01-01"})
        self.resources[-1]["id"] = self.pid

    def quantity(self, system: str, code: str, display: str, date: str, value: float, unit: str, **extra: Any) -> None:
        self._add(
            "Observation",
            {
                "status": "final",
                "code": {"coding": [{"system": system, "code": code, "display": display}]},
                "effectiveDateTime": date,
                "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
                **extra,
            },
        )

    def height(self, date: str, value: float, unit: str = "cm") -> None:
        self.quantity(LOINC, "8302-2", "Body height", date, value, unit)

    def answer(self, path: str, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self.answer(path, item) if not isinstance(item, str) else self._answer_code(path, item)
            return
        if isinstance(value, bool):
            body = {"valueBoolean": value}
        elif isinstance(value, int):
            body = {"valueInteger": value}
        elif isinstance(value, float):
            body = {"valueQuantity": {"value": value}}
        else:
            return self._answer_code(path, value)
        self._add(
            "Observation", {"status": "final", "code": _answer_code(path), "effectiveDateTime": "2026-11-23", **body}
        )
        return None

    def _answer_code(self, path: str, value: str) -> None:
        body = {"valueCodeableConcept": {"coding": [{"system": SPINEPROMPT, "code": value}]}}
        self._add(
            "Observation", {"status": "final", "code": _answer_code(path), "effectiveDateTime": "2026-11-23", **body}
        )

    def condition(self, code: str, display: str, onset: str) -> None:
        self._add(
            "Condition",
            {"code": {"coding": [{"system": SNOMED, "code": code, "display": display}]}, "onsetDateTime": onset},
        )

    def medication(self, rtype: str, name: str, status: str, start: str, end: str | None = None, **dose: Any) -> None:
        body: dict[str, Any] = {"status": status, "medicationCodeableConcept": {"text": name}}
        period = {"start": start, **({"end": end} if end else {})}
        dosage = {"text": dose.pop("text", "as directed")}
        if dose:
            dosage["timing"] = {"repeat": {"frequency": 1, "period": dose["period"], "periodUnit": dose["unit"]}}
            dosage["doseAndRate"] = [
                {"doseQuantity": {"value": dose["mg"], "unit": "mg", "system": UCUM, "code": "mg"}}
            ]
        if rtype == "MedicationRequest":
            body |= {"intent": "order", "authoredOn": start, "dosageInstruction": [dosage]}
            body["dosageInstruction"][0].setdefault("timing", {"repeat": {}})["repeat"]["boundsPeriod"] = period
        else:
            body |= {"effectivePeriod": period, "dosage": [dosage]}
        self._add(rtype, body)

    def report(self, date: str, text: str, *, content_type: str = "text/plain", conclusion: str | None = None) -> None:
        body: dict[str, Any] = {
            "status": "final",
            "code": {"text": "XR thoracic spine"},
            "effectiveDateTime": date,
            "presentedForm": [{"contentType": content_type, "data": base64.b64encode(text.encode()).decode()}],
        }
        if conclusion:
            body["conclusion"] = conclusion
        self._add("DiagnosticReport", body)

    def bundle(self) -> dict[str, Any]:
        return {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in self.resources],
        }


def _answer_code(path: str) -> dict[str, Any]:
    return {"coding": [{"system": SPINEPROMPT, "code": path}]}


def _answers(p: Patient, data: dict[str, Any], skip: set[str], prefix: str = "") -> None:
    for key, value in data.items():
        path = f"{prefix}{key}"
        if path in skip or value is None:
            continue
        if isinstance(value, dict):
            _answers(p, value, skip, f"{path}.")
        else:
            p.answer(path, value)


def vignette_patient(name: str, inp: dict[str, Any]) -> Patient:
    """The vignette's input as record facts where a record would hold them, answers for the rest."""
    p = Patient(name)
    p.patient(inp["age"], inp["sex"])
    skip = {"input_version", "assessed_on", "assessor_role", "age", "sex"}
    if (loss := inp.get("historical_height_loss_cm")) is not None:
        p.height("2012-05-14", 165.0)
        p.height("2026-11-02", 165.0 - loss)
        skip.add("historical_height_loss_cm")
    gc = inp.get("glucocorticoids") or {}
    if gc.get("current_or_recent") and gc.get("prednisolone_mg_per_day") and gc.get("months"):
        start = ASSESSED_ON - dt.timedelta(days=round(gc["months"] * 30.44) + 3)
        p.medication(
            "MedicationRequest",
            "Prednisolone 5mg tablets",
            "active",
            start.isoformat(),
            mg=gc["prednisolone_mg_per_day"],
            period=1,
            unit="d",
            text=f"{gc['prednisolone_mg_per_day']:g} mg once a day",
        )
        skip |= {
            "glucocorticoids.current_or_recent",
            "glucocorticoids.prednisolone_mg_per_day",
            "glucocorticoids.months",
        }
    bp = inp.get("bone_protection") or {}
    if bp.get("current") == "alendronate" and bp.get("years"):
        start = ASSESSED_ON - dt.timedelta(days=round(bp["years"] * 365.25) + 30)
        p.medication("MedicationStatement", "Alendronic acid 70mg tablets", "active", start.isoformat())
        skip |= {"bone_protection.current", "bone_protection.years"}
    if bp.get("current") == "denosumab" and bp.get("years"):
        first = ASSESSED_ON - dt.timedelta(days=round(bp["years"] * 365.25) + 20)
        for i in range(int(bp["years"] * 2) + 1):
            date = first + dt.timedelta(days=182 * i)
            p.medication(
                "MedicationRequest",
                "Prolia 60mg/1ml solution for injection pre-filled syringes",
                "completed",
                date.isoformat(),
            )
        skip |= {"bone_protection.current", "bone_protection.years"}
    if (egfr := inp.get("egfr")) is not None:
        p.quantity(LOINC, "62238-1", "eGFR (CKD-EPI)", "2026-10-15", egfr, "mL/min/{1.73_m2}")
        skip.add("egfr")
    text = (inp.get("spine_imaging") or {}).get("report_text")
    if text:
        p.report("2026-11-01", text)
        skip.add("spine_imaging.report_text")
    _answers(p, inp, skip)
    return p


def edge_cases() -> dict[str, Patient]:
    out = {}

    p = Patient("units")
    p.patient(70, "female")
    p.height("2010-03-01", 65.0, "[in_i]")  # 165.1 cm
    p.height("2026-11-01", 1.6, "m")  # 160 cm: loss 5.1 cm
    p.quantity(LOINC, "29463-7", "Body weight", "2026-11-01", 132.0, "[lb_av]")  # 59.87 kg
    p.quantity(LOINC, "29265-6", "Calcium adjusted", "2026-10-01", 9.2, "mg/dL")  # 2.30 mmol/L
    p.quantity(LOINC, "62292-8", "25-OH vitamin D", "2026-10-01", 20.0, "ng/mL")  # 49.9 nmol/L
    p.quantity(LOINC, "33914-3", "eGFR (MDRD)", "2026-10-01", 48.0, "mL/min/{1.73_m2}")
    p.quantity(LOINC, "38267-1", "DXA lumbar spine T-score", "2025-06-01", -2.7, "{T-score}")
    p.quantity(LOINC, "80948-3", "DXA femur T-score", "2025-06-01", -3.1, "1")
    p.quantity(LOINC, "62238-1", "eGFR (CKD-EPI)", "2026-09-01", 50.0, "mL/hr")  # unknown unit: a problem
    out["units"] = p

    p = Patient("missing")
    p.patient(72, "female")
    p.condition("38341003", "Hypertensive disorder", "2015-01-01")  # outside our value sets: says nothing
    p._add(
        "Observation",
        {
            "status": "final",
            "code": {"coding": [{"system": LOINC, "code": "62238-1", "display": "eGFR"}]},
            "dataAbsentReason": {"text": "Sample haemolysed"},
        },
    )
    p.height("2026-11-01", 158.0)  # one height: no series, height loss unknown
    out["missing"] = p

    p = Patient("conflicts")
    p.patient(76, "female")
    p.height("2008-01-10", 163.0)
    p.height("2026-11-02", 160.0)
    p.height("2026-11-02", 158.5)  # same day, different: the lower (safer) one is used
    p.medication("MedicationStatement", "Alendronic acid 70mg tablets", "active", "2024-01-01")
    p.medication("MedicationStatement", "Alendronic acid 70mg tablets", "stopped", "2024-01-01", "2025-06-01")
    p.answer("kyphosis", False)
    p.condition("203657009", "Osteoporotic kyphosis", "2023-04-01")  # the record says kyphosis: true wins
    out["conflicts"] = p

    p = Patient("invalid-r4")
    p.patient(68, "male")
    p.height("2011-01-01", 178.0)
    p.height("2026-11-01", 173.0)
    bad = p.resources[-1] | {
        "id": "invalid-r4-r5-only",
        "triggeredBy": [{"observation": {"reference": "Observation/x"}, "type": "reflex"}],
    }
    p.resources[-1] = bad  # an R5-only element: this height is not used, so height loss is unknown
    p._add("Condition", {"code": {"coding": [{"system": SNOMED, "code": "203451004"}]}, "onsetDateTime": "2026-13-40"})
    p.condition("203451004", "Osteoporotic fracture of thoracic vertebra", "2026-09-15")
    out["invalid-r4"] = p

    p = Patient("report-forms")
    p.patient(71, "female")
    p.report(
        "2026-10-20",
        "Lateral thoracic spine: moderate wedge compression fracture of T11. No other abnormality.",
        conclusion="Fracture T11.",
    )
    p.report("2026-11-05", "scanned report", content_type="application/pdf")  # not read: a problem
    out["report-forms"] = p

    p = Patient("glucocorticoid-forms")
    p.patient(64, "female")
    p.medication("MedicationRequest", "Dexamethasone 2mg tablets", "active", "2026-07-01", mg=2, period=1, unit="d")
    p.medication("MedicationRequest", "Hydrocortisone 1% cream", "active", "2026-07-01", mg=1, period=1, unit="d")
    p.medication(
        "MedicationRequest", "Prednisolone 5mg/1ml eye drops", "active", "2026-07-01", mg=5, period=1, unit="d"
    )
    out["glucocorticoid-forms"] = p
    return out


def ndjson_population() -> dict[str, list[dict[str, Any]]]:
    """Three patients split one file per resource type, with a shared Medication resource."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    med = {"resourceType": "Medication", "id": "med-aln", "code": {"text": "Alendronic acid 70mg tablets"}}
    by_type["Medication"] = [med]
    for i, (age, sex) in enumerate(((81, "female"), (67, "male"), (58, "female"))):
        p = Patient(f"pop-{i}")
        p.patient(age, sex)
        if i == 0:
            p.condition("240198002", "Osteoporotic vertebral collapse", "2025-02-01")
        if i == 1:
            p._add(
                "MedicationRequest",
                {
                    "status": "active",
                    "intent": "order",
                    "medicationReference": {"reference": "Medication/med-aln"},
                    "authoredOn": "2019-06-01",
                },
            )
        p.height("2015-01-01", 170.0)
        p.height("2026-10-01", 170.0 - 2 * i)
        for r in p.resources:
            by_type.setdefault(r["resourceType"], []).append(r)
    return by_type


def main() -> None:
    for path in sorted(VIGNETTES.glob("*.json")):
        case = json.loads(path.read_text())
        if "expect" not in case:
            continue
        bundle = vignette_patient(case["name"], case["input"]).bundle()
        (HERE / f"vignette-{case['name']}.json").write_text(json.dumps(bundle, indent=1) + "\n")
    for name, p in edge_cases().items():
        (HERE / f"edge-{name}.json").write_text(json.dumps(p.bundle(), indent=1) + "\n")
    nd = HERE / "ndjson"
    nd.mkdir(exist_ok=True)
    for rtype, resources in ndjson_population().items():
        (nd / f"{rtype}.ndjson").write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in resources))


if __name__ == "__main__":
    main()

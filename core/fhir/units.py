"""Unit conversion to the contract's units, from UCUM codes (https://ucum.org) or the same strings in ``unit``.

An unknown unit is a problem, never a guess (hazard H-40). Factors and their basis are in docs/fhir-mapping.md.
"""

from __future__ import annotations

UCUM_SYSTEM = "http://unitsofmeasure.org"

# Calcium 40.078 g/mol (IUPAC standard atomic weight): 1 mg/dL = 10 mg/L = 10 / 40.078 mmol/L.
CALCIUM_MG_DL_TO_MMOL_L = 10 / 40.078
# 25-hydroxyvitamin D3 (calcifediol, C27H44O2) 400.64 g/mol: 1 ng/mL = 1 ug/L = 1000 / 400.64 nmol/L.
VITAMIN_D_NG_ML_TO_NMOL_L = 1000 / 400.64

# kind -> (contract unit, {unit as written: factor to the contract unit})
UNITS: dict[str, tuple[str, dict[str, float]]] = {
    "height": ("cm", {"cm": 1.0, "m": 100.0, "mm": 0.1, "[in_i]": 2.54, "in": 2.54, "[ft_i]": 30.48}),
    "weight": (
        "kg",
        {"kg": 1.0, "g": 0.001, "[lb_av]": 0.45359237, "lb": 0.45359237, "lbs": 0.45359237, "[oz_av]": 0.028349523125},
    ),
    "egfr": (
        "mL/min",
        {
            "mL/min/{1.73_m2}": 1.0,
            "mL/min/1.73m2": 1.0,
            "mL/min/1.73 m2": 1.0,
            "ml/min/1.73m2": 1.0,
            "mL/min": 1.0,
            "ml/min": 1.0,
            "mL/s/{1.73_m2}": 60.0,
        },
    ),
    "creatinine_clearance": ("mL/min", {"mL/min": 1.0, "ml/min": 1.0, "mL/s": 60.0, "mL/min/{1.73_m2}": 1.0}),
    "adjusted_calcium": (
        "mmol/L",
        {"mmol/L": 1.0, "mmol/l": 1.0, "mg/dL": CALCIUM_MG_DL_TO_MMOL_L, "mg/dl": CALCIUM_MG_DL_TO_MMOL_L},
    ),
    "vitamin_d": (
        "nmol/L",
        {
            "nmol/L": 1.0,
            "nmol/l": 1.0,
            "ng/mL": VITAMIN_D_NG_ML_TO_NMOL_L,
            "ng/ml": VITAMIN_D_NG_ML_TO_NMOL_L,
            "ug/L": VITAMIN_D_NG_ML_TO_NMOL_L,
        },
    ),
    # A T-score is a number of standard deviations: unitless. Accept the usual spellings and no unit at all.
    "t_score": ("", {"": 1.0, "1": 1.0, "{T-score}": 1.0, "{s.d.}": 1.0, "{SD}": 1.0, "SD": 1.0, "{score}": 1.0}),
}

# Milligrams for glucocorticoid doses.
MASS_TO_MG = {"mg": 1.0, "g": 1000.0, "ug": 0.001, "mcg": 0.001, "microgram": 0.001, "micrograms": 0.001}


def convert(kind: str, value: float, code: str | None, unit: str | None) -> tuple[float, str] | None:
    """(value in the contract unit, that unit), or None when the unit is not known for ``kind``."""
    target, factors = UNITS[kind]
    for written in (code, unit):
        if written is None:
            continue
        factor = factors.get(written.strip())
        if factor is not None:
            return value * factor, target
    if code is None and unit is None and kind == "t_score":
        return value, target
    return None


# Answers (SpinePrompt code system, valueQuantity): contract path -> (the field's unit, {unit as written: factor}).
# Time units are UCUM's definitions: a = 365.25 d, mo = a / 12, wk = 7 d. A count or score field takes no unit but
# "1" or a UCUM annotation ("{falls}"), which is unity. A field not listed takes no unit at all.
_DAYS_PER_MONTH = 365.25 / 12
_MONTHS = {"mo": 1.0, "a": 12.0, "wk": 7 / _DAYS_PER_MONTH, "d": 1 / _DAYS_PER_MONTH}
ANSWER_UNITS: dict[str, tuple[str, dict[str, float]]] = {
    "historical_height_loss_cm": UNITS["height"],
    "height_cm": UNITS["height"],
    "weight_kg": UNITS["weight"],
    "egfr": UNITS["egfr"],
    "creatinine_clearance": UNITS["creatinine_clearance"],
    "adjusted_calcium": UNITS["adjusted_calcium"],
    "vitamin_d_nmol_l": UNITS["vitamin_d"],
    "dxa_lowest_t_score": UNITS["t_score"],
    "glucocorticoids.prednisolone_mg_per_day": (
        "mg/d",
        {"mg/d": 1.0, "mg/day": 1.0, "mg": 1.0, "g/d": 1000.0, "ug/d": 0.001},
    ),
    "glucocorticoids.months": ("mo", _MONTHS),
    "spine_imaging.months_since_fracture": ("mo", _MONTHS),
    "back_pain.duration_weeks": ("wk", {"wk": 1.0, "d": 1 / 7, "mo": _DAYS_PER_MONTH / 7, "a": 365.25 / 7}),
    "bone_protection.years": ("a", {"a": 1.0, "mo": 1 / 12, "wk": 7 / 365.25, "d": 1 / 365.25}),
    "alcohol_units_per_week": ("{units}/wk", {"/wk": 1.0, "{units}/wk": 1.0, "{unit}/wk": 1.0, "units/wk": 1.0}),
}
_UNITY = {"1": 1.0}


def convert_answer(path: str, value: float, code: str | None, unit: str | None) -> float | None:
    """``value`` in the contract field's unit, or None when a unit is given that we cannot convert (never a guess,
    H-40). No unit at all means the contract's unit, as before."""
    written = [w.strip() for w in (code, unit) if w is not None and w.strip()]
    if not written:
        return value
    _target, factors = ANSWER_UNITS.get(path, ("", _UNITY))
    for w in written:
        factor = factors.get(w)
        if factor is None and path not in ANSWER_UNITS and w.startswith("{") and w.endswith("}"):
            factor = 1.0  # a UCUM annotation on a count: unity
        if factor is not None:
            return value * factor
    return None

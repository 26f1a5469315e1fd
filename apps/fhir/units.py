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

"""Which reading of a contract field is the safer one when two sources disagree (docs/fhir-mapping.md, "Conflicts").

Safer means the reading that prompts rather than the one that stays silent: a miss costs more than an extra prompt
(hazard H-04). Where no direction is clearly safer, the field is unknown and the conflict is a problem for the
clinician to settle; a guess is never taken. One table for both conflicts between answers (core.fhir) and between an
answer and the record (record_to_input).
"""

from __future__ import annotations

from typing import Any

from core.rules.contract import NOGG_CATEGORIES

# The larger is safer: more loss, dose, use, fractures, falls, alcohol, longer pain (investigations.myeloma_screen
# counts weeks of pain), longer treatment (the review is due sooner).
SAFER_MAX = frozenset(
    {
        "historical_height_loss_cm",
        "glucocorticoids.prednisolone_mg_per_day",
        "glucocorticoids.months",
        "vertebral_fractures_known",
        "spine_imaging.fracture_count",
        "bone_protection.years",
        "falls_last_year",
        "alcohol_units_per_week",
        "back_pain.duration_weeks",
    }
)
# The smaller is safer: a lower T-score, renal function, vitamin D or weight (low BMI) is the risk or the caution; a
# more recent fracture is the very-high-risk one.
SAFER_MIN = frozenset(
    {
        "dxa_lowest_t_score",
        "egfr",
        "creatinine_clearance",
        "vitamin_d_nmol_l",
        "weight_kg",
        "spine_imaging.months_since_fracture",
    }
)
# Enums with an order, lowest first: the higher is safer (a higher NOGG band prompts treatment).
SAFER_ORDER: dict[str, tuple[str, ...]] = {"nogg_category": NOGG_CATEGORIES}
# Booleans whose "true" silences a prompt (the fracture is already coded; the patient has been told): no safer
# answer between true and false is taken, so they are unknown (the prompt then says "if not already done").
NO_SAFER_BOOLEANS = frozenset({"record.vertebral_fracture_coded", "record.patient_told_diagnosis"})
# Everything else (age, sex, height_cm, adjusted_calcium and the other enums) has no safer direction: height_cm is
# lower for height loss but higher for a low BMI; calcium is a caution when low and a question when high.


def safer_reading(path: str, first: Any, second: Any) -> tuple[Any, str]:
    """(the safer of two different values for ``path``, or None for unknown; how it was chosen, in words)."""
    if isinstance(first, bool) and isinstance(second, bool):
        if path in NO_SAFER_BOOLEANS:
            return None, "no reading is safer: unknown"
        return True, "took true (the risk present), the safer reading"
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (first, second))
    if numbers and path in SAFER_MAX:
        return max(first, second), "took the larger, the safer reading"
    if numbers and path in SAFER_MIN:
        return min(first, second), "took the smaller, the safer reading"
    order = SAFER_ORDER.get(path)
    if order and first in order and second in order:
        return max(first, second, key=order.index), "took the higher, the safer reading"
    return None, "no reading is safer: unknown"

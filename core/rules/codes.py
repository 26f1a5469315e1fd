"""SNOMED CT codes as typed values, checked against the reviewed NHS Digital code lists in ``codelists/``.

Only codes marked [V] in ../shared/clinical/treatment-and-coding.md are offered, and each must be a member of the
FF_COD or OSTEO_COD reference set stored beside this module (copied from ../shared/clinical/codelists/).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ._compiled import PACKAGE

SNOMED_SYSTEM = "http://snomed.info/sct"
# From the package's source folder, not this module's __file__: compiled, it lives in the build folder.
CODELIST_DIR = PACKAGE / "codelists"

# Verhoeff check-digit tables: every SNOMED CT identifier ends in a Verhoeff check digit.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(number: str) -> bool:
    check = 0
    for i, ch in enumerate(reversed(number)):
        check = _D[check][_P[i % 8][int(ch)]]
    return check == 0


@dataclass(frozen=True, slots=True)
class SnomedCode:
    code: str
    term: str

    def __post_init__(self) -> None:
        if not (self.code.isdigit() and 6 <= len(self.code) <= 18 and verhoeff_valid(self.code)):
            raise ValueError(f"not a valid SNOMED CT identifier: {self.code!r}")

    def as_dict(self) -> dict[str, str]:
        return {"system": SNOMED_SYSTEM, "code": self.code, "display": self.term}


@cache
def codelist(name: str) -> dict[str, str]:
    """A reviewed code list (``ff_cod`` or ``osteo_cod``) as {code: term}."""
    with (CODELIST_DIR / f"nhsd-{name}.csv").open(newline="", encoding="utf-8") as fh:
        return {row["code"]: row["term"] for row in csv.DictReader(fh)}


def from_codelist(name: str, code: str) -> SnomedCode:
    """A code that must be in the named reference set; its term comes from the list."""
    terms = codelist(name)
    if code not in terms:
        raise KeyError(f"{code} is not in {name}")
    return SnomedCode(code, terms[code])


FRAGILITY_FRACTURE = from_codelist("ff_cod", "306171000000106")
OSTEOPOROTIC_VERTEBRAL_COLLAPSE = from_codelist("osteo_cod", "240198002")
OSTEOPOROTIC_FRACTURE_THORACIC_VERTEBRA = from_codelist("osteo_cod", "203451004")
OSTEOPOROTIC_FRACTURE_LUMBAR_VERTEBRA = from_codelist("osteo_cod", "203450003")

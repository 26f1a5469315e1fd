"""SNOMED CT codes: typed, check-digit valid, members of the reviewed NHS Digital refsets, and only [V] codes."""

import pytest

from core.rules import RULES
from core.rules.codes import CODELIST_DIR, SnomedCode, codelist, from_codelist, verhoeff_valid

from .conftest import SHARED

# The codes marked [V] in ../shared/clinical/treatment-and-coding.md section 4.1 ("Verified codes").
VERIFIED = {
    "306171000000106",
    "443165006",
    "64859006",
    "240198002",
    "203451004",
    "203450003",
    "203452006",
    "203453001",
    "390833005",
    "14651005",
    "102447009",
    "203438009",
    "203657009",
    "425371000000103",
}


@pytest.mark.parametrize("code", sorted(VERIFIED))
def test_verified_codes_pass_the_verhoeff_check(code):
    assert verhoeff_valid(code)


@pytest.mark.parametrize("bad", ["240198003", "abc", "12", "2401980020000000000"])
def test_snomed_code_rejects_invalid_identifiers(bad):
    with pytest.raises(ValueError):
        SnomedCode(bad, "x")


def test_from_codelist_rejects_codes_outside_the_refset():
    with pytest.raises(KeyError):
        from_codelist("ff_cod", "240198002")


def test_every_offered_code_is_verified_and_in_a_refset():
    offered = {c.code: c.term for rule in RULES for c in rule.codes}
    assert offered, "the coding prompt offers codes"
    refsets = {**codelist("ff_cod"), **codelist("osteo_cod")}
    for code, term in offered.items():
        assert code in VERIFIED, code
        assert refsets[code] == term


def test_codelist_copies_match_shared():
    shared = SHARED / "clinical" / "codelists"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    for path in CODELIST_DIR.glob("*.csv"):
        assert path.read_text() == (shared / path.name).read_text(), path.name

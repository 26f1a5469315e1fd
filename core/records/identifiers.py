"""Patient identifiers in text that SpinePrompt stores: NHS numbers and dates of birth (hazards H-23 and H-52).

Pure Python, shared by the assessment form (report text, decision notes, the practice reference), case-finding
(pseudonymous ids) and the CDS Hooks drafts. Names cannot be recognised reliably; the pages ask for them to be
removed. Found by a security review: the first patterns missed "943.476.5919", "NHS 943  476  5919",
"DOB 1950-02-01", "Date of birth is 01/02/1950", "Born February 1, 1950" and "Jane Doe 1 Feb 1950".
"""

from __future__ import annotations

import re

# Ten digits as 3-3-4, with up to three spaces, dots, hyphens, slashes or underscores between the groups
# ("943 476 5919", "943.476.5919", "943  476  5919", "NHS9434765919"), never part of a longer number.
_SEP = r"[\s./_-]{0,3}"
TEN_DIGITS = re.compile(rf"(?<!\d)(\d{{3}}){_SEP}(\d{{3}}){_SEP}(\d{{4}})(?!\d)")

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_NUMERIC_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"  # 01/02/1950, 1.2.50
_ISO_DATE = r"\d{4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,2}"  # 1950-02-01
_WORD_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\s*,?\s*\d{{2,4}}"  # 1 Feb 1950, 1st of February 1950
_US_DATE = rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{2,4}}"  # February 1, 1950
ANY_DATE = re.compile(rf"(?<!\d)(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_WORD_DATE}|{_US_DATE})(?!\d)", re.IGNORECASE)
BIRTH_DATE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth\b|birth\s*date\b|born\b)"
    r"\s*(?:[:\-=]|\bis\b|\bwas\b)?\s*(?:\bon\b\s*)?"
    rf"(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_WORD_DATE}|{_US_DATE})",
    re.IGNORECASE,
)


def valid_nhs_number(digits: str) -> bool:
    """The NHS number's modulus 11 check digit (NHS Digital data dictionary)."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return check != 10 and (check % 11) == int(digits[9])


def has_nhs_number(text: str) -> bool:
    """Ten digits, however separated, with a valid NHS number check digit."""
    return any(valid_nhs_number("".join(m.groups())) for m in TEN_DIGITS.finditer(text))


def looks_like_nhs_number(text: str) -> bool:
    """Ten digits, however separated, whatever the check digit (for short identifiers, where shape is enough)."""
    return TEN_DIGITS.search(text) is not None


def identifiers_in(text: str) -> list[str]:
    """What in ``text`` identifies a patient: "an NHS number", "a date of birth" (in that order, each once)."""
    found = []
    if has_nhs_number(text):
        found.append("an NHS number")
    if BIRTH_DATE.search(text):
        found.append("a date of birth")
    return found


def redact_identifiers(text: str) -> tuple[str, int]:
    """``text`` with each NHS number and date of birth replaced by "[removed]", and how many were replaced."""
    count = 0

    def nhs(m: re.Match[str]) -> str:
        nonlocal count
        if valid_nhs_number("".join(m.groups())):
            count += 1
            return "[removed]"
        return m.group(0)

    text = TEN_DIGITS.sub(nhs, text)
    text, births = BIRTH_DATE.subn("[removed]", text)
    return text, count + births

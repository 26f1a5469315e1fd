"""The labelled radiology-report corpus (tests/data/report_corpus.jsonl) is well formed.

These tests check the FILE only: shape, allowed values, normalised levels, coverage and the absence of anything
that looks like patient data. They never run the screener; scoring the screener against the corpus is a separate
test.
"""

import json
import re
from collections import Counter

import pytest

from .conftest import REPO

CORPUS = REPO / "tests" / "data" / "report_corpus.jsonl"
README = REPO / "tests" / "data" / "report_corpus.md"

MODALITIES = {
    "chest_xray": "cxr",
    "ct_abdomen": "cta",
    "ct_chest": "ctc",
    "mri_spine": "mri",
    "dxa_vfa": "vfa",
    "spine_xray": "sxr",
    "ct_pet": "pet",
    "other": "oth",
}
CLASSES = ("explicit", "probable", "urgent", "none")
SPINE_ORDER = [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + ["S1"]
REQUIRED_KEYS = {"id", "modality", "text", "expect", "covers"}
OPTIONAL_KEYS = {"note"}
EXPECT_KEYS = {"classification", "levels", "grade", "height_loss_percent"}
REQUIRED_TAGS = {
    "explicit",
    "probable",
    "urgent",
    "negation",
    "negation_scope",
    "mimic",
    "exclusion",
    "abbreviation",
    "level_range",
    "level_list",
    "grade",
    "percent",
    "age_old",
    "age_new",
    "upper_case",
    "line_breaks",
    "bullets",
    "chest_xray",
    "ct_abdomen",
    "mri_spine",
    "dxa_vfa",
    "spine_xray",
}
MIN_ROWS = 200
MIN_PER_CLASS = 25

# Anything shaped like an NHS number: ten digits, optionally grouped 3-3-4 with spaces or hyphens.
NHS_NUMBER = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE_PATTERNS = [
    re.compile(r"(?<![\w.])\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}(?![\w])"),  # 03/04/1950, 3.4.50
    re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?!\d)"),  # 1950-04-03
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\.?,?\s+\d{{2,4}}\b", re.IGNORECASE),  # 3rd April 1950
    re.compile(rf"\b{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.IGNORECASE),  # April 3, 1950
    re.compile(r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born\s+(?:on|in)|birth\s*date)\b", re.IGNORECASE),
]
PERSON_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]")


def load_rows() -> list[dict]:
    rows = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").split("\n"), start=1):
        if line == "":
            continue
        rows.append(json.loads(line))
        rows[-1]["_line"] = number
    return rows


ROWS = load_rows()


def row_id(row: dict) -> str:
    return row.get("id", f"line-{row['_line']}")


def looks_like_patient_data(text: str) -> bool:
    return bool(NHS_NUMBER.search(text) or PERSON_TITLE.search(text) or any(p.search(text) for p in DATE_PATTERNS))


# --- the file as a whole -------------------------------------------------------------------------------------------


def test_every_line_is_one_json_object():
    raw = CORPUS.read_text(encoding="utf-8")
    assert raw.endswith("\n"), "the file ends with a newline"
    lines = raw.split("\n")[:-1]
    assert all(line.strip() for line in lines), "no blank lines"
    for number, line in enumerate(lines, start=1):
        assert "\r" not in line, f"line {number}: a raw carriage return (encode it as \\r inside the JSON string)"
        assert isinstance(json.loads(line), dict), f"line {number} is not a JSON object"


def test_enough_snippets_and_every_class_well_represented():
    assert len(ROWS) >= MIN_ROWS
    counts = Counter(r["expect"]["classification"] for r in ROWS)
    for cls in CLASSES:
        assert counts[cls] >= MIN_PER_CLASS, f"{cls}: {counts[cls]} < {MIN_PER_CLASS}"


def test_class_mix_is_realistic():
    """Roughly 25% explicit, 25% probable, 15% urgent, 35% none; no class dominates or vanishes."""
    counts = Counter(r["expect"]["classification"] for r in ROWS)
    shares = {cls: counts[cls] / len(ROWS) for cls in CLASSES}
    assert 0.25 <= shares["none"] <= 0.45, shares
    for cls in ("explicit", "probable", "urgent"):
        assert 0.10 <= shares[cls] <= 0.35, shares


def test_ids_are_unique():
    ids = Counter(row_id(r) for r in ROWS)
    assert not [i for i, n in ids.items() if n > 1]


def test_texts_are_unique():
    texts = Counter(r["text"] for r in ROWS)
    assert not [t for t, n in texts.items() if n > 1]


def test_every_required_covers_tag_appears():
    seen = {tag for r in ROWS for tag in r["covers"]}
    assert seen >= REQUIRED_TAGS, f"missing tags: {sorted(REQUIRED_TAGS - seen)}"


def test_every_modality_appears():
    assert {r["modality"] for r in ROWS} == set(MODALITIES)


# --- each row -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_row_shape(row):
    keys = set(row) - {"_line"}
    assert keys >= REQUIRED_KEYS, f"missing {REQUIRED_KEYS - keys}"
    assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, f"unexpected {keys - REQUIRED_KEYS - OPTIONAL_KEYS}"
    assert isinstance(row["expect"], dict)
    assert set(row["expect"]) == EXPECT_KEYS
    assert isinstance(row["text"], str) and row["text"].strip()
    if "note" in row:
        assert isinstance(row["note"], str) and row["note"].strip()


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_row_values_are_allowed(row):
    assert row["modality"] in MODALITIES
    assert re.fullmatch(r"[a-z]{3}-\d{3}", row["id"]), row["id"]
    assert row["id"].startswith(MODALITIES[row["modality"]] + "-"), "id prefix matches the modality"
    expect = row["expect"]
    assert expect["classification"] in CLASSES
    grade = expect["grade"]
    assert grade is None or (type(grade) is int and 1 <= grade <= 3), grade
    pct = expect["height_loss_percent"]
    assert pct is None or (type(pct) in (int, float) and 0 < pct <= 100), pct
    covers = row["covers"]
    assert isinstance(covers, list) and covers
    assert all(isinstance(t, str) and re.fullmatch(r"[a-z][a-z_]*", t) for t in covers), covers
    assert len(covers) == len(set(covers)), "no repeated tags"


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_levels_are_normalised_and_in_spine_order(row):
    levels = row["expect"]["levels"]
    assert isinstance(levels, list)
    assert all(isinstance(lv, str) and lv in SPINE_ORDER for lv in levels), levels
    assert len(levels) == len(set(levels)), f"duplicates in {levels}"
    assert levels == sorted(levels, key=SPINE_ORDER.index), f"not in spine order: {levels}"


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_labels_are_consistent_with_tags(row):
    expect, covers = row["expect"], set(row["covers"])
    cls = expect["classification"]
    assert cls in covers, "the class is also a covers tag"
    assert row["modality"] in covers, "the modality is also a covers tag"
    assert not (set(CLASSES) - {cls}) & covers, "only its own class among the tags"
    if cls == "none":
        assert expect["levels"] == [] and expect["grade"] is None and expect["height_loss_percent"] is None
    assert ("grade" in covers) == (expect["grade"] is not None)
    assert ("percent" in covers) == (expect["height_loss_percent"] is not None)
    if covers & {"level_list", "level_range"}:
        assert len(expect["levels"]) >= 2
    if len(expect["levels"]) >= 2:
        assert covers & {"level_list", "level_range"}


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_layout_tags_match_the_text(row):
    text, covers = row["text"], set(row["covers"])
    assert ("crlf" in covers) == ("\r\n" in text)
    lines = text.replace("\r\n", "\n").split("\n")
    if "upper_case" in covers:
        assert any(sum(c.isalpha() for c in ln) >= 15 and ln == ln.upper() for ln in lines), "an all-capitals line"
    if "bullets" in covers:
        assert any(re.match(r"\s*[-•*]\s+\S", ln) for ln in lines), "a bullet line"
    if "line_breaks" in covers:
        broken = [a for a, b in zip(lines, lines[1:], strict=False) if re.search(r"\w\s*$", a) and b.strip()]
        assert broken, "a sentence continues on the next line"
    if "whitespace" in covers:
        assert re.search(r"[ \t]{2,}|\d %", text), "runs of spaces or tabs"


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_no_patient_identifiers(row):
    text = row["text"] + " " + row.get("note", "")
    assert not NHS_NUMBER.search(text), "something shaped like an NHS number"
    for pattern in DATE_PATTERNS:
        assert not pattern.search(text), f"something shaped like a date of birth: {pattern.search(text).group()!r}"
    assert not PERSON_TITLE.search(text), "a titled name"
    assert "nhs no" not in text.lower() and "nhs number" not in text.lower()


@pytest.mark.parametrize(
    "sample",
    [
        "NHS number 943 476 5919",
        "ref 9434765919",
        "943-476-5919",
        "DOB: 03/04/1950",
        "born 3.4.50",
        "D.O.B 1950-04-03",
        "date of birth 3rd April 1950",
        "seen on April 3, 1950",
        "Mrs Smith",
    ],
)
def test_identifier_checks_catch_identifiers(sample):
    """The detectors above are not vacuous."""
    assert looks_like_patient_data(sample)


@pytest.mark.parametrize("sample", ["L4/5 and L5/S1", "T11/12", "T-score -2.7", "L1-L4", "30% loss", "5 cm"])
def test_identifier_checks_pass_report_notation(sample):
    assert not looks_like_patient_data(sample)


# --- the README -----------------------------------------------------------------------------------------------------


def test_readme_counts_match_the_file():
    readme = README.read_text(encoding="utf-8")
    assert f"{len(ROWS)} snippets" in readme
    counts = Counter(r["expect"]["classification"] for r in ROWS)
    for cls in CLASSES:
        assert re.search(rf"^\| {cls} \| {counts[cls]} \|", readme, re.MULTILINE), f"README count for {cls}"
    tags = Counter(t for r in ROWS for t in r["covers"])
    for tag, n in tags.items():
        assert re.search(rf"^\| `{tag}` \| {n} \|", readme, re.MULTILINE), f"README count for tag {tag}"

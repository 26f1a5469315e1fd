"""The shared worked cases (../shared/vignettes, copied to tests/data/vignettes) pass through the rules core."""

import json

import pytest

from core.rules import InputError, evaluate_data

from .conftest import SHARED, TODAY, VIGNETTE_DIR, load_vignettes

VIGNETTES = load_vignettes()


def test_vignette_copies_match_shared():
    """The repo keeps its own copy so a clone runs alone; it must not drift from the shared originals."""
    shared = SHARED / "vignettes"
    if not shared.is_dir():
        pytest.skip("../shared/vignettes is not beside this checkout")
    names = sorted(p.name for p in shared.glob("*.json"))
    assert names == sorted(p.name for p in VIGNETTE_DIR.glob("*.json"))
    for name in names:
        assert json.loads((shared / name).read_text()) == json.loads((VIGNETTE_DIR / name).read_text()), name


@pytest.mark.parametrize("case", [v for v in VIGNETTES if "expect" in v], ids=lambda v: v["name"])
def test_vignette_prompts(case):
    result = evaluate_data(case["input"], today=TODAY)
    ids = {p["id"] for p in result["prompts"]}
    assert set(case["expect"]["include"]) <= ids, f"missing: {set(case['expect']['include']) - ids}"
    assert not (set(case["expect"]["exclude"]) & ids), f"unexpected: {set(case['expect']['exclude']) & ids}"


@pytest.mark.parametrize("case", [v for v in VIGNETTES if "expect_error" in v], ids=lambda v: v["name"])
def test_vignette_input_errors(case):
    with pytest.raises(InputError) as exc:
        evaluate_data(case["input"], today=TODAY)
    assert case["expect_error"] in [e.field for e in exc.value.errors]


def test_there_are_vignettes_of_both_kinds():
    assert sum("expect" in v for v in VIGNETTES) >= 8
    assert sum("expect_error" in v for v in VIGNETTES) >= 1


# Our own worked cases (tests/data/vignettes/safety), one per issue-22 safety change: the prompts that must and must
# not fire, and words each prompt must or must not say (case-insensitive; "*" means every prompt).
SAFETY = [json.loads(p.read_text()) for p in sorted((VIGNETTE_DIR / "safety").glob("*.json"))]


@pytest.mark.parametrize("case", SAFETY, ids=lambda v: v["name"])
def test_safety_vignette(case):
    result = evaluate_data(case["input"], today=TODAY)
    prompts = {p["id"]: p for p in result["prompts"]}
    assert set(case["expect"]["include"]) <= set(prompts), set(case["expect"]["include"]) - set(prompts)
    assert not set(case["expect"]["exclude"]) & set(prompts), set(case["expect"]["exclude"]) & set(prompts)

    def said(pid):
        chosen = prompts.values() if pid == "*" else [prompts[pid]]
        return " ".join(" ".join((p["title"], p["detail"], *p["actions"])) for p in chosen).lower()

    for pid, words in case["expect_words"].items():
        for w in words:
            assert w.lower() in said(pid), (pid, w)
    for pid, words in case["forbid_words"].items():
        for w in words:
            assert w.lower() not in said(pid), (pid, w)


def test_there_is_a_safety_vignette_per_change():
    assert len(SAFETY) >= 7

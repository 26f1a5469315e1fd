"""On a seeded synthetic population, every planted patient lands in its group and no unplanted one does."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.casefinding.groups import GROUPS
from core.casefinding.synth import write_population

from .conftest import AS_OF, run_files


def _members(listed) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {g.id: set() for g in GROUPS}
    for p in listed:
        for g in p.groups:
            found[g].add(p.patient_id)
    return found


def _planted(population) -> dict[str, set[str]]:
    manifest = json.loads((population / "manifest.json").read_text())
    return {g: set(ids) for g, ids in manifest["planted"].items()}


def test_every_group_is_planted(population):
    """The population exercises every group (otherwise the next tests would prove nothing for it)."""
    planted = _planted(population)
    assert set(planted) == {g.id for g in GROUPS}
    assert all(len(ids) >= 20 for ids in planted.values()), {g: len(i) for g, i in planted.items()}


def _assert_planted_groups(summary, listed, planted) -> None:
    """Every planted patient in its group and nobody else, except the review group, which neither format can
    decide (synth.NOT_WRITTEN): there, every planted patient is "could not be assessed", with why."""
    found = _members(listed)
    for g in GROUPS:
        if g.id == "treatment_review_due":
            continue
        assert found[g.id] == planted[g.id], g.id
        assert summary["groups"][g.id]["in"] == len(planted[g.id]), g.id
    assert found["treatment_review_due"] == set()
    not_assessed = {p.patient_id for p in listed if "treatment_review_due" in p.not_assessed}
    assert planted["treatment_review_due"] <= not_assessed
    assert summary["groups"]["treatment_review_due"]["why"] == {
        "treatment reviews (not in this extract)": len(not_assessed)
    }


def test_csv_planted_patients_land_in_their_group_and_no_other_does(population):
    summary, listed = run_files([population / "population.csv"], "csv")
    assert summary["rows_read"] == 1500 and summary["rows_skipped"] == 0
    assert summary["patients_assessed"] == 1500
    _assert_planted_groups(summary, listed, _planted(population))


def test_ndjson_planted_patients_land_in_their_group_and_no_other_does(population):
    summary, listed = run_files(sorted((population / "ndjson").glob("*.ndjson")), "ndjson")
    assert summary["patients_assessed"] == 1500
    _assert_planted_groups(summary, listed, _planted(population))


def _worklist(listed) -> dict[str, tuple]:
    return {p.patient_id: (p.groups, p.not_assessed) for p in listed}


def test_csv_and_ndjson_of_one_population_give_one_worklist(population):
    csv_summary, from_csv = run_files([population / "population.csv"], "csv")
    nd_summary, from_ndjson = run_files(sorted((population / "ndjson").glob("*.ndjson")), "ndjson")
    assert _worklist(from_csv) == _worklist(from_ndjson)
    assert csv_summary["groups"] == nd_summary["groups"]


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 400), share=st.sampled_from([0.0, 0.3, 1.0]))
def test_any_population_gives_one_worklist_from_either_format(tmp_path_factory, seed, n, share):
    """Over seeds, sizes and planted shares: the same patients, group by group, from the CSV and the NDJSON."""
    out = tmp_path_factory.mktemp("pop")
    write_population(n, out, seed=seed, today=AS_OF, planted_share=share)
    csv_summary, from_csv = run_files([out / "population.csv"], "csv")
    nd_summary, from_ndjson = run_files(sorted((out / "ndjson").glob("*.ndjson")), "ndjson")
    assert csv_summary["patients_assessed"] == nd_summary["patients_assessed"] == n
    assert _worklist(from_csv) == _worklist(from_ndjson)
    assert csv_summary["groups"] == nd_summary["groups"]


def test_two_workers_give_the_same_worklist(population):
    _, one = run_files([population / "population.csv"], "csv", workers=1)
    _, two = run_files([population / "population.csv"], "csv", workers=2)
    assert sorted(one) == sorted(two)


def test_reasons_are_in_words_with_the_record_facts(population):
    _, listed = run_files([population / "population.csv"], "csv")
    for p in listed:
        for r in p.reasons:
            if r["status"] == "in":
                assert r["because"], (p.patient_id, r)
                assert r["evidence"], (p.patient_id, r)
            else:
                assert r["missing"], (p.patient_id, r)
    imaging = next(p for p in listed if "imaging_trigger_no_imaging" in p.groups)
    reason = next(r for r in imaging.reasons if r["group"] == "imaging_trigger_no_imaging")
    assert any("height loss" in b or "kyphosis" in b for b in reason["because"])


def test_the_generator_is_deterministic_for_a_seed(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_population(200, a, seed=3, today=AS_OF)
    write_population(200, b, seed=3, today=AS_OF)
    write_population(200, c, seed=4, today=AS_OF)
    for name in ("population.csv", "manifest.json", "ndjson/Patient.ndjson", "ndjson/Condition.ndjson"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "population.csv").read_bytes() != (c / "population.csv").read_bytes()


@pytest.mark.parametrize("planted_share", [0.0])
def test_a_population_with_nothing_planted_has_an_empty_worklist(tmp_path, planted_share):
    write_population(400, tmp_path, seed=11, today=AS_OF, planted_share=planted_share, formats=("csv",))
    summary, listed = run_files([tmp_path / "population.csv"], "csv")
    assert summary["patients_assessed"] == 400
    assert [p for p in listed if p.groups] == []

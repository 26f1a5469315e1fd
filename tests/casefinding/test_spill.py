"""core.spill.KeyedSpill groups values by key in bounded memory, and the CSV repeat check built on it finds the
same repeats whether the ids stay in memory or spill to disk (issue 28: no per-patient state for the whole run)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import spill as spill_module
from core.casefinding import pipeline
from core.spill import KeyedSpill

from .conftest import AS_OF, csv_bytes


def _naive(pairs):
    grouped: dict[str, list[str]] = {}
    for k, v in pairs:
        grouped.setdefault(k, []).append(v)
    return grouped


def _collect(pairs, max_bytes):
    with KeyedSpill(max_bytes) as s:
        for k, v in pairs:
            s.add(k, v)
        got = list(s.groups())
        spilled = s.spilled
    return got, spilled


def test_in_memory_keys_come_back_in_first_seen_order_with_values_in_order():
    got, spilled = _collect([("b", "1"), ("a", "2"), ("b", "3")], 10_000)
    assert not spilled
    assert got == [("b", ["1", "3"]), ("a", ["2"])]


def test_past_its_limit_it_spills_and_gives_the_same_groups_once_each():
    pairs = [(f"p{i % 700}", f"value {i}\twith a tab") for i in range(5000)]
    got, spilled = _collect(pairs, 20_000)
    assert spilled
    assert [k for k, _ in got].count("p1") == 1
    assert dict(got) == _naive(pairs)


def test_a_file_still_too_big_is_split_again_so_no_read_holds_much_more_than_the_limit(monkeypatch):
    largest = []
    real = spill_module._grouped

    def watched(pairs):
        pairs = list(pairs)
        largest.append(sum(len(k) + len(v) + 2 for k, v in pairs))
        return real(pairs)

    monkeypatch.setattr(spill_module, "_grouped", watched)
    pairs = [(f"id{i}", "x" * 50) for i in range(40_000)]  # ~2.3 MB of text through a 64 KB spill
    got, spilled = _collect(pairs, 64 * 1024)
    assert spilled and dict(got) == _naive(pairs)
    assert max(largest) <= 64 * 1024, max(largest)


def test_one_key_bigger_than_the_limit_comes_back_whole():
    pairs = [("only", f"line {i}") for i in range(3000)]
    got, _ = _collect(pairs, 4096)
    assert got == [("only", [f"line {i}" for i in range(3000)])]


def test_closing_removes_the_files():
    s = KeyedSpill(100)
    for i in range(50):
        s.add(f"k{i}", "v")
    assert s.spilled
    folder = Path(s._tmp.name)
    assert folder.exists()
    s.close()
    assert not folder.exists()


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    pairs=st.lists(st.tuples(st.sampled_from([f"k{i}" for i in range(30)]), st.text(alphabet="ab\t c", max_size=8))),
    max_bytes=st.sampled_from([0, 200, 1000, 10**6]),
)
def test_any_pairs_any_limit_group_as_a_dict_would(pairs, max_bytes):
    got, _ = _collect(pairs, max_bytes)
    assert dict(got) == _naive(pairs)
    assert len(got) == len({k for k, _ in pairs})


HEADER = ["patient_id", "age", "sex"]


def _run(files: list[bytes], **kwargs):
    listed: list = []
    summary = pipeline.run(
        [io.BytesIO(b) for b in files], input_format="csv", assessed_on=AS_OF, store=listed.extend, **kwargs
    )
    return summary.as_dict()


@pytest.mark.parametrize("spill_bytes", [0, 10**7])
def test_repeated_ids_are_found_within_and_across_files_in_memory_or_spilled(monkeypatch, spill_bytes):
    monkeypatch.setattr(pipeline, "ID_SPILL_BYTES", spill_bytes)
    first = csv_bytes(HEADER, [[f"a{i}", "70", "female"] for i in range(300)] + [["a7", "71", "female"]])
    second = csv_bytes(HEADER, [["b1", "80", "male"], ["a3", "80", "female"], ["b1", "81", "male"]])
    summary = _run([first, second])
    repeats = [(e["line"], e["field"]) for e in summary["errors"]]
    # a7 again at line 302 of the first file; a3 (from the first file) at line 3 and b1 at line 4 of the second.
    assert repeats == [(302, "patient_id"), (3, "patient_id"), (4, "patient_id")]
    assert summary["patients_assessed"] == 301
    assert summary["rows_read"] == 304


class _OneWay(io.RawIOBase):
    """A stream that cannot seek (a pipe): the repeat check needs a second read, so it reads a copy."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek_is_read_once_into_a_copy():
    data = csv_bytes(HEADER, [["x1", "70", "female"], ["x1", "70", "female"], ["x2", "70", "male"]])
    listed: list = []
    summary = pipeline.run(
        [io.BufferedReader(_OneWay(data))], input_format="csv", assessed_on=AS_OF, store=listed.extend
    ).as_dict()
    assert summary["patients_assessed"] == 2
    assert summary["errors"] == [{"line": 3, "field": "patient_id", "message": "repeats the id of an earlier row"}]


def test_the_line_set_holds_exactly_what_was_added():
    lines = pipeline.LineSet()
    for n in (1, 8, 9, 1000):
        lines.add(n)
    assert [n for n in range(1100) if n in lines] == [1, 8, 9, 1000]
    assert "8" not in lines and not pipeline.LineSet()


NDJSON = Path(__file__).resolve().parents[1] / "data" / "fhir" / "ndjson"


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("bucket_bytes", [200, 16 * 1024 * 1024])
def test_ndjson_in_any_file_order_in_memory_or_spilled_gives_one_worklist(monkeypatch, reverse, bucket_bytes):
    """The reading process groups raw lines (and finds the Medication a request references, wherever its file
    comes); the worker parses them: the same input data whatever the order and the memory limit."""
    from core.fhir import bundles

    monkeypatch.setattr(bundles, "BUCKET_BYTES", bucket_bytes)
    files = sorted(NDJSON.glob("*.ndjson"), reverse=reverse)
    listed: list = []
    streams = [f.open("rb") for f in files]
    try:
        summary = pipeline.run(streams, input_format="ndjson", assessed_on=AS_OF, store=listed.extend).as_dict()
    finally:
        for f in streams:
            f.close()
    assert summary["patients_assessed"] == 3 and summary["errors"] == []
    data = {p.patient_id: p.data for p in listed}
    assert data["pop-1"]["bone_protection"]["current"] == "alendronate"  # from Medication/med-aln

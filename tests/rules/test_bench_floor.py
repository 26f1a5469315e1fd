"""The floor that `bench/evaluate.py --floor` times must build exactly the result, in fresh containers: otherwise
the figure it reports (what the output alone costs) would mean nothing."""

import datetime as dt

from bench.evaluate import floor_builders, inputs
from core.rules import evaluate_data

TODAY = dt.date(2026, 11, 23)


def _containers(x: object) -> list[object]:
    if isinstance(x, dict):
        return [x, *(c for v in x.values() for c in _containers(v))]
    if isinstance(x, list):
        return [x, *(c for v in x for c in _containers(v))]
    return []


def test_the_floor_builds_each_vignette_result_exactly_and_afresh():
    results = [evaluate_data(d, today=TODAY) for d in inputs()]
    assert len(results) >= 8
    for result, build in zip(results, floor_builders(results), strict=True):
        first, second = build(), build()
        assert first == result
        assert list(first) == list(result)  # key order too
        # Every dict and list is new on each call, as in a real evaluation.
        assert {id(c) for c in _containers(first)}.isdisjoint(id(c) for c in _containers(second))
        assert len(_containers(first)) == len(_containers(result)) > 100
